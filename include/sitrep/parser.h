// Dependency parser: Universal Dependencies heads and relations.
//
// A transition-based parser (arc-hybrid system: SHIFT, LEFT, RIGHT with a
// single root word per sentence) with beam search. One averaged perceptron
// over hashed features of the stack, the buffer and the partial tree scores
// each move, and a hypothesis by the sum of its moves' scores; another picks
// the relation of each arc a move makes. When the tree is finished, a third
// chooses every arc's relation again with features of the whole tree.
// Beam models are trained globally (early updates, Collins & Roark 2004);
// greedy ones (width 1) with the exact dynamic oracle of the
// arc-hybrid system and error exploration (Goldberg & Nivre 2013).
// Non-projective training trees are projectivized by lifting arcs. The model
// lives in one file (kind "parser"), loaded by mmap; a Parser is immutable
// and shared by all threads.
#ifndef SITREP_PARSER_H_
#define SITREP_PARSER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sitrep/conllu.h"
#include "sitrep/document.h"
#include "sitrep/evaluate.h"
#include "sitrep/status.h"
#include "sitrep/tagger.h"
#include "sitrep/text.h"

namespace sitrep {

class Parser {
 public:
  ~Parser();
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  // Loads a parser model file (models/parser.bin).
  static Result<std::unique_ptr<Parser>> Load(const std::string& path);

  // Fills doc->deps() (one per token): every sentence becomes one tree with
  // exactly one root word. Beam search keeps the `beam` best transition
  // sequences (0: the width the model was trained with, beam()); 1 is
  // greedy.
  // REQUIRES: doc->tokens(), doc->sentences() and doc->tags() are set.
  void Parse(Document* doc, int beam = 0) const;
  int beam() const;

 private:
  Parser();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct ParserTrainOptions {
  int epochs = 15;
  // Beam width. 1: greedy training with the dynamic oracle (below); more:
  // beam search over whole transition sequences, trained globally (the
  // perceptron updates the best hypothesis against the gold sequence when
  // the gold one falls out of the beam: early update).
  int beam = 1;
  // Averaged weights below this magnitude are pruned: on EWT test 1.0 costs
  // 0.1 UAS against 0.05 and makes the model three times smaller.
  float min_weight = 1.0f;
  int relabel_epochs = 10;        // of the relabeler (relations chosen again on the finished tree)
  double explore = 0.9;           // probability of following a wrong prediction...
  int explore_from_epoch = 1;     // ...from this (0-based) epoch on
  uint64_t seed = 20250309;       // shuffling and exploration
};

// Trains on `train` and writes the model to `out_path` with `meta_json` as
// its metadata. `tags`, when not empty, gives each training word's predicted
// tags (parallel to train[i].words), so the parser learns from tags like the
// ones it will see; else the treebank's tags are used. Deterministic for
// given data.
Status TrainParser(const std::vector<ConlluSentence>& train,
                   const std::vector<std::vector<TokenTag>>& tags,
                   const ParserTrainOptions& options, const std::string& out_path,
                   const std::string& meta_json);

// Tags of every word of `sentences` by `tagger` (gold tokenization).
std::vector<std::vector<TokenTag>> TagSentences(const std::vector<ConlluSentence>& sentences,
                                               const Tagger& tagger);

struct ParserScores {
  // With gold tokens: accuracy over words. From raw text: F1 over aligned
  // words (CoNLL 2018: a word counts when it and its head are aligned to the
  // gold word and its gold head; LAS also compares the universal relation,
  // subtypes stripped).
  SpanCounts upos, uas, las;
};

// `beam` is the parser's beam width (0: the model's own).
ParserScores EvaluateParserGoldTokens(const std::vector<ConlluSentence>& gold,
                                      const Tagger& tagger, const Parser& parser, int beam = 0);
ParserScores EvaluateParserRaw(const std::vector<ConlluSentence>& gold, const Tokenizer& tokenizer,
                               const SentenceSplitter& splitter, const Tagger& tagger,
                               const Parser& parser, int beam = 0);

// A reporting verb after its content ("..., security expert Rainer Saks
// said.") with no subject of its own: when the words between the last
// punctuation mark and the verb form one nominal phrase attached elsewhere,
// that phrase becomes the verb's nsubj. Beam search tends to attach such a
// phrase to the long clause before it, and the training treebanks have few
// of these sentences. Parse() applies it to every sentence.
// REQUIRES: doc->tags() and doc->deps() are set for sentence `s`.
void RepairReportingSubjects(Document* doc, const Sentence& s);

// A clause labelled ccomp whose marker only introduces adverbial clauses
// ("because", "although", "unless", ...), or is "if" under a head that takes
// no if-complement ("will respond if ..." but not "asked if ..."), becomes
// an advcl. Parse() applies it to every sentence after the above.
// REQUIRES: doc->tags() and doc->deps() are set for sentence `s`.
void RepairClauseRelations(Document* doc, const Sentence& s);

// Exposed for tests.
namespace parse_internal {

// Heads (0 = root, words 1..n, index 0 unused) made projective by lifting:
// while an arc crosses another, the shortest crossing arc is reattached to
// its head's head.
std::vector<int> Projectivize(const std::vector<int>& heads);
bool IsProjective(const std::vector<int>& heads);

// Runs the static oracle of the transition system (always the first
// zero-cost transition) on a projective tree; returns the heads it builds.
std::vector<int> OracleParse(const std::vector<int>& heads);

// For a configuration reached by `transitions` (0 shift, 1 left, 2 right;
// unlabelled) from the start on a tree `heads`, the cost of each transition
// (-1 when illegal) by the dynamic oracle.
std::vector<int> OracleCosts(const std::vector<int>& heads, const std::vector<int>& transitions);

// The move features of the configuration reached by `transitions` (as in
// OracleCosts) over words with normalized-form ids `norms` and XPOS ids
// `xpos` (index 0 unused: the root), every arc labelled `label`.
std::vector<uint64_t> ConfigFeatures(const std::vector<uint64_t>& norms,
                                     const std::vector<uint8_t>& xpos,
                                     const std::vector<int>& transitions, int label);

}  // namespace parse_internal

}  // namespace sitrep

#endif  // SITREP_PARSER_H_
