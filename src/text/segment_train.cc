// Training of the sentence-boundary model: an averaged perceptron over the
// hashed features of text/boundary.h, at the candidate positions the splitter
// scores, with the rules' decisions as features and the treebank's sentence
// ends as labels. Deterministic: documents are visited in a fixed shuffled
// order (seeded) and ties are broken the same way every run.
#include <algorithm>
#include <cstring>
#include <numeric>
#include <random>
#include <unordered_set>

#include "model/model_file.h"
#include "sitrep/evaluate.h"
#include "text/boundary.h"

namespace sitrep {

namespace {

// Updates when the score is at most this margin (0: the plain perceptron;
// larger margins were worse on EWT/GUM dev).
constexpr float kMargin = 0.0f;

// One scored position: its features, whether a sentence ends there, and
// what the length feature needs (position, next token's class, rule).
struct Example {
  uint64_t feats[text::kBoundaryFeatureCount];
  uint32_t k;
  uint8_t next_class;
  bool rule;
  bool end;
};

// The scored positions of one paragraph, in text order.
using ParagraphExamples = std::vector<Example>;

}  // namespace

Status TrainSegmenter(const std::vector<TreebankDocument>& train, const Tokenizer& tokenizer,
                      const SegmenterTrainOptions& options, const std::string& out_path,
                      const std::string& meta_json) {
  if (options.hash_bits < 8 || options.hash_bits > 26)
    return Status::InvalidArgument("hash_bits must be in 8..26");
  SentenceSplitter rules;  // rules only
  std::vector<ParagraphExamples> paragraphs;
  size_t count = 0;
  std::vector<uint8_t> cls;
  for (const TreebankDocument& td : train) {
    Document doc(td.text, Metadata());
    tokenizer.Tokenize(&doc);
    rules.Split(&doc);
    if (!text::LooksInformal(doc)) continue;  // the model never sees edited text
    std::unordered_set<uint32_t> gold_ends;
    for (const auto& s : td.sentences) gold_ends.insert(s.second);
    std::vector<uint8_t> rule_end(doc.tokens().size(), 0);
    for (const Sentence& s : doc.sentences()) rule_end[s.token_end - 1] = 1;
    for (const Paragraph& p : doc.paragraphs()) {
      const size_t b = p.token_begin, n = p.token_end - p.token_begin;
      text::TokenClasses(doc, b, p.token_end, &cls);
      paragraphs.emplace_back();
      ParagraphExamples& examples = paragraphs.back();
      size_t start = 0;  // gold sentence start
      for (size_t k = 0; k + 1 < n; ++k) {
        bool gold = gold_ends.count(doc.tokens()[b + k].end) > 0;
        bool rule = rule_end[b + k] != 0;
        if (text::IsCandidate(cls.data(), k, n, rule)) {
          Example ex;
          text::BoundaryFeatures(doc, b, cls.data(), k, n, rule, k - start + 1, ex.feats);
          ex.end = gold;
          ex.k = static_cast<uint32_t>(k);
          ex.next_class = k + 1 < n ? cls[k + 1] : 0;
          ex.rule = rule;
          examples.push_back(ex);
          ++count;
        }
        if (gold) start = k + 1;
      }
    }
  }
  if (count == 0) return Status::InvalidArgument("no training examples");

  // Paragraphs are visited in a seeded random order; inside a paragraph,
  // left to right, with the sentence start moved by the model's own
  // decisions, as at prediction time.
  const size_t size = size_t{1} << options.hash_bits;
  const uint64_t mask = size - 1;
  std::vector<float> w(size, 0.0f);
  std::vector<double> total(size, 0.0);
  std::vector<uint64_t> stamp(size, 0);
  uint64_t t = 0;
  std::vector<size_t> order(paragraphs.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(20250309);
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    for (size_t pi : order) {
      size_t start = 0;
      for (Example& ex : paragraphs[pi]) {
        ex.feats[text::kLengthFeature] =
            text::LengthFeature(ex.k - start + 1, ex.next_class, ex.rule);
        ++t;
        float score = 0;
        for (uint64_t f : ex.feats) score += w[f & mask];
        const float y = ex.end ? 1.0f : -1.0f;
        if (y * score <= kMargin) {
          for (uint64_t f : ex.feats) {
            size_t i = f & mask;
            total[i] += static_cast<double>(t - stamp[i]) * w[i];
            stamp[i] = t;
            w[i] += y;
          }
        }
        if (score > 0) start = ex.k + 1;
      }
    }
  }
  // Averaged weights.
  std::string payload(8 + size * sizeof(float), '\0');
  uint32_t bits = static_cast<uint32_t>(options.hash_bits);
  std::memcpy(payload.data(), &bits, 4);
  float* out = reinterpret_cast<float*>(payload.data() + 8);
  for (size_t i = 0; i < size; ++i) {
    double tot = total[i] + static_cast<double>(t - stamp[i]) * w[i];
    out[i] = static_cast<float>(tot / static_cast<double>(t));
  }
  return model::WriteModelFile(out_path, text::kBoundaryModelKind, text::kBoundaryModelVersion,
                               meta_json, payload);
}

}  // namespace sitrep
