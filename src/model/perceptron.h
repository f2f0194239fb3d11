// Multiclass averaged perceptron over hashed sparse features: the learner of
// sitrep's tagger (and, later, parser and NER).
//
// Training (PerceptronTrainer) keeps dense per-feature class weights with lazy
// averaging. Serialize() writes the averaged weights pruned (|w| below a
// threshold dropped) and quantized to int16 into a compact payload that
// Perceptron reads in place (e.g. from a memory-mapped model file):
//
//   header   u32 num_classes, u32 slots_log2, f32 scale, u32 num_entries
//   slots    2^slots_log2 x {u32 fingerprint, u32 (offset << 8 | count)}
//   entries  num_entries x {u16 class, i16 weight}
//
// A feature is found by open addressing on its 64-bit hash: slot index from
// the low bits, fingerprint from the high 32 bits (0 marks an empty slot).
#ifndef SITREP_SRC_MODEL_PERCEPTRON_H_
#define SITREP_SRC_MODEL_PERCEPTRON_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sitrep/status.h"

namespace sitrep::model {

// Hash of a feature template id and up to three values.
inline uint64_t FeatureHash(uint64_t t, uint64_t a, uint64_t b = 0, uint64_t c = 0) {
  uint64_t h = (t << 56) ^ (a * 0x9E3779B97F4A7C15ull) ^ (b * 0xC2B2AE3D27D4EB4Full) ^
               (c * 0x165667B19E3779F9ull);
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ull;
  h ^= h >> 29;
  return h;
}

class PerceptronTrainer {
 public:
  explicit PerceptronTrainer(int num_classes) : n_(num_classes) {}

  int num_classes() const { return n_; }
  // Adds the current (not averaged) weights of `feats` to scores[0..n).
  void Score(const uint64_t* feats, size_t count, float* scores) const;
  // One training step: the clock advances; if guess != truth, truth's weights
  // go up and guess's down by one for every feature.
  void Step(const uint64_t* feats, size_t count, int truth, int guess);
  // Averaged weights, pruned (zero weights and those below min_abs_weight
  // in magnitude are dropped) and quantized (see the file comment). Fails
  // when more than 2^24 weights remain.
  Result<std::string> Serialize(float min_abs_weight) const;
  size_t num_features() const { return rows_.size(); }

 private:
  // Weights of one (feature, class) pair. Only pairs ever updated exist, so
  // rows stay short. Averaging: an update of d at time t adds d to w and
  // t*d to u; the average over T steps is w - u / T.
  struct Entry {
    uint32_t cls;
    float w;
    double u;
  };
  // Row index of a feature, or -1.
  int64_t Find(uint64_t key) const;
  // Row index of a feature, created empty when missing.
  uint32_t FindOrAdd(uint64_t key);

  int n_;
  uint64_t t_ = 0;
  // Open addressing: keys_[i] == 0 marks an empty slot (key 0 is remapped).
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> index_;
  std::vector<std::vector<Entry>> rows_;
};

// Read-only view of a serialized perceptron; the payload must outlive it and
// be 4-byte aligned. Safe to share across threads.
class Perceptron {
 public:
  Perceptron() = default;
  static Result<Perceptron> FromPayload(std::string_view payload);

  int num_classes() const { return static_cast<int>(n_); }
  // Adds the weights of `feats` to scores[0..num_classes()).
  void Score(const uint64_t* feats, size_t count, float* scores) const;

 private:
  uint32_t n_ = 0;
  uint64_t mask_ = 0;
  float scale_ = 1;
  const uint32_t* slots_ = nullptr;
  const uint16_t* entries_ = nullptr;  // pairs: class, weight (as int16)
};

}  // namespace sitrep::model

#endif  // SITREP_SRC_MODEL_PERCEPTRON_H_
