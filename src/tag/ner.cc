#include "sitrep/ner.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <random>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "model/model_file.h"
#include "model/perceptron.h"
#include "tag/affixes.h"
#include "text/xxh3_inline.h"
#include "sitrep/conllu.h"
#include "sitrep/gazetteer.h"
#include "sitrep/word_clusters.h"
#include "io/byte_source.h"

namespace sitrep {

namespace {

constexpr const char* kNerKind = "ner";
constexpr uint32_t kNerVersion = 1;

// Classes: 0 is O; for coarse type c in [0, 3) (PER, ORG, LOC), B I L U are
// 1 + 4c + {0, 1, 2, 3}.
constexpr int kNumTypes = 3;
constexpr int kNumClasses = 1 + 4 * kNumTypes;
enum Part { kB = 0, kI = 1, kL = 2, kU = 3 };
constexpr EntityType kCoarse[kNumTypes] = {EntityType::kPerson, EntityType::kOrg,
                                           EntityType::kLoc};
constexpr const char* kCoarseName[kNumTypes] = {"PER", "ORG", "LOC"};

inline int ClassOf(int type, Part p) { return 1 + 4 * type + p; }
inline int TypeOf(int cls) { return (cls - 1) / 4; }
inline Part PartOf(int cls) { return static_cast<Part>((cls - 1) % 4); }
// True when a mention is open after class `cls` (B or I).
inline bool Open(int cls) { return cls != 0 && (PartOf(cls) == kB || PartOf(cls) == kI); }

// May `cls` follow `prev` (-1: sentence start)? And may a sentence end after
// `cls`?
bool Allowed(int prev, int cls) {
  if (prev >= 0 && Open(prev)) {
    return cls != 0 && TypeOf(cls) == TypeOf(prev) && (PartOf(cls) == kI || PartOf(cls) == kL);
  }
  return cls == 0 || PartOf(cls) == kB || PartOf(cls) == kU;
}

int CoarseIndex(EntityType t) {
  switch (t) {
    case EntityType::kPerson: return 0;
    case EntityType::kOrg: return 1;
    case EntityType::kLoc:
    case EntityType::kGpe:
    case EntityType::kFac: return 2;
    default: return -1;
  }
}

inline uint64_t Id(std::string_view s) { return XXH3_64bits(s.data(), s.size()); }
inline char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
constexpr uint64_t kPad = 0x5A17A5EDull;

// ASCII without an upper-case letter.
bool Plain(std::string_view s) {
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x80 || (u >= 'A' && u <= 'Z')) return false;
  }
  return true;
}

bool EqualsLower(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (Lower(a[i]) != lower[i]) return false;
  return true;
}

template <size_t N>
bool InList(std::string_view w, const std::string_view (&list)[N]) {
  for (std::string_view x : list)
    if (EqualsLower(w, x)) return true;
  return false;
}

// Nouns of office, profession and role that head a title before a name.
constexpr std::string_view kRoleNouns[] = {
    "minister", "president", "expert", "analyst", "spokesman", "spokeswoman", "spokesperson",
    "secretary", "general", "chief", "head", "leader", "director", "commander", "ambassador",
    "envoy", "governor", "mayor", "senator", "sen.", "rep.", "gov.", "gen.", "lawmaker",
    "official", "adviser", "advisor", "chairman", "chairwoman", "chair", "ceo", "founder",
    "professor", "prof.", "researcher", "journalist", "correspondent", "reporter", "editor",
    "prosecutor", "judge", "justice", "lawyer", "attorney", "colonel", "col.", "lieutenant",
    "lt.", "captain", "capt.", "major", "maj.", "sergeant", "sgt.", "admiral", "marshal",
    "king", "queen", "prince", "princess", "pope", "premier", "chancellor", "mp", "negotiator",
    "diplomat", "economist", "scientist", "activist", "commissioner", "coordinator",
    "representative", "deputy", "vice-president", "manager", "executive", "officer", "dr.",
    "mr.", "mrs.", "ms.", "counterpart", "colleague", "candidate", "nominee", "speaker",
    "politician", "historian", "strategist", "commentator", "observer", "member", "emir",
    "sheikh", "ayatollah", "cleric", "imam", "bishop", "archbishop", "cardinal", "rabbi",
    "militant", "rebel", "soldier", "author", "writer", "economist", "director-general",
    "secretary-general", "ombudsman", "prime", "chairperson", "president-elect", "coach"};
// Words that qualify a role: "former President", "Foreign Minister".
constexpr std::string_view kRoleModifiers[] = {
    "former", "acting", "deputy", "vice", "chief", "senior", "junior", "assistant", "interim",
    "foreign", "defense", "defence", "interior", "finance", "security", "military", "political",
    "prime", "first", "top", "retired", "late", "then", "current", "outgoing", "incoming",
    "opposition", "state", "general", "executive", "managing", "lead", "leading", "independent",
    "health", "economy", "economic", "energy", "justice", "trade", "education", "labor",
    "labour", "environment", "agriculture", "transport", "culture", "presidential", "press",
    "communications", "intelligence", "army", "navy", "police", "regional", "local", "national",
    "international", "u.s.", "eu", "un", "nato", "white", "house", "u.n.", "of", "the", "for",
    "and", "'s", "-"};

// Whether a normalized form (Token::norm) is one of kRoleNouns: one hash
// probe per token instead of a scan of the list.
bool IsRoleNoun(uint64_t norm) {
  static const std::unordered_set<uint64_t> kIds = [] {
    std::unordered_set<uint64_t> ids;
    for (std::string_view r : kRoleNouns) ids.insert(NormId(r));
    return ids;
  }();
  return kIds.count(norm) != 0;
}

// A set of 64-bit ids (normalized forms) in an open-addressing table read in
// place: u64 mask, then mask + 1 u64 slots, 0 marking an empty one.
class NormSet {
 public:
  static std::string Build(const std::vector<uint64_t>& ids) {
    uint64_t size = 16;
    while (size < 2 * ids.size()) size *= 2;
    std::vector<uint64_t> table(size + 1, 0);
    table[0] = size - 1;
    for (uint64_t id : ids) {
      id = id ? id : 1;
      uint64_t i = id & (size - 1);
      while (table[1 + i] != 0 && table[1 + i] != id) i = (i + 1) & (size - 1);
      table[1 + i] = id;
    }
    return std::string(reinterpret_cast<const char*>(table.data()), table.size() * 8);
  }
  Status Init(std::string_view block) {
    if (block.size() < 16 || block.size() % 8 != 0)
      return Status::Corruption("bad NER word set");
    std::memcpy(&mask_, block.data(), 8);
    if (((mask_ + 1) & mask_) != 0 || (mask_ + 2) * 8 != block.size())
      return Status::Corruption("bad NER word set size");
    slots_ = reinterpret_cast<const uint64_t*>(block.data()) + 1;
    // A full table would make lookups of absent ids loop forever.
    for (uint64_t i = 0; i <= mask_; ++i)
      if (slots_[i] == 0) return Status::Ok();
    return Status::Corruption("NER word set has no empty slot");
  }
  bool Contains(uint64_t id) const {
    id = id ? id : 1;
    for (uint64_t i = id & mask_;; i = (i + 1) & mask_) {
      if (slots_[i] == id) return true;
      if (slots_[i] == 0) return false;
    }
  }

 private:
  uint64_t mask_ = 0;
  const uint64_t* slots_ = nullptr;
};

// Per-token values the features read.
struct Lex {
  uint64_t norm, raw, shape, short_shape;
  uint64_t suf[4], pre[3];
  uint8_t upos, xpos;
  // Gazetteer matches covering the token: bit 4 * category + BILU position.
  uint32_t gaz;
  // The word's classes learned from unlabeled text (WordClusters::Lookup;
  // 0 when the model has none or the word is rare).
  uint64_t cl;
  bool role;  // a noun of office or profession ("minister", "analyst")
  // A common word in lower case (never part of a name in the training data).
  // Outside a mention such a word is O without being scored: most tokens of
  // news text are.
  bool skip;
};

// Shape with runs of the same class collapsed to one: "Xx", "X.X.", "d-d".
uint64_t ShortShape(std::string_view s) {
  char buf[16];
  size_t n = 0;
  char last = 0;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    char k = (u >= 'A' && u <= 'Z') ? 'X' : (u >= 'a' && u <= 'z') ? 'x' : (u >= '0' && u <= '9') ? 'd' : u >= 0x80 ? 'u' : c;
    if (k != last && n < sizeof buf) buf[n++] = k;
    last = k;
  }
  return Id(std::string_view(buf, n));
}

void ComputeLex(const Document& doc, size_t b, size_t e, const NormSet& common,
                const Gazetteer* gazetteer, const WordClusters* clusters, Lex* out) {
  const bool tagged = doc.tags().size() == doc.tokens().size();
  for (size_t i = b; i < e; ++i) {
    out[i - b].gaz = 0;
    Lex& x = out[i - b];
    const Token& t = doc.tokens()[i];
    std::string_view s = doc.token_text(i);
    x.norm = t.norm;
    x.shape = t.shape;
    x.raw = Id(s) ^ 0x7A11ull;
    x.skip = Plain(s) && common.Contains(t.norm);
    x.role = IsRoleNoun(t.norm);
    x.cl = clusters ? clusters->Lookup(t.norm) : 0;
    x.upos = tagged ? static_cast<uint8_t>(doc.tags()[i].upos) : 0;
    x.xpos = tagged ? doc.tags()[i].xpos : 0;
    if (x.skip) continue;  // affixes are read only for scored tokens
    x.short_shape = ShortShape(s);
    AffixIds(s, x.suf, x.pre);
  }
  // Longest gazetteer phrases, left to right, starting at words that are not
  // common lower-case ones.
  if (!gazetteer) return;
  for (size_t i = b; i < e;) {
    if (out[i - b].skip) {
      ++i;
      continue;
    }
    const Gazetteer::Match m = gazetteer->Longest(doc, i, e);
    if (m.length == 0) {
      ++i;
      continue;
    }
    for (uint32_t k = 0; k < m.length; ++k) {
      const uint32_t pos = m.length == 1 ? 3 : k == 0 ? 0 : k + 1 == m.length ? 2 : 1;
      uint32_t bits = 0;
      for (int c = 0; c < kNumGazetteerCategories; ++c)
        if (m.categories & (1u << c)) bits |= 1u << (4 * c + pos);
      out[i + k - b].gaz = bits;
    }
    i += m.length;
  }
}

// What earlier sentences of the document labelled a word (by exact form):
// 0 nothing, else 1 + coarse type.
using DocMemory = std::unordered_map<uint64_t, uint8_t>;

constexpr int kMaxFeatures = 64;
// Gazetteer features stop here (models without word classes keep the
// features they were trained with).
constexpr int kGazLimit = 48;

// Features of token k of n given the two previous classes: f[0, count),
// count returned (at most kMaxFeatures). `levels`: how many levels of word
// classes the model has (0: none).
int Features(const Lex* lex, size_t n, size_t k, int t1, int t2, const DocMemory& memory,
             int levels, uint64_t* f) {
  using model::FeatureHash;
  const Lex& w = lex[k];
  const Lex* p = k > 0 ? &lex[k - 1] : nullptr;
  const Lex* q = k + 1 < n ? &lex[k + 1] : nullptr;
  const uint64_t np = p ? p->norm : kPad, nn = q ? q->norm : kPad;
  const uint64_t npp = k > 1 ? lex[k - 2].norm : kPad, nnn = k + 2 < n ? lex[k + 2].norm : kPad;
  const uint64_t xp = p ? p->xpos : 0xFF, xn = q ? q->xpos : 0xFF;
  auto mem = memory.find(w.raw);
  const uint64_t m = mem == memory.end() ? 0 : mem->second;
  const uint64_t c1 = static_cast<uint64_t>(t1 + 1), c2 = static_cast<uint64_t>(t2 + 1);
  f[0] = FeatureHash(0, 1);
  f[1] = FeatureHash(1, w.norm);
  f[2] = FeatureHash(2, w.raw);
  f[3] = FeatureHash(3, w.suf[0]);
  f[4] = FeatureHash(4, w.suf[1]);
  f[5] = FeatureHash(5, w.suf[2]);
  f[6] = FeatureHash(6, w.suf[3]);
  f[7] = FeatureHash(7, w.pre[0]);
  f[8] = FeatureHash(8, w.pre[1]);
  f[9] = FeatureHash(9, w.pre[2]);
  f[10] = FeatureHash(10, w.shape);
  f[11] = FeatureHash(11, np);
  f[12] = FeatureHash(12, nn);
  f[13] = FeatureHash(13, npp);
  f[14] = FeatureHash(14, nnn);
  f[15] = FeatureHash(15, p ? p->raw : kPad);
  f[16] = FeatureHash(16, q ? q->raw : kPad);
  f[17] = FeatureHash(17, p ? p->shape : kPad, w.shape);
  f[18] = FeatureHash(18, w.shape, q ? q->shape : kPad);
  f[19] = FeatureHash(19, w.upos);
  f[20] = FeatureHash(20, w.xpos);
  f[21] = FeatureHash(21, xp);
  f[22] = FeatureHash(22, xn);
  f[23] = FeatureHash(23, xp, w.xpos, xn);
  f[24] = FeatureHash(24, k == 0, w.short_shape);
  f[25] = FeatureHash(25, np, w.norm);
  f[26] = FeatureHash(26, w.norm, nn);
  f[27] = FeatureHash(27, m);
  f[28] = FeatureHash(28, m, w.short_shape);
  f[29] = FeatureHash(29, c1);
  f[30] = FeatureHash(30, c1, c2);
  f[31] = FeatureHash(31, c1, w.norm);
  f[32] = FeatureHash(32, c1, w.short_shape);
  f[33] = FeatureHash(33, c1, w.xpos);
  f[34] = FeatureHash(34, w.short_shape);
  f[35] = FeatureHash(35, np, w.xpos);
  int count = 36;
  // A name after a role noun: "analyst Liis Rebane", "lawmaker Tarmo Kask".
  f[count++] = FeatureHash(41, p ? p->role : 2, k > 1 ? lex[k - 2].role : 2, w.short_shape);
  if (w.gaz | (p ? p->gaz : 0) | (q ? q->gaz : 0)) {
    f[count++] = FeatureHash(36, w.gaz);
    f[count++] = FeatureHash(37, p ? p->gaz : 0, w.gaz);
    f[count++] = FeatureHash(38, w.gaz, q ? q->gaz : 0);
    for (uint32_t bits = w.gaz; bits && count < kGazLimit - 1; bits &= bits - 1) {
      f[count++] = FeatureHash(39, static_cast<uint64_t>(__builtin_ctz(bits)));
      f[count++] = FeatureHash(40, static_cast<uint64_t>(__builtin_ctz(bits)), w.short_shape);
    }
  }
  // Word classes: the word's at every level, its class with its shape, and
  // the classes of the words around it (coarser further away). Outside the
  // sentence: 0xFFFF.
  if (levels > 0) {
    auto cls = [&](size_t i, int level) -> uint64_t {
      return i < n ? WordClusters::Level(lex[i].cl, std::min(level, levels - 1)) : 0xFFFF;
    };
    for (int l = 0; l < levels; ++l) f[count++] = FeatureHash(42 + l, cls(k, l));
    f[count++] = FeatureHash(46, cls(k, 1), w.short_shape);
    f[count++] = FeatureHash(47, cls(k - 1, 2));
    f[count++] = FeatureHash(48, cls(k + 1, 2));
    f[count++] = FeatureHash(49, cls(k - 2, 1));
    f[count++] = FeatureHash(50, cls(k + 2, 1));
  }
  return count;
}

// The best class allowed after `prev`; scores[0, kNumClasses).
int BestAllowed(const float* scores, int prev) {
  int best = -1;
  for (int c = 0; c < kNumClasses; ++c)
    if (Allowed(prev, c) && (best < 0 || scores[c] > scores[best])) best = c;
  return best;
}

// Remembers the words of the mentions in classes[0, n) (a decoded sentence).
void Remember(const Lex* lex, const int* classes, size_t n, DocMemory* memory) {
  for (size_t k = 0; k < n; ++k)
    if (classes[k] != 0) (*memory)[lex[k].raw] = static_cast<uint8_t>(1 + TypeOf(classes[k]));
}

// Classes of a decoded sentence -> mentions [b, e) of coarse type.
template <typename Fn>
void ForEachMention(const int* classes, size_t n, Fn fn) {
  size_t b = 0;
  for (size_t k = 0; k < n; ++k) {
    const int c = classes[k];
    if (c == 0) continue;
    if (PartOf(c) == kB || PartOf(c) == kU) b = k;
    if (PartOf(c) == kL || PartOf(c) == kU) fn(b, k + 1, TypeOf(c));
  }
}

// A document built from NER sentences: one token per word, tagged when a
// tagger is given.
Document BuildDocument(const std::vector<const NerSentence*>& sents, const Tagger* tagger) {
  std::string text;
  std::vector<Token> toks;
  std::vector<Sentence> ss;
  for (const NerSentence* s : sents) {
    Sentence x;
    x.token_begin = static_cast<uint32_t>(toks.size());
    for (const std::string& w : s->words) {
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
    x.token_end = static_cast<uint32_t>(toks.size());
    ss.push_back(x);
  }
  Document doc(std::move(text), Metadata());
  doc.tokens() = std::move(toks);
  doc.sentences() = std::move(ss);
  if (tagger) tagger->Tag(&doc);
  return doc;
}

// Groups sentences into documents (consecutive sentences with one non-empty
// doc_id; a sentence without one is a document by itself).
std::vector<std::vector<const NerSentence*>> GroupDocuments(const std::vector<NerSentence>& s) {
  std::vector<std::vector<const NerSentence*>> docs;
  for (size_t i = 0; i < s.size(); ++i) {
    if (docs.empty() || s[i].doc_id.empty() || s[i].doc_id != s[i - 1].doc_id) docs.emplace_back();
    docs.back().push_back(&s[i]);
  }
  return docs;
}

}  // namespace

// ---------------------------------------------------------------------------
// Refinement: place types, nationalities and titles.

namespace {

// Marks a title before each PERSON: the longest run of role nouns, role
// modifiers and capitalized words (names of offices, places, parties)
// ending just before the name and holding at least one role noun; runs of
// connectors ("of", "the", ...) at its left edge are dropped.
void FindTitles(Document* doc) {
  const auto& toks = doc->tokens();
  std::vector<uint32_t> sentence_begin(toks.size(), 0);
  for (const Sentence& s : doc->sentences())
    for (uint32_t i = s.token_begin; i < s.token_end; ++i) sentence_begin[i] = s.token_begin;
  // A title may hold places and nationalities ("Estonian Minister of
  // Defense", "U.S. expert"), not people or organizations.
  uint32_t prev_end = 0;
  for (Entity& e : doc->entities()) {
    const uint32_t floor = std::max(prev_end, e.token_begin < toks.size() ? sentence_begin[e.token_begin] : 0);
    if (e.type == EntityType::kPerson || e.type == EntityType::kOrg) prev_end = e.token_end;
    if (e.type != EntityType::kPerson) continue;
    uint32_t b = e.token_begin;
    uint32_t start = e.token_begin;  // left edge of the best title so far
    bool role = false;
    while (b > floor) {
      const uint32_t i = b - 1;
      std::string_view w = doc->token_text(i);
      const bool is_role = InList(w, kRoleNouns);
      const unsigned char c0 = static_cast<unsigned char>(w.empty() ? 'a' : w[0]);
      const bool capital = (c0 >= 'A' && c0 <= 'Z') || c0 >= 0x80;
      if (!(is_role || InList(w, kRoleModifiers) || capital)) break;
      if (toks[i].kind == TokenKind::kPunct || toks[i].kind == TokenKind::kQuote) break;
      if (doc->tags().size() == toks.size() && !InList(w, {"of", "the", "and"})) {
        const Upos u = doc->tags()[i].upos;
        if (u == Upos::kVERB || u == Upos::kAUX || u == Upos::kADV || u == Upos::kPRON ||
            u == Upos::kSCONJ || u == Upos::kCCONJ || u == Upos::kDET ||
            (u == Upos::kADP && !InList(w, kRoleModifiers)))
          break;
      }
      role |= is_role;
      b = i;
      if (role && !InList(w, {"of", "the", "for", "and", "'s", "-"})) start = b;
    }
    if (role && start < e.token_begin) {
      e.title_begin = start;
      e.title_end = e.token_begin;
    }
  }
}

// One name, one type per document: a person or organization name of two
// or more words found somewhere labels its other occurrences (replacing
// what overlaps them), and the last word of such a person's name, capitalized
// and outside any mention, is that person too ("Kaju" after "Andreas Kaju").
void Propagate(Document* doc) {
  std::vector<Entity>& ents = doc->entities();
  const auto& toks = doc->tokens();
  struct Name {
    uint32_t first_token;  // an occurrence: its words are the name
    uint32_t length;
    EntityType type;
  };
  // Names by their first word's norm (each distinct name once), in the
  // order they first occur.
  std::unordered_map<uint64_t, std::vector<Name>> by_first;
  std::unordered_map<uint64_t, EntityType> last_words;
  auto same_words = [&](uint32_t a, uint32_t b, uint32_t len) {
    for (uint32_t k = 0; k < len; ++k)
      if (toks[a + k].norm != toks[b + k].norm) return false;
    return true;
  };
  for (const Entity& e : ents) {
    const uint32_t len = e.token_end - e.token_begin;
    if ((e.type != EntityType::kPerson && e.type != EntityType::kOrg) || len < 2) continue;
    std::vector<Name>& list = by_first[toks[e.token_begin].norm];
    bool known = false;
    for (const Name& n : list)
      known |= n.length == len && n.type == e.type && same_words(n.first_token, e.token_begin, len);
    if (!known) list.push_back({e.token_begin, len, e.type});
    if (e.type == EntityType::kPerson) last_words.emplace(toks[e.token_end - 1].norm, e.type);
  }
  if (by_first.empty()) return;
  // owner[t]: the entity covering token t, or -1 (entities do not overlap).
  std::vector<int32_t> owner(toks.size(), -1);
  for (size_t j = 0; j < ents.size(); ++j)
    for (uint32_t t = ents[j].token_begin; t < ents[j].token_end; ++t) owner[t] = static_cast<int32_t>(j);
  std::vector<Entity> added;
  std::vector<char> drop(ents.size(), 0), covered(toks.size(), 0);
  for (size_t t = 0; t < toks.size(); ++t) covered[t] = owner[t] >= 0;
  for (const Sentence& s : doc->sentences()) {
    for (uint32_t i = s.token_begin; i < s.token_end; ++i) {
      auto it = by_first.find(toks[i].norm);
      const Name* match = nullptr;
      if (it != by_first.end())
        for (const Name& n : it->second)
          if (!match && i + n.length <= s.token_end && same_words(n.first_token, i, n.length))
            match = &n;  // the name seen first in the document
      if (match) {
        const uint32_t end = i + match->length;
        const int32_t o = owner[i];
        const bool exact = o >= 0 && ents[o].token_begin == i && ents[o].token_end == end &&
                           ents[o].type == match->type;
        if (!exact) {
          for (uint32_t t = i; t < end; ++t)
            if (owner[t] >= 0) drop[owner[t]] = 1;
          Entity e;
          e.token_begin = i;
          e.token_end = end;
          e.type = match->type;
          added.push_back(e);
          for (uint32_t t = i; t < end; ++t) covered[t] = 1;
        }
        i = end - 1;
        continue;
      }
      if (!covered[i]) {
        auto lw = last_words.find(toks[i].norm);
        std::string_view w = doc->token_text(i);
        if (lw != last_words.end() && !w.empty() && w[0] >= 'A' && w[0] <= 'Z') {
          Entity e;
          e.token_begin = i;
          e.token_end = i + 1;
          e.type = lw->second;
          added.push_back(e);
          covered[i] = 1;
        }
      }
    }
  }
  if (added.empty() && std::find(drop.begin(), drop.end(), 1) == drop.end()) return;
  std::vector<Entity> kept;
  for (size_t j = 0; j < ents.size(); ++j)
    if (!drop[j]) kept.push_back(ents[j]);
  kept.insert(kept.end(), added.begin(), added.end());
  std::sort(kept.begin(), kept.end(),
            [](const Entity& a, const Entity& b) { return a.token_begin < b.token_begin; });
  ents = std::move(kept);
}

// News conventions for organizations next to names: a party in parentheses
// after a person ("Hanno Pevkur (Reform)") and the source of a photo or
// quote after "Source:" / "Photo:" / "Credit:" ("Source: ERR").
void FindAffiliations(Document* doc) {
  std::vector<Entity>& ents = doc->entities();
  const auto& toks = doc->tokens();
  std::vector<char> covered(toks.size(), 0);
  for (const Entity& e : ents)
    for (uint32_t i = e.token_begin; i < e.token_end; ++i) covered[i] = 1;
  auto capital = [&](uint32_t i) {
    std::string_view w = doc->token_text(i);
    return !w.empty() && w[0] >= 'A' && w[0] <= 'Z' && toks[i].kind != TokenKind::kPunct;
  };
  // Capitalized words from `i` up to `end`, none covered: their count.
  auto run = [&](uint32_t i, uint32_t end) {
    uint32_t k = i;
    while (k < end && k - i < 6 && !covered[k] && capital(k)) ++k;
    return k - i;
  };
  std::vector<Entity> added;
  size_t next = 0;  // entities are sorted: walk them along the sentences
  for (const Sentence& s : doc->sentences()) {
    for (; next < ents.size() && ents[next].token_begin < s.token_end; ++next) {
      const Entity& e = ents[next];
      if (e.type != EntityType::kPerson || e.token_end + 2 >= s.token_end) continue;
      const uint32_t i = e.token_end;
      if (doc->token_text(i) != "(") continue;
      const uint32_t len = run(i + 1, s.token_end);
      if (len && i + 1 + len < s.token_end && doc->token_text(i + 1 + len) == ")") {
        Entity org;
        org.token_begin = i + 1;
        org.token_end = i + 1 + len;
        org.type = EntityType::kOrg;
        added.push_back(org);
      }
    }
    for (uint32_t i = s.token_begin; i + 2 < s.token_end; ++i) {
      std::string_view w = doc->token_text(i);
      if ((w == "Source" || w == "Photo" || w == "Credit" || w == "Photograph") &&
          doc->token_text(i + 1) == ":") {
        const uint32_t len = run(i + 2, s.token_end);
        if (len) {
          Entity org;
          org.token_begin = i + 2;
          org.token_end = i + 2 + len;
          org.type = EntityType::kOrg;
          added.push_back(org);
        }
      }
    }
  }
  if (added.empty()) return;
  ents.insert(ents.end(), added.begin(), added.end());
  std::sort(ents.begin(), ents.end(),
            [](const Entity& a, const Entity& b) { return a.token_begin < b.token_begin; });
}

// Place types from the gazetteer (a LOC mention that is a country, a
// division or a city is a GPE), NORP mentions for nationality words outside
// other mentions, then titles.
void Refine(Document* doc, const Gazetteer* gazetteer) {
  std::vector<Entity>& ents = doc->entities();
  if (gazetteer) {
    for (Entity& e : ents) {
      const uint16_t cats = gazetteer->Lookup(*doc, e.token_begin, e.token_end);
      constexpr uint16_t kPlace = kGazCountry | kGazAdmin | kGazCity;
      if (e.type == EntityType::kLoc && (cats & kPlace)) e.type = EntityType::kGpe;
      // A country is a GPE whatever the model said ("North Korea" as ORG).
      // (Cities taken for people stay people: many surnames are towns.)
      constexpr uint16_t kPersonal = kGazPerson | kGazFirst | kGazLast;
      if ((cats & kGazCountry) && !(cats & kPersonal)) e.type = EntityType::kGpe;
      // "Americans" found as a person, "Russian" as a place: nationalities.
      if ((cats & kGazNorp) && !(cats & (kPlace | kGazPerson | kGazOrg))) e.type = EntityType::kNorp;
    }
    std::vector<Entity> norp;
    size_t next = 0;
    for (const Sentence& s : doc->sentences()) {
      for (uint32_t i = s.token_begin; i < s.token_end;) {
        while (next < ents.size() && ents[next].token_end <= i) ++next;
        if (next < ents.size() && ents[next].token_begin <= i) {
          i = ents[next].token_end;
          continue;
        }
        std::string_view w = doc->token_text(i);
        const unsigned char c0 = static_cast<unsigned char>(w.empty() ? 'a' : w[0]);
        if (c0 >= 'A' && c0 <= 'Z') {
          const uint32_t limit = next < ents.size() ? std::min(ents[next].token_begin, s.token_end) : s.token_end;
          const Gazetteer::Match m = gazetteer->Longest(*doc, i, limit);
          if (m.length && (m.categories & kGazNorp)) {
            Entity e;
            e.token_begin = i;
            e.token_end = i + m.length;
            e.type = EntityType::kNorp;
            norp.push_back(e);
            i += m.length;
            continue;
          }
        }
        ++i;
      }
    }
    if (!norp.empty()) {
      ents.insert(ents.end(), norp.begin(), norp.end());
      std::sort(ents.begin(), ents.end(),
                [](const Entity& a, const Entity& b) { return a.token_begin < b.token_begin; });
    }
  }
  Propagate(doc);
  FindAffiliations(doc);
  FindTitles(doc);
}

}  // namespace

// ---------------------------------------------------------------------------
// Recognition.

struct EntityRecognizer::Impl {
  std::unique_ptr<model::ModelFile> file;
  model::Perceptron perceptron;
  NormSet common;
  const Gazetteer* gazetteer = nullptr;  // not owned
  WordClusters clusters;  // a view of the model's own copy, if it has one
  int levels = 0;         // clusters.num_levels(), 0 without
};

EntityRecognizer::EntityRecognizer() : impl_(new Impl) {}
EntityRecognizer::~EntityRecognizer() = default;

Result<std::unique_ptr<EntityRecognizer>> EntityRecognizer::Load(const std::string& path,
                                                                   const Gazetteer* gazetteer) {
  auto f = model::ModelFile::Open(path, kNerKind, kNerVersion);
  if (!f.ok()) return f.status();
  std::string_view blocks[5];
  Status st = model::SplitPayloadBlocks((*f)->payload(), blocks, 4, "ner");
  if (!st.ok()) return st.WithContext(path);
  // Options: "gazetteer=0|1", then " clusters=1" when a fifth block holds
  // the word classes the model was trained with.
  const bool with_clusters = blocks[3].ends_with(" clusters=1");
  if (with_clusters) blocks[3].remove_suffix(std::string_view(" clusters=1").size());
  std::string expected;
  for (int c = 0; c < kNumClasses; ++c) {
    if (c) expected += '\n';
    expected += c == 0 ? std::string("O") : std::string("BILU"[PartOf(c)], 1) + "-" + kCoarseName[TypeOf(c)];
  }
  if (blocks[0] != expected)
    return Status::Corruption(path + ": NER classes are not " + std::to_string(kNumClasses) +
                              " BILOU tags over PER, ORG, LOC; retrain with `sitrep train ner`");
  auto p = model::Perceptron::FromPayload(blocks[1]);
  if (!p.ok()) return p.status().WithContext(path);
  if (p->num_classes() != kNumClasses)
    return Status::Corruption(path + ": NER class count does not match its weights");
  std::unique_ptr<EntityRecognizer> r(new EntityRecognizer);
  st = r->impl_->common.Init(blocks[2]);
  if (!st.ok()) return st.WithContext(path);
  if (blocks[3] != "gazetteer=0" && blocks[3] != "gazetteer=1")
    return Status::Corruption(path + ": bad NER options block");
  if (blocks[3] == "gazetteer=1" && !gazetteer)
    return Status::InvalidArgument(path + ": this NER model was trained with gazetteer features; "
                                   "load models/gazetteer.bin with it");
  r->impl_->gazetteer = blocks[3] == "gazetteer=1" ? gazetteer : nullptr;
  if (with_clusters) {
    st = model::SplitPayloadBlocks((*f)->payload(), blocks, 5, "ner");
    if (!st.ok()) return st.WithContext(path);
    auto wc = WordClusters::FromTable(blocks[4]);
    if (!wc.ok()) return wc.status().WithContext(path);
    r->impl_->clusters = std::move(*wc);
    r->impl_->levels = r->impl_->clusters.num_levels();
  }
  r->impl_->perceptron = std::move(*p);
  r->impl_->file = std::move(f.value());
  return r;
}

void EntityRecognizer::Recognize(Document* doc) const {
  const model::Perceptron& w = impl_->perceptron;
  std::vector<Lex> lex;
  std::vector<int> classes;
  DocMemory memory;
  uint64_t feats[kMaxFeatures];
  float scores[64];
  doc->entities().clear();
  doc->entity_values().clear();
  for (const Sentence& s : doc->sentences()) {
    const size_t n = s.token_end - s.token_begin;
    lex.resize(n);
    classes.assign(n, 0);
    ComputeLex(*doc, s.token_begin, s.token_end, impl_->common, impl_->gazetteer,
               impl_->levels ? &impl_->clusters : nullptr, lex.data());
    int t1 = -1, t2 = -1;
    for (size_t k = 0; k < n; ++k) {
      int c = 0;
      if (!(lex[k].skip && !(t1 >= 0 && Open(t1)))) {
        const int count = Features(lex.data(), n, k, t1, t2, memory, impl_->levels, feats);
        for (int j = 0; j < count; ++j) w.Prefetch(feats[j]);  // overlap the table's misses
        std::fill(scores, scores + kNumClasses, 0.0f);
        w.Score(feats, static_cast<size_t>(count), scores);
        // The last token cannot leave a mention open.
        if (k + 1 == n)
          for (int x = 0; x < kNumClasses; ++x)
            if (Open(x)) scores[x] = -1e30f;
        c = BestAllowed(scores, t1);
      }
      classes[k] = c;
      t2 = t1;
      t1 = c;
    }
    Remember(lex.data(), classes.data(), n, &memory);
    ForEachMention(classes.data(), n, [&](size_t b, size_t e, int type) {
      Entity ent;
      ent.token_begin = static_cast<uint32_t>(s.token_begin + b);
      ent.token_end = static_cast<uint32_t>(s.token_begin + e);
      ent.type = kCoarse[type];
      doc->entities().push_back(ent);
    });
  }
  Refine(doc, impl_->gazetteer);
}

// ---------------------------------------------------------------------------
// Corpora.

namespace {

std::vector<std::string_view> SplitFields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

EntityType MapLabel(std::string_view t) {
  std::string l(t);
  for (char& c : l) c = Lower(c);
  if (l == "per" || l == "person") return EntityType::kPerson;
  if (l == "org" || l == "organization" || l == "organisation" || l == "corporation")
    return EntityType::kOrg;
  if (l == "loc" || l == "location" || l == "place" || l == "geo-loc" || l == "gpe")
    return EntityType::kLoc;
  return EntityType::kNone;
}

// Builds spans from IOB1/IOB2 tags (an I- after O or after another type
// begins a mention, as IOB1 has it).
void SpansFromIob(const std::vector<std::string>& tags, NerSentence* out) {
  EntityType open = EntityType::kNone;
  std::string open_raw;
  uint32_t begin = 0;
  auto close = [&](uint32_t end) {
    if (open != EntityType::kNone) out->spans.push_back({begin, end, open});
    else if (!open_raw.empty()) out->other_mentions.emplace_back(begin, end);
    open = EntityType::kNone;
    open_raw.clear();
  };
  for (uint32_t i = 0; i < tags.size(); ++i) {
    std::string_view t = tags[i];
    if (t == "O" || t.size() < 2 || t[1] != '-') {
      close(i);
      continue;
    }
    std::string_view raw = t.substr(2);
    if (t[0] == 'B' || raw != open_raw || open_raw.empty()) {
      close(i);
      open_raw = std::string(raw);
      open = MapLabel(raw);
      begin = i;
      if (open == EntityType::kNone) open_raw = std::string(raw);  // keep for continuation
    }
  }
  close(static_cast<uint32_t>(tags.size()));
}

Status ParseColumns(std::string_view data, bool uner, std::vector<NerSentence>* out) {
  NerSentence cur;
  std::vector<std::string> tags;
  std::string doc_id;
  int doc_count = 0;
  auto flush = [&]() {
    if (cur.words.empty()) return;
    SpansFromIob(tags, &cur);
    cur.doc_id = doc_id;
    out->push_back(std::move(cur));
    cur = NerSentence();
    tags.clear();
  };
  size_t line_no = 0;
  while (!data.empty()) {
    size_t nl = data.find('\n');
    std::string_view line = data.substr(0, nl);
    data = nl == std::string_view::npos ? std::string_view() : data.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      flush();
      continue;
    }
    if (uner && line[0] == '#') {
      constexpr std::string_view kNewdoc = "# newdoc id = ";
      if (line.substr(0, kNewdoc.size()) == kNewdoc) doc_id = std::string(line.substr(kNewdoc.size()));
      continue;
    }
    std::vector<std::string_view> f = SplitFields(line);
    if (f.empty()) {
      flush();
      continue;
    }
    if (f[0] == "-DOCSTART-") {
      flush();
      doc_id = "doc" + std::to_string(++doc_count);
      continue;
    }
    // A whitespace word ("\tO", seen in BTC) is no token.
    if (!uner && f.size() == 1 && line.find('\t') != std::string_view::npos) continue;
    if (uner ? f.size() < 3 : f.size() < 2)
      return Status::InvalidArgument("line " + std::to_string(line_no) + ": expected " +
                                     (uner ? "ID, word and tag" : "a word and a tag"));
    cur.words.emplace_back(uner ? f[1] : f[0]);
    tags.emplace_back(uner ? f[2] : f.back());
  }
  flush();
  return Status::Ok();
}

// GUM's Entity= value of a word's MISC, or "".
std::string_view EntityField(std::string_view misc) {
  size_t p = 0;
  while (p < misc.size()) {
    size_t bar = misc.find('|', p);
    std::string_view kv = misc.substr(p, bar == std::string_view::npos ? std::string_view::npos : bar - p);
    if (kv.substr(0, 7) == "Entity=") return kv.substr(7);
    if (bar == std::string_view::npos) break;
    p = bar + 1;
  }
  return {};
}

// Words that join the capitalized words of one name: "Bank of England",
// "Procter & Gamble", "King 's College", "Charles de Gaulle".
bool IsConnector(std::string_view w) {
  static constexpr std::string_view kWords[] = {"of", "and", "&", "de", "the", "-", "for", "du",
                                                "la", "'s", "von", "van", "der", "da", "al", "bin"};
  return std::find(std::begin(kWords), std::end(kWords), w) != std::end(kWords);
}

// Honorifics and titles that precede a name and are not part of it.
bool IsTitle(std::string_view w) {
  static constexpr std::string_view kWords[] = {
      "Mr.", "Mrs.", "Ms.", "Mr", "Mrs", "Ms", "Dr.", "Dr", "Prof.", "Sir", "Dame", "Lord",
      "Lady", "St.", "Rev.", "Gen.", "Col.", "Lt.", "Sgt.", "Capt.", "Maj.", "Sen.", "Rep.",
      "Gov.", "Pres.", "President", "Senator", "Governor", "Minister", "Prime", "King", "Queen",
      "Prince", "Princess", "Pope", "Saint", "General", "Colonel", "Captain", "Judge", "Justice",
      "Chancellor", "Secretary", "Mayor", "Premier", "Emperor", "Empress", "Professor", "Doctor",
      "Father", "Brother", "Sister", "Uncle", "Aunt", "Mister", "Miss", "Madame", "Monsieur"};
  return std::find(std::begin(kWords), std::end(kWords), w) != std::end(kWords);
}

// Named mentions of one GUM sentence (see ReadNerFile).
void GumMentions(const ConlluSentence& s, NerSentence* out) {
  struct OpenMention {
    std::string id, type;
    uint32_t begin;
  };
  std::vector<OpenMention> stack;
  struct Mention {
    uint32_t begin, end;
    EntityType type;
  };
  std::vector<Mention> mentions;
  const uint32_t n = static_cast<uint32_t>(s.words.size());
  for (uint32_t i = 0; i < n; ++i) {
    std::string_view e = EntityField(s.words[i].misc);
    size_t p = 0;
    while (p < e.size()) {
      if (e[p] == '(') {
        size_t q = p + 1;
        while (q < e.size() && e[q] != '(' && e[q] != ')') ++q;
        std::string_view body = e.substr(p + 1, q - p - 1);
        size_t d1 = body.find('-');
        size_t d2 = d1 == std::string_view::npos ? d1 : body.find('-', d1 + 1);
        OpenMention m{std::string(body.substr(0, d1)),
                      d1 == std::string_view::npos ? "" : std::string(body.substr(d1 + 1, d2 - d1 - 1)), i};
        if (q < e.size() && e[q] == ')') {
          mentions.push_back({i, i + 1, MapLabel(m.type)});
          p = q + 1;
        } else {
          stack.push_back(std::move(m));
          p = q;
        }
      } else {
        size_t q = e.find(')', p);
        if (q == std::string_view::npos) break;
        std::string_view id = e.substr(p, q - p);
        for (size_t k = stack.size(); k > 0; --k)
          if (stack[k - 1].id == id) {
            mentions.push_back({stack[k - 1].begin, i + 1, MapLabel(stack[k - 1].type)});
            stack.erase(stack.begin() + static_cast<long>(k - 1));
            break;
          }
        p = q + 1;
      }
    }
  }
  // Name words: proper nouns and capitalized words other than determiners,
  // pronouns and adpositions ("United" in "United States" is an ADJ).
  auto propn = [&](uint32_t i) {
    const ConlluWord& w = s.words[i];
    if (w.upos == "PROPN") return true;
    const unsigned char c = static_cast<unsigned char>(w.form.empty() ? 'a' : w.form[0]);
    return c >= 'A' && c <= 'Z' && w.upos != "DET" && w.upos != "PRON" && w.upos != "ADP" &&
           w.upos != "PUNCT" && w.upos != "CCONJ";
  };
  std::vector<NerSpan> spans;
  for (const Mention& m : mentions) {
    // The syntactic head: the word whose head lies outside the mention.
    int head = -1;
    for (uint32_t i = m.begin; i < m.end; ++i) {
      int h = s.words[i].head - 1;
      if (h < static_cast<int>(m.begin) || h >= static_cast<int>(m.end)) {
        head = static_cast<int>(i);
        break;
      }
    }
    if (head < 0 || s.words[static_cast<uint32_t>(head)].upos != "PROPN") continue;
    if (m.type == EntityType::kNone) {
      out->other_mentions.emplace_back(m.begin, m.end);
      continue;
    }
    uint32_t b = static_cast<uint32_t>(head), e = b + 1;
    for (;;) {
      if (b > m.begin && propn(b - 1)) { --b; continue; }
      if (b > m.begin + 1 && IsConnector(s.words[b - 1].form) && propn(b - 2)) { b -= 2; continue; }
      break;
    }
    for (;;) {
      if (e < m.end && propn(e)) { ++e; continue; }
      if (e + 1 < m.end && IsConnector(s.words[e].form) && propn(e + 1)) { e += 2; continue; }
      // "of the": two connectors.
      if (e + 2 < m.end && IsConnector(s.words[e].form) && IsConnector(s.words[e + 1].form) &&
          propn(e + 2)) { e += 3; continue; }
      break;
    }
    while (b + 1 < e && IsTitle(s.words[b].form)) ++b;
    // A lone title ("the Secretary") or a plural people noun ("Americans",
    // CoNLL's MISC) names no one.
    if (e - b == 1 && (IsTitle(s.words[b].form) || s.words[b].xpos == "NNPS") &&
        m.type == EntityType::kPerson) {
      out->other_mentions.emplace_back(b, e);
      continue;
    }
    spans.push_back({b, e, m.type});
  }
  // Nested named mentions ("University of Portsmouth" inside "the University
  // of Portsmouth 's staff"): keep the longest; then drop overlaps.
  std::sort(spans.begin(), spans.end(), [](const NerSpan& a, const NerSpan& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  uint32_t covered = 0;
  for (const NerSpan& sp : spans) {
    if (sp.begin < covered) continue;
    out->spans.push_back(sp);
    covered = sp.end;
  }
}

}  // namespace

Status ParseNer(std::string_view data, const std::string& name, std::vector<NerSentence>* out) {
  auto ends_with = [&](std::string_view suffix) {
    return name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with(".conllu")) {
    std::vector<ConlluSentence> sents;
    Status st = ParseConllu(data, &sents);
    if (!st.ok()) return st;
    std::string doc;
    for (const ConlluSentence& s : sents) {
      if (!s.doc_id.empty()) doc = s.doc_id;
      NerSentence x;
      x.doc_id = doc;
      for (const ConlluWord& w : s.words) x.words.push_back(w.form);
      GumMentions(s, &x);
      out->push_back(std::move(x));
    }
    return Status::Ok();
  }
  return ParseColumns(data, ends_with(".iob2"), out);
}

Result<std::vector<NerSentence>> ReadNerFile(const std::string& path) {
  auto data = io::ReadWholeFile(path);
  if (!data.ok()) return data.status();
  std::vector<NerSentence> out;
  Status st = ParseNer(*data, path, &out);
  if (!st.ok()) return st.WithContext(path);
  return out;
}

// ---------------------------------------------------------------------------
// Training.

Status TrainNer(const std::vector<NerSentence>& train, const Tagger* tagger,
                const Gazetteer* gazetteer, const NerTrainOptions& options, const std::string& out_path,
                const std::string& meta_json) {
  // Documents with their gold classes; mentions starting with a plain word
  // are dropped (the recognizer never starts one there).
  struct TrainDoc {
    Document doc;
    std::vector<int> gold;  // per token
  };
  std::vector<TrainDoc> docs;
  for (const auto& group : GroupDocuments(train)) {
    TrainDoc td{BuildDocument(group, tagger), {}};
    for (const NerSentence* s : group) {
      std::vector<int> g(s->words.size(), 0);
      for (const NerSpan& sp : s->spans) {
        const int type = CoarseIndex(sp.type);
        if (type < 0 || sp.end <= sp.begin || sp.end > g.size()) continue;
        if (sp.end - sp.begin == 1) {
          g[sp.begin] = ClassOf(type, kU);
        } else {
          g[sp.begin] = ClassOf(type, kB);
          for (uint32_t k = sp.begin + 1; k + 1 < sp.end; ++k) g[k] = ClassOf(type, kI);
          g[sp.end - 1] = ClassOf(type, kL);
        }
      }
      td.gold.insert(td.gold.end(), g.begin(), g.end());
    }
    docs.push_back(std::move(td));
  }
  // Common words: seen at least twice, never inside a mention of any type
  // (the corpora's MISC and OTH included).
  std::unordered_map<uint64_t, std::pair<uint32_t, bool>> seen;  // norm -> (count, ever named)
  for (const NerSentence& s : train) {
    std::vector<char> named(s.words.size(), 0);
    for (const NerSpan& sp : s.spans)
      for (uint32_t k = sp.begin; k < sp.end && k < named.size(); ++k) named[k] = 1;
    for (const auto& [b, e] : s.other_mentions)
      for (uint32_t k = b; k < e && k < named.size(); ++k) named[k] = 1;
    for (size_t k = 0; k < s.words.size(); ++k) {
      auto& x = seen[NormId(NormalForm(s.words[k]))];
      ++x.first;
      x.second = x.second || named[k];
    }
  }
  std::vector<uint64_t> common_ids;
  for (const auto& [norm, x] : seen)
    if (x.first >= 2 && !x.second) common_ids.push_back(norm);
  std::sort(common_ids.begin(), common_ids.end());
  const std::string common_block = NormSet::Build(common_ids);
  NormSet common;
  Status cst = common.Init(common_block);
  if (!cst.ok()) return cst;
  const int levels = options.clusters ? options.clusters->num_levels() : 0;
  model::PerceptronTrainer trainer(kNumClasses);
  std::vector<size_t> order(docs.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(options.seed);
  std::vector<Lex> lex;
  std::vector<int> predicted;
  uint64_t feats[kMaxFeatures];
  float scores[kNumClasses];
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    for (size_t di : order) {
      const TrainDoc& td = docs[di];
      DocMemory memory;
      for (const Sentence& s : td.doc.sentences()) {
        const size_t n = s.token_end - s.token_begin;
        lex.resize(n);
        predicted.assign(n, 0);
        ComputeLex(td.doc, s.token_begin, s.token_end, common, gazetteer, options.clusters,
                   lex.data());
        const int* gold = td.gold.data() + s.token_begin;
        for (size_t k = 0; k < n; ++k) {
          // Gold history (t1, t2), as the greedy decoder sees its own.
          const int t1 = k > 0 ? gold[k - 1] : -1, t2 = k > 1 ? gold[k - 2] : -1;
          if (lex[k].skip && !(t1 >= 0 && Open(t1))) continue;
          const int count = Features(lex.data(), n, k, t1, t2, memory, levels, feats);
          std::fill(scores, scores + kNumClasses, 0.0f);
          trainer.Score(feats, static_cast<size_t>(count), scores);
          const int guess = BestAllowed(scores, t1);
          predicted[k] = guess;
          trainer.Step(feats, static_cast<size_t>(count), gold[k], guess);
        }
        // Memory from the model's own (gold-history) guesses, repaired into
        // well-formed mentions by keeping only completed ones.
        std::vector<int> clean(n, 0);
        ForEachMention(predicted.data(), n, [&](size_t b, size_t e, int type) {
          for (size_t k = b; k < e; ++k) clean[k] = ClassOf(type, kI);
        });
        Remember(lex.data(), clean.data(), n, &memory);
      }
    }
  }
  auto weights = trainer.Serialize(options.min_weight);
  if (!weights.ok()) return weights.status();
  std::string names;
  for (int c = 0; c < kNumClasses; ++c) {
    if (c) names += '\n';
    names += c == 0 ? std::string("O") : std::string("BILU"[PartOf(c)], 1) + "-" + kCoarseName[TypeOf(c)];
  }
  std::string payload;
  model::AppendPayloadBlock(&payload, names);
  model::AppendPayloadBlock(&payload, *weights);
  model::AppendPayloadBlock(&payload, common_block);
  // Options; a model with word classes carries its own copy of them.
  std::string flags = gazetteer ? "gazetteer=1" : "gazetteer=0";
  if (options.clusters) flags += " clusters=1";
  model::AppendPayloadBlock(&payload, flags);
  if (options.clusters) model::AppendPayloadBlock(&payload, options.clusters->Table());
  return model::WriteModelFile(out_path, kNerKind, kNerVersion, meta_json, payload);
}

// ---------------------------------------------------------------------------
// Evaluation.

NerScores EvaluateNer(const std::vector<NerSentence>& gold, const Tagger* tagger,
                      const EntityRecognizer& ner, std::string* errors) {
  NerScores out;
  auto count = [&](const char* type, uint64_t SpanCounts::*field) {
    out.by_type[type].*field += 1;
    out.all.*field += 1;
  };
  for (const auto& group : GroupDocuments(gold)) {
    Document doc = BuildDocument(group, tagger);
    ner.Recognize(&doc);
    size_t ent = 0;
    for (size_t si = 0; si < group.size(); ++si) {
      const Sentence& s = doc.sentences()[si];
      std::vector<std::tuple<uint32_t, uint32_t, int>> sys, ref;
      for (; ent < doc.entities().size() && doc.entities()[ent].token_begin < s.token_end; ++ent) {
        const Entity& e = doc.entities()[ent];
        const int t = CoarseIndex(e.type);
        if (t >= 0) sys.emplace_back(e.token_begin - s.token_begin, e.token_end - s.token_begin, t);
      }
      for (const NerSpan& sp : group[si]->spans) {
        const int t = CoarseIndex(sp.type);
        if (t >= 0) ref.emplace_back(sp.begin, sp.end, t);
      }
      for (const auto& x : sys) {
        count(kCoarseName[std::get<2>(x)], &SpanCounts::system);
        if (std::find(ref.begin(), ref.end(), x) != ref.end())
          count(kCoarseName[std::get<2>(x)], &SpanCounts::matched);
      }
      for (const auto& x : ref) count(kCoarseName[std::get<2>(x)], &SpanCounts::gold);
      if (errors && sys != ref) {
        const std::vector<std::string>& w = group[si]->words;
        auto show = [&](const char* what, const auto& spans) {
          *errors += what;
          for (const auto& [b, e, t] : spans) {
            *errors += " [";
            for (uint32_t k = b; k < e; ++k) *errors += (k > b ? " " : "") + w[k];
            *errors += std::string("]/") + kCoarseName[t];
          }
          *errors += '\n';
        };
        for (size_t k = 0; k < w.size(); ++k) *errors += (k ? " " : "") + w[k];
        *errors += '\n';
        show("  gold:  ", ref);
        show("  system:", sys);
      }
    }
  }
  return out;
}

}  // namespace sitrep
