#include "sitrep/json_output.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "sitrep/time_resolve.h"

namespace sitrep {

namespace {

template <typename W>
void Str(W& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

template <typename W>
void Key(W& w, const char* k) {
  w.Key(k);
}

template <typename W>
void Write(W& w, const Document& doc, const JsonOptions& opt) {
  const Metadata& m = doc.meta();
  w.StartObject();
  Key(w, "id");
  Str(w, m.id);
  if (!m.date.empty()) { Key(w, "date"); Str(w, m.date); }
  if (!m.source.empty()) { Key(w, "source"); Str(w, m.source); }
  if (!m.title.empty()) { Key(w, "title"); Str(w, m.title); }
  if (!m.url.empty()) { Key(w, "url"); Str(w, m.url); }
  if (!m.extra.empty()) {
    Key(w, "meta");
    w.StartObject();
    for (const auto& [k, raw] : m.extra) {
      Str(w, k);
      w.RawValue(raw.data(), raw.size(), rapidjson::kObjectType);
    }
    w.EndObject();
  }
  if (opt.include_text) { Key(w, "text"); Str(w, doc.text()); }
  Key(w, "paragraphs");
  w.StartArray();
  for (const Paragraph& p : doc.paragraphs()) {
    w.StartObject();
    Key(w, "start"); w.Uint(p.span.begin);
    Key(w, "end"); w.Uint(p.span.end);
    Key(w, "sentences"); w.StartArray(); w.Uint(p.sentence_begin); w.Uint(p.sentence_end); w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  Key(w, "sentences");
  w.StartArray();
  const auto& tokens = doc.tokens();
  for (size_t s = 0; s < doc.sentences().size(); ++s) {
    const Sentence& sent = doc.sentences()[s];
    ByteSpan span = doc.sentence_span(s);
    w.StartObject();
    Key(w, "start"); w.Uint(span.begin);
    Key(w, "end"); w.Uint(span.end);
    Key(w, "text"); Str(w, doc.text(span));
    if (opt.include_tokens) {
      Key(w, "tokens");
      w.StartArray();
      for (uint32_t i = sent.token_begin; i < sent.token_end; ++i) {
        const Token& t = tokens[i];
        w.StartObject();
        Key(w, "text"); Str(w, doc.token_text(i));
        Key(w, "start"); w.Uint(t.begin);
        Key(w, "end"); w.Uint(t.end);
        Key(w, "kind"); Str(w, TokenKindName(t.kind));
        if (t.has(kSpaceAfter)) { Key(w, "space"); w.Bool(true); }
        if (t.has(kJoinedToPrev)) { Key(w, "joined"); w.Bool(true); }
        if (t.has(kQuoteOpen)) { Key(w, "quote"); Str(w, "open"); }
        if (t.has(kQuoteClose)) { Key(w, "quote"); Str(w, "close"); }
        if (i < doc.tags().size()) {
          const TokenTag& tag = doc.tags()[i];
          Key(w, "upos"); Str(w, UposName(tag.upos));
          Key(w, "xpos"); Str(w, XposNames()[tag.xpos]);
          Key(w, "lemma"); Str(w, doc.lemma(i));
        }
        if (i < doc.deps().size()) {
          const Dependency& d = doc.deps()[i];
          Key(w, "head");
          w.Int(d.head < 0 ? -1 : d.head - static_cast<int32_t>(sent.token_begin));
          Key(w, "deprel"); Str(w, DeprelNames()[d.deprel]);
        }
        w.EndObject();
      }
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndArray();
  if (!doc.entities().empty()) {
    Key(w, "entities");
    w.StartArray();
    size_t si = 0, ti = 0;
    const auto& sentences = doc.sentences();
    const auto& times = doc.times();
    for (size_t k = 0; k < doc.entities().size(); ++k) {
      const Entity& e = doc.entities()[k];
      while (si + 1 < sentences.size() && sentences[si].token_end <= e.token_begin) ++si;
      const uint32_t base = sentences.empty() ? 0 : sentences[si].token_begin;
      const ByteSpan span{tokens[e.token_begin].begin, tokens[e.token_end - 1].end};
      w.StartObject();
      Key(w, "type"); Str(w, EntityTypeName(e.type));
      Key(w, "text"); Str(w, doc.text(span));
      Key(w, "start"); w.Uint(span.begin);
      Key(w, "end"); w.Uint(span.end);
      Key(w, "sentence"); w.Uint(static_cast<unsigned>(si));
      Key(w, "tokens"); w.StartArray(); w.Uint(e.token_begin - base); w.Uint(e.token_end - base); w.EndArray();
      if (e.title_end > e.title_begin) {
        const ByteSpan t{tokens[e.title_begin].begin, tokens[e.title_end - 1].end};
        Key(w, "title");
        w.StartObject();
        Key(w, "text"); Str(w, doc.text(t));
        Key(w, "start"); w.Uint(t.begin);
        Key(w, "end"); w.Uint(t.end);
        w.EndObject();
      }
      if (e.value_len) { Key(w, "value"); Str(w, doc.entity_value(k)); }
      while (ti < times.size() && times[ti].entity < k) ++ti;
      if (ti < times.size() && times[ti].entity == k) {
        char day[11];
        Key(w, "time");
        w.StartObject();
        FormatIsoDay(times[ti].begin, day);
        Key(w, "begin"); Str(w, std::string_view(day, 10));
        FormatIsoDay(times[ti].end, day);
        Key(w, "end"); Str(w, std::string_view(day, 10));
        Key(w, "granularity"); Str(w, TimeGranularityName(times[ti].granularity));
        w.EndObject();
      }
      w.EndObject();
    }
    w.EndArray();
  }
  if (!doc.diagnostics().empty()) {
    Key(w, "warnings");
    w.StartArray();
    for (const Diagnostic& d : doc.diagnostics()) {
      w.StartObject();
      Key(w, "offset"); w.Uint(d.offset);
      Key(w, "message"); Str(w, d.message);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

}  // namespace

void AppendDocumentJson(const Document& doc, const JsonOptions& options, std::string* out) {
  rapidjson::StringBuffer buf;
  if (options.pretty) {
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
    w.SetIndent(' ', 2);
    Write(w, doc, options);
  } else {
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    Write(w, doc, options);
  }
  out->append(buf.GetString(), buf.GetSize());
}

}  // namespace sitrep
