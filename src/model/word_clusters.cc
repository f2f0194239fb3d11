#include "sitrep/word_clusters.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <numeric>
#include <unordered_map>

#include "model/model_file.h"
#include "text/xxh3_inline.h"

namespace sitrep {

namespace {

constexpr const char* kClustersKind = "clusters";
constexpr uint32_t kClustersVersion = 1;
// Table header: u64 mask, u64 num_levels, u64 sizes[kMaxLevels], u64 num_words;
// then mask + 1 slots of {u64 key (0: empty), u64 packed classes}.
constexpr size_t kHeaderWords = 3 + WordClusters::kMaxLevels;

// Deterministic pseudo-random numbers (splitmix64).
uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}
struct Rng {
  uint64_t s;
  uint64_t Next() { return Mix(s++); }
  double Uniform() { return static_cast<double>(Next() >> 11) * (1.0 / 9007199254740992.0); }
};

// Dot product of n floats (n a multiple of 8) in eight lanes: vectorizable,
// and the same sums on every run.
inline float Dot8(const float* a, const float* b, size_t n) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (size_t i = 0; i < n; i += 8)
    for (int j = 0; j < 8; ++j) acc[j] += a[i + j] * b[i + j];
  return ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
}

// Orthonormalizes the r columns (each of length n, column-major in q) by
// modified Gram-Schmidt, twice; a column that vanishes becomes zero.
void Orthonormalize(std::vector<double>* q, size_t n, size_t r) {
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t j = 0; j < r; ++j) {
      double* cj = q->data() + j * n;
      for (size_t i = 0; i < j; ++i) {
        const double* ci = q->data() + i * n;
        double d = 0;
        for (size_t k = 0; k < n; ++k) d += ci[k] * cj[k];
        for (size_t k = 0; k < n; ++k) cj[k] -= d * ci[k];
      }
      double norm = 0;
      for (size_t k = 0; k < n; ++k) norm += cj[k] * cj[k];
      norm = std::sqrt(norm);
      const double inv = norm > 1e-10 ? 1.0 / norm : 0.0;
      for (size_t k = 0; k < n; ++k) cj[k] *= inv;
    }
  }
}

// Eigen-decomposition of the symmetric r x r matrix a (row-major) by cyclic
// Jacobi rotations: eigenvalues in w, eigenvectors as the columns of v.
void SymmetricEigen(std::vector<double> a, size_t r, std::vector<double>* w,
                    std::vector<double>* v) {
  v->assign(r * r, 0.0);
  for (size_t i = 0; i < r; ++i) (*v)[i * r + i] = 1.0;
  for (int sweep = 0; sweep < 60; ++sweep) {
    double off = 0, diag = 0;
    for (size_t i = 0; i < r; ++i)
      for (size_t j = 0; j < r; ++j) (i == j ? diag : off) += a[i * r + j] * a[i * r + j];
    if (off <= 1e-22 * diag || off == 0) break;
    for (size_t p = 0; p < r; ++p) {
      for (size_t q = p + 1; q < r; ++q) {
        const double apq = a[p * r + q];
        if (std::fabs(apq) < 1e-300) continue;
        const double theta = (a[q * r + q] - a[p * r + p]) / (2 * apq);
        const double t = (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (size_t k = 0; k < r; ++k) {  // columns p, q
          const double akp = a[k * r + p], akq = a[k * r + q];
          a[k * r + p] = c * akp - s * akq;
          a[k * r + q] = s * akp + c * akq;
        }
        for (size_t k = 0; k < r; ++k) {  // rows p, q
          const double apk = a[p * r + k], aqk = a[q * r + k];
          a[p * r + k] = c * apk - s * aqk;
          a[q * r + k] = s * apk + c * aqk;
        }
        for (size_t k = 0; k < r; ++k) {
          const double vkp = (*v)[k * r + p], vkq = (*v)[k * r + q];
          (*v)[k * r + p] = c * vkp - s * vkq;
          (*v)[k * r + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  w->resize(r);
  for (size_t i = 0; i < r; ++i) (*w)[i] = a[i * r + i];
}

// Sparse rows (CSR) of the PPMI matrix.
struct Sparse {
  std::vector<uint64_t> begin;  // rows + 1
  std::vector<uint32_t> col;
  std::vector<float> val;
  size_t rows() const { return begin.size() - 1; }
};

// Transposes an n x r matrix between column-major and row-major order.
std::vector<double> Transpose(const std::vector<double>& m, size_t n, size_t r) {
  std::vector<double> t(n * r);
  for (size_t j = 0; j < r; ++j)
    for (size_t i = 0; i < n; ++i) t[i * r + j] = m[j * n + i];
  return t;
}
std::vector<double> Untranspose(const std::vector<double>& t, size_t n, size_t r) {
  std::vector<double> m(n * r);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < r; ++j) m[j * n + i] = t[i * r + j];
  return m;
}

// y = a * x and y = a^T * x for dense x with r columns; x and y column-major
// (as Orthonormalize wants them), the products computed on row-major copies
// so that every nonzero of a reads and writes r contiguous numbers.
void MultiplyA(const Sparse& a, const std::vector<double>& x, size_t cols, size_t r,
               std::vector<double>* y) {
  const size_t n = a.rows();
  const std::vector<double> xt = Transpose(x, cols, r);
  std::vector<double> yt(n * r, 0.0);
  for (size_t i = 0; i < n; ++i) {
    double* yi = yt.data() + i * r;
    for (uint64_t p = a.begin[i]; p < a.begin[i + 1]; ++p) {
      const double v = a.val[p];
      const double* xc = xt.data() + size_t{a.col[p]} * r;
      for (size_t j = 0; j < r; ++j) yi[j] += v * xc[j];
    }
  }
  *y = Untranspose(yt, n, r);
}

void MultiplyAT(const Sparse& a, const std::vector<double>& x, size_t cols, size_t r,
                std::vector<double>* y) {
  const size_t n = a.rows();
  const std::vector<double> xt = Transpose(x, n, r);
  std::vector<double> yt(cols * r, 0.0);
  for (size_t i = 0; i < n; ++i) {
    const double* xi = xt.data() + i * r;
    for (uint64_t p = a.begin[i]; p < a.begin[i + 1]; ++p) {
      const double v = a.val[p];
      double* yc = yt.data() + size_t{a.col[p]} * r;
      for (size_t j = 0; j < r; ++j) yc[j] += v * xi[j];
    }
  }
  *y = Untranspose(yt, cols, r);
}

// Weighted spherical k-means of the unit rows of x (n x d, d a multiple of
// 8) into k classes: k-means++ seeding (weighted), then `iterations` rounds
// of assignment by highest cosine and renormalized weighted means. Returns
// each row's class; the unit centers (k x d) in *centers_out.
std::vector<uint32_t> SphericalKMeans(const std::vector<float>& x, const std::vector<double>& weight,
                                      size_t n, size_t d, size_t k, int iterations, uint64_t seed,
                                      std::vector<float>* centers_out) {
  std::vector<uint32_t> assign(n, 0);
  if (n == 0) return assign;
  k = std::min(k, n);
  Rng rng{seed};
  std::vector<float>& centers = *centers_out;
  centers.assign(k * d, 0.0f);
  // k-means++: each next center drawn with probability proportional to the
  // squared distance (2 - 2 cos) to the nearest center so far.
  std::vector<double> dist(n, 0.0);
  size_t first = static_cast<size_t>(rng.Next() % n);
  std::copy_n(x.data() + first * d, d, centers.data());
  for (size_t i = 0; i < n; ++i)
    dist[i] = std::max(0.0, 2.0 - 2.0 * Dot8(x.data() + i * d, centers.data(), d));
  for (size_t c = 1; c < k; ++c) {
    double total = 0;
    for (size_t i = 0; i < n; ++i) total += weight[i] * dist[i];
    size_t pick = 0;
    if (total > 0) {
      double target = rng.Uniform() * total, run = 0;
      pick = n - 1;
      for (size_t i = 0; i < n; ++i) {
        run += weight[i] * dist[i];
        if (run > target && dist[i] > 0) {
          pick = i;
          break;
        }
      }
    } else {
      pick = static_cast<size_t>(rng.Next() % n);
    }
    float* ctr = centers.data() + c * d;
    std::copy_n(x.data() + pick * d, d, ctr);
    for (size_t i = 0; i < n; ++i)
      dist[i] = std::min(dist[i], std::max(0.0, 2.0 - 2.0 * Dot8(x.data() + i * d, ctr, d)));
  }
  std::vector<double> sums(k * d);
  for (int it = 0; it <= iterations; ++it) {
    size_t changed = 0;
    for (size_t i = 0; i < n; ++i) {
      const float* xi = x.data() + i * d;
      uint32_t best = 0;
      float high = -2.0f;
      for (size_t c = 0; c < k; ++c) {
        const float s = Dot8(xi, centers.data() + c * d, d);
        if (s > high) {
          high = s;
          best = static_cast<uint32_t>(c);
        }
      }
      changed += best != assign[i] || it == 0;
      assign[i] = best;
    }
    if (it == iterations || changed == 0) break;
    std::fill(sums.begin(), sums.end(), 0.0);
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < d; ++j) sums[assign[i] * d + j] += weight[i] * x[i * d + j];
    for (size_t c = 0; c < k; ++c) {
      double norm = 0;
      for (size_t j = 0; j < d; ++j) norm += sums[c * d + j] * sums[c * d + j];
      if (norm <= 0) continue;  // an empty class keeps its center
      norm = std::sqrt(norm);
      for (size_t j = 0; j < d; ++j) centers[c * d + j] = static_cast<float>(sums[c * d + j] / norm);
    }
  }
  return assign;
}

}  // namespace

// ---------------------------------------------------------------------------
// Lookup.

WordClusters::~WordClusters() = default;
WordClusters::WordClusters(WordClusters&&) noexcept = default;
WordClusters& WordClusters::operator=(WordClusters&&) noexcept = default;

Result<WordClusters> WordClusters::FromTable(std::string_view table) {
  if (table.size() < 8 * (kHeaderWords + 2) || table.size() % 8 != 0 ||
      reinterpret_cast<uintptr_t>(table.data()) % 8 != 0)
    return Status::Corruption("bad word-class table");
  const uint64_t* h = reinterpret_cast<const uint64_t*>(table.data());
  WordClusters w;
  w.mask_ = h[0];
  if (((w.mask_ + 1) & w.mask_) != 0 || w.mask_ > (uint64_t{1} << 40) ||
      (kHeaderWords + 2 * (w.mask_ + 1)) * 8 != table.size())
    return Status::Corruption("bad word-class table size");
  if (h[1] > kMaxLevels) return Status::Corruption("bad word-class level count");
  w.num_levels_ = static_cast<int>(h[1]);
  for (int l = 0; l < kMaxLevels; ++l) {
    if (h[2 + l] > 0xFFFF) return Status::Corruption("bad word-class level size");
    w.sizes_[l] = static_cast<uint32_t>(h[2 + l]);
  }
  w.num_words_ = h[2 + kMaxLevels];
  w.slots_ = h + kHeaderWords;
  // A full table would make lookups of absent words loop forever.
  bool empty = false;
  for (uint64_t i = 0; i <= w.mask_ && !empty; ++i) empty = w.slots_[2 * i] == 0;
  if (!empty) return Status::Corruption("word-class table has no empty slot");
  w.table_ = table;
  return w;
}

Result<std::unique_ptr<WordClusters>> WordClusters::Load(const std::string& path) {
  auto f = model::ModelFile::Open(path, kClustersKind, kClustersVersion);
  if (!f.ok()) return f.status();
  auto w = FromTable((*f)->payload());
  if (!w.ok()) return w.status().WithContext(path);
  auto out = std::make_unique<WordClusters>(std::move(*w));
  out->file_ = std::move(f.value());
  return out;
}

uint64_t WordClusters::Checksum() const { return XXH3_64bits(table_.data(), table_.size()); }

// ---------------------------------------------------------------------------
// Learning.

void WordClusterCorpus::AddSentence(const uint64_t* norms, size_t n) {
  if (n == 0) return;
  for (size_t i = 0; i < n; ++i) tokens_.push_back(norms[i] ? norms[i] : 1);
  tokens_.push_back(0);
  ++sentences_;
}

struct WordClusterBuilder {
  static Result<std::string> Build(const WordClusterCorpus& corpus, const WordClusterOptions& o,
                                   WordClusterStats* stats);
};

Result<std::string> WordClusterBuilder::Build(const WordClusterCorpus& corpus,
                                              const WordClusterOptions& o,
                                              WordClusterStats* stats) {
  const auto start = std::chrono::steady_clock::now();
  if (o.levels.empty() || o.levels.size() > WordClusters::kMaxLevels)
    return Status::InvalidArgument("word classes: give 1 to 4 levels");
  for (uint32_t k : o.levels)
    if (k < 2 || k > 0xFFFE) return Status::InvalidArgument("word classes: a level needs 2..65534 classes");
  if (o.dims == 0 || o.context_words == 0)
    return Status::InvalidArgument("word classes: dims and context words must be positive");
  // Vocabulary: words seen min_count times, most frequent first (ties by id).
  std::unordered_map<uint64_t, uint32_t> counts;
  for (uint64_t t : corpus.tokens_)
    if (t) ++counts[t];
  std::vector<std::pair<uint32_t, uint64_t>> vocab;  // (count, norm)
  for (const auto& [norm, c] : counts)
    if (c >= std::max<uint32_t>(o.min_count, 1)) vocab.emplace_back(c, norm);
  std::sort(vocab.begin(), vocab.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  const size_t nv = vocab.size();
  std::unordered_map<uint64_t, uint32_t> index;
  index.reserve(nv * 2);
  for (size_t i = 0; i < nv; ++i) index.emplace(vocab[i].second, static_cast<uint32_t>(i));
  constexpr uint32_t kOut = 0xFFFFFFFF, kEdge = 0xFFFFFFFE;
  // The corpus as vocabulary indexes; sentence edges as kEdge.
  std::vector<uint32_t> seq;
  seq.reserve(corpus.tokens_.size() + 1);
  seq.push_back(kEdge);
  for (uint64_t t : corpus.tokens_) {
    if (t == 0) {
      seq.push_back(kEdge);
      continue;
    }
    auto it = index.find(t);
    seq.push_back(it == index.end() ? kOut : it->second);
  }
  // Co-occurrence pairs (word, context feature): contexts are the
  // context_words most frequent words and the sentence edge, at offsets
  // -2, -1, +1, +2 (a separate feature each).
  const uint32_t nc = static_cast<uint32_t>(std::min<size_t>(o.context_words, nv)) + 1;
  const size_t dcols = 4 * size_t{nc};
  std::vector<uint64_t> pairs;
  for (size_t i = 1; i + 1 < seq.size(); ++i) {
    const uint32_t w = seq[i];
    if (w == kOut || w == kEdge) continue;
    static constexpr int kOffsets[4] = {-2, -1, 1, 2};
    for (int s = 0; s < 4; ++s) {
      // Beyond the sentence edge, the edge itself is the context.
      const int off = kOffsets[s];
      size_t j = i;
      uint32_t c = kOut;
      for (int step = 0; step < std::abs(off); ++step) {
        j = off < 0 ? j - 1 : j + 1;
        c = seq[j];
        if (c == kEdge) break;
      }
      uint32_t feat;
      if (c == kEdge) feat = nc - 1;
      else if (c != kOut && c < nc - 1) feat = c;
      else continue;
      pairs.push_back(uint64_t{w} << 32 | (s * nc + feat));
    }
  }
  std::sort(pairs.begin(), pairs.end());
  // Counts -> PPMI with context smoothing (exponent 0.75).
  Sparse a;
  a.begin.assign(nv + 1, 0);
  std::vector<double> row_sum(nv, 0.0), col_sum(dcols, 0.0);
  std::vector<uint32_t> cnt;
  for (size_t p = 0; p < pairs.size();) {
    size_t q = p;
    while (q < pairs.size() && pairs[q] == pairs[p]) ++q;
    const uint32_t w = static_cast<uint32_t>(pairs[p] >> 32);
    const uint32_t c = static_cast<uint32_t>(pairs[p]);
    a.col.push_back(c);
    cnt.push_back(static_cast<uint32_t>(q - p));
    ++a.begin[w + 1];
    row_sum[w] += static_cast<double>(q - p);
    col_sum[c] += static_cast<double>(q - p);
    p = q;
  }
  pairs.clear();
  pairs.shrink_to_fit();
  for (size_t i = 0; i < nv; ++i) a.begin[i + 1] += a.begin[i];
  double smooth_total = 0;
  std::vector<double> col_smooth(dcols);
  for (size_t c = 0; c < dcols; ++c) smooth_total += col_smooth[c] = std::pow(col_sum[c], 0.75);
  {
    Sparse b;
    b.begin.assign(nv + 1, 0);
    for (size_t i = 0; i < nv; ++i) {
      for (uint64_t p = a.begin[i]; p < a.begin[i + 1]; ++p) {
        const double pmi = std::log(cnt[p] / row_sum[i] / (col_smooth[a.col[p]] / smooth_total));
        if (pmi <= 0) continue;
        b.col.push_back(a.col[p]);
        b.val.push_back(static_cast<float>(pmi));
      }
      b.begin[i + 1] = b.col.size();
    }
    a = std::move(b);
  }
  // Randomized truncated SVD: range of A by a random sign projection and
  // one power iteration, then the SVD of the small projected matrix.
  const size_t r = std::min<size_t>({size_t{o.dims} + 16, nv, dcols});
  const size_t k = std::min<size_t>(o.dims, r);
  std::vector<double> omega(dcols * r), y, z;
  for (size_t j = 0; j < r; ++j)
    for (size_t c = 0; c < dcols; ++c)
      omega[j * dcols + c] = (Mix(o.seed ^ (j * 0x100000001B3ull + c)) & 1) ? 1.0 : -1.0;
  MultiplyA(a, omega, dcols, r, &y);
  omega.clear();
  omega.shrink_to_fit();
  Orthonormalize(&y, nv, r);
  MultiplyAT(a, y, dcols, r, &z);
  Orthonormalize(&z, dcols, r);
  MultiplyA(a, z, dcols, r, &y);
  Orthonormalize(&y, nv, r);
  MultiplyAT(a, y, dcols, r, &z);  // B^T = A^T Q
  std::vector<double> gram(r * r, 0.0);  // B B^T
  for (size_t i = 0; i < r; ++i)
    for (size_t j = i; j < r; ++j) {
      double s = 0;
      for (size_t c = 0; c < dcols; ++c) s += z[i * dcols + c] * z[j * dcols + c];
      gram[i * r + j] = gram[j * r + i] = s;
    }
  std::vector<double> eval, evec;
  SymmetricEigen(gram, r, &eval, &evec);
  std::vector<size_t> order(r);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t i, size_t j) { return eval[i] > eval[j]; });
  // Word vectors: rows of U_k * S_k^(1/2), unit length; words without a
  // context (an empty row) get no class.
  const size_t d = (k + 7) / 8 * 8;
  std::vector<float> vecs;
  std::vector<double> weights;  // log(1 + count): frequent words, surer vectors
  std::vector<uint32_t> words;  // vocabulary index of each vector
  std::vector<double> u(k);
  for (size_t i = 0; i < nv; ++i) {
    if (a.begin[i] == a.begin[i + 1]) continue;
    double norm = 0;
    for (size_t e = 0; e < k; ++e) {
      const size_t col = order[e];
      double s = 0;
      for (size_t j = 0; j < r; ++j) s += y[j * nv + i] * evec[j * r + col];
      s *= std::pow(std::max(eval[col], 0.0), 0.25);
      u[e] = s;
      norm += s * s;
    }
    if (norm <= 1e-20) continue;
    norm = std::sqrt(norm);
    for (size_t e = 0; e < d; ++e) vecs.push_back(e < k ? static_cast<float>(u[e] / norm) : 0.0f);
    words.push_back(static_cast<uint32_t>(i));
    weights.push_back(std::log1p(static_cast<double>(vocab[i].first)));
  }
  y.clear();
  z.clear();
  // Classes at every level, nested: the words are clustered into the finest
  // level's classes, and each coarser level clusters the centers of the
  // next finer one (weighted by their words), so that a class splits into
  // classes of the finer levels, as the prefixes of a Brown cluster path do.
  std::vector<uint64_t> packed(words.size(), 0);
  std::vector<uint32_t> sizes(o.levels.size());
  std::vector<size_t> by_size(o.levels.size());
  std::iota(by_size.begin(), by_size.end(), 0);
  std::stable_sort(by_size.begin(), by_size.end(),
                   [&](size_t a, size_t b) { return o.levels[a] > o.levels[b]; });
  std::vector<uint32_t> of_word(words.size());  // class of each word at the last level done
  std::vector<float> points = vecs, centers;
  std::vector<double> point_weight = weights;
  for (size_t step = 0; step < by_size.size(); ++step) {
    const size_t l = by_size[step];
    const size_t np = point_weight.size();
    const std::vector<uint32_t> cls = SphericalKMeans(points, point_weight, np, d, o.levels[l],
                                                      o.iterations, o.seed + 1 + l, &centers);
    for (size_t i = 0; i < words.size(); ++i) {
      of_word[i] = step == 0 ? cls[i] : cls[of_word[i]];
      packed[i] |= uint64_t{1 + of_word[i]} << (16 * l);
    }
    const size_t k = std::min<size_t>(o.levels[l], np);
    sizes[l] = static_cast<uint32_t>(k);
    // The next level's points: this level's centers, weighted by their words.
    std::vector<double> w(k, 0.0);
    for (size_t i = 0; i < np; ++i) w[cls[i]] += point_weight[i];
    points = centers;
    point_weight = std::move(w);
  }
  // The table.
  uint64_t slots = 16;
  while (slots < 2 * words.size()) slots *= 2;
  std::vector<uint64_t> table(kHeaderWords + 2 * slots, 0);
  table[0] = slots - 1;
  table[1] = o.levels.size();
  for (size_t l = 0; l < sizes.size(); ++l) table[2 + l] = sizes[l];
  table[2 + WordClusters::kMaxLevels] = words.size();
  uint64_t* s = table.data() + kHeaderWords;
  for (size_t i = 0; i < words.size(); ++i) {
    const uint64_t key = vocab[words[i]].second;  // never 0 (AddSentence)
    uint64_t at = key & (slots - 1);
    while (s[2 * at] != 0) at = (at + 1) & (slots - 1);
    s[2 * at] = key;
    s[2 * at + 1] = packed[i];
  }
  if (stats) {
    stats->tokens = corpus.num_tokens();
    stats->vocabulary = counts.size();
    stats->clustered_words = words.size();
    stats->seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  return std::string(reinterpret_cast<const char*>(table.data()), table.size() * 8);
}

Result<std::string> BuildWordClusters(const WordClusterCorpus& corpus,
                                      const WordClusterOptions& options, WordClusterStats* stats) {
  return WordClusterBuilder::Build(corpus, options, stats);
}

Status TrainWordClusters(const WordClusterCorpus& corpus, const WordClusterOptions& options,
                         const std::string& out_path, const std::string& meta_json,
                         WordClusterStats* stats) {
  auto table = BuildWordClusters(corpus, options, stats);
  if (!table.ok()) return table.status();
  return model::WriteModelFile(out_path, kClustersKind, kClustersVersion, meta_json, *table);
}

}  // namespace sitrep
