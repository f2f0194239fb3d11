// JSON rendering of a Document: the output format of `sitrep extract`.
#ifndef SITREP_JSON_OUTPUT_H_
#define SITREP_JSON_OUTPUT_H_

#include <string>

#include "sitrep/document.h"

namespace sitrep {

struct JsonOptions {
  bool pretty = false;       // indented, multi-line; otherwise one line
  bool include_text = true;  // the article text ("text" field)
  bool include_tokens = true;
};

// Appends one JSON object describing `doc` to *out (no trailing newline):
// metadata (id, date, source, title, url, and "meta" with the input's other
// fields verbatim), "text", "paragraphs" (byte spans and sentence ranges),
// "sentences" (byte spans, text, tokens with byte offsets, kind, whether a
// space follows and whether the token is a clitic joined to the previous
// one; once tagged, "upos", "xpos" and "lemma"; once parsed, "head" (index
// of the head in the sentence's "tokens" array, -1 for the root word) and
// "deprel" (UD relation)), "entities" (type, text, byte span, sentence
// index, token range [start, end) within that sentence's "tokens", the
// "title" before a person and the normalized "value" when known),
// "actors", "events" (see WriteEvents in json_output.cc: type, mode,
// context, cameo, modality, negated, source/target actors, location, date,
// trigger, sentence, quote, parent, confidence), "quotes" (kind, "content" spans, "cue" span and lemma,
// "speaker" span with its "actor" index and type, confidence and the index
// of the enclosing quotation as "parent", -1 if none) and "warnings".
// Offsets are UTF-8 byte offsets into "text".
void AppendDocumentJson(const Document& doc, const JsonOptions& options, std::string* out);

// Appends one PLOVER-style JSON line per event of `doc` (nothing when it has
// none), with the PLOVER manual's field names: id "<article id>-<n>",
// article_id, date and enddate (the event's resolved time, else the article
// date), actor and recipient [{actorText, code, sector, actorId, actorName}],
// event_type, mode, context, cameo, modality, negated, event_text (the
// trigger), event_loc {placeText, placeName, placeId, country, lat, lon,
// precision}, text (the sentence), text_offsets (byte spans of sentence and
// trigger), reported_by (the speaker of the quotation carrying it),
// confidence and parent.
void AppendPloverEvents(const Document& doc, std::string* out);

}  // namespace sitrep

#endif  // SITREP_JSON_OUTPUT_H_
