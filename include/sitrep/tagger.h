// Part-of-speech tagger (UPOS and PTB XPOS) and lemmatizer.
//
// A greedy left-to-right averaged perceptron over hashed lexical and context
// features predicts a joint UPOS+XPOS class per token; the lemmatizer maps
// (form, XPOS) to a lemma through exceptions learned from the treebank and
// suffix rules per XPOS. Both live in one model file (kind "tagger"), loaded
// once by mmap; a Tagger is immutable and shared by all threads.
#ifndef SITREP_TAGGER_H_
#define SITREP_TAGGER_H_

#include <memory>
#include <string>
#include <vector>

#include "sitrep/conllu.h"
#include "sitrep/document.h"
#include "sitrep/evaluate.h"
#include "sitrep/status.h"
#include "sitrep/text.h"

namespace sitrep {

class Tagger {
 public:
  ~Tagger();
  Tagger(const Tagger&) = delete;
  Tagger& operator=(const Tagger&) = delete;

  // Loads a tagger model file (models/tagger.bin).
  static Result<std::unique_ptr<Tagger>> Load(const std::string& path);

  // Fills doc->tags() (one per token) and doc->lemma_pool().
  // REQUIRES: doc->tokens() and doc->sentences() are set.
  void Tag(Document* doc) const;

 private:
  Tagger();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct TaggerTrainOptions {
  int epochs = 10;
  float min_weight = 0.05f;  // averaged weights below this magnitude are pruned
};

// Trains on the words of `train` (gold tokenization) and writes the model to
// `out_path` with `meta_json` as its metadata. Deterministic for given data.
Status TrainTagger(const std::vector<ConlluSentence>& train, const TaggerTrainOptions& options,
                   const std::string& out_path, const std::string& meta_json);

struct TaggerScores {
  // With gold tokens: accuracy over words. From raw text: F1 over aligned
  // words (CoNLL 2018 style: a word counts when its span and tag match).
  SpanCounts upos, xpos, lemma;
};

// Scores the tagger with gold tokenization (each treebank word a token).
TaggerScores EvaluateTaggerGoldTokens(const std::vector<ConlluSentence>& gold,
                                      const Tagger& tagger);
// Scores tokenizer + splitter + tagger from raw text.
TaggerScores EvaluateTaggerRaw(const std::vector<ConlluSentence>& gold, const Tokenizer& tokenizer,
                               const SentenceSplitter& splitter, const Tagger& tagger);

// Builds a document whose tokens are exactly `words` (joined by spaces), as
// one sentence; for training and gold-token evaluation.
Document DocumentFromWords(const std::vector<std::string>& words);

}  // namespace sitrep

#endif  // SITREP_TAGGER_H_
