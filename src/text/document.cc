#include "sitrep/document.h"

#include <utf8proc.h>
#include <xxhash.h>

#include <cstdlib>

namespace sitrep {

std::string_view TokenKindName(TokenKind kind) {
  switch (kind) {
    case TokenKind::kWord: return "word";
    case TokenKind::kNumber: return "number";
    case TokenKind::kPunct: return "punct";
    case TokenKind::kQuote: return "quote";
    case TokenKind::kSymbol: return "symbol";
    case TokenKind::kUrl: return "url";
    case TokenKind::kEmail: return "email";
    case TokenKind::kEmoticon: return "emoticon";
    case TokenKind::kAbbreviation: return "abbrev";
  }
  return "word";
}

void Document::Reset(std::string text) {
  text_ = std::move(text);
  tokens_.clear();
  sentences_.clear();
  paragraphs_.clear();
  diagnostics_.clear();
  tags_.clear();
  lemma_pool_.clear();
  deps_.clear();
  entities_.clear();
  entity_values_.clear();
  actors_.clear();
  mentions_.clear();
  actor_pool_.clear();
  times_.clear();
  quotes_.clear();
  events_.clear();
  event_args_.clear();
}

void Document::Clear() {
  text_.clear();
  meta_ = Metadata();
  origin_ = Origin();
  tokens_.clear();
  sentences_.clear();
  paragraphs_.clear();
  diagnostics_.clear();
  tags_.clear();
  lemma_pool_.clear();
  deps_.clear();
  entities_.clear();
  entity_values_.clear();
  actors_.clear();
  mentions_.clear();
  actor_pool_.clear();
  times_.clear();
  quotes_.clear();
  events_.clear();
  event_args_.clear();
}

namespace {
constexpr std::string_view kUposNames[kNumUpos] = {
    "_",    "ADJ",  "ADP",   "ADV",   "AUX",   "CCONJ", "DET",  "INTJ", "NOUN",
    "NUM",  "PART", "PRON",  "PROPN", "PUNCT", "SCONJ", "SYM",  "VERB", "X"};
}  // namespace

std::string_view ActorKindName(ActorKind kind) {
  static constexpr std::string_view kNames[] = {"", "person", "country", "org", "place", "group"};
  const auto i = static_cast<size_t>(kind);
  return i < std::size(kNames) ? kNames[i] : std::string_view();
}

std::string_view MentionHowName(MentionHow how) {
  static constexpr std::string_view kNames[] = {"name",    "alias",   "surname", "demonym",
                                                "capital", "metonym", "pronoun", "nominal"};
  const auto i = static_cast<size_t>(how);
  return i < std::size(kNames) ? kNames[i] : std::string_view();
}

std::string_view UposName(Upos tag) {
  size_t i = static_cast<size_t>(tag);
  return i < kNumUpos ? kUposNames[i] : "_";
}

Upos UposFromName(std::string_view name) {
  for (int i = 1; i < kNumUpos; ++i)
    if (kUposNames[i] == name) return static_cast<Upos>(i);
  return Upos::kNone;
}

namespace {
constexpr std::string_view kEntityTypeNames[kNumEntityTypes] = {
    "_",    "PERSON", "NORP",    "FAC",      "ORG",      "GPE",      "LOC",    "EVENT",
    "DATE", "TIME",   "MONEY",   "PERCENT",  "QUANTITY", "CARDINAL", "ORDINAL"};
}  // namespace

std::string_view EntityTypeName(EntityType type) {
  size_t i = static_cast<size_t>(type);
  return i < kNumEntityTypes ? kEntityTypeNames[i] : "_";
}

EntityType EntityTypeFromName(std::string_view name) {
  for (int i = 1; i < kNumEntityTypes; ++i)
    if (kEntityTypeNames[i] == name) return static_cast<EntityType>(i);
  return EntityType::kNone;
}

const std::vector<std::string_view>& XposNames() {
  static const std::vector<std::string_view> names = {
      "_",    "$",   "''",  ",",   "-LRB-", "-RRB-", ".",   ":",   "ADD",  "AFX", "CC",
      "CD",   "DT",  "EX",  "FW",  "GW",    "HYPH",  "IN",  "JJ",  "JJR",  "JJS", "LS",
      "MD",   "NFP", "NN",  "NNP", "NNPS",  "NNS",   "PDT", "POS", "PRP",  "PRP$", "RB",
      "RBR",  "RBS", "RP",  "SYM", "TO",    "UH",    "VB",  "VBD", "VBG",  "VBN", "VBP",
      "VBZ",  "WDT", "WP",  "WP$", "WRB",   "``",    "#"};
  return names;
}

uint8_t XposFromName(std::string_view name) {
  const auto& names = XposNames();
  for (size_t i = 1; i < names.size(); ++i)
    if (names[i] == name) return static_cast<uint8_t>(i);
  return 0;
}

const std::vector<std::string_view>& DeprelNames() {
  static const std::vector<std::string_view> names = {
      "_",         "acl",          "acl:relcl",   "advcl",      "advcl:relcl",  "advmod",
      "amod",      "appos",        "aux",         "aux:pass",   "case",         "cc",
      "cc:preconj", "ccomp",       "clf",         "compound",   "compound:prt", "conj",
      "cop",       "csubj",        "csubj:outer", "csubj:pass", "dep",          "det",
      "det:predet", "discourse",   "dislocated",  "expl",       "fixed",        "flat",
      "flat:foreign", "goeswith",  "iobj",        "list",       "mark",         "nmod",
      "nmod:desc", "nmod:npmod",   "nmod:poss",   "nmod:tmod",  "nmod:unmarked", "nsubj",
      "nsubj:outer", "nsubj:pass", "nummod",      "obj",        "obl",          "obl:agent",
      "obl:npmod", "obl:tmod",     "obl:unmarked", "orphan",    "parataxis",    "punct",
      "reparandum", "root",        "vocative",    "xcomp",      "det:poss"};
  return names;
}

uint8_t DeprelFromName(std::string_view name) {
  const auto& names = DeprelNames();
  for (size_t i = 1; i < names.size(); ++i)
    if (names[i] == name) return static_cast<uint8_t>(i);
  return 0;
}

uint64_t NormId(std::string_view s) { return XXH3_64bits(s.data(), s.size()); }

namespace {

// Decodes one code point of valid UTF-8 at s[i]; advances i.
utf8proc_int32_t Decode(std::string_view s, size_t* i) {
  utf8proc_int32_t cp = -1;
  utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + *i),
                                        static_cast<utf8proc_ssize_t>(s.size() - *i), &cp);
  if (n <= 0) {
    *i += 1;
    return 0xFFFD;
  }
  *i += static_cast<size_t>(n);
  return cp;
}

void Append(std::string* out, utf8proc_int32_t cp) {
  utf8proc_uint8_t buf[4];
  utf8proc_ssize_t n = utf8proc_encode_char(cp, buf);
  out->append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

}  // namespace

std::string NormalForm(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  AppendNormalForm(token, &out);
  return out;
}

void AppendNormalForm(std::string_view token, std::string* out) {
  // The ASCII prefix (usually the whole token) is lower-cased in place.
  const size_t start = out->size();
  out->resize(start + token.size());
  char* o = out->data() + start;
  size_t i = 0;
  for (; i < token.size() && static_cast<unsigned char>(token[i]) < 0x80; ++i) {
    char c = token[i];
    o[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
  }
  out->resize(start + i);
  while (i < token.size()) {
    unsigned char c = static_cast<unsigned char>(token[i]);
    if (c < 0x80) {
      out->push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
      ++i;
      continue;
    }
    utf8proc_int32_t cp = Decode(token, &i);
    switch (cp) {
      case 0x2018: case 0x2019: case 0x201B: case 0x2032: out->push_back('\''); continue;
      case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x00AB: case 0x00BB: case 0x2033:
        out->push_back('"'); continue;
      case 0x2013: case 0x2014: case 0x2015: *out += "--"; continue;
      case 0x2026: *out += "..."; continue;
      default: break;
    }
    utf8proc_int32_t folded[4];
    int last = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(cp, folded, 4, UTF8PROC_CASEFOLD, &last);
    if (n <= 0 || n > 4) {
      Append(out, cp);
    } else {
      for (utf8proc_ssize_t k = 0; k < n; ++k) Append(out, folded[k]);
    }
  }
}

std::string WordShape(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  char last = 0;
  int run = 0;
  size_t i = 0;
  while (i < token.size()) {
    unsigned char c = static_cast<unsigned char>(token[i]);
    char cls;
    std::string other;
    if (c < 0x80) {
      ++i;
      if (c >= 'A' && c <= 'Z') cls = 'X';
      else if (c >= 'a' && c <= 'z') cls = 'x';
      else if (c >= '0' && c <= '9') cls = 'd';
      else cls = static_cast<char>(c);
    } else {
      size_t start = i;
      utf8proc_int32_t cp = Decode(token, &i);
      switch (utf8proc_category(cp)) {
        case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT: cls = 'X'; break;
        case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: cls = 'x'; break;
        case UTF8PROC_CATEGORY_ND: cls = 'd'; break;
        default:
          cls = 0;
          other.assign(token.substr(start, i - start));
      }
    }
    if (cls == 0) {
      out += other;
      last = 0;
      run = 0;
      continue;
    }
    if (cls == last) {
      if (++run > 4) continue;
    } else {
      last = cls;
      run = 1;
    }
    out.push_back(cls);
  }
  return out;
}

}  // namespace sitrep
