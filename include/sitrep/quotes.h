// QuoteExtractor: quotations and who said them.
//
// Fills Document::quotes() (document.h, struct Quote) from the tokens, the
// dependency parse and the linker's actors and mentions:
//
//   - direct quotations: the words between quotation marks (straight or
//     curly, double or single), across sentences and across paragraphs when
//     an unclosed paragraph is continued by an opening mark on the next one;
//     attributed by a reporting cue next to them ('"...," X said',
//     'X said: "..."', 'X told reporters, "..."'), a split quotation with the
//     attribution in the middle ('"...," X said, "..."') giving one
//     quotation with two content spans, and a quotation with no cue
//     continuing the speaker of a quotation up to two paragraphs before it
//     (else someone named in its sentence, or the subject of the sentence
//     before in its paragraph); a quotation closed by a full stop takes no
//     cue from the sentence after it;
//     quotation marks around a few words with no cue next to them (scare
//     quotes) or around a title ("the film 'Dark Waters'") are no quotation;
//   - indirect quotations: a cue verb or noun of the lexicon with a clausal
//     complement in the parse ("X said (that) ...", "..., X said.",
//     "X believes / noted / warned ...", "it was reported by X that ...",
//     "X's claim that ..."), and "according to X";
//   - mixed quotations: reported speech carrying a quoted fragment;
//     'X called the plan "a disgrace"' (a cue that reports through its
//     object) covers the object and the fragment, 'X said "..." would ...'
//     the whole reported clause; indirect content stops before a
//     participle of another cue ("..., adding ..."); an indirect quotation
//     inside another speaker's direct quotation has the quoted fragments
//     within it as content and that quotation as parent;
//   - speakers: the span as written (the subject of the cue, the agent of a
//     passive, the object of "according to"; when the parse gives the cue
//     none, the nearest phrase in its sentence that can speak: a mention
//     other than a place, a proper noun that is no day or month, "he",
//     "she", "they") and the actor the linker gave
//     it, through names, pronouns and descriptions; typed as named, pronoun,
//     nominal, anonymous ("officials", "sources"), organization or country.
//
// The cue lexicon is a data file (data/quotes/cues.tsv, format described in
// its header): lemma, part of speech, kind (verb, noun, phrase) and weight.
//
// Immutable after construction; one QuoteExtractor serves every thread.
#ifndef SITREP_QUOTES_H_
#define SITREP_QUOTES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sitrep/document.h"
#include "sitrep/status.h"

namespace sitrep {

std::string_view QuoteKindName(QuoteKind kind);      // "direct", "indirect", "mixed"
std::string_view SpeakerTypeName(SpeakerType type);  // "named", ..., "none"

// One entry of the cue lexicon.
struct QuoteCue {
  // kObject: a verb that also reports through its object ("accused X of Y").
  enum class Kind : uint8_t { kVerb, kNoun, kPhrase, kObject };
  std::string lemma;  // "say"; for a phrase its words, space-separated: "according to"
  Upos pos = Upos::kVERB;
  Kind kind = Kind::kVerb;
  float weight = 1.0f;
};

class QuoteExtractor {
 public:
  // Reads the cue lexicon at `path`. Errors name `path:line` and the reason
  // (wrong column count, unknown part of speech or kind, a weight outside
  // (0, 1], a duplicate lemma and part of speech); NotFound when the file
  // cannot be read.
  static Result<std::unique_ptr<QuoteExtractor>> Load(const std::string& path);
  // The same from the file's contents; `name` is used in messages.
  static Result<std::unique_ptr<QuoteExtractor>> FromText(std::string_view text,
                                                          std::string_view name);

  // Replaces doc->quotes().
  // REQUIRES: tokens, sentences and paragraphs are set. Tags and deps are
  //   used when parallel to the tokens; without them only direct quotations
  //   are found, with no cue or speaker. Speaker actors come from mentions()
  //   when the linker has run.
  // GUARANTEES: quotes are sorted by content_begin; every token range lies
  //   within tokens(); content is non-empty; speaker_actor is -1 or below
  //   actors().size(); parent is -1 or the index of a direct quote whose
  //   content contains this one's.
  void Extract(Document* doc) const;

  const std::vector<QuoteCue>& cues() const { return cues_; }

 private:
  QuoteExtractor() = default;
  // Index into cues_ of the cue a word lemma (lower case) names, or -1.
  int FindWordCue(std::string_view lemma, QuoteCue::Kind kind) const;

  std::vector<QuoteCue> cues_;
  // NormId(lemma) -> cues_ index, for verbs and for nouns.
  std::unordered_map<uint64_t, int> verbs_, nouns_;
  // Phrases: NormId of each word, and the cues_ index.
  struct Phrase {
    std::vector<uint64_t> words;
    int cue = -1;
  };
  std::vector<Phrase> phrases_;
  friend class QuoteExtraction;
};

}  // namespace sitrep

#endif  // SITREP_QUOTES_H_
