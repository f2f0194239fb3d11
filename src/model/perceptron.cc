#include "model/perceptron.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace sitrep::model {

namespace {
inline uint64_t NonZero(uint64_t k) { return k == 0 ? 0x9E3779B97F4A7C15ull : k; }
}  // namespace

int64_t PerceptronTrainer::Find(uint64_t key) const {
  if (keys_.empty()) return -1;
  key = NonZero(key);
  const size_t mask = keys_.size() - 1;
  for (size_t i = key & mask;; i = (i + 1) & mask) {
    if (keys_[i] == key) return index_[i];
    if (keys_[i] == 0) return -1;
  }
}

uint32_t PerceptronTrainer::FindOrAdd(uint64_t key) {
  key = NonZero(key);
  if ((rows_.size() + 1) * 2 > keys_.size()) {
    std::vector<uint64_t> old_keys = std::move(keys_);
    std::vector<uint32_t> old_index = std::move(index_);
    size_t cap = std::max<size_t>(1024, old_keys.size() * 2);
    keys_.assign(cap, 0);
    index_.assign(cap, 0);
    for (size_t j = 0; j < old_keys.size(); ++j) {
      if (old_keys[j] == 0) continue;
      size_t i = old_keys[j] & (cap - 1);
      while (keys_[i] != 0) i = (i + 1) & (cap - 1);
      keys_[i] = old_keys[j];
      index_[i] = old_index[j];
    }
  }
  const size_t mask = keys_.size() - 1;
  size_t i = key & mask;
  for (; keys_[i] != 0; i = (i + 1) & mask)
    if (keys_[i] == key) return index_[i];
  keys_[i] = key;
  index_[i] = static_cast<uint32_t>(rows_.size());
  rows_.emplace_back();
  return index_[i];
}

void PerceptronTrainer::Score(const uint64_t* feats, size_t count, float* scores) const {
  for (size_t i = 0; i < count; ++i) {
    int64_t r = Find(feats[i]);
    if (r < 0) continue;
    for (const Entry& e : rows_[r]) scores[e.cls] += e.w;
  }
}

void PerceptronTrainer::AddToRow(std::vector<Entry>* row, int cls, float delta) const {
  auto it = std::find_if(row->begin(), row->end(),
                         [cls](const Entry& e) { return e.cls == static_cast<uint32_t>(cls); });
  if (it == row->end()) {
    row->push_back({static_cast<uint32_t>(cls), 0.0f, 0.0});
    it = row->end() - 1;
  }
  it->w += delta;
  it->u += static_cast<double>(t_) * delta;
}

void PerceptronTrainer::Update(const uint64_t* feats, size_t count, int cls, float delta) {
  for (size_t i = 0; i < count; ++i) AddToRow(&rows_[FindOrAdd(feats[i])], cls, delta);
}

void PerceptronTrainer::Step(const uint64_t* feats, size_t count, int truth, int guess) {
  ++t_;
  if (truth == guess) return;
  for (size_t i = 0; i < count; ++i) {
    std::vector<Entry>& row = rows_[FindOrAdd(feats[i])];
    AddToRow(&row, truth, 1.0f);
    AddToRow(&row, guess, -1.0f);
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
  const double t = static_cast<double>(std::max<uint64_t>(t_, 1));
  for (size_t j = 0; j < keys_.size(); ++j) {
    if (keys_[j] == 0) continue;
    Kept k{keys_[j] == 0x9E3779B97F4A7C15ull ? 0 : keys_[j], {}};
    std::vector<Entry> row = rows_[index_[j]];
    std::sort(row.begin(), row.end(), [](const Entry& a, const Entry& b) { return a.cls < b.cls; });
    for (const Entry& e : row) {
      double avg = e.w - e.u / t;
      if (avg != 0.0 && std::fabs(avg) >= min_abs_weight) {
        k.w.emplace_back(static_cast<uint16_t>(e.cls), static_cast<float>(avg));
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
  // empty for a lookup of an absent feature to end. The slots are read in
  // order and the weight count of each noted where its entries start; the
  // entries are then checked in order too (slot order is random in the
  // entries: reading them by slot would be a cache miss each).
  std::vector<uint32_t> heavy;  // slot values with kDenseMinWeights weights or more
  std::vector<uint8_t> starts(size_t{ne} + 1, 0);  // count of the run starting at each entry
  bool any_empty = false;
  size_t features = 0;
  for (size_t i = 0; i < slots; ++i) {
    if (p.slots_[2 * i] == 0) {
      any_empty = true;
      continue;
    }
    const uint32_t v = p.slots_[2 * i + 1], off = v >> 8, cnt = v & 0xFF;
    if (cnt == 0) return Status::Corruption("perceptron slot has no weights");
    if (size_t{off} + cnt > ne) return Status::Corruption("perceptron slot points past its entries");
    starts[off] = static_cast<uint8_t>(cnt);  // written, not read: no wait on a cache miss
    ++features;
    if (cnt >= kDenseMinWeights) heavy.push_back(v);
  }
  std::vector<uint8_t> seen(p.n_);
  size_t runs = 0;  // fewer than features when two slots start at one entry
  for (size_t off = 0; off < ne; ++off) {
    const uint32_t cnt = starts[off];
    if (cnt == 0) continue;
    ++runs;
    const uint16_t* e = p.entries_ + 2 * off;
    bool twice = false;
    for (uint32_t j = 0; j < cnt; ++j) {
      if (j > 0 && starts[off + j] != 0)
        return Status::Corruption("perceptron features share their weights");
      if (e[2 * j] >= p.n_) return Status::Corruption("perceptron entry names a class out of range");
      twice |= seen[e[2 * j]]++ != 0;
    }
    for (uint32_t j = 0; j < cnt; ++j) seen[e[2 * j]] = 0;
    if (twice) return Status::Corruption("perceptron feature names a class twice");
  }
  if (runs != features) return Status::Corruption("perceptron features share their weights");
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
