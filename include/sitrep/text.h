// Text stages: UTF-8 validation and repair, tokenization, sentence and
// paragraph segmentation of English news text.
//
// Tokenizer and SentenceSplitter are built once and are then immutable: one
// instance may be shared by any number of threads.
#ifndef SITREP_TEXT_H_
#define SITREP_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sitrep/document.h"
#include "sitrep/status.h"

namespace sitrep {

// Returns true iff `s` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view s);

// Replaces every ill-formed UTF-8 sequence of `*s` with U+FFFD (one per
// maximal invalid subpart, as Unicode recommends). Appends the byte offset
// (in the repaired string) of each replacement to `*offsets` when non-null.
// Returns the number of replacements.
size_t RepairUtf8(std::string* s, std::vector<uint32_t>* offsets);

struct TokenizerOptions {
  // Split clitics off their host as separate tokens: "don't" -> "do" "n't",
  // "Ukraine's" -> "Ukraine" "'s" (the UD/PTB convention the tagger and
  // parser expect). The pieces are flagged kJoinedToPrev.
  bool split_clitics = true;
};

// Splits text into tokens (see Token). Handles abbreviations, initials,
// contractions and possessives, hyphenated words, numbers, money, percentages,
// dates and times, URLs, e-mail addresses, quotes, dashes, ellipses, emoticons
// and Unicode punctuation and spaces.
class Tokenizer {
 public:
  explicit Tokenizer(TokenizerOptions options = {});
  ~Tokenizer();
  Tokenizer(const Tokenizer&) = delete;
  Tokenizer& operator=(const Tokenizer&) = delete;

  // Replaces doc->tokens() with the tokens of doc->text().
  // REQUIRES: doc->text() is valid UTF-8 and shorter than 4 GiB.
  void Tokenize(Document* doc) const;

  // True iff `word` (with its final period) is a known abbreviation.
  bool IsAbbreviation(std::string_view word) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct SentenceSplitterOptions {
  // Treat a single line break after a line without final punctuation as a
  // sentence boundary when the next line starts like a sentence (headlines,
  // datelines, lists). Blank lines always end a paragraph and a sentence.
  bool break_at_heading_lines = true;
  // A trained boundary model (models/segmenter.bin) that reviews the rules'
  // decisions and adds boundaries that lack punctuation; empty: rules only.
  std::string model_path;
};

// Groups tokens into sentences and paragraphs. A quotation that ends a
// sentence keeps its closing mark (`... soon."`), and an attribution that
// follows a quotation stays in the quotation's sentence
// (`"...," Kaju said.` is one sentence).
class SentenceSplitter {
 public:
  // A rules-only splitter; options.model_path is ignored (use Create).
  explicit SentenceSplitter(SentenceSplitterOptions options = {});
  // A splitter using options.model_path when it is set; fails when the model
  // cannot be loaded (missing, damaged or of another version).
  static Result<std::unique_ptr<SentenceSplitter>> Create(SentenceSplitterOptions options);
  ~SentenceSplitter();
  SentenceSplitter(const SentenceSplitter&) = delete;
  SentenceSplitter& operator=(const SentenceSplitter&) = delete;

  // Replaces doc->sentences() and doc->paragraphs().
  // REQUIRES: doc->tokens() was produced by Tokenizer::Tokenize on doc->text().
  void Split(Document* doc) const;

 private:
  // Lets the boundary model review the rules' sentences of paragraph tokens
  // [b, e), which start at index first_sentence of *sentences.
  void Review(const Document& doc, size_t b, size_t e, size_t first_sentence,
              std::vector<Sentence>* sentences, std::vector<uint8_t>* ends,
              std::vector<uint8_t>* cls) const;

  struct Impl;
  std::unique_ptr<Impl> impl_;
  SentenceSplitterOptions options_;
};

}  // namespace sitrep

#endif  // SITREP_TEXT_H_
