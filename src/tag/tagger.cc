#include "sitrep/tagger.h"

#include <algorithm>
#include <functional>
#include <cstring>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <unordered_map>

#include "model/model_file.h"
#include "model/perceptron.h"

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

// Maps a normalized form id to its ambiguity class (0 when unknown).
using AmbiguityFn = std::function<uint64_t(uint64_t)>;

// Boundary values for positions outside the sentence.
constexpr uint64_t kPadNorm = 0x5A17A5EDull, kPadTag = 0xFFFF;

void ComputeLex(const Document& doc, size_t b, size_t e, const AmbiguityFn& amb,
                std::vector<Lex>* out) {
  out->resize(e - b);
  char low[64];
  for (size_t i = b; i < e; ++i) {
    Lex& x = (*out)[i - b];
    const Token& t = doc.tokens()[i];
    x.norm = t.norm;
    x.shape = t.shape;
    x.amb = amb(t.norm);
    std::string_view s = doc.token_text(i);
    x.raw = NormId(s) ^ 0x7A11ull;
    {
      char p3[3];
      size_t m = std::min<size_t>(3, s.size());
      for (size_t k = 0; k < m; ++k)
        p3[k] = (s[k] >= 'A' && s[k] <= 'Z') ? static_cast<char>(s[k] + 32) : s[k];
      x.pre3 = m == 3 ? NormId(std::string_view(p3, 3)) : 0;
    }
    size_t n = std::min(s.size(), sizeof low);
    for (size_t k = 0; k < n; ++k) {
      char c = s[s.size() - n + k];
      low[k] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    }
    for (size_t k = 0; k < 4; ++k)
      x.suf[k] = k < n ? NormId(std::string_view(low + n - k - 1, k + 1)) : 0;
    for (size_t k = 0; k < 2; ++k) {
      if (k < s.size()) {
        char p0[2] = {s[0], k ? s[1] : '\0'};
        for (char& c : p0) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
        x.pre[k] = NormId(std::string_view(p0, k + 1));
      } else {
        x.pre[k] = 0;
      }
    }
  }
}

// Features of token k of a sentence of n tokens given the two previous tags
// and, in the second pass, the first pass's tags of the sentence (`right`).
void Features(const std::vector<Lex>& lex, size_t k, uint64_t t1, uint64_t t2, const int* right,
              uint64_t* f) {
  const size_t n = lex.size();
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
  f[15] = FeatureHash(15, t1);
  f[16] = FeatureHash(16, t2);
  f[17] = FeatureHash(17, t1, t2);
  f[18] = FeatureHash(18, t1, w.norm);
  f[19] = FeatureHash(19, w.norm, wn);
  f[20] = FeatureHash(20, wp, w.norm);
  f[21] = FeatureHash(21, shn);
  f[22] = FeatureHash(22, shp);
  f[23] = FeatureHash(23, k == 0 ? 1 : 0, w.shape);
  f[24] = FeatureHash(24, t1, w.suf[2]);
  f[25] = FeatureHash(25, t1, wn);
  f[26] = FeatureHash(26, w.suf[2], wn);
  f[27] = FeatureHash(27, wp, w.suf[2]);
  f[28] = FeatureHash(28, k + 1 < n ? lex[k + 1].suf[2] : kPadNorm, w.norm);
  f[29] = FeatureHash(29, w.raw);
  f[30] = FeatureHash(30, w.pre3);
  f[31] = FeatureHash(31, t1, w.raw);
  f[32] = FeatureHash(32, w.amb);
  f[33] = FeatureHash(33, k + 1 < n ? lex[k + 1].amb : kPadNorm);
  f[34] = FeatureHash(34, t1, w.amb);
  if (right) {
    uint64_t r1 = k + 1 < n ? static_cast<uint64_t>(right[k + 1]) : kPadTag;
    uint64_t r2 = k + 2 < n ? static_cast<uint64_t>(right[k + 2]) : kPadTag;
    f[35] = FeatureHash(35, r1);
    f[36] = FeatureHash(36, r1, r2);
    f[37] = FeatureHash(37, r1, w.norm);
    f[38] = FeatureHash(38, t1, r1);
  }
}

// Greedy left-to-right decoding of one sentence; `score` adds the weights of
// a feature vector to a score array.
template <typename ScoreFn>
void Decode(const std::vector<Lex>& lex, const int* right, ScoreFn score, size_t num_classes,
            std::vector<int>* out) {
  out->resize(lex.size());
  std::vector<float> scores(num_classes);
  uint64_t feats[kNumFeatures2];
  const int nf = right ? kNumFeatures2 : kNumFeatures1;
  uint64_t t1 = kPadTag, t2 = kPadTag;
  for (size_t k = 0; k < lex.size(); ++k) {
    Features(lex, k, t1, t2, right, feats);
    std::fill(scores.begin(), scores.end(), 0.0f);
    score(feats, nf, scores.data());
    int best = static_cast<int>(std::max_element(scores.begin(), scores.end()) - scores.begin());
    (*out)[k] = best;
    t2 = t1;
    t1 = static_cast<uint64_t>(best);
  }
}

// ---------------------------------------------------------------------------
// Lemma tables: sorted (key, strip, text) records with a string pool.
//   u32 count, u32 pool_size, count x {u64 key, u32 offset, u16 len, u16 strip}, pool

struct LemmaRecord {
  uint64_t key;
  uint16_t strip;
  std::string text;
};

void AppendBlock(std::string* out, std::string_view block) {
  uint64_t len = block.size();
  out->append(reinterpret_cast<const char*>(&len), 8);
  out->append(block);
  out->resize((out->size() + 7) & ~size_t{7}, '\0');
}

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

// Read-only view of a serialized lemma table.
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
      uint32_t off;
      uint16_t len;
      std::memcpy(&off, recs_ + i * 16 + 8, 4);
      std::memcpy(&len, recs_ + i * 16 + 12, 2);
      if (size_t{off} + len > pool_size) return Status::Corruption("lemma record out of range");
    }
    return Status::Ok();
  }
  // Finds `key`; sets *strip and *text.
  bool Find(uint64_t key, uint16_t* strip, std::string_view* text) const {
    uint32_t lo = 0, hi = count_;
    while (lo < hi) {
      uint32_t mid = (lo + hi) / 2;
      uint64_t k;
      std::memcpy(&k, recs_ + mid * 16, 8);
      if (k < key) {
        lo = mid + 1;
      } else if (k > key) {
        hi = mid;
      } else {
        uint32_t off;
        uint16_t len;
        std::memcpy(&off, recs_ + mid * 16 + 8, 4);
        std::memcpy(&len, recs_ + mid * 16 + 12, 2);
        std::memcpy(strip, recs_ + mid * 16 + 14, 2);
        *text = pool_.substr(off, len);
        return true;
      }
    }
    return false;
  }

 private:
  uint32_t count_ = 0;
  const char* recs_ = nullptr;
  std::string_view pool_;
};

uint64_t ExceptionKey(std::string_view lower, uint8_t xpos) { return NormId(lower) ^ (xpos * 0x9E3779B97F4A7C15ull); }
uint64_t RuleKey(std::string_view suffix, uint8_t xpos) {
  return NormId(suffix) * 31 + xpos + 0x51ED27ull;
}

// Lower-cased form as the lemmatizer sees it (case folding, curly apostrophes
// straightened).
std::string LemmaForm(std::string_view form) { return NormalForm(form); }

// Applies the rules and exceptions to a form; PROPN keeps the form's case.
std::string Lemmatize(const LemmaTable& exceptions, const LemmaTable& rules, std::string_view form,
                      Upos upos, uint8_t xpos) {
  std::string lower = LemmaForm(form);
  uint16_t strip;
  std::string_view text;
  if (exceptions.Find(ExceptionKey(lower, xpos), &strip, &text)) return std::string(text);
  if (upos == Upos::kPROPN) return std::string(form);
  for (size_t k = std::min(lower.size(), kMaxSuffix);; --k) {
    if (rules.Find(RuleKey(std::string_view(lower).substr(lower.size() - k), xpos), &strip,
                   &text) &&
        strip <= lower.size()) {
      return lower.substr(0, lower.size() - strip) + std::string(text);
    }
    if (k == 0) break;
  }
  return lower;
}

}  // namespace

// ---------------------------------------------------------------------------

struct Tagger::Impl {
  std::unique_ptr<model::ModelFile> file;
  model::Perceptron perceptron;   // first pass
  model::Perceptron perceptron2;  // second pass
  std::vector<std::pair<Upos, uint8_t>> classes;
  LemmaTable exceptions, rules, ambiguity;
};

Tagger::Tagger() : impl_(new Impl) {}
Tagger::~Tagger() = default;

namespace {

// Splits the tagger payload into its four blocks.
Status ReadBlocks(std::string_view payload, std::string_view* blocks, int count) {
  size_t pos = 0;
  for (int i = 0; i < count; ++i) {
    uint64_t len;
    if (payload.size() - pos < 8) return Status::Corruption("tagger payload truncated");
    std::memcpy(&len, payload.data() + pos, 8);
    pos += 8;
    if (len > payload.size() - pos) return Status::Corruption("tagger payload truncated");
    blocks[i] = payload.substr(pos, len);
    pos = (pos + len + 7) & ~size_t{7};
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Tagger>> Tagger::Load(const std::string& path) {
  auto f = model::ModelFile::Open(path, kTaggerKind, kTaggerVersion);
  if (!f.ok()) return f.status();
  std::unique_ptr<Tagger> t(new Tagger);
  std::string_view blocks[6];
  Status st = ReadBlocks((*f)->payload(), blocks, 6);
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
  t->impl_->perceptron = *p;
  auto p2 = model::Perceptron::FromPayload(blocks[5]);
  if (!p2.ok()) return p2.status().WithContext(path);
  t->impl_->perceptron2 = *p2;
  if (t->impl_->perceptron.num_classes() != static_cast<int>(t->impl_->classes.size()) ||
      t->impl_->perceptron2.num_classes() != static_cast<int>(t->impl_->classes.size()))
    return Status::Corruption(path + ": tagger class count does not match its weights");
  st = t->impl_->rules.Init(blocks[2]);
  if (st.ok()) st = t->impl_->exceptions.Init(blocks[3]);
  if (st.ok()) st = t->impl_->ambiguity.Init(blocks[4]);
  if (!st.ok()) return st.WithContext(path);
  t->impl_->file = std::move(f.value());
  return t;
}

void Tagger::Tag(Document* doc) const {
  const Impl& m = *impl_;
  auto& tags = doc->tags();
  tags.assign(doc->tokens().size(), TokenTag());
  doc->lemma_pool().clear();
  std::vector<Lex> lex;
  std::vector<int> first, second;
  const AmbiguityFn amb = [&m](uint64_t norm) -> uint64_t {
    uint16_t strip;
    std::string_view text;
    if (!m.ambiguity.Find(norm, &strip, &text) || text.size() != 8) return 0;
    uint64_t v;
    std::memcpy(&v, text.data(), 8);
    return v;
  };
  auto score1 = [&m](const uint64_t* f, int n, float* s) { m.perceptron.Score(f, n, s); };
  auto score2 = [&m](const uint64_t* f, int n, float* s) { m.perceptron2.Score(f, n, s); };
  for (const Sentence& s : doc->sentences()) {
    ComputeLex(*doc, s.token_begin, s.token_end, amb, &lex);
    Decode(lex, nullptr, score1, m.classes.size(), &first);
    Decode(lex, first.data(), score2, m.classes.size(), &second);
    for (size_t k = 0; k < lex.size(); ++k) {
      const int best = second[k];
      TokenTag& tag = tags[s.token_begin + k];
      tag.upos = m.classes[best].first;
      tag.xpos = m.classes[best].second;
      std::string lemma =
          Lemmatize(m.exceptions, m.rules, doc->token_text(s.token_begin + k), tag.upos, tag.xpos);
      tag.lemma_begin = static_cast<uint32_t>(doc->lemma_pool().size());
      tag.lemma_len = static_cast<uint32_t>(lemma.size());
      doc->lemma_pool() += lemma;
    }
  }
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
  const AmbiguityFn amb = [&amb_of](uint64_t norm) -> uint64_t {
    auto it = amb_of.find(norm);
    return it == amb_of.end() ? 0 : it->second;
  };

  // Lexical values per training sentence, computed once.
  std::vector<std::vector<Lex>> lexes(docs.size());
  for (size_t di = 0; di < docs.size(); ++di)
    ComputeLex(docs[di], 0, docs[di].tokens().size(), amb, &lexes[di]);
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
    auto score = [&p](const uint64_t* f, int n, float* s) { p->Score(f, n, s); };
    for (size_t di : held) Decode(lexes[di], nullptr, score, nc, &right[di]);
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
      std::string lower = LemmaForm(w.form);
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
  AppendBlock(&payload, names);
  AppendBlock(&payload, *weights1);
  AppendBlock(&payload, rules_block);
  AppendBlock(&payload, exc_block);
  AppendBlock(&payload, SerializeTable(amb_recs));
  AppendBlock(&payload, *weights2);
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
