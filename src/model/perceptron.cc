#include "model/perceptron.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace sitrep::model {

void PerceptronTrainer::Score(const uint64_t* feats, size_t count, float* scores) const {
  for (size_t i = 0; i < count; ++i) {
    auto it = table_.find(feats[i]);
    if (it == table_.end()) continue;
    const float* w = it->second.w.data();
    for (int c = 0; c < n_; ++c) scores[c] += w[c];
  }
}

void PerceptronTrainer::Step(const uint64_t* feats, size_t count, int truth, int guess) {
  ++t_;
  if (truth == guess) return;
  for (size_t i = 0; i < count; ++i) {
    Row& r = table_[feats[i]];
    if (r.w.empty()) {
      r.w.assign(n_, 0.0f);
      r.total.assign(n_, 0.0);
      r.stamp.assign(n_, 0);
    }
    for (int c : {truth, guess}) {
      r.total[c] += static_cast<double>(t_ - r.stamp[c]) * r.w[c];
      r.stamp[c] = t_;
      r.w[c] += c == truth ? 1.0f : -1.0f;
    }
  }
}

Result<std::string> PerceptronTrainer::Serialize(float min_abs_weight) const {
  // Averaged, pruned weights per feature.
  struct Kept {
    uint64_t key;
    std::vector<std::pair<uint16_t, float>> w;
  };
  std::vector<Kept> kept;
  float max_abs = 1e-9f;
  for (const auto& [key, r] : table_) {
    Kept k{key, {}};
    for (int c = 0; c < n_; ++c) {
      double avg = (r.total[c] + static_cast<double>(t_ - r.stamp[c]) * r.w[c]) /
                   static_cast<double>(std::max<uint64_t>(t_, 1));
      if (avg != 0.0 && std::fabs(avg) >= min_abs_weight) {
        k.w.emplace_back(static_cast<uint16_t>(c), static_cast<float>(avg));
        max_abs = std::max(max_abs, static_cast<float>(std::fabs(avg)));
      }
    }
    if (!k.w.empty()) kept.push_back(std::move(k));
  }
  std::sort(kept.begin(), kept.end(), [](const Kept& a, const Kept& b) { return a.key < b.key; });
  uint32_t slots_log2 = 4;
  while ((size_t{1} << slots_log2) < kept.size() * 2) ++slots_log2;
  const size_t slots = size_t{1} << slots_log2;
  const float scale = max_abs / 32767.0f;
  size_t entries = 0;
  for (const Kept& k : kept) entries += std::min<size_t>(k.w.size(), 255);
  if (entries >= (size_t{1} << 24))
    return Status::ResourceExhausted(
        "perceptron has more than 2^24 weights after pruning; raise the pruning threshold");
  std::string out(16 + slots * 8 + entries * 4, '\0');
  uint32_t n = static_cast<uint32_t>(n_), ne = static_cast<uint32_t>(entries);
  std::memcpy(&out[0], &n, 4);
  std::memcpy(&out[4], &slots_log2, 4);
  std::memcpy(&out[8], &scale, 4);
  std::memcpy(&out[12], &ne, 4);
  uint32_t* slot = reinterpret_cast<uint32_t*>(&out[16]);
  uint16_t* ent = reinterpret_cast<uint16_t*>(&out[16 + slots * 8]);
  uint32_t offset = 0;
  for (const Kept& k : kept) {
    size_t i = k.key & (slots - 1);
    while (slot[2 * i] != 0) i = (i + 1) & (slots - 1);
    // More than 255 classes per feature is not supported by the slot layout.
    uint32_t cnt = static_cast<uint32_t>(std::min<size_t>(k.w.size(), 255));
    slot[2 * i] = Fingerprint(k.key);
    slot[2 * i + 1] = (offset << 8) | cnt;
    for (uint32_t j = 0; j < cnt; ++j) {
      ent[2 * (offset + j)] = k.w[j].first;
      int q = static_cast<int>(std::lround(k.w[j].second / scale));
      ent[2 * (offset + j) + 1] = static_cast<uint16_t>(static_cast<int16_t>(q));
    }
    offset += cnt;
  }
  return out;
}

Result<Perceptron> Perceptron::FromPayload(std::string_view payload) {
  if (payload.size() < 16) return Status::Corruption("perceptron payload too short");
  Perceptron p;
  uint32_t slots_log2, ne;
  std::memcpy(&p.n_, payload.data(), 4);
  std::memcpy(&slots_log2, payload.data() + 4, 4);
  std::memcpy(&p.scale_, payload.data() + 8, 4);
  std::memcpy(&ne, payload.data() + 12, 4);
  if (p.n_ == 0 || p.n_ > 65535 || slots_log2 > 30)
    return Status::Corruption("perceptron payload header is invalid");
  size_t slots = size_t{1} << slots_log2;
  if (payload.size() != 16 + slots * 8 + size_t{ne} * 4)
    return Status::Corruption("perceptron payload size does not match its header");
  p.mask_ = slots - 1;
  p.slots_ = reinterpret_cast<const uint32_t*>(payload.data() + 16);
  p.entries_ = reinterpret_cast<const uint16_t*>(payload.data() + 16 + slots * 8);
  // Every slot must point inside the entries and at distinct valid classes
  // (Serialize writes each class once per feature), and one slot must be
  // empty for a lookup of an absent feature to end.
  std::vector<uint32_t> heavy;  // slot values with kDenseMinWeights weights or more
  std::vector<uint8_t> seen(p.n_);
  bool any_empty = false;
  for (size_t i = 0; i < slots; ++i) {
    if (p.slots_[2 * i] == 0) {
      any_empty = true;
      continue;
    }
    const uint32_t v = p.slots_[2 * i + 1], off = v >> 8, cnt = v & 0xFF;
    if (cnt == 0) return Status::Corruption("perceptron slot has no weights");
    if (size_t{off} + cnt > ne) return Status::Corruption("perceptron slot points past its entries");
    const uint16_t* e = p.entries_ + 2 * size_t{off};
    bool twice = false;
    for (uint32_t j = 0; j < cnt; ++j) {
      if (e[2 * j] >= p.n_) return Status::Corruption("perceptron entry names a class out of range");
      twice |= seen[e[2 * j]]++ != 0;
    }
    for (uint32_t j = 0; j < cnt; ++j) seen[e[2 * j]] = 0;
    if (twice) return Status::Corruption("perceptron feature names a class twice");
    if (cnt >= kDenseMinWeights) heavy.push_back(v);
  }
  if (!any_empty) return Status::Corruption("perceptron slot table has no empty slot");

  // Dense rows. In a file Serialize wrote, features' entries do not overlap,
  // so every heavy feature has a block of entries to itself.
  std::sort(heavy.begin(), heavy.end());
  heavy.erase(std::unique(heavy.begin(), heavy.end()), heavy.end());
  auto block = [](uint32_t v) { return (v >> 8) / kDenseMinWeights; };
  for (size_t i = 1; i < heavy.size(); ++i)
    if (block(heavy[i]) == block(heavy[i - 1]))
      return Status::Corruption("perceptron features share their weights");
  p.stride_ = (p.n_ + 7) & ~uint32_t{7};
  p.dense_.assign((heavy.size() + 1) * p.stride_, 0.0f);
  p.dense_of_.assign(heavy.empty() ? 1 : block(heavy.back()) + 1, 0);
  p.last_block_ = static_cast<uint32_t>(p.dense_of_.size() - 1);
  for (uint32_t r = 0; r < heavy.size(); ++r) {
    const uint32_t v = heavy[r];
    const uint16_t* e = p.entries_ + 2 * size_t{v >> 8};
    float* row = p.dense_.data() + size_t{r + 1} * p.stride_;
    for (uint32_t j = 0; j < (v & 0xFF); ++j) row[e[2 * j]] = p.Product(e + 2 * j);
    p.dense_of_[block(v)] = r + 1;  // < 2^20: offsets have 24 bits
  }
  return p;
}

Perceptron::Ref Perceptron::FindFrom(uint64_t feat, size_t i) const {
  const uint32_t fp = Fingerprint(feat);
  for (;; i = (i + 1) & mask_) {
    const uint32_t s = slots_[2 * i];
    if (s == fp) return Resolve(slots_[2 * i + 1]);
    if (s == 0) return 0;
  }
}

void Perceptron::Score(const uint64_t* feats, size_t count, float* scores) const {
  for (size_t f = 0; f < count; ++f) {
    const Ref r = Find(feats[f]);
    if (r & 0xFF) {
      const uint16_t* e = entries_ + 2 * (r >> 8);
      for (uint32_t j = 0, cnt = r & 0xFF; j < cnt; ++j) scores[e[2 * j]] += Product(e + 2 * j);
    } else if (r != 0) {
      const float* row = DenseRow(r);
      for (uint32_t c = 0; c < n_; ++c) scores[c] += row[c];
    }
  }
}

}  // namespace sitrep::model
