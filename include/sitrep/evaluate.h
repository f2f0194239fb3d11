// Evaluation of sitrep's stages against gold treebanks.
#ifndef SITREP_EVALUATE_H_
#define SITREP_EVALUATE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sitrep/conllu.h"
#include "sitrep/text.h"

namespace sitrep {

// Precision, recall and F1 of matched spans.
struct SpanCounts {
  uint64_t gold = 0, system = 0, matched = 0;
  double precision() const { return system ? 100.0 * matched / system : 0; }
  double recall() const { return gold ? 100.0 * matched / gold : 0; }
  double f1() const {
    double p = precision(), r = recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
  void Add(const SpanCounts& o) { gold += o.gold; system += o.system; matched += o.matched; }
};

struct SegmentationScores {
  SpanCounts tokens;     // surface tokens (a multi-word token is one), CoNLL 2018 "Tokens"
  SpanCounts words;      // syntactic words, where the gold words are substrings of the text
  SpanCounts sentences;  // CoNLL 2018 "Sentences"
  void Add(const SegmentationScores& o) { tokens.Add(o.tokens); words.Add(o.words); sentences.Add(o.sentences); }
};

struct SegmentationReport {
  SegmentationScores total;
  std::map<std::string, SegmentationScores> by_group;
  uint64_t documents = 0;
};

// One treebank document rebuilt as raw text: tokens joined as SpaceAfter
// says, sentences of a paragraph by a space, paragraphs by a blank line. Gold
// spans are byte ranges into `text`; words whose forms do not spell their
// token cannot be placed and get an empty span at the token's end.
struct TreebankDocument {
  std::string doc_id;
  std::string text;
  std::vector<std::pair<uint32_t, uint32_t>> tokens, words, sentences;
  // The gold word behind each entry of `words` (points into the gold vector
  // passed to RebuildTreebankText, which must outlive this).
  std::vector<const ConlluWord*> word_refs;
};
std::vector<TreebankDocument> RebuildTreebankText(const std::vector<ConlluSentence>& gold);

// Returns the group (e.g. genre) of a treebank document id; "" for none.
using GroupOf = std::function<std::string(const std::string& doc_id)>;
// GUM document ids look like GUM_<genre>_<name>; returns <genre>.
std::string GumGenre(const std::string& doc_id);

// Rebuilds each treebank document's raw text (tokens joined as SpaceAfter
// says, sentences of a paragraph by a space, paragraphs by a blank line),
// segments it with `tokenizer` and `splitter`, and scores token, word and
// sentence spans exactly as the CoNLL 2018 shared task does (character
// spans must match exactly).
SegmentationReport EvaluateSegmentation(const std::vector<ConlluSentence>& gold,
                                        const Tokenizer& tokenizer,
                                        const SentenceSplitter& splitter,
                                        const GroupOf& group_of = nullptr);

// GUM genres whose texts may be used to train shipped models (CC BY / CC BY-SA /
// public domain); the others are CC BY-NC-SA. See ../shared/README.md.
bool IsPermissiveGumGenre(const std::string& genre);

struct SegmenterTrainOptions {
  int epochs = 8;
  int hash_bits = 17;  // 2^bits weights
};

// Trains the sentence-boundary model on `train` (the rules run first; the
// model learns from their decisions and the gold boundaries) and writes it to
// `out_path` with `meta_json` as its metadata.
Status TrainSegmenter(const std::vector<TreebankDocument>& train, const Tokenizer& tokenizer,
                      const SegmenterTrainOptions& options, const std::string& out_path,
                      const std::string& meta_json);

}  // namespace sitrep

#endif  // SITREP_EVALUATE_H_
