// Rule-based tokenizer for English news text.
//
// The text is cut at whitespace into chunks; each chunk is scanned left to
// right. Letters and digits start a word that may continue through internal
// connectors (hyphen, apostrophe, period, comma, colon, slash, ampersand, @)
// when a letter or digit follows; a final period joins the word when the word
// is an abbreviation. Every other character starts a punctuation or symbol
// token; runs such as "...", "--", "!!!" and "?!" are one token. Clitics are
// then split off words ("do" "n't", "Ukraine" "'s").
//
// ASCII is classified through a table; other code points through utf8proc.
#include <utf8proc.h>
#include "text/xxh3_inline.h"  // first: it defines XXH_INLINE_ALL

#include <array>
#include <cstring>

#include "sitrep/text.h"
#include "text/abbreviations.h"

namespace sitrep {

namespace {

using text::AbbrevClass;
using text::ClassifyAbbreviation;

// ASCII character classes.
enum : uint8_t {
  kSp = 1,      // whitespace or control
  kUp = 2,      // A-Z
  kLo = 4,      // a-z
  kDi = 8,      // 0-9
  kAlnumMask = kUp | kLo | kDi,
};

constexpr std::array<uint8_t, 128> MakeAsciiTable() {
  std::array<uint8_t, 128> t{};
  for (int c = 0; c < 32; ++c) t[c] = kSp;
  t[' '] = kSp;
  t[127] = kSp;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = kUp;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = kLo;
  for (int c = '0'; c <= '9'; ++c) t[c] = kDi;
  return t;
}
constexpr std::array<uint8_t, 128> kAscii = MakeAsciiTable();

// ASCII lower-case map and word-shape class (X, x, d, or the character).
constexpr std::array<char, 128> MakeLowerTable() {
  std::array<char, 128> t{};
  for (int c = 0; c < 128; ++c) t[c] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return t;
}
constexpr std::array<char, 128> MakeShapeTable() {
  std::array<char, 128> t{};
  for (int c = 0; c < 128; ++c)
    t[c] = static_cast<char>(c >= 'A' && c <= 'Z' ? 'X' : c >= 'a' && c <= 'z' ? 'x'
                             : c >= '0' && c <= '9' ? 'd' : c);
  return t;
}
constexpr std::array<char, 128> kLower = MakeLowerTable();
constexpr std::array<char, 128> kShape = MakeShapeTable();

// A decoded code point and its byte length.
struct Cp {
  int32_t cp;
  uint32_t len;
};

inline Cp DecodeAt(const char* s, size_t n, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return {c, 1};
  utf8proc_int32_t cp = 0xFFFD;
  utf8proc_ssize_t len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s + i),
                                          static_cast<utf8proc_ssize_t>(n - i), &cp);
  if (len <= 0) return {0xFFFD, 1};
  return {cp, static_cast<uint32_t>(len)};
}

inline bool IsSpaceCp(int32_t cp) {
  if (cp < 0x80) return kAscii[cp] & kSp;
  switch (cp) {
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F:
    case 0x3000: case 0x200B: case 0x2060: case 0xFEFF:
      return true;
    default:
      break;
  }
  if (cp >= 0x2000 && cp <= 0x200A) return true;
  if (cp < 0xA0) return true;  // C1 controls
  return false;
}

// Letters, marks, digits; plus the invisible joiners that live inside words.
inline bool IsAlnumCp(int32_t cp) {
  if (cp < 0x80) return kAscii[cp] & kAlnumMask;
  if (cp == 0xAD || cp == 0x200C || cp == 0x200D) return true;
  if (cp == 0xAA || cp == 0xBA) return false;  // ª º: used as degree signs (29 ºC)
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

inline bool IsLowerCp(int32_t cp) {
  if (cp < 0x80) return kAscii[cp] & kLo;
  return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}
inline bool IsDigitCp(int32_t cp) { return cp < 0x80 && (kAscii[cp] & kDi); }

inline bool IsApostrophe(int32_t cp) { return cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == '`'; }

inline bool IsQuoteCp(int32_t cp) {
  switch (cp) {
    case '"': case '\'': case '`': case 0x2018: case 0x2019: case 0x201A: case 0x201B:
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0xAB: case 0xBB: case 0x2039:
    case 0x203A: case 0x300C: case 0x300D: case 0x300E: case 0x300F:
      return true;
    default:
      return false;
  }
}

inline bool IsDashCp(int32_t cp) {
  return cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE58 ||
         cp == 0xFE63 || cp == 0xFF0D;
}

bool StartsWithIgnoreCase(const char* s, size_t n, const char* prefix) {
  size_t m = std::strlen(prefix);
  if (n < m) return false;
  for (size_t i = 0; i < m; ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != prefix[i]) return false;
  }
  return true;
}

constexpr const char* kEmoticons[] = {":-)", ":-(", ":-D", ":-P", ":-/", ";-)", ":'(", "^_^",
                                      ":)", ":(", ":D", ":P", ":p", ":/", ";)", "<3", "=)",
                                      "=(", "^^", ":O", ":o", ":|"};

// Classifies up to 8 bytes at s[p] (fewer at the end of the text): returns
// the number of leading ASCII letters, their lower-cased bytes in *lower
// (little endian, zero padded) and their case pattern in *pattern (bit i set
// when letter i is lower case).
inline size_t Letters8(const char* s, size_t n, size_t p, uint64_t* lower, unsigned* pattern) {
  uint64_t x = 0;
  size_t avail = n - p < 8 ? n - p : 8;
  std::memcpy(&x, s + p, avail);
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  const uint64_t low = x | (0x20 * kOnes);
  // A byte is a letter iff its high bit is clear and (b | 0x20) is in a..z.
  const uint64_t ge_a = low + (0x1F * kOnes);  // high bit set iff >= 'a'
  const uint64_t gt_z = low + (0x05 * kOnes);  // high bit set iff > 'z'
  uint64_t letter = ge_a & ~gt_z & ~x & kHigh;
  if (avail < 8) letter &= (1ull << (avail * 8)) - 1;
  uint64_t not_letter = ~letter & kHigh;
  size_t len = not_letter ? static_cast<size_t>(__builtin_ctzll(not_letter)) / 8 : avail;
  uint64_t keep = len == 8 ? ~0ull : (1ull << (len * 8)) - 1;
  *lower = low & keep;
  // Bit 5 of each letter byte is its lower-case bit; gather one bit per byte.
  uint64_t case_bits = (x >> 5) & kOnes & keep;
  *pattern = static_cast<unsigned>((case_bits * 0x0102040810204080ull) >> 56);
  return len;
}

// A run of up to 16 ASCII letters read by FastLetters.
struct LetterRun {
  size_t len = 0;
  uint64_t lower[2] = {0, 0};
  unsigned pattern = 0;  // bit i set when letter i is lower case
};

// Reads the run of ASCII letters at s[p] (s[p] is one) when it is at most 16
// letters long; returns false for longer runs.
inline bool FastLetters(const char* s, size_t n, size_t p, LetterRun* r) {
  unsigned pat;
  size_t len = Letters8(s, n, p, &r->lower[0], &pat);
  r->pattern = pat;
  r->lower[1] = 0;
  if (len == 8 && p + 8 < n) {
    size_t len2 = Letters8(s, n, p + 8, &r->lower[1], &pat);
    r->pattern |= pat << 8;
    len += len2;
    if (len2 == 8 && p + 16 < n) {
      unsigned char c = static_cast<unsigned char>(s[p + 16]);
      if (c < 0x80 && (kAscii[c] & (kUp | kLo))) return false;  // 17+ letters
    }
  }
  r->len = len;
  return true;
}

// Shape id of a letter run from its case pattern: X/x runs cut to 4.
uint64_t LetterRunShape(const LetterRun& r) {
  char shape[16];
  size_t sl = 0;
  int run = 0;
  char last = 0;
  for (size_t i = 0; i < r.len; ++i) {
    char c = (r.pattern >> i) & 1 ? 'x' : 'X';
    run = c == last ? run + 1 : 1;
    last = c;
    if (run <= 4) shape[sl++] = c;
  }
  return XXH3_64bits(shape, sl);
}

// Per-call state of one Tokenize() run.
struct Scan {
  const char* s;
  size_t n;
  std::vector<Token>* out;
  bool single_quote_open = false;
};

inline Cp At(const Scan& sc, size_t i) { return DecodeAt(sc.s, sc.n, i); }

void Emit(Scan& sc, size_t b, size_t e, TokenKind kind, uint8_t flags) {
  Token t;
  t.begin = static_cast<uint32_t>(b);
  t.end = static_cast<uint32_t>(e);
  t.kind = kind;
  t.flags = flags;
  // Normalized form and shape ids. ASCII tokens up to 64 bytes take a fast
  // path with a stack buffer; the rest go through NormalForm / WordShape.
  const size_t len = e - b;
  bool ascii = len <= 64;
  if (ascii) {
    char norm[64];
    char shape[64];
    size_t sl = 0;
    char last = 0;
    int run = 0;
    unsigned char high = 0;
    for (size_t i = 0; i < len; ++i) {
      unsigned char c = static_cast<unsigned char>(sc.s[b + i]);
      high |= c;
      c &= 0x7F;
      norm[i] = kLower[c];
      char sh = kShape[c];
      run = sh == last ? run + 1 : 1;
      last = sh;
      if (run <= 4) shape[sl++] = sh;
    }
    ascii = high < 0x80;
    if (ascii) {
      t.norm = XXH3_64bits(norm, len);
      t.shape = XXH3_64bits(shape, sl);
      sc.out->push_back(t);
      return;
    }
  }
  {
    std::string_view tok(sc.s + b, len);
    t.norm = NormId(NormalForm(tok));
    t.shape = NormId(WordShape(tok));
  }
  sc.out->push_back(t);
}

// Clitic split point of the word [b, e): the byte offset where the clitic
// starts, or 0 if none. "cannot", "gonna", "gotta", "wanna" split after
// their third letter, as in the treebanks.
size_t CliticSplit(const char* s, size_t b, size_t e) {
  const size_t len = e - b;
  auto lower = [&](size_t i) -> char {
    char c = s[i];
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  };
  // Apostrophe ending at position p (exclusive): returns its length or 0.
  auto apos_before = [&](size_t p) -> size_t {
    if (p >= b + 1 && (s[p - 1] == '\'' || s[p - 1] == '`')) return 1;
    if (p >= b + 2 && static_cast<unsigned char>(s[p - 2]) == 0xC2 &&
        static_cast<unsigned char>(s[p - 1]) == 0xB4)
      return 2;  // U+00B4 acute accent used as an apostrophe
    if (p >= b + 3 && static_cast<unsigned char>(s[p - 3]) == 0xE2 &&
        static_cast<unsigned char>(s[p - 2]) == 0x80 &&
        static_cast<unsigned char>(s[p - 1]) == 0x99)
      return 3;  // U+2019
    return 0;
  };
  if (len >= 4 && lower(e - 1) == 't') {  // n't
    size_t a = apos_before(e - 1);
    if (a && e - 1 - a > b && lower(e - 1 - a - 1) == 'n' && e - 1 - a - 1 > b) return e - 1 - a - 1;
  }
  if (len >= 3) {
    char c1 = lower(e - 1);
    if (c1 == 's' || c1 == 'm' || c1 == 'd') {
      size_t a = apos_before(e - 1);
      if (a && e - 1 - a > b) return e - 1 - a;
    }
    if (len >= 4) {
      char c2 = lower(e - 2);
      if ((c2 == 'r' && c1 == 'e') || (c2 == 'v' && c1 == 'e') || (c2 == 'l' && c1 == 'l')) {
        size_t a = apos_before(e - 2);
        if (a && e - 2 - a > b) return e - 2 - a;
      }
    }
  }
  if (len == 6 && StartsWithIgnoreCase(s + b, len, "cannot")) return b + 3;
  if (len == 5 && (StartsWithIgnoreCase(s + b, len, "gonna") ||
                   StartsWithIgnoreCase(s + b, len, "wanna") ||
                   StartsWithIgnoreCase(s + b, len, "gotta")))
    return b + 3;
  return 0;
}

// Prefixes that stay attached to the rest of a hyphenated word, following the
// UD English convention (other hyphenated compounds are split: "full - fledged").
constexpr std::string_view kHyphenPrefixes[] = {
    "e", "non", "re", "mid", "anti", "co", "pre", "pro", "cross", "post", "semi", "counter",
    "multi", "ex", "sub", "mini", "neo", "socio", "psycho", "inter", "intra", "micro", "super",
    "proto", "mis", "un", "de", "bi", "tri", "uni", "hyper", "ultra", "infra", "trans", "macro",
    "meta", "quasi", "pseudo", "auto", "geo", "euro", "afro", "sino", "indo", "russo", "franco",
    "ex", "vice", "over", "under", "out", "post", "x", "uh", "mm"};

// Whether the hyphen at `i` inside the word starting at `q` joins its two
// sides into one token. Digit groups stay together as phone numbers and dates
// (three groups or more, or two groups of three digits or more); "5-3" splits.
bool KeepHyphen(const Scan& sc, size_t q, size_t i, bool prev_digit) {
  size_t part_begin = q;
  for (size_t k = i; k > q; --k) {
    char c = sc.s[k - 1];
    if (c == '-') {
      part_begin = k;
      break;
    }
  }
  if (prev_digit) {
    if (!(i + 1 < sc.n && sc.s[i + 1] >= '0' && sc.s[i + 1] <= '9')) return false;
    int groups = 1;
    size_t first = i - part_begin, second = 0;
    size_t k = i + 1;
    while (k < sc.n) {
      char c = sc.s[k];
      if (c >= '0' && c <= '9') {
        if (groups == 1) ++second;
        ++k;
      } else if (c == '-' && k + 1 < sc.n && sc.s[k + 1] >= '0' && sc.s[k + 1] <= '9') {
        ++groups;
        ++k;
      } else {
        break;
      }
    }
    if (part_begin != q) return true;  // already inside a kept digit group run
    return groups >= 2 || (first >= 3 && second >= 3);
  }
  if (part_begin != q) return false;
  std::string_view part(sc.s + part_begin, i - part_begin);
  if (part.size() > 7) return false;
  char low[8];
  for (size_t k = 0; k < part.size(); ++k) {
    char c = part[k];
    low[k] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  std::string_view lp(low, part.size());
  char next = i + 1 < sc.n ? sc.s[i + 1] : 0;
  if (lp.size() == 1) {
    // X-ray, T-shirt and e-mail stay; Lashkar-e-Toiba, (R-Texas) and I-580 split.
    if (!(next >= 'a' && next <= 'z')) return false;
    return (part[0] >= 'A' && part[0] <= 'Z') || lp == "e" || lp == "x";
  }
  for (std::string_view p : kHyphenPrefixes)
    if (lp == p) return true;
  return false;
}

// Whether the slash at `i` joins its sides: dates and fractions (9/11,
// 3/4) and short forms (and/or, s/he, w/o) stay one token; "USD/DM",
// "Privileged/Confidential" split.
bool KeepSlash(const Scan& sc, size_t q, size_t i, bool prev_digit, int32_t next) {
  bool next_digit = next >= '0' && next <= '9';
  if (prev_digit || next_digit) return prev_digit && next_digit;
  size_t left = 0;
  for (size_t k = i; k > q && sc.s[k - 1] != '/'; --k) ++left;
  size_t right = 0;
  for (size_t k = i + 1; k < sc.n && IsAlnumCp(static_cast<unsigned char>(sc.s[k]) < 0x80 ? sc.s[k] : 'a'); ++k) ++right;
  if (next >= 'A' && next <= 'Z') return false;
  char first = sc.s[i - left];
  if (first >= 'A' && first <= 'Z' && left > 1) return false;
  return left < 3 || right < 3;
}

// Scans a word starting at the letter/digit at `q` within the chunk ending at
// `ce`; returns its end.
size_t ScanWord(const Scan& sc, size_t q, size_t ce) {
  size_t i = q;
  size_t seg = 0;       // letters since the last connector
  bool prev_digit = false;
  while (i < ce) {
    Cp c = At(sc, i);
    if (IsAlnumCp(c.cp)) {
      prev_digit = IsDigitCp(c.cp);
      ++seg;
      i += c.len;
      continue;
    }
    if (i + c.len >= ce) break;
    Cp nx = At(sc, i + c.len);
    bool next_alnum = IsAlnumCp(nx.cp);
    bool cont = false;
    switch (c.cp) {
      case '-': case 0x2010: case 0x2011:  // hyphen, not dash
        cont = next_alnum && KeepHyphen(sc, q, i, prev_digit);
        break;
      case '\'': case 0x2019: case '`': case 0xB4:
        cont = next_alnum;
        break;
      case '.':
        if (next_alnum) {
          cont = (prev_digit && IsDigitCp(nx.cp)) || seg == 1 || IsLowerCp(nx.cp) ||
                 (IsDigitCp(nx.cp) && !prev_digit);
        }
        break;
      case ',':
        // 1,000 and 1,000,000: a comma followed by exactly three digits.
        cont = prev_digit && i + 3 < ce && IsDigitCp(At(sc, i + 1).cp) &&
               IsDigitCp(At(sc, i + 2).cp) && IsDigitCp(At(sc, i + 3).cp) &&
               (i + 4 >= ce || !IsDigitCp(At(sc, i + 4).cp));
        break;
      case ':':
        cont = prev_digit && IsDigitCp(nx.cp);
        break;
      case '/':
        cont = next_alnum && KeepSlash(sc, q, i, prev_digit, nx.cp);
        break;
      case '&': case '_': case '@':
        cont = next_alnum;
        break;
      default:
        break;
    }
    if (!cont) break;
    i += c.len;
    seg = 0;
  }
  return i;
}

// End of an e-mail address starting at `q` (local part, '@', a domain with a
// dot), or `q` when there is none. Masked addresses (jo...@example.com) count.
size_t ScanEmail(const Scan& sc, size_t q, size_t ce) {
  auto local = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  };
  size_t k = q;
  while (k < ce && local(sc.s[k])) ++k;
  if (k == q || k >= ce || sc.s[k] != '@') return q;
  size_t d = k + 1;
  size_t last_dot = 0;
  while (d < ce) {
    char c = sc.s[d];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') {
      ++d;
    } else if (c == '.' && d + 1 < ce && local(sc.s[d + 1]) && sc.s[d + 1] != '.') {
      last_dot = d;
      ++d;
    } else {
      break;
    }
  }
  if (last_dot == 0 || d == last_dot + 1) return q;
  return d;
}

// True when the chunk starting at `q` opens a paragraph or a line or follows
// a sentence-final mark: where "1." is a list marker rather than a number
// ending a sentence.
bool ListMarkerContext(const Scan& sc, size_t q) {
  if (sc.out->empty()) return true;
  const Token& last = sc.out->back();
  if (last.flags & kNewlineAfter) return true;
  char c = sc.s[last.end - 1];
  return last.kind == TokenKind::kPunct && (c == '.' || c == '!' || c == '?' || c == ':');
}

// True when the next non-space character after `i` is a digit.
bool NextNonSpaceIsDigit(const Scan& sc, size_t i) {
  while (i < sc.n && (sc.s[i] == ' ' || sc.s[i] == '\t')) ++i;
  return i < sc.n && sc.s[i] >= '0' && sc.s[i] <= '9';
}

// True when [b, e) may hold a clitic: it has an apostrophe-like byte (' ` or
// the lead byte of ’ and ´) or is 5-6 bytes long (cannot, gonna).
inline bool MayHaveClitic(const char* s, size_t b, size_t e) {
  if (e - b == 5 || e - b == 6) return true;
  for (size_t i = b; i < e; ++i) {
    char c = s[i];
    if (c == '\'' || c == '`' || c == '\xE2' || c == '\xC2') return true;
  }
  return false;
}

void EmitWord(Scan& sc, size_t b, size_t e, TokenKind kind, bool split_clitics) {
  if (split_clitics && (kind == TokenKind::kWord || kind == TokenKind::kNumber) &&
      MayHaveClitic(sc.s, b, e)) {
    size_t cut = CliticSplit(sc.s, b, e);
    if (cut > b) {
      Emit(sc, b, cut, kind, 0);
      Emit(sc, cut, e, TokenKind::kWord, kJoinedToPrev);
      return;
    }
  }
  Emit(sc, b, e, kind, 0);
}

void TokenizeChunk(Scan& sc, size_t cb, size_t ce, bool split_clitics) {
  size_t q = cb;
  while (q < ce) {
    Cp c = At(sc, q);
    // URLs and e-mail addresses.
    if (c.cp == 'h' || c.cp == 'H' || c.cp == 'w' || c.cp == 'W' || c.cp == 'f' || c.cp == 'F' ||
        c.cp == 'm' || c.cp == 'M') {
      const char* p = sc.s + q;
      size_t rem = ce - q;
      if (StartsWithIgnoreCase(p, rem, "http://") || StartsWithIgnoreCase(p, rem, "https://") ||
          StartsWithIgnoreCase(p, rem, "ftp://") || StartsWithIgnoreCase(p, rem, "mailto:") ||
          (StartsWithIgnoreCase(p, rem, "www.") && rem > 5)) {
        size_t e = ce;
        int parens = 0, brackets = 0;
        for (size_t i = q; i < ce; ++i) {
          parens += sc.s[i] == '(' ? 1 : sc.s[i] == ')' ? -1 : 0;
          brackets += sc.s[i] == '[' ? 1 : sc.s[i] == ']' ? -1 : 0;
        }
        while (e > q + 4) {
          char last = sc.s[e - 1];
          if (last == '.' || last == ',' || last == ';' || last == ':' || last == '!' ||
              last == '?' || last == '"' || last == '\'' || last == '>' ||
              (last == ')' && parens < 0) || (last == ']' && brackets < 0)) {
            if (last == ')') ++parens;
            if (last == ']') ++brackets;
            --e;
          } else if (e - q >= 3 && static_cast<unsigned char>(sc.s[e - 3]) == 0xE2 &&
                     static_cast<unsigned char>(sc.s[e - 2]) == 0x80 &&
                     (static_cast<unsigned char>(sc.s[e - 1]) == 0x9D ||
                      static_cast<unsigned char>(sc.s[e - 1]) == 0x99)) {
            e -= 3;  // closing curly quote
          } else {
            break;
          }
        }
        Emit(sc, q, e, TokenKind::kUrl, 0);
        q = e;
        continue;
      }
    }
    if (IsAlnumCp(c.cp)) {
      size_t email_end =
          std::memchr(sc.s + q, '@', ce - q) != nullptr ? ScanEmail(sc, q, ce) : q;
      if (email_end > q) {
        Emit(sc, q, email_end, TokenKind::kEmail, 0);
        q = email_end;
        continue;
      }
      size_t e = ScanWord(sc, q, ce);
      TokenKind kind = IsDigitCp(c.cp) ? TokenKind::kNumber : TokenKind::kWord;
      std::string_view w(sc.s + q, e - q);
      size_t at = w.find('@');
      if (at != std::string_view::npos && at > 0 && w.find('.', at) != std::string_view::npos) {
        kind = TokenKind::kEmail;
      } else if (e < ce && sc.s[e] == '.' && !(e + 1 < ce && sc.s[e + 1] == '.')) {
        std::string_view with_period(sc.s + q, e + 1 - q);
        AbbrevClass ac = ClassifyAbbreviation(with_period, NextNonSpaceIsDigit(sc, e + 1));
        if (ac != AbbrevClass::kNone) {
          ++e;
          kind = TokenKind::kAbbreviation;
        }
      }
      // A word cut off in speech or a suspended compound: "Th- this", "Euro- NATO".
      if (kind == TokenKind::kWord && e + 1 <= ce && sc.s[e] == '-' &&
          (e + 1 == ce || ((sc.s[e + 1] == ',' || sc.s[e + 1] == '.') && e + 2 == ce)))
        ++e;
      // A list marker "1." opening a paragraph or line, or following a
      // sentence end, is one token.
      if (kind == TokenKind::kNumber && e + 1 == ce && sc.s[e] == '.' && e - q <= 2 &&
          ListMarkerContext(sc, q)) {
        ++e;
      }
      EmitWord(sc, q, e, kind, split_clitics && kind != TokenKind::kEmail);
      q = e;
      continue;
    }
    // Emoticons, at the start or the end of a chunk.
    if (c.cp == ':' || c.cp == ';' || c.cp == '^' || c.cp == '<' || c.cp == '=') {
      bool found = false;
      for (const char* emo : kEmoticons) {
        size_t m = std::strlen(emo);
        if (q + m <= ce && std::memcmp(sc.s + q, emo, m) == 0 && (q == cb || q + m == ce) &&
            (q + m == ce || !IsAlnumCp(At(sc, q + m).cp))) {
          Emit(sc, q, q + m, TokenKind::kEmoticon, 0);
          q += m;
          found = true;
          break;
        }
      }
      if (found) continue;
    }
    size_t after = q + c.len;
    Cp nx = after < ce ? At(sc, after) : Cp{-1, 0};
    // Quotation marks and apostrophes.
    if (IsQuoteCp(c.cp)) {
      // '' and `` are one token.
      if ((c.cp == '\'' || c.cp == '`') && nx.cp == c.cp) {
        Emit(sc, q, after + 1, TokenKind::kQuote, c.cp == '`' ? kQuoteOpen : kQuoteClose);
        q = after + 1;
        continue;
      }
      bool prev_alnum = q > cb && IsAlnumCp(At(sc, q - 1).cp);
      if (q > cb && !prev_alnum) {
        // Step back over a multi-byte character to classify the previous code point.
        size_t p = q - 1;
        while (p > cb && (static_cast<unsigned char>(sc.s[p]) & 0xC0) == 0x80) --p;
        prev_alnum = IsAlnumCp(At(sc, p).cp);
      }
      bool next_alnum = nx.cp >= 0 && IsAlnumCp(nx.cp);
      if (IsApostrophe(c.cp) && c.cp != 0x2018) {
        // '90s
        if (!prev_alnum && nx.cp >= 0 && IsDigitCp(nx.cp)) {
          size_t e = ScanWord(sc, after, ce);
          Emit(sc, q, e, TokenKind::kNumber, 0);
          q = e;
          continue;
        }
        // Words that open with an apostrophe: 'til, 'em, 'cause.
        if (!prev_alnum && next_alnum) {
          size_t e = ScanWord(sc, after, ce);
          std::string_view rest(sc.s + after, e - after);
          if (rest == "til" || rest == "em" || rest == "cause" || rest == "bout" || rest == "n") {
            Emit(sc, q, e, TokenKind::kWord, 0);
            q = e;
            continue;
          }
        }
        // A clitic glued to a token that is not a word: "E.U.'s", "1990s'".
        if (q > cb && !prev_alnum && next_alnum) {
          size_t e = ScanWord(sc, after, ce);
          std::string_view rest(sc.s + after, e - after);
          if (rest == "s" || rest == "S" || rest == "re" || rest == "ve" || rest == "ll" ||
              rest == "d" || rest == "m") {
            Emit(sc, q, e, TokenKind::kWord, kJoinedToPrev);
            q = e;
            continue;
          }
        }
        // A clitic written apart: "do n't", "Ukraine 's".
        if (q == cb && next_alnum) {
          size_t e = ScanWord(sc, after, ce);
          std::string_view rest(sc.s + after, e - after);
          if (e == ce && (rest == "s" || rest == "S" || rest == "re" || rest == "ve" ||
                          rest == "ll" || rest == "d" || rest == "m")) {
            Emit(sc, q, e, TokenKind::kWord, 0);
            q = e;
            continue;
          }
        }
        // Possessive of a plural: "Russians'" (unless a single quote is open).
        if (prev_alnum && !next_alnum && !sc.single_quote_open) {
          char pc = sc.s[q - 1];
          if (pc == 's' || pc == 'S') {
            Emit(sc, q, after, TokenKind::kWord, kJoinedToPrev);
            q = after;
            continue;
          }
        }
      }
      uint8_t flags = 0;
      bool at_start = q == cb || !prev_alnum;
      bool at_end = after >= ce || !next_alnum;
      if (c.cp == 0x201C || c.cp == 0x2018 || c.cp == 0xAB || c.cp == 0x201E) {
        flags = kQuoteOpen;
      } else if (c.cp == 0x201D || c.cp == 0xBB || (c.cp == 0x2019 && !next_alnum)) {
        flags = kQuoteClose;
      } else if (at_start && !at_end) {
        flags = kQuoteOpen;
      } else if (at_end && !at_start) {
        flags = kQuoteClose;
      } else if (q == cb && after < ce) {
        flags = kQuoteOpen;
      } else if (after >= ce && q > cb) {
        flags = kQuoteClose;
      }
      if (IsApostrophe(c.cp) || c.cp == 0x2018) {
        if (flags == kQuoteOpen) sc.single_quote_open = true;
        if (flags == kQuoteClose) sc.single_quote_open = false;
      }
      Emit(sc, q, after, TokenKind::kQuote, flags);
      q = after;
      continue;
    }
    // Runs of the same or related punctuation form one token.
    if (c.cp == '.') {
      size_t e = after;
      while (e < ce && sc.s[e] == '.') ++e;
      if (e == after && e < ce && IsDigitCp(At(sc, e).cp) && q == cb) {
        e = ScanWord(sc, e, ce);  // .5
        Emit(sc, q, e, TokenKind::kNumber, 0);
        q = e;
        continue;
      }
      if (e == after) {
        // ".?" and ".!" stay together, as in the treebanks.
        while (e < ce && (sc.s[e] == '?' || sc.s[e] == '!')) ++e;
      }
      Emit(sc, q, e, TokenKind::kPunct, 0);
      q = e;
      continue;
    }
    if (c.cp == '!' || c.cp == '?') {
      size_t e = after;
      while (e < ce && (sc.s[e] == '!' || sc.s[e] == '?')) ++e;
      Emit(sc, q, e, TokenKind::kPunct, 0);
      q = e;
      continue;
    }
    if (c.cp == '-') {
      size_t e = after;
      while (e < ce && sc.s[e] == '-') ++e;
      Emit(sc, q, e, TokenKind::kPunct, 0);
      q = e;
      continue;
    }
    if (c.cp == '*' || c.cp == '_' || c.cp == '=' || c.cp == '~' || c.cp == '<' || c.cp == '>' ||
        c.cp == '#' || c.cp == '+') {
      size_t e = after;
      while (e < ce && sc.s[e] == static_cast<char>(c.cp)) ++e;
      if (e == after && (c.cp == '#') && q == cb && nx.cp >= 0 && IsAlnumCp(nx.cp) &&
          !IsDigitCp(nx.cp)) {
        e = ScanWord(sc, after, ce);  // #hashtag
        Emit(sc, q, e, TokenKind::kWord, 0);
        q = e;
        continue;
      }
      Emit(sc, q, e, c.cp == '_' || c.cp == '*' ? TokenKind::kPunct : TokenKind::kSymbol, 0);
      q = e;
      continue;
    }
    if (c.cp == '@' && q == cb && nx.cp >= 0 && IsAlnumCp(nx.cp)) {
      size_t e = ScanWord(sc, after, ce);  // @mention
      Emit(sc, q, e, TokenKind::kWord, 0);
      q = e;
      continue;
    }
    if (c.cp == 0x2026) {  // horizontal ellipsis
      Emit(sc, q, after, TokenKind::kPunct, 0);
      q = after;
      continue;
    }
    if (IsDashCp(c.cp)) {
      size_t e = after;
      while (e < ce) {
        Cp d = At(sc, e);
        if (d.cp != c.cp) break;
        e += d.len;
      }
      Emit(sc, q, e, TokenKind::kPunct, 0);
      q = e;
      continue;
    }
    TokenKind kind = TokenKind::kSymbol;
    if (c.cp < 0x80) {
      kind = (c.cp == '$' || c.cp == '%' || c.cp == '&' || c.cp == '|' || c.cp == '\\' ||
              c.cp == '^')
                 ? TokenKind::kSymbol
                 : TokenKind::kPunct;
    } else {
      auto cat = utf8proc_category(c.cp);
      if (cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO) kind = TokenKind::kPunct;
    }
    Emit(sc, q, after, kind, 0);
    q = after;
  }
}

}  // namespace

struct Tokenizer::Impl {
  TokenizerOptions options;
  // Shape ids of plain-letter words of 1..8 letters, by length and case
  // pattern (bit i set when letter i is lower case).
  uint64_t letter_shapes[9][256] = {};

  explicit Impl(TokenizerOptions o) : options(o) {
    for (int len = 1; len <= 8; ++len) {
      for (int pat = 0; pat < (1 << len); ++pat) {
        std::string w;
        for (int i = 0; i < len; ++i) w.push_back((pat >> i) & 1 ? 'a' : 'A');
        letter_shapes[len][pat] = NormId(WordShape(w));
      }
    }
  }
};

Tokenizer::Tokenizer(TokenizerOptions options) : impl_(new Impl(options)) {}
Tokenizer::~Tokenizer() = default;

bool Tokenizer::IsAbbreviation(std::string_view word) const {
  return ClassifyAbbreviation(word, true) != AbbrevClass::kNone;
}

void Tokenizer::Tokenize(Document* doc) const {
  const std::string& text = doc->text();
  std::vector<Token>& tokens = doc->tokens();
  tokens.clear();
  tokens.reserve(text.size() / 5 + 16);
  Scan sc{text.data(), text.size(), &tokens};
  const bool split = impl_->options.split_clitics;
  size_t p = 0;
  const size_t n = text.size();
  const char* s = text.data();
  // True at the end of the text or before ASCII whitespace.
  auto space_at = [s, n](size_t k) {
    return k >= n || (static_cast<unsigned char>(s[k]) < 0x80 &&
                      (kAscii[static_cast<unsigned char>(s[k])] & kSp));
  };
  while (p < n) {
    // Whitespace run.
    unsigned char b = static_cast<unsigned char>(s[p]);
    if ((b < 0x80 && (kAscii[b] & kSp)) || (b >= 0x80 && IsSpaceCp(DecodeAt(s, n, p).cp))) {
      int newlines = 0;
      while (p < n) {
        b = static_cast<unsigned char>(s[p]);
        if (b < 0x80) {
          if (!(kAscii[b] & kSp)) break;
          if (b == '\n') ++newlines;
          ++p;
        } else {
          Cp c = DecodeAt(s, n, p);
          if (!IsSpaceCp(c.cp)) break;
          if (c.cp == 0x2029) newlines += 2;
          if (c.cp == 0x2028 || c.cp == 0x85) ++newlines;
          p += c.len;
        }
      }
      if (!tokens.empty()) {
        Token& last = tokens.back();
        last.flags |= kSpaceAfter;
        if (newlines > 0) last.flags |= kNewlineAfter;
        if (newlines > 1) last.flags |= kBlankLineAfter;
      }
      if (newlines > 1) sc.single_quote_open = false;
      continue;
    }
    // Fast path for the most common chunk: up to 8 ASCII letters, optionally
    // followed by one of , ; ) and then whitespace. Such a chunk has no
    // clitic, abbreviation, URL or e-mail, so it is tokenized exactly as the
    // general path would (TokenizerTest.FastPathAgreesWithGeneralPath).
    if (b < 0x80 && (kAscii[b] & (kUp | kLo))) {
      LetterRun run;
      if (FastLetters(s, n, p, &run)) {
        const size_t len = run.len;
        const size_t e = p + len;
        bool alone = space_at(e);
        char next = alone ? 0 : s[e];
        bool punct = !alone && (next == ',' || next == ';' || next == ')') && space_at(e + 1);
        // A sentence-final period after a word that cannot be an abbreviation.
        bool period = !alone && next == '.' && space_at(e + 1) &&
                      !text::MaybeAbbreviation(std::string_view(s + p, len));
        if (alone || punct || period) {
          // "cannot" and "gonna"-type words still need their clitic split.
          char f = static_cast<char>(s[p] | 0x20);
          if (split && (len == 5 || len == 6) && (f == 'c' || f == 'g' || f == 'w') &&
              CliticSplit(s, p, e) != 0) {
            EmitWord(sc, p, e, TokenKind::kWord, split);
          } else {
            Token t;
            t.begin = static_cast<uint32_t>(p);
            t.end = static_cast<uint32_t>(e);
            t.norm = XXH3_64bits(run.lower, len);
            t.shape = len <= 8 ? impl_->letter_shapes[len][run.pattern] : LetterRunShape(run);
            tokens.push_back(t);
          }
          if (alone) {
            p = e;
          } else {
            Emit(sc, e, e + 1, TokenKind::kPunct, 0);
            p = e + 1;
          }
          // A single space before the next token: flag it here rather than
          // through the whitespace loop.
          if (p + 1 < n && s[p] == ' ' && static_cast<unsigned char>(s[p + 1]) > ' ' &&
              static_cast<unsigned char>(s[p + 1]) < 0x80) {
            tokens.back().flags |= kSpaceAfter;
            ++p;
          }
          continue;
        }
      }
    }
    // Fast path for plain digit runs followed by whitespace or one of , ; )
    // and whitespace (numbers with separators take the general path).
    if (b >= '0' && b <= '9') {
      size_t e = p + 1;
      while (e < n && s[e] >= '0' && s[e] <= '9') ++e;
      bool alone = space_at(e);
      if (alone || ((s[e] == ',' || s[e] == ';' || s[e] == ')') && space_at(e + 1))) {
        Emit(sc, p, e, TokenKind::kNumber, 0);
        if (alone) {
          p = e;
        } else {
          Emit(sc, e, e + 1, TokenKind::kPunct, 0);
          p = e + 1;
        }
        continue;
      }
    }
    // Chunk: up to the next whitespace.
    size_t ce = p;
    while (ce < n) {
      unsigned char c = static_cast<unsigned char>(s[ce]);
      if (c < 0x80) {
        if (kAscii[c] & kSp) break;
        ++ce;
      } else {
        Cp d = DecodeAt(s, n, ce);
        if (IsSpaceCp(d.cp)) break;
        ce += d.len;
      }
    }
    TokenizeChunk(sc, p, ce, split);
    p = ce;
  }
}

}  // namespace sitrep
