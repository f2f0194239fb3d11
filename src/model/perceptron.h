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

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "sitrep/status.h"

// Marks a function to be compiled for AVX2 as well as for plain x86-64, the
// loader picking one (function multiversioning). For a caller of the
// always-inlined AddRows() / Sum() / Best() below: they then add eight
// classes per instruction. The output is the same: vector adds are IEEE adds
// lane by lane, and AVX2 does not enable FMA, which could fuse the sparse
// weights' multiply and add. Sanitizer builds (GCC says __SANITIZE_ADDRESS__,
// Clang __has_feature) keep one version.
#if defined(__SANITIZE_ADDRESS__)
#define SITREP_ONE_VERSION
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SITREP_ONE_VERSION
#endif
#endif
#if defined(__x86_64__) && defined(__GNUC__) && !defined(SITREP_ONE_VERSION)
#define SITREP_TARGET_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define SITREP_TARGET_CLONES
#endif

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

// Slot fingerprint of a feature hash: its high 32 bits, never 0 (0 marks an
// empty slot).
inline uint32_t Fingerprint(uint64_t h) {
  uint32_t f = static_cast<uint32_t>(h >> 32);
  return f == 0 ? 1 : f;
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
  // For structured (global) training: Tick() advances the clock by one
  // example; Update() adds delta to class cls's weight of every feature in
  // feats[0, count), at the current clock.
  void Tick() { ++t_; }
  void Update(const uint64_t* feats, size_t count, int cls, float delta);
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
  // Adds delta to class cls's weight in *row (created at 0), at the clock.
  void AddToRow(std::vector<Entry>* row, int cls, float delta) const;
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
//
// Scores are float sums, feature by feature in the caller's order; that order
// decides the last bit, and with it near ties, so every way of scoring here
// adds the same products (scale * weight) in the same order per class.
// Features with many weights (kDenseMinWeights or more: the bias, common
// suffixes and tags, which carry most of the work) are expanded at load into
// dense float rows of padded_classes() products (0 for the classes they lack).
class Perceptron {
 public:
  // A feature's weights as found by Find(): 0 when it has none.
  using Ref = uint32_t;
  static constexpr uint32_t kDenseMinWeights = 16;

  Perceptron() = default;
  static Result<Perceptron> FromPayload(std::string_view payload);

  int num_classes() const { return static_cast<int>(n_); }
  // num_classes() rounded up to a multiple of 8.
  size_t padded_classes() const { return stride_; }

  // Adds the weights of `feats` to scores[0..num_classes()).
  void Score(const uint64_t* feats, size_t count, float* scores) const;

  // Scoring in steps, for callers that look features up ahead of use (the
  // tagger): Prefetch(f) for several features, then Find each and
  // PrefetchWeights each; ClearScores(); then the feature's weights as rows
  // of products, added in feature order by AddRows(). A dense feature's row
  // is DenseRow(r) (all zero for r == 0, a feature without weights); a
  // sparse one (IsSparse(r)) is spread into a zeroed row of the caller's, and
  // unspread afterwards to leave it zeroed. Sum() does all of this for one
  // example.
  void Prefetch(uint64_t feat) const { __builtin_prefetch(slots_ + 2 * (feat & mask_)); }
  [[gnu::always_inline]] Ref Find(uint64_t feat) const { return Find(feat, Peek(feat)); }
  // Find in two steps: Peek loads the feature's first slot, Find(feat, peek)
  // decides. Peeking at many features before deciding any keeps their cache
  // misses in flight together: a branch on a slot that is still on its way
  // from memory stops everything after it when mispredicted, and found or
  // not is data no predictor can guess.
  uint64_t Peek(uint64_t feat) const {
    uint64_t slot;
    std::memcpy(&slot, slots_ + 2 * (feat & mask_), 8);
    return slot;
  }
  [[gnu::always_inline]] Ref Find(uint64_t feat, uint64_t peek) const {
    // Linear probing ends at the feature or at an empty slot, mostly the first.
    const uint32_t s = static_cast<uint32_t>(peek);
    if (s == Fingerprint(feat)) return Resolve(static_cast<uint32_t>(peek >> 32));
    if (s == 0) return 0;
    return FindFrom(feat, ((feat & mask_) + 1) & mask_);
  }
  void PrefetchWeights(Ref r) const {
    if (IsSparse(r)) {
      __builtin_prefetch(entries_ + 2 * (r >> 8));
    } else if (r != 0) {
      const float* row = DenseRow(r);
      for (uint32_t k = 0; k < stride_; k += 16) __builtin_prefetch(row + k);
    }
  }
  static bool IsSparse(Ref r) { return (r & 0xFF) != 0; }
  // REQUIRES: !IsSparse(r)
  const float* DenseRow(Ref r) const { return dense_.data() + size_t{r >> 8} * stride_; }
  // The row to add for r: DenseRow(r), or `spread` for a sparse feature.
  const float* RowOf(Ref r, const float* spread) const {
    const float* dense = dense_.data() + size_t{IsSparse(r) ? 0 : r >> 8} * stride_;
    return IsSparse(r) ? spread : dense;
  }
  // Writes a sparse feature's products into row[0, padded_classes()), which
  // is zero; does nothing for a dense or absent feature.
  void Spread(Ref r, float* row) const {
    const uint16_t* e = entries_ + 2 * (r >> 8);
    for (uint32_t q = 0, cnt = r & 0xFF; q < cnt; ++q) row[e[2 * q]] = Product(e + 2 * q);
  }
  // Sets the entries Spread(r, row) wrote back to zero.
  void Unspread(Ref r, float* row) const {
    const uint16_t* e = entries_ + 2 * (r >> 8);
    for (uint32_t q = 0, cnt = r & 0xFF; q < cnt; ++q) row[e[2 * q]] = 0.0f;
  }

  // Sets scores[0, num_classes()) to 0 and the padding up to padded_classes()
  // to -inf, which AddRows() keeps (it adds 0 there) and Best() relies on.
  [[gnu::always_inline]] void ClearScores(float* scores) const {
    std::fill(scores, scores + n_, 0.0f);
    std::fill(scores + n_, scores + stride_, -std::numeric_limits<float>::infinity());
  }

  // scores[0, padded_classes()) += rows[i][0, padded_classes()) for i in
  // [0, k), in that order for every class. Eight classes at a time are summed
  // over all rows in a vector register (one AVX add, or two SSE ones, per
  // row), so scores are stored once instead of once per feature. This,
  // Sum() and Best() are always inlined, so that a caller compiled for AVX2
  // (see src/tag/tagger.cc) runs them with AVX2.
  [[gnu::always_inline]] void AddRows(const float* const* rows, size_t k, float* scores) const {
    // Up to eight blocks of eight classes at once: independent chains of
    // additions keep the adder busy.
    uint32_t c = 0;
    for (; c + 64 <= stride_; c += 64) SumBlocks<8>(rows, k, scores + c, c);
    switch ((stride_ - c) / 8) {
      case 1: SumBlocks<1>(rows, k, scores + c, c); break;
      case 2: SumBlocks<2>(rows, k, scores + c, c); break;
      case 3: SumBlocks<3>(rows, k, scores + c, c); break;
      case 4: SumBlocks<4>(rows, k, scores + c, c); break;
      case 5: SumBlocks<5>(rows, k, scores + c, c); break;
      case 6: SumBlocks<6>(rows, k, scores + c, c); break;
      case 7: SumBlocks<7>(rows, k, scores + c, c); break;
      default: break;
    }
  }

  // Room for the rows Sum() spreads sparse features into; all zero between
  // calls.
  struct SumScratch {
    std::vector<float> rows;
  };
  // Adds the weights of refs[0..count) to scores[0..padded_classes()), in
  // that order for every class.
  [[gnu::always_inline]] void Sum(const Ref* refs, size_t count, float* scores,
                                  SumScratch* scratch) const {
    constexpr size_t kMaxRows = 64;
    const float* rows[kMaxRows];
    if (scratch->rows.size() < kMaxRows * stride_) scratch->rows.assign(kMaxRows * stride_, 0.0f);
    for (size_t b = 0; b < count; b += kMaxRows) {
      const size_t m = std::min(kMaxRows, count - b);
      size_t k = 0;
      for (size_t i = 0; i < m; ++i) {
        const Ref r = refs[b + i];
        float* spread = scratch->rows.data() + i * stride_;
        Spread(r, spread);
        rows[k] = RowOf(r, spread);
        k += r != 0;
      }
      AddRows(rows, k, scores);
      for (size_t i = 0; i < m; ++i) Unspread(refs[b + i], scratch->rows.data() + i * stride_);
    }
  }

  // Index of the first highest of scores[0, num_classes()), as
  // std::max_element gives it, for scores from ClearScores() and Sum(). Eight
  // lanes keep the highest score they saw and where they first saw it; the
  // lowest such position among the lanes holding the overall highest wins.
  [[gnu::always_inline]] int Best(const float* scores) const {
    typedef int32_t Index __attribute__((vector_size(32)));
    Lanes m, x;
    Index at = {0, 1, 2, 3, 4, 5, 6, 7}, pos = at;
    const Index step = {8, 8, 8, 8, 8, 8, 8, 8};
    std::memcpy(&m, scores, sizeof m);
    for (uint32_t c = 8; c < stride_; c += 8) {
      std::memcpy(&x, scores + c, sizeof x);
      pos += step;
      const Index higher = x > m;
      m = higher ? x : m;
      at = higher ? pos : at;
    }
    int best = at[0];
    float high = m[0];
    for (int k = 1; k < 8; ++k) {
      const bool take = m[k] > high || (m[k] == high && at[k] < best);
      best = take ? at[k] : best;
      high = take ? m[k] : high;
    }
    return best;
  }

 private:
  typedef float Lanes __attribute__((vector_size(32)));  // eight classes
  // scores[0, 8 * kBlocks) += rows[i][at, at + 8 * kBlocks) for i in [0, k), in order.
  template <int kBlocks>
  [[gnu::always_inline]] static void SumBlocks(const float* const* rows, size_t k, float* scores,
                                               uint32_t at) {
    Lanes acc[kBlocks], x;
    for (int b = 0; b < kBlocks; ++b) std::memcpy(&acc[b], scores + 8 * b, sizeof x);
    for (size_t i = 0; i < k; ++i) {
      for (int b = 0; b < kBlocks; ++b) {
        std::memcpy(&x, rows[i] + at + 8 * b, sizeof x);
        acc[b] += x;
      }
    }
    for (int b = 0; b < kBlocks; ++b) std::memcpy(scores + 8 * b, &acc[b], sizeof x);
  }
  float Product(const uint16_t* entry) const {
    return scale_ * static_cast<float>(static_cast<int16_t>(entry[1]));
  }
  // Ref of a slot's value (offset << 8 | count): the value itself for sparse
  // entries (count < 16), dense row << 8 for a dense row. Branch-free.
  static_assert((kDenseMinWeights & (kDenseMinWeights - 1)) == 0 && kDenseMinWeights < 256);
  Ref Resolve(uint32_t v) const {
    const Ref dense = dense_of_[std::min((v >> 8) / kDenseMinWeights, last_block_)] << 8;
    return (v & (0xFF & ~(kDenseMinWeights - 1))) != 0 ? dense : v;
  }
  Ref FindFrom(uint64_t feat, size_t i) const;

  uint32_t n_ = 0;
  uint64_t mask_ = 0;
  float scale_ = 1;
  const uint32_t* slots_ = nullptr;
  const uint16_t* entries_ = nullptr;  // pairs: class, weight (as int16)
  // Dense rows: row r at dense_[r * stride_]; row 0 is all zero. The entries
  // of a feature with at least kDenseMinWeights weights are the only ones to
  // start in their block of kDenseMinWeights entries (FromPayload checks), so
  // dense_of_[offset / kDenseMinWeights] is its row.
  uint32_t stride_ = 8;
  std::vector<float> dense_;
  std::vector<uint32_t> dense_of_;
  uint32_t last_block_ = 0;  // dense_of_.size() - 1
};

}  // namespace sitrep::model

#endif  // SITREP_SRC_MODEL_PERCEPTRON_H_
