// Numeric and temporal entities by rules over tokens.
//
// Every token's normalized form is already hashed by the tokenizer
// (Token::norm), so the lexicon is an open-addressing table keyed by that
// hash: one probe per token rejects the tokens that cannot start a mention
// (most of them). Matchers start at a "core" token (a number, a currency
// sign, a month, "next", "yesterday", ...), extend to the right, then pull in
// the words on the left that belong to the mention ("the", "early", "more
// than"). Values are built in a fixed buffer; numbers are exact decimals
// (mantissa and power of ten), never floating point.
#include "sitrep/numeric_entities.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string_view>
#include <vector>

namespace sitrep {
namespace {

// Lexicon bits: what a word can be.
enum : uint64_t {
  kMonth = 1u << 0,
  kAmbiguousMonth = 1u << 1,  // also a common word or name: may, march, april, june, august
  kMonthAbbrev = 1u << 2,     // jan. sept.: a date only with a day or a year
  kWeekday = 1u << 3,
  kNumWord = 1u << 4,         // zero .. ninety: num
  kScaleWord = 1u << 5,       // hundred thousand million bn ...: exp
  kOrdWord = 1u << 6,         // first .. hundredth: num
  kCurrency = 1u << 7,        // currency word: code (may be null), exp (minor unit: -2)
  kCurrencySymbol = 1u << 8,  // $ € £ ...: code
  kCurrencyCode = 1u << 9,    // ISO 4217 code, a currency only when written in capitals
  kUnit = 1u << 10,           // unit of measure: unit
  kPercentWord = 1u << 11,    // percent pct %
  kDateUnit = 1u << 12,       // period: D W M Y E(decade) C(century) Q(quarter) K(weekend)
  kTimeUnit = 1u << 13,       // period: H N(minute) S
  kRelMod = 1u << 14,         // this next last past ...: num = RelKind
  kDayWord = 1u << 15,        // today yesterday tomorrow
  kTimeWord = 1u << 16,       // tonight noon midnight midday: num = minute of day, -1 none
  kPartOfDay = 1u << 17,      // morning afternoon evening night
  kApprox = 1u << 18,         // about nearly almost some ...
  kSeason = 1u << 19,         // num 1..4: SP SU FA WI
  kAmPm = 1u << 20,           // num: hours to add (0 am, 12 pm, -1 o'clock)
  kTimezone = 1u << 21,       // GMT UTC ...: capitals only
  kAgo = 1u << 22,            // ago earlier later
  kYearPrep = 1u << 23,       // in since until ...: a following 4-digit number is a year
  kYearNoun = 1u << 24,       // election war ...: a preceding 4-digit number is a year
  kEdge = 1u << 25,           // early late mid
  kPlural = 1u << 26,         // plural form of a unit
  kPeriodPart = 1u << 27,     // end beginning start middle half rest
  kVague = 1u << 28,          // few several
  kNeedsScale = 1u << 29,     // won pounds: money only after million/billion (or "sterling")
  kCurQual = 1u << 30,        // first word of a qualified currency name: canadian, hong ...
  kAmountFollows = 1u << 31,  // currency sign or code that precedes the amount
  kCountNoun = 1ull << 32,    // plural nouns without -s: people, children
};

// Kinds of relative modifiers (Lex::num of a kRelMod word).
enum RelKind : int32_t { kThis = 1, kNext, kLast, kPast, kPrevious, kComing, kFollowing, kCurrent,
                         kRecent, kSame };

struct Lex {
  uint64_t key = 0;
  uint64_t bits = 0;
  int32_t num = 0;
  int32_t exp = 0;
  char period = 0;
  const char* code = nullptr;
  const char* unit = nullptr;
};

// An exact decimal: mant * 10^exp.
struct Dec {
  uint64_t mant = 0;
  int32_t exp = 0;
  bool ok = false;
};

// Parses a decimal number with optional thousands commas at the start of s:
// [0-9][0-9,]*(\.[0-9]+)?. Returns the bytes consumed (0 when s does not start
// with a digit). d->ok is false when there are more than 19 significant digits.
size_t ParseDecimal(std::string_view s, Dec* d, int* int_digits, bool* comma, bool* point) {
  size_t i = 0;
  *d = Dec{0, 0, true};
  *int_digits = 0;
  *comma = *point = false;
  auto push = [&](char c) {
    if (d->mant > (UINT64_MAX - 9) / 10) {
      d->ok = false;
      return;
    }
    d->mant = d->mant * 10 + static_cast<uint64_t>(c - '0');
  };
  while (i < s.size()) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      push(c);
      ++*int_digits;
    } else if (c == ',' && i > 0 && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '9') {
      *comma = true;  // the tokenizer only joins a comma followed by three digits
    } else {
      break;
    }
    ++i;
  }
  if (i == 0) return 0;
  if (i + 1 < s.size() && s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9') {
    *point = true;
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      push(s[i]);
      --d->exp;
      ++i;
    }
  }
  return i;
}

bool EqLower(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != lower[i]) return false;
  }
  return true;
}

// Runs of digits: value and length.
size_t Digits(std::string_view s, size_t i, int* value, int* len) {
  *value = 0;
  *len = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9' && *len < 9) {
    *value = *value * 10 + (s[i] - '0');
    ++*len;
    ++i;
  }
  return i;
}

bool ValidDate(int y, int m, int d) {
  static const int kDays[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m >= 1 && m <= 12 && d >= 1 && d <= kDays[m] && (y == 0 || (y >= 1000 && y <= 2100));
}

// What a token of TokenKind::kNumber is.
struct NumTok {
  enum Kind { kOther, kPlain, kScaled, kUnitSuffix, kOrdinal, kDecade, kDate, kTime, kYearRange,
              kFraction } kind = kOther;
  Dec val;
  int int_digits = 0;
  bool comma = false, point = false;
  int y = 0, m = 0, d = 0;  // kDate (y 0: not written); kDecade: y; kYearRange: y to m
  int hour = -1, minute = 0;  // kTime; hour also for "10am"
  bool ampm = false;          // kTime: am/pm given in the token
  const char* unit = nullptr;  // kUnitSuffix
};

struct Suffix {
  const char* text;
  bool any_case;
  int exp;           // scale suffix when unit is null
  const char* unit;  // unit suffix
};
constexpr Suffix kSuffixes[] = {
    {"k", true, 3, nullptr},      {"m", true, 6, nullptr},      {"mn", true, 6, nullptr},
    {"mln", true, 6, nullptr},    {"bn", true, 9, nullptr},     {"b", true, 9, nullptr},
    {"bln", true, 9, nullptr},    {"tn", true, 12, nullptr},    {"trn", true, 12, nullptr},
    {"mm", false, 0, "mm"},       {"cm", false, 0, "cm"},       {"km", false, 0, "km"},
    {"kg", false, 0, "kg"},       {"kgs", false, 0, "kg"},      {"MW", false, 0, "MW"},
    {"mw", false, 0, "MW"},       {"GW", false, 0, "GW"},       {"kW", false, 0, "kW"},
    {"kWh", false, 0, "kWh"},     {"MWh", false, 0, "MWh"},     {"GWh", false, 0, "GWh"},
    {"TWh", false, 0, "TWh"},     {"mph", false, 0, "mph"},     {"kph", false, 0, "km/h"},
    {"ha", false, 0, "ha"},       {"ft", false, 0, "ft"},       {"lb", false, 0, "lb"},
    {"lbs", false, 0, "lb"},      {"bpd", false, 0, "bbl/d"},   {"km2", false, 0, "km2"},
    {"sqkm", false, 0, "km2"},    {"mg", false, 0, "mg"},       {"ml", false, 0, "ml"},
    {"kt", false, 0, "kt"},       {"nm", false, 0, "nmi"},
};

NumTok ParseNumTok(std::string_view s) {
  NumTok t;
  if (s.empty()) return t;
  // '90s, ’90s
  size_t apos = s[0] == '\'' ? 1 : (s.size() > 3 && s.substr(0, 3) == "\xE2\x80\x99") ? 3 : 0;
  if (apos) {
    int v, len;
    size_t i = Digits(s, apos, &v, &len);
    if (len == 2 && v % 10 == 0 && i + 1 == s.size() && (s[i] == 's' || s[i] == 'S')) {
      t.kind = NumTok::kDecade;
      t.y = (v <= 30 ? 2000 : 1900) + v;
    }
    return t;
  }
  size_t i = ParseDecimal(s, &t.val, &t.int_digits, &t.comma, &t.point);
  if (i == 0) return t;
  if (i == s.size()) {
    t.kind = NumTok::kPlain;
    return t;
  }
  char c = s[i];
  bool simple = !t.comma && !t.point;
  int a = simple && t.val.ok ? static_cast<int>(std::min<uint64_t>(t.val.mant, 999999999)) : -1;
  if (simple && (c == '-' || c == '/' || c == ':')) {
    int b, nb, x, nx;
    size_t j = Digits(s, i + 1, &b, &nb);
    if (nb == 0) return t;
    if (c == ':') {
      if (t.int_digits > 2 || a > 24 || nb != 2 || b > 59) return t;
      t.hour = a;
      t.minute = b;
      if (j + 3 <= s.size() && s[j] == ':' ) {  // seconds
        int sec, ns;
        j = Digits(s, j + 1, &sec, &ns);
        if (ns != 2) return t;
      }
      std::string_view rest = s.substr(j);
      if (rest.empty()) {
        t.kind = NumTok::kTime;
      } else if (EqLower(rest, "am") || EqLower(rest, "a.m.") || EqLower(rest, "pm") ||
                 EqLower(rest, "p.m.")) {
        if (a < 1 || a > 12) return t;
        bool pm = rest[0] == 'p' || rest[0] == 'P';
        t.hour = a % 12 + (pm ? 12 : 0);
        t.ampm = true;
        t.kind = NumTok::kTime;
      }
      return t;
    }
    if (j == s.size()) {
      if (c == '-' && t.int_digits == 4 && nb == 4 && a >= 1000 && b <= 2100 && b > a) {
        t.kind = NumTok::kYearRange;
        t.y = a;
        t.m = b;
      } else if (c == '/' && a < b && t.int_digits <= 3 && nb <= 3) {
        t.kind = NumTok::kFraction;
      }
      return t;
    }
    if (s[j] != c) return t;
    size_t k = Digits(s, j + 1, &x, &nx);
    if (k != s.size()) return t;
    if (c == '-' && t.int_digits == 4 && nb <= 2 && nx <= 2 && ValidDate(a, b, x)) {
      t.kind = NumTok::kDate;  // 2025-03-09
      t.y = a, t.m = b, t.d = x;
    } else if (c == '/' && t.int_digits <= 2 && nb <= 2 && (nx == 4 || nx == 2)) {
      int y = nx == 4 ? x : (x <= 50 ? 2000 + x : 1900 + x);
      int mo = a, dd = b;
      if (mo > 12 && dd <= 12) std::swap(mo, dd);  // 25/03/2025: day first
      if (ValidDate(y, mo, dd)) {
        t.kind = NumTok::kDate;
        t.y = y, t.m = mo, t.d = dd;
      }
    }
    return t;
  }
  std::string_view rest = s.substr(i);
  if (simple && (rest == "s" || rest == "S") && a % 10 == 0 &&
      ((t.int_digits == 4 && a >= 1000 && a <= 2100) || t.int_digits == 2)) {
    t.kind = NumTok::kDecade;
    t.y = t.int_digits == 2 ? 1900 + a : a;
    return t;
  }
  if (simple && rest.size() == 2 && a >= 0) {
    char x = static_cast<char>(rest[0] | 0x20), y = static_cast<char>(rest[1] | 0x20);
    int last = a % 10, tens = a % 100 / 10;
    const char* want = tens == 1 ? "th" : last == 1 ? "st" : last == 2 ? "nd" : last == 3 ? "rd" : "th";
    if (x == want[0] && y == want[1] && a > 0) {
      t.kind = NumTok::kOrdinal;
      return t;
    }
    if ((x == 'a' || x == 'p') && y == 'm' && a >= 1 && a <= 12) {
      t.kind = NumTok::kTime;
      t.hour = a % 12 + (x == 'p' ? 12 : 0);
      t.minute = 0;
      t.ampm = true;
      return t;
    }
  }
  if (simple && (EqLower(rest, "a.m.") || EqLower(rest, "p.m.")) && a >= 1 && a <= 12) {
    t.kind = NumTok::kTime;
    t.hour = a % 12 + ((rest[0] | 0x20) == 'p' ? 12 : 0);
    t.ampm = true;
    return t;
  }
  for (const Suffix& sf : kSuffixes) {
    if (sf.any_case ? EqLower(rest, sf.text) : rest == sf.text) {
      if (sf.unit) {
        t.kind = NumTok::kUnitSuffix;
        t.unit = sf.unit;
      } else {
        t.kind = NumTok::kScaled;
        t.val.exp += sf.exp;
      }
      return t;
    }
  }
  return t;
}

// A value being built; `bad` once it overflowed or a number could not be
// represented (the mention then gets an empty value).
struct Value {
  char s[96];
  uint32_t n = 0;
  bool bad = false;
  void Add(std::string_view x) {
    if (n + x.size() > sizeof s) {
      bad = true;
      return;
    }
    std::memcpy(s + n, x.data(), x.size());
    n += static_cast<uint32_t>(x.size());
  }
  void AddInt(int64_t v, int width = 0) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    for (int k = static_cast<int>(r.ptr - buf); k < width; ++k) Add("0");
    Add(std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
  }
  void AddDec(const Dec& d) {
    if (!d.ok) {
      bad = true;
      return;
    }
    if (d.mant == 0) {
      Add("0");
      return;
    }
    char dig[24];
    auto r = std::to_chars(dig, dig + sizeof dig, d.mant);
    int len = static_cast<int>(r.ptr - dig);
    if (d.exp >= 0) {
      if (len + d.exp > 40) {
        bad = true;
        return;
      }
      Add(std::string_view(dig, static_cast<size_t>(len)));
      for (int k = 0; k < d.exp; ++k) Add("0");
      return;
    }
    int point = len + d.exp;  // digits before the decimal point
    int end = len;
    while (end > std::max(point, 0) && dig[end - 1] == '0') --end;
    if (point <= 0) {
      if (-point > 30) {
        bad = true;
        return;
      }
      Add("0.");
      for (int k = 0; k < -point; ++k) Add("0");
      Add(std::string_view(dig, static_cast<size_t>(end)));
    } else {
      Add(std::string_view(dig, static_cast<size_t>(point)));
      if (end > point) {
        Add(".");
        Add(std::string_view(dig + point, static_cast<size_t>(end - point)));
      }
    }
  }
  void AddTime(int h, int m) {
    AddInt(h, 2);
    Add(":");
    AddInt(m, 2);
  }
  void AddDate(int y, int m, int d) {  // y 0: XXXX; m 0: year only; d 0: month
    if (y) AddInt(y, 4);
    else Add("XXXX");
    if (m) {
      Add("-");
      AddInt(m, 2);
      if (d) {
        Add("-");
        AddInt(d, 2);
      }
    }
  }
};

// A mention found by a matcher.
struct Out {
  uint32_t b = 0, e = 0;
  EntityType type = EntityType::kNone;
  Value v;
};

// A number phrase: "3.5 million", "twenty-five", "a hundred", "3-4".
struct NP {
  uint32_t b = 0, e = 0;  // tokens of the phrase without a range
  Dec v;
  uint32_t re = 0;        // end of the range "3-4" when range is set
  Dec v2;
  bool range = false;
  bool words = false;     // written in words
  bool scaled = false;    // a scale word or suffix applied
  bool plain = false;     // one numeric token, integer, no commas
  int64_t ival = -1;      // its value when plain (< 10^9)
  int int_digits = 0;
  bool ordinal = false;   // words ending in an ordinal: "twenty-first"
};

// The lexicon: every word a rule tests, keyed by Token::norm.
struct Lexicon {
  std::vector<Lex> table;
  uint64_t mask = 0;
  // Norm ids of function words the rules test for.
  uint64_t the, a, an, of, and_, to, or_, through, per, cent, percentage, point, points, local,
      time, old, square, sq, cubic, metric, sterling, than, more, less, fewer, at, least, most,
      up, as, many, much, few, little, just, well, hyphen, dash, comma, first, all, half, century,
      quarter, weekend, one, second, no, any, every, each, some, this_, that, which, who, another,
      split, between, celsius, fahrenheit, c, f, earlier, later, day, hour, year, month,
      week, for_, within, nearly, almost, about, over, after, in, under, someone, anyone, such,
      degrees, degree, nautical, apostrophe_s, dollar_sign, by, couple;
  uint8_t xpos_nns = 0;
  struct CurQual {
    uint64_t w1, w2, cur;  // w2 == 0: two-word name
    const char* code;
  };
  std::vector<CurQual> qualified;

  const Lex* Find(uint64_t key) const {
    for (uint64_t i = key & mask;; i = (i + 1) & mask) {
      const Lex& l = table[i];
      if (l.key == key) return &l;
      if (l.key == 0) return nullptr;
    }
  }
  Lex& Slot(std::string_view word) {
    uint64_t key = NormId(word);
    for (uint64_t i = key & mask;; i = (i + 1) & mask) {
      Lex& l = table[i];
      if (l.key == key) return l;
      if (l.key == 0) {
        l.key = key;
        return l;
      }
    }
  }
  void Add(std::string_view word, uint64_t bits, int32_t num = 0) {
    Lex& l = Slot(word);
    l.bits |= bits;
    if (num) l.num = num;
  }
  void AddPeriod(std::string_view word, uint64_t bits, char period) {
    Lex& l = Slot(word);
    l.bits |= bits;
    l.period = period;
  }
  void AddCurrency(std::string_view word, uint64_t bits, const char* code, int exp = 0) {
    Lex& l = Slot(word);
    l.bits |= bits;
    l.code = code;
    l.exp = exp;
  }
  void AddUnit(std::string_view word, const char* unit, uint64_t bits = 0) {
    Lex& l = Slot(word);
    l.bits |= kUnit | bits;
    l.unit = unit;
  }
  void AddScale(std::string_view word, int exp) {
    Lex& l = Slot(word);
    l.bits |= kScaleWord;
    l.exp = exp;
  }
  void AddQualified(std::string_view w1, std::string_view w2, std::string_view cur,
                    const char* code) {
    Add(w1, kCurQual);
    qualified.push_back({NormId(w1), w2.empty() ? 0 : NormId(w2), NormId(cur), code});
  }
  Lexicon();
};

Lexicon::Lexicon() {
  table.resize(4096);
  mask = table.size() - 1;
  static const char* const kMonths[12][3] = {
      {"january", "jan.", "jan"},  {"february", "feb.", "feb"}, {"march", "mar.", nullptr},
      {"april", "apr.", nullptr}, {"may", nullptr, nullptr},   {"june", "jun.", nullptr},
      {"july", "jul.", nullptr},  {"august", "aug.", nullptr}, {"september", "sept.", "sep."},
      {"october", "oct.", "oct"}, {"november", "nov.", "nov"}, {"december", "dec.", "dec"}};
  for (int m = 0; m < 12; ++m) {
    Add(kMonths[m][0], kMonth, m + 1);
    for (int k = 1; k < 3; ++k)
      if (kMonths[m][k]) Add(kMonths[m][k], kMonth | kMonthAbbrev, m + 1);
  }
  for (const char* w : {"may", "march", "april", "june", "august"}) Add(w, kAmbiguousMonth);
  const char* kDays[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                         "sunday"};
  for (int d = 0; d < 7; ++d) Add(kDays[d], kWeekday, d + 1);
  const char* kSmall[] = {"zero",    "one",     "two",       "three",    "four",
                          "five",    "six",     "seven",     "eight",    "nine",
                          "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
                          "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
  for (int v = 1; v < 20; ++v) Add(kSmall[v], kNumWord, v);
  Add("zero", kNumWord, 0);
  const char* kTens[] = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
                         "ninety"};
  for (int k = 0; k < 8; ++k) Add(kTens[k], kNumWord, 20 + 10 * k);
  AddScale("hundred", 2);
  AddScale("thousand", 3);
  AddScale("million", 6);
  AddScale("billion", 9);
  AddScale("trillion", 12);
  AddScale("lakh", 5);
  AddScale("crore", 7);
  for (const char* w : {"hundred", "thousand", "million", "billion", "trillion", "lakh", "crore"})
    Slot(w).bits |= kNumWord;
  for (auto [w, e] : {std::pair{"bn", 9}, {"bln", 9}, {"mln", 6}, {"mn", 6}, {"tn", 12},
                      {"trn", 12}})
    AddScale(w, e);
  const char* kOrd[] = {nullptr,       "first",      "second",      "third",      "fourth",
                        "fifth",       "sixth",      "seventh",     "eighth",     "ninth",
                        "tenth",       "eleventh",   "twelfth",     "thirteenth", "fourteenth",
                        "fifteenth",   "sixteenth",  "seventeenth", "eighteenth", "nineteenth"};
  for (int v = 1; v < 20; ++v) Add(kOrd[v], kOrdWord, v);
  const char* kOrdTens[] = {"twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth",
                            "seventieth", "eightieth", "ninetieth"};
  for (int k = 0; k < 8; ++k) Add(kOrdTens[k], kOrdWord, 20 + 10 * k);
  Add("hundredth", kOrdWord, 100);
  Add("thousandth", kOrdWord, 1000);

  // Currencies.
  for (auto [w, code] : {std::pair{"$", "USD"}, {"€", "EUR"}, {"£", "GBP"}, {"¥", "JPY"},
                         {"₹", "INR"}, {"₽", "RUB"}, {"₴", "UAH"}, {"₩", "KRW"}, {"₺", "TRY"},
                         {"₪", "ILS"}, {"₦", "NGN"}, {"₱", "PHP"}, {"₫", "VND"}, {"₿", "BTC"}})
    AddCurrency(w, kCurrencySymbol | kAmountFollows, code);
  for (const char* c :
       {"USD", "EUR", "GBP", "JPY", "CNY", "RUB", "UAH", "INR", "CHF", "CAD", "AUD", "HKD",
        "SGD", "NZD", "KRW", "TRY", "ILS", "SAR", "AED", "IRR", "PKR", "BRL", "MXN", "ZAR", "NGN",
        "EGP", "KES", "PLN", "SEK", "NOK", "DKK", "HUF", "CZK", "RON", "BGN", "GEL", "AMD", "AZN",
        "KZT", "BYN", "MDL", "QAR", "KWD", "IQD", "SYP", "LBP", "AFN", "BDT", "LKR", "NPR", "THB",
        "IDR", "MYR", "PHP", "VND", "TWD", "ETB", "GHS"}) {
    std::string lower(c);
    for (char& ch : lower) ch = static_cast<char>(ch + 32);
    AddCurrency(lower, kCurrencyCode | kAmountFollows, c);
  }
  AddCurrency("rmb", kCurrencyCode | kAmountFollows, "CNY");
  struct W {
    const char* word;
    const char* code;
  };
  for (W w : {W{"dollar", "USD"}, {"dollars", "USD"}, {"euro", "EUR"}, {"euros", "EUR"},
              {"pound", "GBP"}, {"pounds", "GBP"}, {"yen", "JPY"}, {"yuan", "CNY"},
              {"renminbi", "CNY"}, {"rupee", "INR"}, {"rupees", "INR"}, {"ruble", "RUB"},
              {"rubles", "RUB"}, {"rouble", "RUB"}, {"roubles", "RUB"}, {"hryvnia", "UAH"},
              {"hryvnias", "UAH"}, {"hryvnas", "UAH"}, {"hryvnya", "UAH"}, {"hryvnyas", "UAH"},
              {"franc", nullptr}, {"francs", nullptr}, {"shekel", "ILS"}, {"shekels", "ILS"},
              {"lira", "TRY"}, {"liras", "TRY"}, {"rand", "ZAR"}, {"riyal", nullptr},
              {"riyals", nullptr}, {"dirham", "AED"}, {"dirhams", "AED"}, {"rial", "IRR"},
              {"rials", "IRR"}, {"naira", "NGN"}, {"won", "KRW"}, {"peso", nullptr},
              {"pesos", nullptr}, {"reais", "BRL"}, {"baht", "THB"}, {"ringgit", "MYR"},
              {"rupiah", "IDR"}, {"dinar", nullptr}, {"dinars", nullptr}, {"krone", nullptr},
              {"kroner", nullptr}, {"kronor", "SEK"}, {"krona", "SEK"}, {"zloty", "PLN"},
              {"zlotys", "PLN"}, {"forint", "HUF"}, {"forints", "HUF"}, {"shilling", nullptr},
              {"shillings", nullptr}, {"afghani", "AFN"}, {"afghanis", "AFN"}, {"taka", "BDT"},
              {"lari", "GEL"}, {"tenge", "KZT"}, {"drams", "AMD"}, {"manat", nullptr},
              {"lei", nullptr}, {"cedis", "GHS"}, {"birr", "ETB"}, {"bitcoin", "BTC"},
              {"bitcoins", "BTC"}, {"yuans", "CNY"}})
    AddCurrency(w.word, kCurrency, w.code);
  AddCurrency("cent", kCurrency, "USD", -2);
  AddCurrency("cents", kCurrency, "USD", -2);
  AddCurrency("pence", kCurrency, "GBP", -2);
  // Wire-service abbreviations: "20 mln dlrs", "31 cts", "5 mln stg".
  AddCurrency("dlr", kCurrency, "USD");
  AddCurrency("dlrs", kCurrency, "USD");
  AddCurrency("cts", kCurrency, "USD", -2);
  AddCurrency("stg", kCurrency, "GBP");
  Slot("won").bits |= kNeedsScale;
  Slot("pounds").bits |= kNeedsScale;
  Slot("pound").bits |= kNeedsScale;
  struct Q {
    const char* w1;
    const char* w2;
    const char* cur;
    const char* code;
  };
  for (Q q : {Q{"u.s.", "", "dollars", "USD"}, {"us", "", "dollars", "USD"},
              {"american", "", "dollars", "USD"}, {"canadian", "", "dollars", "CAD"},
              {"australian", "", "dollars", "AUD"}, {"singapore", "", "dollars", "SGD"},
              {"taiwan", "", "dollars", "TWD"}, {"hong", "kong", "dollars", "HKD"},
              {"new", "zealand", "dollars", "NZD"}, {"swiss", "", "francs", "CHF"},
              {"cfa", "", "francs", "XOF"}, {"pakistani", "", "rupees", "PKR"},
              {"indian", "", "rupees", "INR"}, {"sri", "lankan", "rupees", "LKR"},
              {"nepalese", "", "rupees", "NPR"}, {"mexican", "", "pesos", "MXN"},
              {"philippine", "", "pesos", "PHP"}, {"argentine", "", "pesos", "ARS"},
              {"colombian", "", "pesos", "COP"}, {"chilean", "", "pesos", "CLP"},
              {"iraqi", "", "dinars", "IQD"}, {"jordanian", "", "dinars", "JOD"},
              {"kuwaiti", "", "dinars", "KWD"}, {"libyan", "", "dinars", "LYD"},
              {"serbian", "", "dinars", "RSD"}, {"algerian", "", "dinars", "DZD"},
              {"tunisian", "", "dinars", "TND"}, {"south", "korean", "won", "KRW"},
              {"norwegian", "", "kroner", "NOK"}, {"danish", "", "kroner", "DKK"},
              {"swedish", "", "kronor", "SEK"}, {"kenyan", "", "shillings", "KES"},
              {"ugandan", "", "shillings", "UGX"}, {"tanzanian", "", "shillings", "TZS"},
              {"saudi", "", "riyals", "SAR"}, {"qatari", "", "riyals", "QAR"},
              {"iranian", "", "rials", "IRR"}, {"egyptian", "", "pounds", "EGP"},
              {"lebanese", "", "pounds", "LBP"}, {"syrian", "", "pounds", "SYP"},
              {"sudanese", "", "pounds", "SDG"}, {"turkish", "", "lira", "TRY"},
              {"russian", "", "rubles", "RUB"}, {"russian", "", "roubles", "RUB"},
              {"chinese", "", "yuan", "CNY"}, {"japanese", "", "yen", "JPY"},
              {"brazilian", "", "reais", "BRL"}, {"south", "african", "rand", "ZAR"},
              {"nigerian", "", "naira", "NGN"}, {"ukrainian", "", "hryvnias", "UAH"},
              {"moldovan", "", "lei", "MDL"}, {"romanian", "", "lei", "RON"},
              {"azerbaijani", "", "manat", "AZN"}, {"zimbabwe", "", "dollars", "ZWL"}})
    AddQualified(q.w1, q.w2, q.cur, q.code);

  // Units.
  for (auto [w, u] : {std::pair{"km", "km"}, {"kms", "km"}, {"kilometre", "km"},
                      {"kilometres", "km"}, {"kilometer", "km"}, {"kilometers", "km"},
                      {"mile", "mi"}, {"miles", "mi"}, {"metre", "m"}, {"metres", "m"},
                      {"meter", "m"}, {"meters", "m"}, {"centimetre", "cm"}, {"centimetres", "cm"},
                      {"centimeter", "cm"}, {"centimeters", "cm"}, {"cm", "cm"},
                      {"millimetre", "mm"}, {"millimetres", "mm"}, {"millimeter", "mm"},
                      {"millimeters", "mm"}, {"mm", "mm"}, {"foot", "ft"}, {"feet", "ft"},
                      {"ft", "ft"}, {"inch", "in"}, {"inches", "in"}, {"yard", "yd"},
                      {"yards", "yd"}, {"hectare", "ha"}, {"hectares", "ha"}, {"acre", "acre"},
                      {"acres", "acre"}, {"kilogram", "kg"}, {"kilograms", "kg"},
                      {"kilogramme", "kg"}, {"kilogrammes", "kg"}, {"kilo", "kg"},
                      {"kilos", "kg"}, {"kg", "kg"}, {"kgs", "kg"}, {"gram", "g"},
                      {"grams", "g"}, {"tonne", "t"}, {"tonnes", "t"}, {"ton", "t"},
                      {"tons", "t"}, {"pound", "lb"}, {"pounds", "lb"}, {"lb", "lb"},
                      {"lbs", "lb"}, {"ounce", "oz"}, {"ounces", "oz"}, {"litre", "l"},
                      {"litres", "l"}, {"liter", "l"}, {"liters", "l"}, {"gallon", "gal"},
                      {"gallons", "gal"}, {"barrel", "bbl"}, {"barrels", "bbl"},
                      {"bpd", "bbl/d"}, {"megawatt", "MW"}, {"megawatts", "MW"}, {"mw", "MW"},
                      {"gigawatt", "GW"}, {"gigawatts", "GW"}, {"gw", "GW"}, {"kilowatt", "kW"},
                      {"kilowatts", "kW"}, {"kw", "kW"}, {"kwh", "kWh"}, {"mwh", "MWh"},
                      {"gwh", "GWh"}, {"knot", "kn"}, {"knots", "kn"}, {"mph", "mph"},
                      {"km/h", "km/h"}, {"kph", "km/h"}, {"degree", "deg"}, {"degrees", "deg"},
                      {"bcm", "bcm"}, {"megatons", "Mt"}, {"megatonnes", "Mt"},
                      {"kilotons", "kt"}, {"kilotonnes", "kt"}, {"km2", "km2"}})
    AddUnit(w, u);

  // Percent.
  for (const char* w : {"percent", "pct", "%", "per-cent"}) Add(w, kPercentWord);

  // Periods.
  for (auto [w, p] : {std::pair{"day", 'D'}, {"week", 'W'}, {"month", 'M'}, {"year", 'Y'},
                      {"decade", 'E'}, {"century", 'C'}, {"quarter", 'Q'}, {"weekend", 'K'}})
    AddPeriod(w, kDateUnit, p);
  for (auto [w, p] : {std::pair{"days", 'D'}, {"weeks", 'W'}, {"months", 'M'}, {"years", 'Y'},
                      {"decades", 'E'}, {"centuries", 'C'}, {"quarters", 'Q'},
                      {"weekends", 'K'}})
    AddPeriod(w, kDateUnit | kPlural, p);
  for (auto [w, p] : {std::pair{"hour", 'H'}, {"minute", 'N'}, {"second", 'S'}})
    AddPeriod(w, kTimeUnit, p);
  for (auto [w, p] : {std::pair{"hours", 'H'}, {"minutes", 'N'}, {"seconds", 'S'}})
    AddPeriod(w, kTimeUnit | kPlural, p);
  for (auto [w, k] : {std::pair{"this", kThis}, {"next", kNext}, {"last", kLast}, {"past", kPast},
                      {"previous", kPrevious}, {"coming", kComing}, {"following", kFollowing},
                      {"current", kCurrent}, {"recent", kRecent}, {"same", kSame},
                      {"upcoming", kComing}})
    Add(w, kRelMod, k);
  for (const char* w : {"today", "yesterday", "tomorrow"}) Add(w, kDayWord);
  Add("tonight", kTimeWord, -1);
  Add("noon", kTimeWord, 12 * 60);
  Add("midday", kTimeWord, 12 * 60);
  Add("midnight", kTimeWord, 0);
  for (const char* w : {"morning", "afternoon", "evening", "night"}) Add(w, kPartOfDay);
  for (const char* w : {"about", "around", "nearly", "almost", "some", "roughly",
                        "approximately", "approx.", "over", "~", "nearly", "almost"})
    Add(w, kApprox);
  Add("spring", kSeason, 1);
  Add("summer", kSeason, 2);
  Add("autumn", kSeason, 3);
  Add("fall", kSeason, 3);
  Add("winter", kSeason, 4);
  for (const char* w : {"a.m.", "am", "a.m"}) Add(w, kAmPm, 0);
  for (const char* w : {"p.m.", "pm", "p.m"}) Add(w, kAmPm, 12);
  Add("o'clock", kAmPm, -1);
  for (const char* w : {"gmt", "utc", "et", "est", "edt", "ct", "cst", "cdt", "pt", "pst", "pdt",
                        "cet", "cest", "bst", "msk", "eet", "eest", "jst", "aest", "ist"})
    Add(w, kTimezone);
  for (const char* w : {"ago", "earlier", "later"}) Add(w, kAgo);
  for (const char* w : {"in", "since", "until", "till", "by", "during", "before", "after", "from",
                        "through", "between", "circa", "early", "late", "fiscal", "around",
                        "throughout", "year", "of", "and", "to", "or", "-", "--"})
    Add(w, kYearPrep);
  for (const char* w :
       {"election", "elections", "war", "invasion", "census", "budget", "olympics", "games",
        "referendum", "vote", "revolution", "uprising", "coup", "earthquake", "flood", "floods",
        "ceasefire", "agreement", "accord", "accords", "deal", "treaty", "law", "report",
        "season", "campaign", "attack", "crisis", "protests", "survey", "summit", "memorandum",
        "presidential", "parliamentary", "midterm", "midterms", "general", "local", "annexation",
        "offensive", "counteroffensive", "incursion", "massacre", "genocide", "famine",
        "pandemic", "estimate", "levels", "level", "constitution", "decree", "resolution",
        "sanctions", "bombing", "riots", "film", "book", "novel", "album", "world", "cup",
        "tournament", "race", "primary", "primaries", "crash", "downing", "shootdown",
        "hijacking", "siege", "blockade", "occupation", "withdrawal", "agreements", "talks",
        "visit", "meeting", "law", "act", "reforms", "constitutional", "nuclear", "deadline",
        "target", "winter", "summer", "spring", "autumn", "edition", "version", "figures",
        "data", "statistics", "fiscal", "financial", "academic"})
    Add(w, kYearNoun);
  for (const char* w : {"early", "late", "mid"}) Add(w, kEdge);
  for (const char* w : {"end", "beginning", "start", "middle", "half", "rest", "remainder"})
    Add(w, kPeriodPart);
  for (const char* w : {"few", "several"}) Add(w, kVague);
  for (const char* w : {"people", "children", "men", "women", "personnel", "police", "staff",
                        "aircraft", "cattle", "sheep", "fish", "livestock", "militia", "youth",
                        "more", "of"})
    Add(w, kCountNoun);

  the = NormId("the"), a = NormId("a"), an = NormId("an"), of = NormId("of"),
  and_ = NormId("and"), to = NormId("to"), or_ = NormId("or"), through = NormId("through"),
  per = NormId("per"), cent = NormId("cent"), percentage = NormId("percentage"),
  point = NormId("point"), points = NormId("points"), local = NormId("local"),
  time = NormId("time"), old = NormId("old"), square = NormId("square"), sq = NormId("sq"),
  cubic = NormId("cubic"), metric = NormId("metric"), sterling = NormId("sterling"),
  than = NormId("than"), more = NormId("more"), less = NormId("less"), fewer = NormId("fewer"),
  at = NormId("at"), least = NormId("least"), most = NormId("most"), up = NormId("up"),
  as = NormId("as"), many = NormId("many"), much = NormId("much"), few = NormId("few"),
  little = NormId("little"), just = NormId("just"), well = NormId("well"), hyphen = NormId("-"),
  dash = NormId("--"), comma = NormId(","), first = NormId("first"), all = NormId("all"),
  half = NormId("half"), century = NormId("century"), quarter = NormId("quarter"),
  weekend = NormId("weekend"), one = NormId("one"), second = NormId("second"),
  no = NormId("no"), any = NormId("any"), every = NormId("every"), each = NormId("each"),
  some = NormId("some"), this_ = NormId("this"), that = NormId("that"), which = NormId("which"),
  who = NormId("who"), another = NormId("another"), split = NormId("split"),
  between = NormId("between"), celsius = NormId("celsius"), fahrenheit = NormId("fahrenheit"),
  c = NormId("c"), f = NormId("f"), earlier = NormId("earlier"), later = NormId("later"),
  day = NormId("day"), hour = NormId("hour"), year = NormId("year"), month = NormId("month"),
  week = NormId("week"), for_ = NormId("for"), within = NormId("within"),
  nearly = NormId("nearly"), almost = NormId("almost"), about = NormId("about"),
  over = NormId("over"), after = NormId("after"), in = NormId("in"), under = NormId("under"),
  someone = NormId("someone"), anyone = NormId("anyone"), such = NormId("such"),
  degrees = NormId("degrees"), degree = NormId("degree"), nautical = NormId("nautical"),
  apostrophe_s = NormId("'s"), dollar_sign = NormId("$"), by = NormId("by"),
  couple = NormId("couple");
  xpos_nns = XposFromName("NNS");
}

using Impl = Lexicon;

// Matching state for one document; the sentence bounds and the window a
// match may occupy are set before each MatchAt.
class Scan {
 public:
  Scan(const Impl& x, const Document& doc, const TokenTag* tags)
      : X(x), D(doc), tok(doc.tokens().data()), tags_(tags) {}

  uint32_t sb = 0, se = 0;  // the sentence's tokens
  uint32_t floor = 0;       // a match may extend left down to this token
  uint32_t limit = 0;       // and right up to (not including) this one

  // Tries to match a mention whose core token is i. On success fills *m with
  // floor <= m->b <= i < m->e <= limit.
  bool MatchAt(uint32_t i, Out* m) const;

 private:
  const Impl& X;
  const Document& D;
  const Token* tok;
  const TokenTag* tags_;

  bool In(uint32_t i) const { return i >= sb && i < se; }
  bool Usable(uint32_t i) const { return i >= floor && i < limit; }
  const Lex* L(uint32_t i) const { return In(i) ? X.Find(tok[i].norm) : nullptr; }
  uint64_t Bits(uint32_t i) const {
    const Lex* l = L(i);
    return l ? l->bits : 0;
  }
  bool Is(uint32_t i, uint64_t id) const { return In(i) && tok[i].norm == id; }
  std::string_view T(uint32_t i) const { return D.token_text(i); }
  // No whitespace between token i and token i + 1.
  bool Tight(uint32_t i) const { return !tok[i].has(kSpaceAfter); }
  bool Upper(uint32_t i) const {
    char c = D.text()[tok[i].begin];
    return c >= 'A' && c <= 'Z';
  }
  bool AllUpper(uint32_t i) const {
    for (char c : T(i))
      if (c >= 'a' && c <= 'z') return false;
    return true;
  }
  bool LowerWord(uint32_t i) const {
    if (!In(i) || tok[i].kind != TokenKind::kWord) return false;
    char c = D.text()[tok[i].begin];
    return c >= 'a' && c <= 'z';
  }
  Upos Pos(uint32_t i) const { return tags_ && In(i) ? tags_[i].upos : Upos::kNone; }
  bool IsHyphen(uint32_t i) const { return Is(i, X.hyphen) || Is(i, X.dash); }
  // Tokens i, i+1 (a hyphen) and i+2 written without spaces: "five-year".
  bool TightHyphen(uint32_t i) const {
    return In(i + 2) && Tight(i) && IsHyphen(i + 1) && Tight(i + 1);
  }
  NumTok Num(uint32_t i) const {
    return In(i) && tok[i].kind == TokenKind::kNumber ? ParseNumTok(T(i)) : NumTok{};
  }
  // A 4-digit year 1000..2100 written as a plain number; 0 otherwise.
  int YearAt(uint32_t i) const {
    if (!In(i) || tok[i].kind != TokenKind::kNumber || tok[i].end - tok[i].begin != 4) return 0;
    NumTok n = ParseNumTok(T(i));
    if (n.kind != NumTok::kPlain || n.comma || n.point || n.int_digits != 4) return 0;
    return n.val.mant >= 1000 && n.val.mant <= 2100 ? static_cast<int>(n.val.mant) : 0;
  }
  // A day of the month 1..31 ("9", "9th") at i; 0 otherwise.
  int DayAt(uint32_t i) const {
    NumTok n = Num(i);
    if ((n.kind == NumTok::kPlain || n.kind == NumTok::kOrdinal) && !n.comma && !n.point &&
        n.int_digits <= 2 && n.val.mant >= 1 && n.val.mant <= 31)
      return static_cast<int>(n.val.mant);
    return 0;
  }
  // A month name (capitalized, or an abbreviation) at i: 1..12; 0 otherwise.
  int MonthAt(uint32_t i) const {
    const Lex* l = L(i);
    if (!l || !(l->bits & kMonth) || !Upper(i)) return 0;
    return l->num;
  }

  bool ParseNP(uint32_t i, NP* np) const;
  bool ParseWords(uint32_t i, NP* np) const;
  bool Tails(const NP& np, Out* m) const;
  bool TailsAt(const NP& np, uint32_t e, bool range, Out* m) const;
  bool NumberToken(uint32_t i, Out* m) const;
  bool NumberWords(uint32_t i, Out* m) const;
  bool Ordinal(uint32_t b, uint32_t e, int n, bool word, Out* m) const;
  bool CurrencyFirst(uint32_t i, const Lex* l, Out* m) const;
  bool MonthCore(uint32_t i, const Lex* l, Out* m) const;
  bool DateAfterMonth(uint32_t i, int month, uint32_t* e, Value* v) const;
  bool WeekdayCore(uint32_t i, Out* m) const;
  bool Relative(uint32_t i, const Lex* l, Out* m) const;
  bool DayWord(uint32_t i, const Lex* l, Out* m) const;
  bool ArticleUnit(uint32_t i, const Lex* l, Out* m) const;
  bool SeasonCore(uint32_t i, const Lex* l, Out* m) const;
  bool SpecialWord(uint32_t i, Out* m) const;
  bool Half(uint32_t i, Out* m) const;
  bool YearContext(uint32_t i) const;
  uint32_t TimeZone(uint32_t e) const;
  uint32_t PartOfDay(uint32_t e) const;
  void ExtendApprox(Out* m) const;
  void ExtendDate(Out* m, bool the_ok) const;
  void AddRange(const NP& np, bool range, Value* v) const {
    v->AddDec(np.v);
    if (range) {
      v->Add("-");
      v->AddDec(np.v2);
    }
  }
};

// "more than", "about", "as many as" before a number belong to the mention.
void Scan::ExtendApprox(Out* m) const {
  uint32_t b = m->b;
  if (Usable(b - 1) && (Bits(b - 1) & kApprox)) {
    --b;
    if (Usable(b - 1) && (Is(b - 1, X.just) || Is(b - 1, X.well))) --b;
  } else if (Usable(b - 2) && (Is(b - 1, X.than) && (Is(b - 2, X.more) || Is(b - 2, X.less) ||
                                                     Is(b - 2, X.fewer)))) {
    b -= 2;
  } else if (Usable(b - 2) && ((Is(b - 2, X.at) && (Is(b - 1, X.least) || Is(b - 1, X.most))) ||
                               (Is(b - 2, X.up) && Is(b - 1, X.to)))) {
    b -= 2;
  } else if (Usable(b - 3) && Is(b - 3, X.as) && Is(b - 1, X.as) &&
             (Is(b - 2, X.many) || Is(b - 2, X.much) || Is(b - 2, X.few) ||
              Is(b - 2, X.little))) {
    b -= 3;
  }
  m->b = b;
}

// "early", "the" (when the expression takes it) and "the end of" before a date.
void Scan::ExtendDate(Out* m, bool the_ok) const {
  uint32_t b = m->b;
  if (Usable(b - 1) && (Bits(b - 1) & kEdge)) --b;
  if (the_ok && Usable(b - 1) && Is(b - 1, X.the)) --b;
  if (Usable(b - 2) && Is(b - 1, X.of) && (Bits(b - 2) & (kPeriodPart | kSeason))) {
    b -= 2;
    if (Is(b, X.half) && Usable(b - 1) && (Bits(b - 1) & kOrdWord)) --b;
    if (Usable(b - 1) && Is(b - 1, X.the)) --b;
  }
  m->b = b;
}

// Time zone after a time: "local time", "GMT", "Kyiv time". Returns the new end.
uint32_t Scan::TimeZone(uint32_t e) const {
  if (Usable(e + 1) && Is(e + 1, X.time) && (Is(e, X.local) || (Upper(e) && tok[e].kind == TokenKind::kWord)))
    return e + 2;
  if (Usable(e) && (Bits(e) & kTimezone) && AllUpper(e)) return e + 1;
  return e;
}

// "morning", "night" after a day: returns the end including it, or e.
uint32_t Scan::PartOfDay(uint32_t e) const {
  return Usable(e) && (Bits(e) & kPartOfDay) ? e + 1 : e;
}

// Parses a number phrase starting at the numeric token i.
bool Scan::ParseNP(uint32_t i, NP* np) const {
  NumTok n = ParseNumTok(T(i));
  if (n.kind != NumTok::kPlain && n.kind != NumTok::kScaled) return false;
  np->b = i;
  np->e = i + 1;
  np->v = n.val;
  np->scaled = n.kind == NumTok::kScaled;
  np->plain = n.kind == NumTok::kPlain && !n.comma && !n.point && n.val.ok &&
              n.int_digits <= 9;
  np->ival = np->plain ? static_cast<int64_t>(n.val.mant) : -1;
  np->int_digits = n.int_digits;
  while (Usable(np->e)) {
    const Lex* l = L(np->e);
    if (!l || !(l->bits & kScaleWord)) break;
    np->v.exp += l->exp;
    np->scaled = true;
    np->plain = false;
    ++np->e;
  }
  // A range written with a tight hyphen: "3-4", "3-4 million".
  uint32_t h = np->e;
  if (TightHyphen(h - 1) && h + 1 < limit && tok[h + 1].kind == TokenKind::kNumber) {
    NumTok n2 = ParseNumTok(T(h + 1));
    if (n2.kind == NumTok::kPlain || n2.kind == NumTok::kScaled) {
      np->v2 = n2.val;
      bool scaled2 = n2.kind == NumTok::kScaled;
      uint32_t e2 = h + 2;
      while (Usable(e2)) {
        const Lex* l = L(e2);
        if (!l || !(l->bits & kScaleWord)) break;
        np->v2.exp += l->exp;
        scaled2 = true;
        ++e2;
      }
      if (scaled2 && !np->scaled) np->v.exp += np->v2.exp - n2.val.exp;
      np->range = true;
      np->re = e2;
    }
  }
  return true;
}

// Parses a number in words starting at i ("twenty-five", "a hundred",
// "three hundred and fifty thousand", "twenty-first").
bool Scan::ParseWords(uint32_t i, NP* np) const {
  uint64_t total = 0, cur = 0;
  uint32_t j = i;
  np->b = i;
  const Lex* l0 = L(i);
  if (!l0) return false;
  if (l0->bits & kScaleWord) {
    // "a hundred", "a million": the article stands for one.
    if (!(Usable(i - 1) && (Is(i - 1, X.a) || Is(i - 1, X.an)))) return false;
    np->b = i - 1;
    cur = 1;
  }
  bool any = false, last_small = false, last_tens = false;
  while (Usable(j)) {
    const Lex* l = L(j);
    if (l && (l->bits & kNumWord) && !(l->bits & kScaleWord)) {
      uint64_t v = static_cast<uint64_t>(l->num);
      if (last_small && !(last_tens && v < 10)) break;  // "two three"
      cur += v;
      last_tens = v >= 20;
      last_small = true;
    } else if (l && (l->bits & kScaleWord) && (any || cur)) {
      if (!(l->bits & kNumWord)) break;  // "bn" is for digits only
      if (l->exp == 2) {
        cur = (cur ? cur : 1) * 100;
      } else {
        uint64_t s = 1;
        for (int k = 0; k < l->exp; ++k) s *= 10;
        if (cur > 999999) return false;
        total += (cur ? cur : 1) * s;
        cur = 0;
      }
      last_small = last_tens = false;
    } else if (l && (l->bits & kOrdWord) && last_tens && l->num < 10 && j > i &&
               IsHyphen(j - 1)) {
      cur += static_cast<uint64_t>(l->num);  // "twenty-first"
      np->ordinal = true;
      ++j;
      any = true;
      break;
    } else {
      break;
    }
    any = true;
    ++j;
    // Connectors: "twenty-five", "hundred and fifty".
    if (last_tens && TightHyphen(j - 1) && Usable(j + 1) &&
        (Bits(j + 1) & (kNumWord | kOrdWord)) && !(Bits(j + 1) & kScaleWord)) {
      const Lex* nx = L(j + 1);
      if (nx->num < 10) {
        ++j;
        continue;
      }
    }
    if (Is(j, X.and_) && !last_small && Usable(j + 1) && (Bits(j + 1) & kNumWord) &&
        !(Bits(j + 1) & kScaleWord)) {
      ++j;
      continue;
    }
  }
  if (!any) return false;
  np->e = j;
  np->v = Dec{total + cur, 0, true};
  np->words = true;
  np->plain = false;
  np->ival = static_cast<int64_t>(total + cur);
  np->scaled = j - np->b > 1 && !np->ordinal;
  return true;
}

bool Scan::Tails(const NP& np, Out* m) const {
  if (np.range && TailsAt(np, np.re, true, m)) return true;
  return TailsAt(np, np.e, false, m);
}

// What follows a number phrase: %, a currency, a period of time, a unit.
bool Scan::TailsAt(const NP& np, uint32_t e, bool range, Out* m) const {
  if (!Usable(e)) return false;
  if (np.ordinal) return false;
  m->b = np.b;
  m->v = Value();
  const Lex* l = L(e);
  uint64_t bits = l ? l->bits : 0;
  // PERCENT
  uint32_t pe = 0;
  if (bits & kPercentWord) pe = e + 1;
  else if (Is(e, X.per) && Usable(e + 1) && Is(e + 1, X.cent)) pe = e + 2;
  else if (Is(e, X.percentage) && Usable(e + 1) && (Is(e + 1, X.point) || Is(e + 1, X.points)))
    pe = e + 2;
  if (pe) {
    m->e = pe;
    m->type = EntityType::kPercent;
    AddRange(np, range, &m->v);
    ExtendApprox(m);
    return true;
  }
  // MONEY after the number: "20 billion euros", "500 Canadian dollars", "40 USD".
  const char* code = nullptr;
  int minor = 0;
  uint32_t ce = 0;
  if (bits & kCurQual) {
    for (const Impl::CurQual& q : X.qualified) {
      if (tok[e].norm != q.w1) continue;
      uint32_t k = e + 1;
      if (q.w2) {
        if (!Usable(k) || !Is(k, q.w2)) continue;
        ++k;
      }
      if (Usable(k) && Is(k, q.cur)) {
        code = q.code;
        ce = k + 1;
        break;
      }
    }
  }
  if (!ce && (bits & kCurrency)) {
    bool ok = true;
    if (bits & kNeedsScale) ok = np.scaled || (Usable(e + 1) && Is(e + 1, X.sterling));
    if (ok) {
      code = l->code;
      minor = l->exp;
      ce = e + 1;
      if (Is(ce, X.sterling) && Usable(ce)) ++ce;
    }
  }
  if (!ce && (bits & kCurrencyCode) && AllUpper(e)) {
    code = l->code;
    ce = e + 1;
  }
  if (ce) {
    m->e = ce;
    m->type = EntityType::kMoney;
    NP scaled = np;
    scaled.v.exp += minor;
    scaled.v2.exp += minor;
    AddRange(scaled, range, &m->v);
    if (code) {
      m->v.Add(" ");
      m->v.Add(code);
    }
    ExtendApprox(m);
    return true;
  }
  // A period of time: "three years", "five-year", "67-year-old", "two days ago".
  uint32_t u = e;
  bool compound = false;
  if (TightHyphen(e - 1) && Usable(e + 1)) {
    u = e + 1;
    compound = true;
  }
  const Lex* ul = L(u);
  if (ul && (ul->bits & (kDateUnit | kTimeUnit)) && ul->period != 'K' && Usable(u)) {
    if (compound && (ul->bits & kPlural)) return false;
    bool time = ul->bits & kTimeUnit;
    m->type = time ? EntityType::kTime : EntityType::kDate;
    m->e = u + 1;
    if (!time && ul->period == 'Y' && TightHyphen(u) && Usable(u + 2) && Is(u + 2, X.old)) {
      m->e = u + 3;  // an age
    } else if (!compound && Usable(u + 1) && (Bits(u + 1) & kAgo)) {
      m->e = u + 2;  // relative: no value
      ExtendApprox(m);
      return true;
    }
    NP d = np;
    char letter = ul->period;
    int mult_exp = 0;
    if (letter == 'E') letter = 'Y', mult_exp = 1;
    if (letter == 'C') letter = 'Y', mult_exp = 2;
    if (letter == 'N') letter = 'M';
    d.v.exp += mult_exp;
    d.v2.exp += mult_exp;
    if (letter == 'Q') {  // quarters: months
      if (d.v.exp < 0 || range) return false;
      letter = 'M';
      d.v.mant *= 3;
    }
    char unit[2] = {letter, 0};
    m->v.Add(time ? "PT" : "P");
    m->v.AddDec(d.v);
    m->v.Add(unit);
    if (range) {
      m->v.Add(time ? "-PT" : "-P");
      m->v.AddDec(d.v2);
      m->v.Add(unit);
    }
    ExtendApprox(m);
    return true;
  }
  // QUANTITY: "40 km", "1,200 square miles", "10 billion cubic metres", "50 barrels per day".
  u = e;
  const char* power = "";
  if (Is(u, X.square) || Is(u, X.sq)) power = "2", ++u;
  else if (Is(u, X.cubic)) power = "3", ++u;
  else if (Is(u, X.metric) || Is(u, X.nautical)) ++u;
  else if (TightHyphen(e - 1)) ++u;
  ul = L(u);
  if (Usable(u) && ul && (ul->bits & kUnit)) {
    m->type = EntityType::kQuantity;
    m->e = u + 1;
    AddRange(np, range, &m->v);
    m->v.Add(" ");
    if (Is(u, X.degrees) || Is(u, X.degree)) {
      if (Usable(u + 1) && (Is(u + 1, X.celsius) || (Is(u + 1, X.c) && Upper(u + 1)))) {
        m->v.Add("\xC2\xB0" "C");
        ++m->e;
      } else if (Usable(u + 1) && (Is(u + 1, X.fahrenheit) || (Is(u + 1, X.f) && Upper(u + 1)))) {
        m->v.Add("\xC2\xB0" "F");
        ++m->e;
      } else {
        m->v.Add("deg");
      }
    } else {
      m->v.Add(ul->unit);
      m->v.Add(power);
    }
    // "per day", "a day"
    uint32_t k = m->e;
    if (Usable(k + 1) && (Is(k, X.per) || Is(k, X.a) || Is(k, X.an))) {
      if (Is(k + 1, X.day)) m->v.Add("/d"), m->e = k + 2;
      else if (Is(k + 1, X.hour)) m->v.Add("/h"), m->e = k + 2;
      else if (Is(k + 1, X.year)) m->v.Add("/yr"), m->e = k + 2;
    }
    ExtendApprox(m);
    return true;
  }
  return false;
}

// Whether the 4-digit number at i is a year by its context.
bool Scan::YearContext(uint32_t i) const {
  uint64_t nb = Bits(i + 1);
  if (In(i + 1)) {
    if (nb & kYearNoun) return true;
    // "in 2000 people", "by 1500 votes": a plural noun makes it a count.
    if (tags_ && tags_[i + 1].xpos == X.xpos_nns) return false;
    std::string_view nx = T(i + 1);
    if (LowerWord(i + 1) && nx.size() > 3 && nx.back() == 's') return false;
    if (nb & (kUnit | kCurrency | kPercentWord | kScaleWord | kCountNoun)) return false;
  }
  // News writes counts of a thousand or more with commas, so a plain 4-digit
  // number from 1900 on is a year unless a count noun follows (above).
  if (YearAt(i) >= 1900 && !Is(i - 1, X.than)) return true;
  if (!In(i - 1)) return false;
  uint64_t pb = Bits(i - 1);
  if (!(pb & (kYearPrep | kEdge | kSeason | kMonth))) return false;
  if (Is(i - 1, X.and_) || Is(i - 1, X.to) || Is(i - 1, X.or_) || IsHyphen(i - 1))
    return YearAt(i - 2) != 0;  // "between 2014 and 2016"
  if (Is(i - 1, X.of))
    return (Bits(i - 2) & (kPeriodPart | kSeason | kMonth | kDateUnit)) != 0;
  return true;
}

bool Scan::NumberToken(uint32_t i, Out* m) const {
  // A model or name: "F-16", "Su-34", "COVID-19".
  if (In(i - 2) && IsHyphen(i - 1) && Tight(i - 2) && Tight(i - 1) &&
      tok[i - 2].kind == TokenKind::kWord)
    return false;
  NumTok n = ParseNumTok(T(i));
  m->b = i;
  m->e = i + 1;
  switch (n.kind) {
    case NumTok::kOther:
      return false;
    case NumTok::kDate:
      m->type = EntityType::kDate;
      m->v.AddDate(n.y, n.m, n.d);
      ExtendDate(m, false);
      return true;
    case NumTok::kTime: {
      int h = n.hour;
      if (!n.ampm && Usable(i + 1) && (Bits(i + 1) & kAmPm)) {
        int add = L(i + 1)->num;
        if (add >= 0) {
          if (h < 1 || h > 12) return false;
          h = h % 12 + add;
        }
        m->e = i + 2;
      }
      m->type = EntityType::kTime;
      m->e = TimeZone(m->e);
      m->v.AddTime(h, n.minute);
      return true;
    }
    case NumTok::kDecade:
      m->type = EntityType::kDate;
      m->v.AddInt(n.y / 10);
      m->v.Add("X");
      ExtendDate(m, true);
      return true;
    case NumTok::kYearRange:
      m->type = EntityType::kDate;
      m->v.AddInt(n.y);
      m->v.Add("/");
      m->v.AddInt(n.m);
      ExtendDate(m, false);
      return true;
    case NumTok::kOrdinal:
      return Ordinal(i, i + 1, static_cast<int>(std::min<uint64_t>(n.val.mant, 1000000)), false, m);
    case NumTok::kFraction:
      m->type = EntityType::kCardinal;
      return true;
    case NumTok::kUnitSuffix: {
      m->type = EntityType::kQuantity;
      m->v.AddDec(n.val);
      m->v.Add(" ");
      m->v.Add(n.unit);
      ExtendApprox(m);
      return true;
    }
    case NumTok::kPlain:
    case NumTok::kScaled:
      break;
  }
  NP np;
  if (!ParseNP(i, &np)) return false;
  if (Tails(np, m)) return true;
  m->v = Value();
  m->b = i;
  if (np.plain) {
    int64_t v = np.ival;
    // "9 March 2025", "9 March"
    if (np.int_digits <= 2 && v >= 1 && v <= 31 && MonthAt(i + 1) && Usable(i + 1)) {
      int month = MonthAt(i + 1);
      int y = 0;
      uint32_t e = i + 2;
      if (Usable(e) && YearAt(e)) y = YearAt(e), ++e;
      else if (Usable(e + 1) && Is(e, X.comma) && YearAt(e + 1)) y = YearAt(e + 1), e += 2;
      if (ValidDate(y, month, static_cast<int>(v))) {
        m->type = EntityType::kDate;
        m->e = e;
        m->v.AddDate(y, month, static_cast<int>(v));
        ExtendDate(m, false);
        return true;
      }
    }
    // "10 a.m.", "5 o'clock"
    if (np.int_digits <= 2 && v >= 1 && v <= 12 && Usable(i + 1) && (Bits(i + 1) & kAmPm)) {
      int add = L(i + 1)->num;
      m->type = EntityType::kTime;
      m->e = TimeZone(i + 2);
      m->v.AddTime(add >= 0 ? static_cast<int>(v) % 12 + add : static_cast<int>(v), 0);
      return true;
    }
    // "0600 GMT"
    if (np.int_digits == 4 && T(i).size() == 4 && v <= 2359 && v % 100 < 60 &&
        TimeZone(i + 1) > i + 1) {
      m->type = EntityType::kTime;
      m->e = TimeZone(i + 1);
      m->v.AddTime(static_cast<int>(v / 100), static_cast<int>(v % 100));
      return true;
    }
    // A year: "in 1987", "since 2014", "the 2024 election", "2014-16".
    int y = YearAt(i);
    if (y && YearContext(i)) {
      m->type = EntityType::kDate;
      m->v.AddInt(y);
      if (TightHyphen(i) && Usable(i + 2)) {
        NumTok n2 = Num(i + 2);
        if (n2.kind == NumTok::kPlain && n2.int_digits == 2 && !n2.comma && !n2.point &&
            static_cast<int>(n2.val.mant) > y % 100) {
          m->v.Add("/");
          m->v.AddInt(y / 100 * 100 + static_cast<int>(n2.val.mant));
          m->e = i + 3;
        }
      }
      ExtendDate(m, false);
      return true;
    }
  }
  m->type = EntityType::kCardinal;
  m->e = np.e;
  m->v.AddDec(np.v);
  ExtendApprox(m);
  return true;
}

bool Scan::NumberWords(uint32_t i, Out* m) const {
  NP np;
  if (!ParseWords(i, &np)) return false;
  if (np.ordinal) return Ordinal(np.b, np.e, static_cast<int>(np.ival), true, m);
  if (Tails(np, m)) return true;
  m->v = Value();
  if (np.e == np.b + 1 && Is(np.b, X.one)) {
    // "one" as a pronoun: "one of the", "no one", "the one who".
    uint32_t nx = np.e, pv = np.b - 1;
    if (!In(nx) || tok[nx].kind != TokenKind::kWord || Is(nx, X.of) || Is(nx, X.another) ||
        Is(nx, X.who) || Is(nx, X.which) || Is(nx, X.that) || Is(nx, X.apostrophe_s))
      return false;
    if (Is(nx, X.by) && Is(nx + 1, X.one)) return false;  // "one by one"
    if (Is(pv, X.by) && Is(pv - 1, X.one)) return false;
    if (Is(pv, X.no) || Is(pv, X.any) || Is(pv, X.every) || Is(pv, X.each) || Is(pv, X.some) ||
        Is(pv, X.this_) || Is(pv, X.that) || Is(pv, X.the) || Is(pv, X.which) ||
        Is(pv, X.such) || Is(pv, X.little) || Is(pv, X.another))
      return false;
    Upos p = Pos(np.b);
    if (p == Upos::kPRON || p == Upos::kNOUN) return false;
  }
  m->b = np.b;
  m->e = np.e;
  m->type = EntityType::kCardinal;
  m->v.AddDec(np.v);
  ExtendApprox(m);
  return true;
}

// An ordinal n on tokens [b, e): "third quarter", "21st century", "9th of
// March", or ORDINAL.
bool Scan::Ordinal(uint32_t b, uint32_t e, int n, bool word, Out* m) const {
  m->b = b;
  m->e = e;
  m->v = Value();
  if (Usable(e)) {
    if (Is(e, X.quarter) && n >= 1 && n <= 4) {
      m->type = EntityType::kDate;
      m->e = e + 1;
      int y = 0;
      if (Usable(e + 1) && YearAt(e + 1)) y = YearAt(e + 1), m->e = e + 2;
      else if (Usable(e + 2) && Is(e + 1, X.of) && YearAt(e + 2)) y = YearAt(e + 2), m->e = e + 3;
      m->v.AddDate(y, 0, 0);
      m->v.Add("-Q");
      m->v.AddInt(n);
      ExtendDate(m, true);
      return true;
    }
    if (Is(e, X.half) && n <= 2 && Usable(e + 2) && Is(e + 1, X.of) && YearAt(e + 2)) {
      m->type = EntityType::kDate;
      m->e = e + 3;
      m->v.AddInt(YearAt(e + 2));
      m->v.Add("-H");
      m->v.AddInt(n);
      ExtendDate(m, true);
      return true;
    }
    if (Is(e, X.century) && n >= 1 && n <= 21) {
      m->type = EntityType::kDate;
      m->e = e + 1;
      m->v.AddInt(n - 1, 2);
      m->v.Add("XX");
      ExtendDate(m, true);
      return true;
    }
    if (n >= 1 && n <= 31 && Is(e, X.of) && Usable(e + 1) && MonthAt(e + 1)) {
      int month = MonthAt(e + 1), y = 0;
      m->e = e + 2;
      if (Usable(m->e) && YearAt(m->e)) y = YearAt(m->e), ++m->e;
      else if (Usable(m->e + 1) && Is(m->e, X.comma) && YearAt(m->e + 1))
        y = YearAt(m->e + 1), m->e += 2;
      if (ValidDate(y, month, n)) {
        m->type = EntityType::kDate;
        m->v.AddDate(y, month, n);
        ExtendDate(m, true);
        return true;
      }
      m->e = e;
    }
  }
  // "at first", "first of all"
  if (Is(b, X.first) && ((In(b - 1) && Is(b - 1, X.at)) || (Is(e, X.of) && Is(e + 1, X.all))))
    return false;
  // "a second", "one second": the unit of time.
  if (Is(b, X.second) && e == b + 1 &&
      (Is(b - 1, X.a) || Is(b - 1, X.one) || Is(b - 1, X.split) || Is(b - 1, X.per))) {
    if (Pos(b) == Upos::kNOUN || !In(e) || tok[e].kind != TokenKind::kWord || Is(e, X.of) ||
        (Bits(e) & (kAgo | kYearPrep)))
      return false;
  }
  // Part of a name: "Second Army", "3rd Assault Brigade".
  if (b > sb && In(e) && Upper(e) && tok[e].kind == TokenKind::kWord &&
      (!word || Upper(b)))
    return false;
  m->type = EntityType::kOrdinal;
  m->v.AddInt(n);
  return true;
}

// "$5 million", "US$ 40", "€20bn", "USD 3.5 billion".
bool Scan::CurrencyFirst(uint32_t i, const Lex* l, Out* m) const {
  if ((l->bits & kCurrencyCode) && !AllUpper(i)) return false;
  const char* code = l->code;
  uint32_t b = i;
  if (tok[i].norm == X.dollar_sign && Usable(i - 1) && Tight(i - 1) && Upper(i - 1) &&
      tok[i - 1].kind == TokenKind::kWord) {
    std::string_view p = T(i - 1);
    const char* c = nullptr;
    if (p == "US" || p == "U.S.") c = "USD";
    else if (p == "A" || p == "AU") c = "AUD";
    else if (p == "C" || p == "CA" || p == "Can") c = "CAD";
    else if (p == "HK") c = "HKD";
    else if (p == "NZ") c = "NZD";
    else if (p == "S") c = "SGD";
    else if (p == "R") c = "BRL";
    else if (p == "NT") c = "TWD";
    else if (p == "Mex") c = "MXN";
    if (c) code = c, b = i - 1;
  }
  uint32_t j = i + 1;
  if (!Usable(j)) return false;
  NP np;
  if (tok[j].kind == TokenKind::kNumber) {
    if (!ParseNP(j, &np)) return false;
  } else if (!(Bits(j) & kNumWord) || !ParseWords(j, &np) || np.ordinal) {
    return false;
  }
  bool range = np.range;
  m->b = b;
  m->e = range ? np.re : np.e;
  m->type = EntityType::kMoney;
  // "$1 billion Singapore dollars": the name after the amount decides.
  if (Usable(m->e) && (Bits(m->e) & (kCurQual | kCurrency))) {
    NP after = np;
    Out m2;
    if (TailsAt(after, m->e, range, &m2) && m2.type == EntityType::kMoney) {
      m2.b = m->b;
      *m = m2;
      ExtendApprox(m);
      return true;
    }
  }
  AddRange(np, range, &m->v);
  m->v.Add(" ");
  m->v.Add(code);
  ExtendApprox(m);
  return true;
}

// After a month name at i: a day and a year ("March 9, 2025", "March 9th",
// "March 2025"). Sets *e past them and writes the value; false if neither.
bool Scan::DateAfterMonth(uint32_t i, int month, uint32_t* e, Value* v) const {
  uint32_t j = i + 1;
  int d = Usable(j) ? DayAt(j) : 0;
  if (d && !(Usable(j + 1) && (Bits(j + 1) & (kUnit | kCurrency | kPercentWord | kScaleWord)))) {
    int y = 0;
    uint32_t k = j + 1;
    if (Usable(k) && YearAt(k)) y = YearAt(k), ++k;
    else if (Usable(k + 1) && Is(k, X.comma) && YearAt(k + 1)) y = YearAt(k + 1), k += 2;
    if (!ValidDate(y, month, d)) return false;
    *e = k;
    v->AddDate(y, month, d);
    return true;
  }
  if (Usable(j) && YearAt(j)) {
    *e = j + 1;
    v->AddDate(YearAt(j), month, 0);
    return true;
  }
  return false;
}

bool Scan::MonthCore(uint32_t i, const Lex* l, Out* m) const {
  if (!Upper(i)) return false;
  m->b = i;
  m->type = EntityType::kDate;
  if (DateAfterMonth(i, l->num, &m->e, &m->v)) {
    ExtendDate(m, false);
    return true;
  }
  m->v = Value();
  if (l->bits & kMonthAbbrev) return false;
  Upos p = Pos(i);
  if (p == Upos::kAUX || p == Upos::kVERB) return false;
  if (l->bits & kAmbiguousMonth) {
    // "May I ask", "March on": a bare month needs a preposition or modifier.
    bool ctx = In(i - 1) && (Bits(i - 1) & (kYearPrep | kEdge | kRelMod)) && !Is(i - 1, X.and_) &&
               !Is(i - 1, X.or_) && !IsHyphen(i - 1);
    bool of_year = Usable(i + 2) && Is(i + 1, X.of) && YearAt(i + 2);
    if (!ctx && !of_year) return false;
  }
  m->e = i + 1;
  if (Usable(i + 2) && Is(i + 1, X.of) && YearAt(i + 2)) {
    m->e = i + 3;
    m->v.AddDate(YearAt(i + 2), l->num, 0);
  } else {
    m->v.AddDate(0, l->num, 0);
  }
  ExtendDate(m, false);
  return true;
}

// "Tuesday", "Tuesday, March 4, 2025", "Tuesday night", "early Tuesday".
bool Scan::WeekdayCore(uint32_t i, Out* m) const {
  if (!Upper(i)) return false;
  m->b = i;
  m->e = i + 1;
  m->type = EntityType::kDate;
  uint32_t j = i + 1;
  if (Usable(j) && Is(j, X.comma)) ++j;
  int month = Usable(j) ? MonthAt(j) : 0;
  uint32_t e;
  Value v;
  if (month && DateAfterMonth(j, month, &e, &v)) {
    m->e = e;
    m->v = v;
  } else if (uint32_t pe = PartOfDay(i + 1); pe > i + 1) {
    m->e = pe;
    m->type = EntityType::kTime;
  }
  ExtendDate(m, false);
  return true;
}

// "next week", "the past two years", "last Tuesday", "this morning",
// "earlier this month", "recent weeks", "the following day".
bool Scan::Relative(uint32_t i, const Lex* l, Out* m) const {
  int kind = l->num;
  uint32_t j = i + 1;
  if (!Usable(j)) return false;
  bool the = Usable(i - 1) && Is(i - 1, X.the);
  m->b = i;
  m->v = Value();
  m->type = EntityType::kDate;
  const Lex* nl = L(j);
  uint64_t nb = nl ? nl->bits : 0;
  bool simple = kind == kThis || kind == kNext || kind == kLast || kind == kComing;
  if (simple && (nb & kWeekday) && Upper(j)) {
    m->e = PartOfDay(j + 1);
    if (m->e > j + 1) m->type = EntityType::kTime;
  } else if (simple && kind != kComing && (nb & kMonth) && !(nb & kMonthAbbrev) && Upper(j)) {
    m->e = j + 1;
  } else if (simple && (nb & kSeason)) {
    m->e = j + 1;
  } else if ((nb & kPartOfDay) &&
             (kind == kThis || kind == kLast || ((kind == kNext || kind == kFollowing ||
                                                  kind == kPrevious || kind == kSame) && the))) {
    m->e = j + 1;
    m->type = EntityType::kTime;
  } else {
    // [number | few | several] unit
    uint32_t u = j;
    bool counted = false;
    if (tok[j].kind == TokenKind::kNumber || (nb & kNumWord)) {
      NP np;
      bool ok = tok[j].kind == TokenKind::kNumber ? ParseNP(j, &np) : ParseWords(j, &np);
      if (!ok || np.ordinal || np.range) return false;
      u = np.e;
      counted = true;
    } else if (nb & kVague) {
      u = j + 1;
      counted = true;
    }
    const Lex* ul = L(u);
    if (!Usable(u) || !ul || !(ul->bits & (kDateUnit | kTimeUnit))) return false;
    bool plural = ul->bits & kPlural;
    if (kind == kThis && (plural || ul->period == 'D')) return false;
    if (kind == kRecent && !plural) return false;
    if (plural && !counted && kind == kLast && !the) return false;  // "could last years"
    if (!plural && counted) return false;  // "the past two week"
    if ((kind == kFollowing || kind == kSame || kind == kPrevious) && !the) return false;
    if (ul->period == 'D' && !plural && !the) return false;  // "next day" without "the"
    if (ul->bits & kTimeUnit) m->type = EntityType::kTime;
    m->e = u + 1;
  }
  if (kind == kThis || kind == kNext || kind == kLast) {
    if (Usable(i - 1) && (Is(i - 1, X.earlier) || Is(i - 1, X.later))) m->b = i - 1;
  }
  bool the_ok = kind != kThis && kind != kRecent;
  if (m->b == i) ExtendDate(m, the_ok);
  return true;
}

bool Scan::DayWord(uint32_t i, const Lex* l, Out* m) const {
  m->b = i;
  m->e = i + 1;
  m->v = Value();
  if (l->bits & kTimeWord) {
    m->type = EntityType::kTime;
    if (l->num >= 0) m->v.AddTime(l->num / 60, l->num % 60);
    m->e = TimeZone(i + 1);
    return true;
  }
  // "USA Today": part of a name.
  if (Upper(i) && In(i - 1) && tok[i - 1].kind == TokenKind::kWord && Upper(i - 1)) return false;
  m->type = EntityType::kDate;
  m->e = PartOfDay(i + 1);
  if (m->e > i + 1) m->type = EntityType::kTime;
  ExtendDate(m, false);
  return true;
}

// A unit of time after "a": "a year ago", "for a week", "the weekend",
// "the end of the year"; an uncounted plural before "ago": "a few days ago",
// "several weeks earlier", "a couple of days ago", "days ago".
bool Scan::ArticleUnit(uint32_t i, const Lex* l, Out* m) const {
  if (l->bits & kPlural) {
    if (l->period == 'K' || !Usable(i + 1) || !(Bits(i + 1) & kAgo)) return false;
    m->b = i;
    m->e = i + 2;
    m->v = Value();
    m->type = (l->bits & kTimeUnit) ? EntityType::kTime : EntityType::kDate;
    if (Usable(i - 1) && (Bits(i - 1) & kVague)) {
      m->b = i - 1;
      if (Is(i - 1, X.few) && Usable(i - 2) && Is(i - 2, X.a)) m->b = i - 2;
    } else if (Usable(i - 3) && Is(i - 3, X.a) && Is(i - 2, X.couple) && Is(i - 1, X.of)) {
      m->b = i - 3;
    } else if (Usable(i - 2) && Is(i - 2, X.a) && Is(i - 1, X.couple)) {
      m->b = i - 2;
    }
    return true;
  }
  m->b = i;
  m->e = i + 1;
  m->v = Value();
  m->type = (l->bits & kTimeUnit) ? EntityType::kTime : EntityType::kDate;
  if (Usable(i - 1) && Is(i - 1, X.the)) {
    if (l->period == 'K') {
      m->b = i - 1;
      return true;
    }
    if (Usable(i - 3) && Is(i - 2, X.of) && (Bits(i - 3) & kPeriodPart) && !(l->bits & kTimeUnit)) {
      m->b = i - 1;
      ExtendDate(m, true);
      return true;
    }
    return false;
  }
  if (!(Usable(i - 1) && (Is(i - 1, X.a) || Is(i - 1, X.an)))) return false;
  if (l->period == 'K') return false;
  m->b = i - 1;
  if (Usable(i + 1) && (Bits(i + 1) & kAgo)) {
    m->e = i + 2;
    return true;
  }
  uint32_t p = i - 2;
  if (In(p) && (Is(p, X.for_) || Is(p, X.within) || Is(p, X.than) || Is(p, X.nearly) ||
                Is(p, X.almost) || Is(p, X.about) || Is(p, X.over) || Is(p, X.after) ||
                Is(p, X.in) || Is(p, X.under))) {
    if (Usable(i + 1) && (IsHyphen(i + 1) || (LowerWord(i + 1) &&
                                              !(Bits(i + 1) & (kYearPrep | kAgo)) &&
                                              Pos(i + 1) == Upos::kNOUN)))
      return false;  // "a year-long", "a day trip"
    char letter = l->period == 'N' ? 'M' : l->period;
    int n = 1;
    if (letter == 'E') letter = 'Y', n = 10;
    if (letter == 'C') letter = 'Y', n = 100;
    if (letter == 'Q') letter = 'M', n = 3;
    char unit[2] = {letter, 0};
    m->v.Add(l->bits & kTimeUnit ? "PT" : "P");
    m->v.AddInt(n);
    m->v.Add(unit);
    ExtendApprox(m);
    return true;
  }
  return false;
}

// "summer 2024", "the summer of 2024".
bool Scan::SeasonCore(uint32_t i, const Lex* l, Out* m) const {
  static const char* const kSeasonCode[] = {"", "SP", "SU", "FA", "WI"};
  m->b = i;
  m->v = Value();
  m->type = EntityType::kDate;
  int y = 0;
  if (Usable(i + 1) && YearAt(i + 1)) y = YearAt(i + 1), m->e = i + 2;
  else if (Usable(i + 2) && Is(i + 1, X.of) && YearAt(i + 2)) y = YearAt(i + 2), m->e = i + 3;
  if (!y) return false;
  m->v.AddInt(y);
  m->v.Add("-");
  m->v.Add(kSeasonCode[l->num]);
  ExtendDate(m, true);
  return true;
}

// Words the lexicon does not hold: "mid-March", "mid-2024", "mid-1990s", "Q3".
bool Scan::SpecialWord(uint32_t i, Out* m) const {
  std::string_view w = T(i);
  m->b = i;
  m->e = i + 1;
  m->v = Value();
  m->type = EntityType::kDate;
  if (w.size() == 2 && (w[0] == 'Q' || w[0] == 'q') && w[1] >= '1' && w[1] <= '4') {
    int y = 0;
    if (Usable(i + 1) && YearAt(i + 1)) y = YearAt(i + 1), m->e = i + 2;
    m->v.AddDate(y, 0, 0);
    m->v.Add("-Q");
    m->v.Add(w.substr(1, 1));
    ExtendDate(m, true);
    return true;
  }
  if (w.size() > 4 && EqLower(w.substr(0, 4), "mid-")) {
    std::string_view r = w.substr(4);
    if (r.size() > 12) return false;
    char buf[16];
    for (size_t k = 0; k < r.size(); ++k)
      buf[k] = r[k] >= 'A' && r[k] <= 'Z' ? static_cast<char>(r[k] + 32) : r[k];
    const Lex* l = X.Find(NormId(std::string_view(buf, r.size())));
    if (l && (l->bits & kMonth) && !(l->bits & kMonthAbbrev)) {
      int y = 0;
      if (Usable(i + 1) && YearAt(i + 1)) y = YearAt(i + 1), m->e = i + 2;
      m->v.AddDate(y, l->num, 0);
      ExtendDate(m, true);
      return true;
    }
    NumTok n = ParseNumTok(r);
    if (n.kind == NumTok::kDecade) {
      m->v.AddInt(n.y / 10);
      m->v.Add("X");
      ExtendDate(m, true);
      return true;
    }
    if (n.kind == NumTok::kPlain && n.int_digits == 4 && !n.comma && !n.point &&
        n.val.mant >= 1000 && n.val.mant <= 2100) {
      m->v.AddInt(static_cast<int64_t>(n.val.mant));
      ExtendDate(m, true);
      return true;
    }
  }
  return false;
}

// "half a percentage point", "half a million".
bool Scan::Half(uint32_t i, Out* m) const {
  if (!Usable(i + 2) || !(Is(i + 1, X.a) || Is(i + 1, X.an))) return false;
  NP np;
  np.b = i;
  np.e = i + 2;
  np.v = Dec{5, -1, true};
  np.scaled = true;
  if (TailsAt(np, i + 2, false, m) && m->type == EntityType::kPercent) return true;
  m->v = Value();
  const Lex* l = L(i + 2);
  if (l && (l->bits & kScaleWord) && (l->bits & kNumWord) && l->exp >= 3) {
    np.v.exp += l->exp;
    np.e = i + 3;
    if (TailsAt(np, i + 3, false, m)) return true;
    m->v = Value();
    m->b = i;
    m->e = i + 3;
    m->type = EntityType::kCardinal;
    m->v.AddDec(np.v);
    ExtendApprox(m);
    return true;
  }
  return false;
}

bool Scan::MatchAt(uint32_t i, Out* m) const {
  const Token& t = tok[i];
  if (t.kind == TokenKind::kNumber) return NumberToken(i, m);
  const Lex* l = X.Find(t.norm);
  if (t.kind == TokenKind::kSymbol)
    return l && (l->bits & kCurrencySymbol) && CurrencyFirst(i, l, m);
  if (t.kind != TokenKind::kWord && t.kind != TokenKind::kAbbreviation) return false;
  if (!l) {
    char c = D.text()[t.begin];
    return (c == 'm' || c == 'M' || c == 'Q' || c == 'q') && SpecialWord(i, m);
  }
  uint64_t b = l->bits;
  if ((b & kCurrencyCode) && CurrencyFirst(i, l, m)) return true;
  if (b & kWeekday) return WeekdayCore(i, m);
  if (b & kMonth) return MonthCore(i, l, m);
  if ((b & kRelMod) && Relative(i, l, m)) return true;
  if (b & (kDayWord | kTimeWord)) return DayWord(i, l, m);
  if ((b & kNumWord) && NumberWords(i, m)) return true;
  if (b & kOrdWord) return Ordinal(i, i + 1, l->num, true, m);
  if ((b & (kDateUnit | kTimeUnit)) && ArticleUnit(i, l, m)) return true;
  if ((b & kSeason) && SeasonCore(i, l, m)) return true;
  if (t.norm == X.half) return Half(i, m);
  return false;
}

}  // namespace

struct NumericEntityFinder::Impl : Lexicon {};

NumericEntityFinder::NumericEntityFinder() : impl_(std::make_unique<Impl>()) {}
NumericEntityFinder::~NumericEntityFinder() = default;

void NumericEntityFinder::Find(Document* doc) const {
  const std::vector<Token>& tokens = doc->tokens();
  if (tokens.empty()) return;
  const TokenTag* tags = doc->tags().size() == tokens.size() ? doc->tags().data() : nullptr;
  std::vector<Entity>& ents = doc->entities();
  std::string& values = doc->entity_values();
  const size_t n_old = ents.size();
  Scan sc(*impl_, *doc, tags);
  size_t x = 0;  // first existing entity that ends after token i
  for (const Sentence& s : doc->sentences()) {
    sc.sb = s.token_begin;
    sc.se = std::min<uint32_t>(s.token_end, static_cast<uint32_t>(tokens.size()));
    uint32_t floor = sc.sb;
    uint32_t i = sc.sb;
    while (i < sc.se) {
      while (x < n_old && ents[x].token_end <= i) ++x;
      if (x < n_old && ents[x].token_begin <= i) {
        i = floor = ents[x].token_end;
        continue;
      }
      sc.floor = floor;
      sc.limit = x < n_old && ents[x].token_begin < sc.se ? ents[x].token_begin : sc.se;
      Out m;
      if (sc.MatchAt(i, &m) && m.b >= floor && m.b <= i && m.e > i && m.e <= sc.limit &&
          m.type != EntityType::kNone) {
        Entity e;
        e.token_begin = m.b;
        e.token_end = m.e;
        e.type = m.type;
        if (!m.v.bad && m.v.n > 0) {
          e.value_begin = static_cast<uint32_t>(values.size());
          e.value_len = m.v.n;
          values.append(m.v.s, m.v.n);
        }
        ents.push_back(e);
        i = floor = m.e;
      } else {
        ++i;
      }
    }
  }
  if (ents.size() > n_old)
    std::inplace_merge(ents.begin(), ents.begin() + static_cast<ptrdiff_t>(n_old), ents.end(),
                       [](const Entity& a, const Entity& b) { return a.token_begin < b.token_begin; });
}

}  // namespace sitrep
