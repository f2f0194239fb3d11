#include "sitrep/tagger.h"

#include "text/xxh3_inline.h"  // first: it defines XXH_INLINE_ALL

#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <span>
#include <unordered_map>
#include <utility>

#include "model/model_file.h"
#include "model/perceptron.h"
#include "tag/affixes.h"

namespace sitrep {

namespace {

using model::FeatureHash;

constexpr const char* kTaggerKind = "tagger";
constexpr uint32_t kTaggerVersion = 2;  // 2: second pass with right-context tags
constexpr int kNumFeatures1 = 35;  // first pass: left context only
constexpr int kNumFeatures2 = 39;  // second pass: plus the first pass's tags to the right
constexpr int kFolds = 5;          // jackknife folds for the second pass's training input
constexpr size_t kMaxSuffix = 5;  // bytes of suffix the lemma rules look at

// Per-token values the features read, computed once per sentence.
struct Lex {
  uint64_t norm = 0, shape = 0;
  uint64_t suf[4] = {0, 0, 0, 0};  // hashes of the last 1..4 bytes, lower-cased
  uint64_t pre[2] = {0, 0};        // of the first 1..2 bytes
  uint64_t raw = 0;                // the form as written (case kept)
  uint64_t pre3 = 0;               // first 3 bytes, lower-cased
  uint64_t amb = 0;                // ambiguity class: the tags seen with the word
};

// NormId(s), inlined: the tagger hashes about ten short strings per token.
inline uint64_t Id(std::string_view s) { return XXH3_64bits(s.data(), s.size()); }

// Boundary values for positions outside the sentence.
constexpr uint64_t kPadNorm = 0x5A17A5EDull, kPadTag = 0xFFFF;

inline char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// Fills out[0, e - b) for tokens [b, e) of `doc`; amb(norm) gives a normalized
// form's ambiguity class (0 when unknown).
template <typename AmbiguityFn>
void ComputeLex(const Document& doc, size_t b, size_t e, const AmbiguityFn& amb, Lex* out) {
  for (size_t i = b; i < e; ++i) {
    Lex& x = out[i - b];
    const Token& t = doc.tokens()[i];
    x.norm = t.norm;
    x.shape = t.shape;
    x.amb = amb(t.norm);
    std::string_view s = doc.token_text(i);
    x.raw = Id(s) ^ 0x7A11ull;
    uint64_t pre[3];
    AffixIds(s, x.suf, pre);
    x.pre[0] = pre[0];
    x.pre[1] = pre[1];
    x.pre3 = pre[2];
  }
}

// Features of token k of a sentence of n tokens are f[0, kNumFeatures1), and
// in the second pass f[0, kNumFeatures2), which add the first pass's tags of
// the tokens to the right (`right`). Those in kTagFeatures read the tags
// already chosen to the left (t1, t2) and are known only while decoding; the
// others (LexFeatures, RightFeatures) are known for the whole sentence before.
constexpr int kTagFeatures1[] = {15, 16, 17, 18, 24, 25, 31, 34};
constexpr int kTagFeatures2[] = {15, 16, 17, 18, 24, 25, 31, 34, 38};
constexpr bool IsTagFeature(int f) {
  for (int t : kTagFeatures2)
    if (t == f) return true;
  return false;
}

void LexFeatures(const Lex* lex, size_t n, size_t k, uint64_t* f) {
  const Lex& w = lex[k];
  uint64_t wp = k > 0 ? lex[k - 1].norm : kPadNorm;
  uint64_t wpp = k > 1 ? lex[k - 2].norm : kPadNorm;
  uint64_t wn = k + 1 < n ? lex[k + 1].norm : kPadNorm;
  uint64_t wnn = k + 2 < n ? lex[k + 2].norm : kPadNorm;
  uint64_t sp = k > 0 ? lex[k - 1].suf[2] : kPadNorm;
  uint64_t sn = k + 1 < n ? lex[k + 1].suf[2] : kPadNorm;
  uint64_t shp = k > 0 ? lex[k - 1].shape : kPadNorm;
  uint64_t shn = k + 1 < n ? lex[k + 1].shape : kPadNorm;
  f[0] = FeatureHash(0, 1);
  f[1] = FeatureHash(1, w.norm);
  f[2] = FeatureHash(2, w.suf[0]);
  f[3] = FeatureHash(3, w.suf[1]);
  f[4] = FeatureHash(4, w.suf[2]);
  f[5] = FeatureHash(5, w.suf[3]);
  f[6] = FeatureHash(6, w.pre[0]);
  f[7] = FeatureHash(7, w.pre[1]);
  f[8] = FeatureHash(8, w.shape);
  f[9] = FeatureHash(9, wp);
  f[10] = FeatureHash(10, wn);
  f[11] = FeatureHash(11, wpp);
  f[12] = FeatureHash(12, wnn);
  f[13] = FeatureHash(13, sp);
  f[14] = FeatureHash(14, sn);
  f[19] = FeatureHash(19, w.norm, wn);
  f[20] = FeatureHash(20, wp, w.norm);
  f[21] = FeatureHash(21, shn);
  f[22] = FeatureHash(22, shp);
  f[23] = FeatureHash(23, k == 0 ? 1 : 0, w.shape);
  f[26] = FeatureHash(26, w.suf[2], wn);
  f[27] = FeatureHash(27, wp, w.suf[2]);
  f[28] = FeatureHash(28, k + 1 < n ? lex[k + 1].suf[2] : kPadNorm, w.norm);
  f[29] = FeatureHash(29, w.raw);
  f[30] = FeatureHash(30, w.pre3);
  f[32] = FeatureHash(32, w.amb);
  f[33] = FeatureHash(33, k + 1 < n ? lex[k + 1].amb : kPadNorm);
}

void RightFeatures(const Lex* lex, size_t n, size_t k, const int* right, uint64_t* f) {
  uint64_t r1 = k + 1 < n ? static_cast<uint64_t>(right[k + 1]) : kPadTag;
  uint64_t r2 = k + 2 < n ? static_cast<uint64_t>(right[k + 2]) : kPadTag;
  f[35] = FeatureHash(35, r1);
  f[36] = FeatureHash(36, r1, r2);
  f[37] = FeatureHash(37, r1, lex[k].norm);
}

void TagFeatures(const Lex* lex, size_t n, size_t k, uint64_t t1, uint64_t t2, const int* right,
                 uint64_t* f) {
  const Lex& w = lex[k];
  uint64_t wn = k + 1 < n ? lex[k + 1].norm : kPadNorm;
  f[15] = FeatureHash(15, t1);
  f[16] = FeatureHash(16, t2);
  f[17] = FeatureHash(17, t1, t2);
  f[18] = FeatureHash(18, t1, w.norm);
  f[24] = FeatureHash(24, t1, w.suf[2]);
  f[25] = FeatureHash(25, t1, wn);
  f[31] = FeatureHash(31, t1, w.raw);
  f[34] = FeatureHash(34, t1, w.amb);
  if (right) {
    uint64_t r1 = k + 1 < n ? static_cast<uint64_t>(right[k + 1]) : kPadTag;
    f[38] = FeatureHash(38, t1, r1);
  }
}

// All features of token k (for training).
void Features(const std::vector<Lex>& lex, size_t k, uint64_t t1, uint64_t t2, const int* right,
              uint64_t* f) {
  LexFeatures(lex.data(), lex.size(), k, f);
  if (right) RightFeatures(lex.data(), lex.size(), k, right, f);
  TagFeatures(lex.data(), lex.size(), k, t1, t2, right, f);
}

// The features of a pass: those known before decoding (LexFeatures, and
// RightFeatures in the second pass) and those that read the previous tags.
template <bool kRight>
struct PassFeatures {
  static constexpr int kCount = kRight ? kNumFeatures2 : kNumFeatures1;
  static constexpr std::span<const int> kTag =
      kRight ? std::span<const int>(kTagFeatures2) : std::span<const int>(kTagFeatures1);
  static constexpr auto kKnown = [] {
    std::array<int, kCount - kTag.size()> known{};
    for (int f = 0, k = 0; f < kCount; ++f)
      if (!IsTagFeature(f)) known[k++] = f;
    return known;
  }();
  // Features [0, kPrefix) are all known in advance.
  static constexpr int kPrefix = 15;
  static_assert(kTag[0] == kPrefix);
};

// Zeroed rows Decode spreads sparse features into: two sets of
// kNumFeatures2 rows for the known features (this token's and the next's),
// one for the tag features.
struct SpreadRows {
  std::vector<float> rows;
  float* Get(size_t padded_classes) {
    if (rows.size() < 3 * kNumFeatures2 * padded_classes)
      rows.assign(3 * kNumFeatures2 * padded_classes, 0.0f);
    return rows.data();
  }
};

// Greedy left-to-right decoding of the n tokens of a sentence with `p`; the
// second pass (kRight) reads the first pass's tags in `right`. feats[k *
// kNumFeatures2 + f] holds the features of token k known in advance; Decode
// adds the tag features. `scores` has room for p.padded_classes() floats.
//
// Scores add each feature's weights in feature order, as training did, so
// the sums are the same to the last bit. Only the tag features wait for the
// previous token's decision; the others are looked up a chunk of tokens
// ahead, with prefetches, and their rows prepared a token ahead. While the
// tag features' weights come from memory, the token's first features (all
// known in advance) are summed and the next token's rows prepared.
template <bool kRight>
[[gnu::always_inline]] inline void Decode(const model::Perceptron& p, const Lex* lex, size_t n,
                                          const int* right, uint64_t* feats, float* scores,
                                          SpreadRows* spread, int* out) {
  using Ref = model::Perceptron::Ref;
  using F = PassFeatures<kRight>;
  constexpr size_t kChunk = 16, kAhead = 4;  // tokens
  const size_t stride = p.padded_classes();
  float* const known_rows[2] = {spread->Get(stride), spread->Get(stride) + kNumFeatures2 * stride};
  float* const tag_rows = spread->Get(stride) + 2 * kNumFeatures2 * stride;
  Ref refs[kChunk][kNumFeatures2];
  const float* rows[2][kNumFeatures2];  // what token j adds, at rows[j % 2]
  // (Lambdas are not compiled for the caller's target unless inlined.)
  // Sparse features take the next free spread row, so that the few in use
  // stay in the L1 cache.
  auto prepare = [&](size_t j) __attribute__((always_inline)) {
    float* row = known_rows[j % 2];
    for (int f : F::kKnown) {
      const Ref r = refs[j][f];
      p.Spread(r, row);
      rows[j % 2][f] = p.RowOf(r, row);
      row += model::Perceptron::IsSparse(r) ? stride : 0;
    }
  };
  auto unprepare = [&](size_t j) __attribute__((always_inline)) {
    float* row = known_rows[j % 2];
    for (int f : F::kKnown) {
      const Ref r = refs[j][f];
      p.Unspread(r, row);
      row += model::Perceptron::IsSparse(r) ? stride : 0;
    }
  };
  auto add = [&](size_t j, int from, int to) __attribute__((always_inline)) {
    const float* list[kNumFeatures2];
    size_t k = 0;
    for (int f = from; f < to; ++f) {
      list[k] = rows[j % 2][f];
      k += refs[j][f] != 0;
    }
    p.AddRows(list, k, scores);
  };
  uint64_t t1 = kPadTag, t2 = kPadTag;
  for (size_t c0 = 0; c0 < n; c0 += kChunk) {
    const size_t m = std::min(kChunk, n - c0);
    uint64_t* fc = feats + c0 * kNumFeatures2;
    for (size_t j = 0; j < std::min(kAhead, m); ++j)
      for (int f : F::kKnown) p.Prefetch(fc[j * kNumFeatures2 + f]);
    uint64_t peeks[kChunk][kNumFeatures2];
    for (size_t j = 0; j < m; ++j) {
      if (j + kAhead < m)
        for (int f : F::kKnown) p.Prefetch(fc[(j + kAhead) * kNumFeatures2 + f]);
      for (int f : F::kKnown) peeks[j][f] = p.Peek(fc[j * kNumFeatures2 + f]);
    }
    for (size_t j = 0; j < m; ++j)
      for (int f : F::kKnown) refs[j][f] = p.Find(fc[j * kNumFeatures2 + f], peeks[j][f]);
    for (size_t j = 0; j < std::min<size_t>(2, m); ++j)
      for (int f : F::kKnown) p.PrefetchWeights(refs[j][f]);
    prepare(0);
    for (size_t j = 0; j < m; ++j) {
      uint64_t* f = fc + j * kNumFeatures2;
      TagFeatures(lex, n, c0 + j, t1, t2, kRight ? right : nullptr, f);
      for (int t : F::kTag) p.Prefetch(f[t]);
      p.ClearScores(scores);
      add(j, 0, F::kPrefix);
      for (int t : F::kTag) {
        refs[j][t] = p.Find(f[t]);
        p.PrefetchWeights(refs[j][t]);
      }
      if (j + 2 < m)
        for (int g : F::kKnown) p.PrefetchWeights(refs[j + 2][g]);
      if (j + 1 < m) prepare(j + 1);
      float* row = tag_rows;
      for (int t : F::kTag) {
        p.Spread(refs[j][t], row);
        rows[j % 2][t] = p.RowOf(refs[j][t], row);
        row += model::Perceptron::IsSparse(refs[j][t]) ? stride : 0;
      }
      add(j, F::kPrefix, F::kCount);
      const int best = p.Best(scores);
      row = tag_rows;
      for (int t : F::kTag) {
        p.Unspread(refs[j][t], row);
        row += model::Perceptron::IsSparse(refs[j][t]) ? stride : 0;
      }
      unprepare(j);
      out[c0 + j] = best;
      t2 = t1;
      t1 = static_cast<uint64_t>(best);
    }
  }
}

// Tags the n tokens of a sentence: lexical values into lex, both passes
// (first pass into first, second into out). feats has room for n *
// kNumFeatures2 hashes, scores for p.padded_classes() floats.
template <typename AmbiguityFn>
[[gnu::always_inline]] inline void TagSentence(const model::Perceptron& p1,
                                               const model::Perceptron& p2,
                                               const Document& doc, const Sentence& s,
                                               const AmbiguityFn& amb, Lex* lex,
                                               uint64_t* feats, float* scores,
                                               SpreadRows* spread, int* first, int* out) {
  const size_t n = s.token_end - s.token_begin;
  ComputeLex(doc, s.token_begin, s.token_end, amb, lex);
  for (size_t k = 0; k < n; ++k) LexFeatures(lex, n, k, feats + k * kNumFeatures2);
  Decode<false>(p1, lex, n, nullptr, feats, scores, spread, first);
  for (size_t k = 0; k < n; ++k) RightFeatures(lex, n, k, first, feats + k * kNumFeatures2);
  Decode<true>(p2, lex, n, first, feats, scores, spread, out);
}

// ---------------------------------------------------------------------------
// Lemma tables: sorted (key, strip, text) records with a string pool.
//   u32 count, u32 pool_size, count x {u64 key, u32 offset, u16 len, u16 strip}, pool

struct LemmaRecord {
  uint64_t key;
  uint16_t strip;
  std::string text;
};

std::string SerializeTable(std::vector<LemmaRecord> recs) {
  std::sort(recs.begin(), recs.end(),
            [](const LemmaRecord& a, const LemmaRecord& b) { return a.key < b.key; });
  std::string pool;
  std::string head(8 + recs.size() * 16, '\0');
  uint32_t count = static_cast<uint32_t>(recs.size());
  for (size_t i = 0; i < recs.size(); ++i) {
    uint32_t off = static_cast<uint32_t>(pool.size());
    uint16_t len = static_cast<uint16_t>(recs[i].text.size());
    pool += recs[i].text;
    char* r = &head[8 + i * 16];
    std::memcpy(r, &recs[i].key, 8);
    std::memcpy(r + 8, &off, 4);
    std::memcpy(r + 12, &len, 2);
    std::memcpy(r + 14, &recs[i].strip, 2);
  }
  uint32_t pool_size = static_cast<uint32_t>(pool.size());
  std::memcpy(&head[0], &count, 4);
  std::memcpy(&head[4], &pool_size, 4);
  return head + pool;
}

// Read-only view of a serialized lemma table. The records are sorted by key
// for binary search; Init also builds an in-memory hash index over them that
// finds, for every key, the record binary search finds, in one probe or two.
class LemmaTable {
 public:
  Status Init(std::string_view data) {
    if (data.size() < 8) return Status::Corruption("lemma table too short");
    uint32_t pool_size;
    std::memcpy(&count_, data.data(), 4);
    std::memcpy(&pool_size, data.data() + 4, 4);
    if (data.size() != 8 + size_t{count_} * 16 + pool_size)
      return Status::Corruption("lemma table size does not match its header");
    recs_ = data.data() + 8;
    pool_ = std::string_view(data.data() + 8 + size_t{count_} * 16, pool_size);
    for (uint32_t i = 0; i < count_; ++i) {
      Slot r = Record(i);
      if (size_t{r.off} + r.len > pool_size || r.off == kEmpty)
        return Status::Corruption("lemma record out of range");
    }
    size_t size = 2;
    while (size < size_t{count_} + count_ / 2 + 1) size *= 2;
    index_.assign(size, Slot{0, kEmpty, 0, 0});
    mask_ = size - 1;
    for (uint32_t i = 0; i < count_; ++i) {
      const uint64_t key = Record(i).key;
      uint32_t found;
      if (!Search(key, &found)) continue;  // only in an unsorted (damaged) table
      size_t h = Home(key);
      while (index_[h].off != kEmpty && index_[h].key != key) h = (h + 1) & mask_;
      if (index_[h].off == kEmpty) index_[h] = Record(found);
    }
    return Status::Ok();
  }
  // Finds `key`; sets *strip and *text.
  bool Find(uint64_t key, uint16_t* strip, std::string_view* text) const {
    for (size_t h = Home(key);; h = (h + 1) & mask_) {
      const Slot& r = index_[h];
      if (r.off == kEmpty) return false;
      if (r.key == key) {
        *strip = r.strip;
        *text = pool_.substr(r.off, r.len);
        return true;
      }
    }
  }

 private:
  // A record as stored: key, pool offset and length, strip.
  struct Slot {
    uint64_t key;
    uint32_t off;
    uint16_t len, strip;
  };
  static constexpr uint32_t kEmpty = 0xFFFFFFFF;  // no record has this offset (pool < 4 GB)

  Slot Record(uint32_t i) const {
    Slot r;
    std::memcpy(&r.key, recs_ + size_t{i} * 16, 8);
    std::memcpy(&r.off, recs_ + size_t{i} * 16 + 8, 4);
    std::memcpy(&r.len, recs_ + size_t{i} * 16 + 12, 2);
    std::memcpy(&r.strip, recs_ + size_t{i} * 16 + 14, 2);
    return r;
  }
  // Binary search over the sorted records: which record a key names.
  bool Search(uint64_t key, uint32_t* found) const {
    uint32_t lo = 0, hi = count_;
    while (lo < hi) {
      uint32_t mid = (lo + hi) / 2;
      uint64_t k = Record(mid).key;
      if (k < key) {
        lo = mid + 1;
      } else if (k > key) {
        hi = mid;
      } else {
        *found = mid;
        return true;
      }
    }
    return false;
  }
  // Keys are hashes already; the high bits pick the home slot.
  size_t Home(uint64_t key) const { return (key * 0x9E3779B97F4A7C15ull >> 32) & mask_; }

  uint32_t count_ = 0;
  const char* recs_ = nullptr;
  std::string_view pool_;
  std::vector<Slot> index_;
  size_t mask_ = 0;
};

uint64_t ExceptionKey(std::string_view lower, uint8_t xpos) { return Id(lower) ^ (xpos * 0x9E3779B97F4A7C15ull); }
uint64_t RuleKey(std::string_view suffix, uint8_t xpos) {
  return Id(suffix) * 31 + xpos + 0x51ED27ull;
}

// Appends the lemma of `form` to *out: the lower-cased form (case folding,
// curly apostrophes straightened, as NormalForm) changed by the exceptions
// or else the longest matching suffix rule of its XPOS; PROPN keeps the
// form's case. `form` must not point into *out.
void AppendLemma(const LemmaTable& exceptions, const LemmaTable& rules, std::string_view form,
                 Upos upos, uint8_t xpos, std::string* out) {
  const size_t start = out->size();
  AppendNormalForm(form, out);
  const size_t len = out->size() - start;
  const std::string_view lower(out->data() + start, len);  // valid until *out changes
  uint16_t strip;
  std::string_view text;
  if (exceptions.Find(ExceptionKey(lower, xpos), &strip, &text)) {
    out->resize(start);
    out->append(text);
    return;
  }
  if (upos == Upos::kPROPN) {
    out->resize(start);
    out->append(form);
    return;
  }
  for (size_t k = std::min(len, kMaxSuffix);; --k) {
    if (rules.Find(RuleKey(lower.substr(len - k), xpos), &strip, &text) && strip <= len) {
      out->resize(start + len - strip);
      out->append(text);
      return;
    }
    if (k == 0) break;
  }
}

std::string Lemmatize(const LemmaTable& exceptions, const LemmaTable& rules, std::string_view form,
                      Upos upos, uint8_t xpos) {
  std::string lemma;
  AppendLemma(exceptions, rules, form, upos, xpos, &lemma);
  return lemma;
}

// A loaded model; its tables point into the model file.
struct TaggerModel {
  model::Perceptron perceptron;   // first pass
  model::Perceptron perceptron2;  // second pass
  std::vector<std::pair<Upos, uint8_t>> classes;
  LemmaTable exceptions, rules, ambiguity;
};

}  // namespace

// ---------------------------------------------------------------------------

struct Tagger::Impl : TaggerModel {
  std::unique_ptr<model::ModelFile> file;
};

Tagger::Tagger() : impl_(new Impl) {}
Tagger::~Tagger() = default;

Result<std::unique_ptr<Tagger>> Tagger::Load(const std::string& path) {
  auto f = model::ModelFile::Open(path, kTaggerKind, kTaggerVersion);
  if (!f.ok()) return f.status();
  std::unique_ptr<Tagger> t(new Tagger);
  std::string_view blocks[6];
  Status st = model::SplitPayloadBlocks((*f)->payload(), blocks, 6, "tagger");
  if (!st.ok()) return st.WithContext(path);
  // Class names: "UPOS\tXPOS\n" lines.
  std::string_view names = blocks[0];
  while (!names.empty()) {
    size_t nl = names.find('\n');
    std::string_view line = names.substr(0, nl);
    size_t tab = line.find('\t');
    if (tab == std::string_view::npos) return Status::Corruption(path + ": bad tagger class list");
    t->impl_->classes.emplace_back(UposFromName(line.substr(0, tab)),
                                   XposFromName(line.substr(tab + 1)));
    names = nl == std::string_view::npos ? std::string_view() : names.substr(nl + 1);
  }
  auto p = model::Perceptron::FromPayload(blocks[1]);
  if (!p.ok()) return p.status().WithContext(path);
  t->impl_->perceptron = std::move(*p);
  auto p2 = model::Perceptron::FromPayload(blocks[5]);
  if (!p2.ok()) return p2.status().WithContext(path);
  t->impl_->perceptron2 = std::move(*p2);
  if (t->impl_->perceptron.num_classes() != static_cast<int>(t->impl_->classes.size()) ||
      t->impl_->perceptron2.num_classes() != static_cast<int>(t->impl_->classes.size()) ||
      t->impl_->perceptron.padded_classes() != t->impl_->perceptron2.padded_classes())
    return Status::Corruption(path + ": tagger class count does not match its weights");
  st = t->impl_->rules.Init(blocks[2]);
  if (st.ok()) st = t->impl_->exceptions.Init(blocks[3]);
  if (st.ok()) st = t->impl_->ambiguity.Init(blocks[4]);
  if (!st.ok()) return st.WithContext(path);
  t->impl_->file = std::move(f.value());
  return t;
}

namespace {

// Per-thread buffers of Tag(), reused from call to call.
struct TagScratch {
  std::vector<Lex> lex;
  std::vector<int> first, second;
  std::vector<uint64_t> feats;
  std::vector<float> scores;
  SpreadRows spread;
};

// The sentence loop is compiled for AVX2 as well as for plain x86-64 (see
// SITREP_TARGET_CLONES); the output is the same either way.
SITREP_TARGET_CLONES
void TagSentences(const TaggerModel& m, Document* doc, TagScratch* scratch) {
  auto& tags = doc->tags();
  std::string& pool = doc->lemma_pool();
  auto amb = [&m](uint64_t norm) -> uint64_t {
    uint16_t strip;
    std::string_view text;
    if (!m.ambiguity.Find(norm, &strip, &text) || text.size() != 8) return 0;
    uint64_t v;
    std::memcpy(&v, text.data(), 8);
    return v;
  };
  for (const Sentence& s : doc->sentences()) {
    const size_t n = s.token_end - s.token_begin;
    if (scratch->lex.size() < n) {
      scratch->lex.resize(n);
      scratch->first.resize(n);
      scratch->second.resize(n);
      scratch->feats.resize(n * kNumFeatures2);
    }
    TagSentence(m.perceptron, m.perceptron2, *doc, s, amb, scratch->lex.data(),
                scratch->feats.data(), scratch->scores.data(), &scratch->spread,
                scratch->first.data(), scratch->second.data());
    for (size_t k = 0; k < n; ++k) {
      const int best = scratch->second[k];
      TokenTag& tag = tags[s.token_begin + k];
      tag.upos = m.classes[best].first;
      tag.xpos = m.classes[best].second;
      tag.lemma_begin = static_cast<uint32_t>(pool.size());
      AppendLemma(m.exceptions, m.rules, doc->token_text(s.token_begin + k), tag.upos, tag.xpos,
                  &pool);
      tag.lemma_len = static_cast<uint32_t>(pool.size()) - tag.lemma_begin;
    }
  }
}

}  // namespace

void Tagger::Tag(Document* doc) const {
  static thread_local TagScratch scratch;
  doc->tags().assign(doc->tokens().size(), TokenTag());
  doc->lemma_pool().clear();
  scratch.scores.resize(impl_->perceptron.padded_classes());
  TagSentences(*impl_, doc, &scratch);
}

Document DocumentFromWords(const std::vector<std::string>& words) {
  std::string text;
  std::vector<Token> toks;
  for (const std::string& w : words) {
    if (!text.empty()) text.push_back(' ');
    Token t;
    t.begin = static_cast<uint32_t>(text.size());
    text += w;
    t.end = static_cast<uint32_t>(text.size());
    t.norm = NormId(NormalForm(w));
    t.shape = NormId(WordShape(w));
    t.flags = kSpaceAfter;
    toks.push_back(t);
  }
  Document doc(std::move(text), Metadata());
  doc.tokens() = std::move(toks);
  doc.sentences().push_back({0, static_cast<uint32_t>(doc.tokens().size())});
  return doc;
}

// ---------------------------------------------------------------------------
// Training.

Status TrainTagger(const std::vector<ConlluSentence>& train, const TaggerTrainOptions& options,
                   const std::string& out_path, const std::string& meta_json) {
  // Classes: UPOS+XPOS pairs seen at least twice.
  std::map<std::pair<Upos, uint8_t>, int> pair_count;
  for (const ConlluSentence& s : train)
    for (const ConlluWord& w : s.words) ++pair_count[{UposFromName(w.upos), XposFromName(w.xpos)}];
  std::vector<std::pair<Upos, uint8_t>> classes;
  std::map<std::pair<Upos, uint8_t>, int> class_of;
  for (const auto& [p, c] : pair_count) {
    if (c < 2 || p.first == Upos::kNone) continue;
    class_of[p] = static_cast<int>(classes.size());
    classes.push_back(p);
  }
  if (classes.empty()) return Status::InvalidArgument("no tagged words to train on");
  // A word whose pair is too rare falls back to the commonest class of its UPOS.
  std::map<Upos, std::pair<int, int>> best_for_upos;  // upos -> (count, class)
  for (const auto& [p, c] : pair_count) {
    auto it = class_of.find(p);
    if (it == class_of.end()) continue;
    auto& b = best_for_upos[p.first];
    if (c > b.first) b = {c, it->second};
  }
  auto gold_class = [&](const ConlluWord& w) -> int {
    std::pair<Upos, uint8_t> p{UposFromName(w.upos), XposFromName(w.xpos)};
    auto it = class_of.find(p);
    if (it != class_of.end()) return it->second;
    auto b = best_for_upos.find(p.first);
    return b != best_for_upos.end() ? b->second.second : 0;
  };

  // Sentences as documents of gold words.
  std::vector<Document> docs;
  std::vector<std::vector<int>> gold;
  for (const ConlluSentence& s : train) {
    std::vector<std::string> words;
    std::vector<int> g;
    for (const ConlluWord& w : s.words) {
      words.push_back(w.form);
      g.push_back(gold_class(w));
    }
    if (words.empty()) continue;
    docs.push_back(DocumentFromWords(words));
    gold.push_back(std::move(g));
  }

  // Ambiguity classes: the set of classes seen with a word at least 3 times.
  std::unordered_map<uint64_t, std::map<int, int>> seen;
  for (size_t di = 0; di < docs.size(); ++di)
    for (size_t k = 0; k < docs[di].tokens().size(); ++k)
      ++seen[docs[di].tokens()[k].norm][gold[di][k]];
  std::unordered_map<uint64_t, uint64_t> amb_of;
  std::vector<LemmaRecord> amb_recs;
  for (const auto& [norm, m] : seen) {
    int total = 0;
    uint64_t h = 0x3C6EF372FE94F82Bull;
    for (const auto& [c, n] : m) {
      total += n;
      h = FeatureHash(40, h, static_cast<uint64_t>(c));
    }
    if (total < 3) continue;
    amb_of[norm] = h;
    amb_recs.push_back({norm, 0, std::string(reinterpret_cast<const char*>(&h), 8)});
  }
  auto amb = [&amb_of](uint64_t norm) -> uint64_t {
    auto it = amb_of.find(norm);
    return it == amb_of.end() ? 0 : it->second;
  };

  // Lexical values per training sentence, computed once.
  std::vector<std::vector<Lex>> lexes(docs.size());
  for (size_t di = 0; di < docs.size(); ++di) {
    lexes[di].resize(docs[di].tokens().size());
    ComputeLex(docs[di], 0, docs[di].tokens().size(), amb, lexes[di].data());
  }
  const size_t nc = classes.size();

  // Trains one pass on the sentences `use`, with the first pass's tags as
  // right context when `right` is given.
  auto train_pass = [&](const std::vector<size_t>& use,
                        const std::vector<std::vector<int>>* right) {
    model::PerceptronTrainer trainer(static_cast<int>(nc));
    std::vector<size_t> order = use;
    std::mt19937_64 rng(20250309);
    std::vector<float> scores(nc);
    uint64_t feats[kNumFeatures2];
    const int nf = right ? kNumFeatures2 : kNumFeatures1;
    for (int epoch = 0; epoch < options.epochs; ++epoch) {
      std::shuffle(order.begin(), order.end(), rng);
      for (size_t di : order) {
        const std::vector<Lex>& lex = lexes[di];
        const int* r = right ? (*right)[di].data() : nullptr;
        uint64_t t1 = kPadTag, t2 = kPadTag;
        for (size_t k = 0; k < lex.size(); ++k) {
          Features(lex, k, t1, t2, r, feats);
          std::fill(scores.begin(), scores.end(), 0.0f);
          trainer.Score(feats, nf, scores.data());
          int guess =
              static_cast<int>(std::max_element(scores.begin(), scores.end()) - scores.begin());
          trainer.Step(feats, nf, gold[di][k], guess);
          t2 = t1;
          t1 = static_cast<uint64_t>(guess);
        }
      }
    }
    return trainer;
  };

  // First-pass tags for every training sentence from a model that did not
  // see it (jackknifing), so the second pass learns how far to trust them.
  std::vector<std::vector<int>> right(docs.size());
  for (int fold = 0; fold < kFolds; ++fold) {
    std::vector<size_t> use, held;
    for (size_t di = 0; di < docs.size(); ++di) (di % kFolds == static_cast<size_t>(fold) ? held : use).push_back(di);
    auto weights = train_pass(use, nullptr).Serialize(options.min_weight);
    if (!weights.ok()) return weights.status();
    std::vector<uint64_t> aligned((weights->size() + 7) / 8);
    std::memcpy(aligned.data(), weights->data(), weights->size());
    auto p = model::Perceptron::FromPayload(
        std::string_view(reinterpret_cast<const char*>(aligned.data()), weights->size()));
    if (!p.ok()) return p.status();
    std::vector<float> scores(p->padded_classes());
    std::vector<uint64_t> feats;
    SpreadRows spread;
    for (size_t di : held) {
      const size_t n = lexes[di].size();
      right[di].resize(n);
      feats.resize(n * kNumFeatures2);
      for (size_t k = 0; k < n; ++k) LexFeatures(lexes[di].data(), n, k, &feats[k * kNumFeatures2]);
      Decode<false>(*p, lexes[di].data(), n, nullptr, feats.data(), scores.data(), &spread,
                    right[di].data());
    }
  }
  std::vector<size_t> all(docs.size());
  std::iota(all.begin(), all.end(), 0);
  auto weights1 = train_pass(all, nullptr).Serialize(options.min_weight);
  if (!weights1.ok()) return weights1.status();
  auto weights2 = train_pass(all, &right).Serialize(options.min_weight);
  if (!weights2.ok()) return weights2.status();

  // Lemma rules: for each (XPOS, suffix), the commonest transformation.
  struct Transform {
    uint16_t strip;
    std::string append;
    bool operator<(const Transform& o) const {
      return strip != o.strip ? strip < o.strip : append < o.append;
    }
  };
  std::map<std::pair<uint8_t, std::string>, std::map<Transform, int>> rule_counts;
  std::map<std::pair<std::string, uint8_t>, std::map<std::string, int>> lemma_counts;
  for (const ConlluSentence& s : train) {
    for (const ConlluWord& w : s.words) {
      if (w.lemma.empty() || w.upos == "PROPN") continue;
      uint8_t xpos = XposFromName(w.xpos);
      std::string lower = NormalForm(w.form);
      std::string lemma = w.lemma;
      ++lemma_counts[{lower, xpos}][lemma];
      size_t p = 0;
      while (p < lower.size() && p < lemma.size() && lower[p] == lemma[p]) ++p;
      Transform t{static_cast<uint16_t>(lower.size() - p), lemma.substr(p)};
      for (size_t k = t.strip; k <= std::min(lower.size(), kMaxSuffix); ++k)
        ++rule_counts[{xpos, lower.substr(lower.size() - k)}][t];
    }
  }
  std::vector<LemmaRecord> rule_recs;
  for (const auto& [key, m] : rule_counts) {
    auto best = std::max_element(m.begin(), m.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
    rule_recs.push_back({RuleKey(key.second, key.first), best->first.strip, best->first.append});
  }
  std::string rules_block = SerializeTable(rule_recs);
  LemmaTable rules;
  Status st = rules.Init(rules_block);
  if (!st.ok()) return st;
  // Exceptions: forms whose commonest lemma the rules do not produce.
  LemmaTable none;
  std::string empty_block = SerializeTable({});
  st = none.Init(empty_block);
  if (!st.ok()) return st;
  std::vector<LemmaRecord> exc_recs;
  for (const auto& [key, m] : lemma_counts) {
    auto best = std::max_element(m.begin(), m.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
    std::string by_rule = Lemmatize(none, rules, key.first, Upos::kNone, key.second);
    if (by_rule != best->first)
      exc_recs.push_back({ExceptionKey(key.first, key.second), 0, best->first});
  }
  std::string exc_block = SerializeTable(exc_recs);

  std::string names;
  for (const auto& [u, x] : classes) {
    names += UposName(u);
    names += '\t';
    names += XposNames()[x];
    names += '\n';
  }
  if (!names.empty()) names.pop_back();
  std::string payload;
  model::AppendPayloadBlock(&payload, names);
  model::AppendPayloadBlock(&payload, *weights1);
  model::AppendPayloadBlock(&payload, rules_block);
  model::AppendPayloadBlock(&payload, exc_block);
  model::AppendPayloadBlock(&payload, SerializeTable(amb_recs));
  model::AppendPayloadBlock(&payload, *weights2);
  return model::WriteModelFile(out_path, kTaggerKind, kTaggerVersion, meta_json, payload);
}

// ---------------------------------------------------------------------------
// Evaluation.

namespace {

void ScoreWord(const ConlluWord& g, const Document& doc, size_t i, TaggerScores* s, bool matched) {
  if (!matched) return;
  const TokenTag& t = doc.tags()[i];
  s->upos.matched += UposName(t.upos) == g.upos;
  s->xpos.matched += XposNames()[t.xpos] == g.xpos;
  s->lemma.matched += doc.lemma(i) == g.lemma;
}

}  // namespace

TaggerScores EvaluateTaggerGoldTokens(const std::vector<ConlluSentence>& gold,
                                      const Tagger& tagger) {
  TaggerScores s;
  for (const ConlluSentence& sent : gold) {
    std::vector<std::string> words;
    for (const ConlluWord& w : sent.words) words.push_back(w.form);
    if (words.empty()) continue;
    Document doc = DocumentFromWords(words);
    tagger.Tag(&doc);
    for (size_t i = 0; i < sent.words.size(); ++i) ScoreWord(sent.words[i], doc, i, &s, true);
    for (SpanCounts* c : {&s.upos, &s.xpos, &s.lemma}) {
      c->gold += sent.words.size();
      c->system += sent.words.size();
    }
  }
  return s;
}

TaggerScores EvaluateTaggerRaw(const std::vector<ConlluSentence>& gold, const Tokenizer& tokenizer,
                               const SentenceSplitter& splitter, const Tagger& tagger) {
  TaggerScores s;
  for (const TreebankDocument& td : RebuildTreebankText(gold)) {
    Document doc(td.text, Metadata());
    tokenizer.Tokenize(&doc);
    splitter.Split(&doc);
    tagger.Tag(&doc);
    std::map<std::pair<uint32_t, uint32_t>, const ConlluWord*> by_span;
    for (size_t w = 0; w < td.words.size(); ++w)
      if (td.words[w].first != td.words[w].second) by_span[td.words[w]] = td.word_refs[w];
    for (size_t i = 0; i < doc.tokens().size(); ++i) {
      auto it = by_span.find({doc.tokens()[i].begin, doc.tokens()[i].end});
      if (it != by_span.end()) ScoreWord(*it->second, doc, i, &s, true);
    }
    for (SpanCounts* c : {&s.upos, &s.xpos, &s.lemma}) {
      c->gold += td.words.size();
      c->system += doc.tokens().size();
    }
  }
  return s;
}

}  // namespace sitrep
