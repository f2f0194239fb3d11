// The statistical half of sentence splitting: token classes, candidate
// positions and features of a sentence-boundary decision, and the model that
// scores them. Shared by SentenceSplitter (predict) and the trainer.
//
// A decision is made for the boundary after token i of a paragraph. The
// rules' decision there is itself a feature, so the model learns where to
// keep and where to override them.
#ifndef SITREP_SRC_TEXT_BOUNDARY_H_
#define SITREP_SRC_TEXT_BOUNDARY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/model_file.h"
#include "sitrep/document.h"
#include "sitrep/status.h"

namespace sitrep::text {

inline constexpr const char* kBoundaryModelKind = "segmenter";
inline constexpr uint32_t kBoundaryModelVersion = 1;
inline constexpr int kBoundaryFeatureCount = 17;

// Whether the rules' segmentation of `doc` (its sentences and paragraphs)
// looks like informal text: many sentences opening in lower case or many
// paragraphs without final punctuation (mail, chat, forums). Only such
// documents are reviewed by the model, which is trained on them alone;
// edited text (news, reports) is split best by the rules.
bool LooksInformal(const Document& doc);

// Coarse token classes (< 32).
enum BoundaryClass : uint8_t {
  kPad = 0, kPeriod, kExclQuest, kEllipsis, kComma, kColon, kSemicolon, kDash, kOpenQuote,
  kCloseQuote, kQuoteMark, kOpenBracket, kCloseBracket, kAbbrev, kNumber, kTime, kDate,
  kLower, kCapitalized, kAllCaps, kSingleCap, kPronounI, kUrlEmail, kSymbol, kEmoticon,
  kOtherPunct, kMixedAlnum, kOtherWord
};

// Fills (*cls)[k] with the class of token b + k, for k in [0, e - b).
void TokenClasses(const Document& doc, size_t b, size_t e, std::vector<uint8_t>* cls);

// Whether the boundary after paragraph-relative token k (of n) is scored:
// where the rules end a sentence, after sentence-final or clause-final marks,
// and before tokens that can open a sentence.
bool IsCandidate(const uint8_t* cls, size_t k, size_t n, bool rule_end);

// Feature hashes for the boundary after paragraph-relative token k.
// `since_start` is the number of tokens since the current sentence started.
void BoundaryFeatures(const Document& doc, size_t b, const uint8_t* cls, size_t k, size_t n,
                      bool rule_end, size_t since_start, uint64_t* out);

// The feature (index kLengthFeature) that depends on the sentence so far:
// recomputed during training as the model's own decisions move the start.
inline constexpr int kLengthFeature = 10;
uint64_t LengthFeature(size_t since_start, uint64_t next_class, bool rule_end);

// A trained linear model over hashed features: weights[hash & mask].
class BoundaryModel {
 public:
  static Result<std::shared_ptr<const BoundaryModel>> Load(const std::string& path);
  // A model over caller-owned weights (2^bits floats), for training and tests.
  BoundaryModel(const float* weights, int bits) : w_(weights), mask_((uint64_t{1} << bits) - 1) {}

  float Score(const uint64_t* feats) const {
    float s = 0;
    for (int f = 0; f < kBoundaryFeatureCount; ++f) s += w_[feats[f] & mask_];
    return s;
  }
  std::string_view meta() const { return file_ ? file_->meta() : std::string_view(); }

 private:
  std::unique_ptr<model::ModelFile> file_;
  const float* w_;
  uint64_t mask_;
};

}  // namespace sitrep::text

#endif  // SITREP_SRC_TEXT_BOUNDARY_H_
