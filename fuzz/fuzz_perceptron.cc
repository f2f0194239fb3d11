// Fuzzes the perceptron weight-table reader (Perceptron::FromPayload), the
// part of a model file that is read in place: a malformed table is an error
// value, and a table it accepts can be scored on any feature without an
// out-of-bounds read.
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "model/perceptron.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<uint64_t> aligned((size + 7) / 8);
  if (size > 0) std::memcpy(aligned.data(), data, size);
  const std::string_view payload(reinterpret_cast<const char*>(aligned.data()), size);
  auto p = sitrep::model::Perceptron::FromPayload(payload);
  if (!p.ok()) return 0;
  // Features named by the input's bytes, and the ones every slot points at
  // (their fingerprints are the slots' first words: try the features whose
  // hash lands in each of the first slots).
  std::vector<uint64_t> feats;
  for (size_t i = 0; i + 8 <= size && feats.size() < 64; i += 8) feats.push_back(aligned[i / 8]);
  for (uint64_t k = 0; k < 64; ++k) feats.push_back(sitrep::model::FeatureHash(1, k));
  std::vector<float> scores(p->padded_classes());
  p->ClearScores(scores.data());
  p->Score(feats.data(), feats.size(), scores.data());
  std::vector<sitrep::model::Perceptron::Ref> refs;
  for (uint64_t f : feats) refs.push_back(p->Find(f));
  sitrep::model::Perceptron::SumScratch scratch;
  p->ClearScores(scores.data());
  p->Sum(refs.data(), refs.size(), scores.data(), &scratch);
  volatile int best = p->Best(scores.data());
  (void)best;
  return 0;
}
