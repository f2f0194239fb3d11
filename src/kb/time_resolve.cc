// Temporal resolution against the article date.
//
// Each DATE or TIME entity is read once: its value when the numeric stage
// gave one ("2025-03", "XXXX-01-22", "P2W"), otherwise its words, looked up by
// Token::norm in a small table built at construction ("next" -> a relative
// modifier, "week" -> a unit, "Tuesday" -> a weekday). The words are reduced
// to a handful of features (modifier, unit, count, weekday, "ago", ...) and
// the feature combination decides the interval (rules in time_resolve.h).
// Dates are day counts (Hinnant's days_from_civil); nothing allocates but the
// output vector.
#include "sitrep/time_resolve.h"

#include <unordered_map>

namespace sitrep {

// --- Calendar arithmetic (after Howard Hinnant, "chrono-Compatible Low-Level
// Date Algorithms", public domain).

int32_t DaysFromCivil(int32_t y, int m, int d) {
  y -= m <= 2;
  const int32_t era = (y >= 0 ? y : y - 399) / 400;
  const int32_t yoe = y - era * 400;                                    // [0, 399]
  const int32_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
  const int32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            // [0, 146096]
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int32_t z, int32_t* y, int* m, int* d) {
  z += 719468;
  const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int32_t doe = z - era * 146097;                                       // [0, 146096]
  const int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const int32_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

int IsoWeekday(int32_t z) {
  // 1970-01-01 was a Thursday (4).
  int r = static_cast<int>((static_cast<int64_t>(z) + 3) % 7);
  if (r < 0) r += 7;
  return r + 1;
}

void FormatIsoDay(int32_t days, char out[11]) {
  int32_t y;
  int m, d;
  CivilFromDays(days, &y, &m, &d);
  if (y < 0) y = 0;
  if (y > 9999) y = 9999;
  out[0] = static_cast<char>('0' + y / 1000);
  out[1] = static_cast<char>('0' + y / 100 % 10);
  out[2] = static_cast<char>('0' + y / 10 % 10);
  out[3] = static_cast<char>('0' + y % 10);
  out[4] = '-';
  out[5] = static_cast<char>('0' + m / 10);
  out[6] = static_cast<char>('0' + m % 10);
  out[7] = '-';
  out[8] = static_cast<char>('0' + d / 10);
  out[9] = static_cast<char>('0' + d % 10);
  out[10] = 0;
}

namespace {

bool Leap(int32_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int MonthDays(int32_t y, int m) {
  static const int kDays[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && Leap(y) ? 29 : kDays[m];
}

bool Digit(char c) { return c >= '0' && c <= '9'; }

// Digits s[i, i + n) as a number, or -1.
int Num(std::string_view s, size_t i, size_t n) {
  if (i + n > s.size()) return -1;
  int v = 0;
  for (size_t k = i; k < i + n; ++k) {
    if (!Digit(s[k])) return -1;
    v = v * 10 + (s[k] - '0');
  }
  return v;
}

}  // namespace

bool ParseArticleDay(std::string_view s, int32_t* days) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
  if (s.size() > 10 && s[10] != 'T' && s[10] != ' ' && s[10] != 't') return false;
  int y = Num(s, 0, 4), m = Num(s, 5, 2), d = Num(s, 8, 2);
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > MonthDays(y, m)) return false;
  *days = DaysFromCivil(y, m, d);
  return true;
}

std::string_view TimeGranularityName(TimeGranularity g) {
  switch (g) {
    case TimeGranularity::kNone: return "_";
    case TimeGranularity::kTime: return "time";
    case TimeGranularity::kDay: return "day";
    case TimeGranularity::kWeek: return "week";
    case TimeGranularity::kMonth: return "month";
    case TimeGranularity::kQuarter: return "quarter";
    case TimeGranularity::kSeason: return "season";
    case TimeGranularity::kYear: return "year";
    case TimeGranularity::kDecade: return "decade";
    case TimeGranularity::kCentury: return "century";
    case TimeGranularity::kRange: return "range";
  }
  return "_";
}

namespace {

using G = TimeGranularity;

// Calendar units.
enum Unit : int {
  kNoUnit = -1,
  kDay,
  kWeek,
  kMonth,
  kQuarter,
  kYear,
  kDecade,
  kCentury,
  kWeekend,
  kHour,
  kMinute,
  kSecond
};

G UnitGranularity(int u) {
  switch (u) {
    case kDay: return G::kDay;
    case kWeek: return G::kWeek;
    case kMonth: return G::kMonth;
    case kQuarter: return G::kQuarter;
    case kYear: return G::kYear;
    case kDecade: return G::kDecade;
    case kCentury: return G::kCentury;
    default: return G::kRange;
  }
}

// Day z moved by n months, the day of month clamped to the new month's length.
int32_t AddMonths(int32_t z, int64_t n) {
  int32_t y;
  int m, d;
  CivilFromDays(z, &y, &m, &d);
  // Years stay within +-20000 (day counts far from overflow); Resolve drops
  // anything outside years 1..9999.
  int64_t mi = static_cast<int64_t>(y) * 12 + (m - 1) + n;
  if (mi < -20000 * 12) mi = -20000 * 12;
  if (mi > 20000 * 12) mi = 20000 * 12;
  const int64_t fy = mi >= 0 ? mi / 12 : -((-mi + 11) / 12);  // floor
  int32_t ny = static_cast<int32_t>(fy);
  int nm = static_cast<int>(mi - fy * 12) + 1;
  return DaysFromCivil(ny, nm, d < MonthDays(ny, nm) ? d : MonthDays(ny, nm));
}

// Day z moved by n units (weekends count as weeks).
int32_t AddUnits(int32_t z, int64_t n, int u) {
  if (n > 100000) n = 100000;
  if (n < -100000) n = -100000;
  switch (u) {
    case kDay: return z + static_cast<int32_t>(n);
    case kWeek:
    case kWeekend: return z + static_cast<int32_t>(7 * n);
    case kMonth: return AddMonths(z, n);
    case kQuarter: return AddMonths(z, 3 * n);
    case kYear: return AddMonths(z, 12 * n);
    case kDecade: return AddMonths(z, 120 * n);
    case kCentury: return AddMonths(z, 1200 * n);
    default: return z;
  }
}

struct Interval {
  int32_t begin = 0, end = 0;
  G g = G::kNone;
  uint8_t flags = 0;
  bool ok() const { return g != G::kNone; }
};

// The calendar unit containing day z.
Interval UnitAt(int32_t z, int u) {
  int32_t y;
  int m, d;
  CivilFromDays(z, &y, &m, &d);
  Interval r;
  r.g = UnitGranularity(u);
  switch (u) {
    case kDay: r.begin = r.end = z; break;
    case kWeek: r.begin = z - (IsoWeekday(z) - 1), r.end = r.begin + 6; break;
    case kMonth:
      r.begin = DaysFromCivil(y, m, 1), r.end = DaysFromCivil(y, m, MonthDays(y, m));
      break;
    case kQuarter: {
      int q = (m - 1) / 3;
      r.begin = DaysFromCivil(y, 3 * q + 1, 1);
      r.end = DaysFromCivil(y, 3 * q + 3, MonthDays(y, 3 * q + 3));
      break;
    }
    case kYear: r.begin = DaysFromCivil(y, 1, 1), r.end = DaysFromCivil(y, 12, 31); break;
    case kDecade:
      r.begin = DaysFromCivil(y - y % 10, 1, 1), r.end = DaysFromCivil(y - y % 10 + 9, 12, 31);
      break;
    case kCentury:
      r.begin = DaysFromCivil(y - y % 100, 1, 1), r.end = DaysFromCivil(y - y % 100 + 99, 12, 31);
      break;
    default: r.g = G::kNone; break;
  }
  return r;
}

Interval Days(int32_t b, int32_t e, G g, uint8_t flags = 0) {
  Interval r;
  r.begin = b;
  r.end = e;
  r.g = g;
  r.flags = flags;
  return r;
}

// Meteorological season s (1 spring .. 4 winter) of year y; winter runs from
// December of y to February of y + 1.
Interval Season(int32_t y, int s) {
  if (s == 4)
    return Days(DaysFromCivil(y, 12, 1), DaysFromCivil(y + 1, 2, MonthDays(y + 1, 2)), G::kSeason);
  int m = 3 * s;  // 3, 6, 9
  return Days(DaysFromCivil(y, m, 1), DaysFromCivil(y, m + 2, MonthDays(y, m + 2)), G::kSeason);
}

// Narrows a calendar interval to its early (1), middle (2) or late (3) part.
Interval Narrow(Interval r, int edge) {
  if (!edge || !r.ok()) return r;
  int32_t y;
  int m, d;
  CivilFromDays(r.begin, &y, &m, &d);
  switch (r.g) {
    case G::kMonth: {
      int last = MonthDays(y, m);
      int lo[4] = {0, 1, 11, 20}, hi[4] = {0, 10, 19, last};
      r.begin = DaysFromCivil(y, m, lo[edge]);
      r.end = DaysFromCivil(y, m, hi[edge]);
      break;
    }
    case G::kYear: {
      int lo[4] = {0, 1, 5, 9}, hi[4] = {0, 4, 8, 12};
      r.begin = DaysFromCivil(y, lo[edge], 1);
      r.end = DaysFromCivil(y, hi[edge], MonthDays(y, hi[edge]));
      break;
    }
    case G::kWeek: {
      int lo[4] = {0, 0, 1, 3}, hi[4] = {0, 2, 3, 6};
      int32_t mon = r.begin;
      r.begin = mon + lo[edge];
      r.end = mon + hi[edge];
      break;
    }
    case G::kQuarter:
    case G::kSeason: {
      int32_t b = AddMonths(r.begin, edge - 1);
      int32_t by;
      int bm, bd;
      CivilFromDays(b, &by, &bm, &bd);
      r.begin = b;
      r.end = DaysFromCivil(by, bm, MonthDays(by, bm));
      break;
    }
    case G::kDecade:
    case G::kCentury: {
      int span = r.g == G::kDecade ? 1 : 10;
      int lo[4] = {0, 0, 4, 7}, hi[4] = {0, 3, 6, 9};
      int32_t base = y;
      r.begin = DaysFromCivil(base + lo[edge] * span, 1, 1);
      r.end = DaysFromCivil(base + hi[edge] * span + span - 1, 12, 31);
      break;
    }
    default: return r;
  }
  r.g = G::kRange;
  r.flags |= kTimeApproximate;
  return r;
}

enum Tense { kUnknownTense, kPastTense, kFutureTense };

// Word classes of the table.
enum Kind : uint8_t {
  kOther,
  kThe,
  kA,
  kRel,
  kDayWord,
  kTonight,
  kWeekdayW,
  kMonthW,
  kSeasonW,
  kPartOfDay,
  kUnitW,
  kNumWord,
  kVague,
  kAgo,
  kEarlier,
  kLater,
  kEdge,
  kPart,
  kIn,
  // tense cues
  kFutureAux,
  kPastAux,
  kPerfectAux,
  kPresentBe,
  kModalPast,
  kSchedule,  // participles that make "is ..." future: "is expected", "is scheduled"
  kAim,       // lemmas of verbs whose infinitive is ahead of them: "urged them to return"
};

// Relative modifiers.
enum Rel : int {
  kNoRel,
  kThis,
  kNext,
  kLast,
  kPast,
  kPrevious,
  kComing,
  kFollowing,
  kRecent,
  kSame
};

struct Word {
  Kind kind = kOther;
  int num = 0;
  bool plural = false;
};

// The word table and the tag and relation ids, built once.
struct Tables {
  std::unordered_map<uint64_t, Word> words;
  uint8_t vbd = 0, vbn = 0, vbg = 0, vb = 0, md = 0;
  uint8_t aux = 0, aux_pass = 0, cop = 0, mark = 0, poss = 0;
  uint64_t to = 0;

  void Add(const char* w, Kind k, int num = 0, bool plural = false) {
    words[NormId(w)] = Word{k, num, plural};
  }
  const Word* Find(uint64_t norm) const {
    auto it = words.find(norm);
    return it == words.end() ? nullptr : &it->second;
  }

  Tables() {
    Add("the", kThe);
    Add("a", kA);
    Add("an", kA);
    Add("in", kIn);
    for (auto [w, r] : {std::pair{"this", kThis},
                        {"next", kNext},
                        {"last", kLast},
                        {"past", kPast},
                        {"previous", kPrevious},
                        {"coming", kComing},
                        {"upcoming", kComing},
                        {"following", kFollowing},
                        {"current", kThis},
                        {"recent", kRecent},
                        {"same", kSame}})
      Add(w, kRel, r);
    Add("yesterday", kDayWord, -1);
    Add("today", kDayWord, 0);
    Add("tomorrow", kDayWord, 1);
    Add("tonight", kTonight);
    const char* const kDays[7][3] = {{"monday", "mon.", "mon"},    {"tuesday", "tue.", "tues."},
                                     {"wednesday", "wed.", "wed"}, {"thursday", "thu.", "thurs."},
                                     {"friday", "fri.", "fri"},    {"saturday", "sat.", "sat"},
                                     {"sunday", "sun.", "sun"}};
    for (int d = 0; d < 7; ++d)
      for (const char* w : kDays[d]) Add(w, kWeekdayW, d + 1);
    const char* const kMonths[12] = {"january",   "february", "march",    "april",
                                     "may",       "june",     "july",     "august",
                                     "september", "october",  "november", "december"};
    for (int m = 0; m < 12; ++m) Add(kMonths[m], kMonthW, m + 1);
    Add("spring", kSeasonW, 1);
    Add("summer", kSeasonW, 2);
    Add("autumn", kSeasonW, 3);
    Add("fall", kSeasonW, 3);
    Add("winter", kSeasonW, 4);
    for (const char* w : {"morning", "afternoon", "evening", "night", "overnight"})
      Add(w, kPartOfDay);
    for (auto [w, u] : {std::pair{"day", kDay},
                        {"week", kWeek},
                        {"month", kMonth},
                        {"quarter", kQuarter},
                        {"year", kYear},
                        {"decade", kDecade},
                        {"century", kCentury},
                        {"weekend", kWeekend},
                        {"hour", kHour},
                        {"minute", kMinute},
                        {"second", kSecond}})
      Add(w, kUnitW, u);
    for (auto [w, u] : {std::pair{"days", kDay},
                        {"weeks", kWeek},
                        {"months", kMonth},
                        {"quarters", kQuarter},
                        {"years", kYear},
                        {"decades", kDecade},
                        {"centuries", kCentury},
                        {"weekends", kWeekend},
                        {"hours", kHour},
                        {"minutes", kMinute},
                        {"seconds", kSecond}})
      Add(w, kUnitW, u, true);
    const char* const kNums[] = {
        "zero",     "one",     "two",     "three",     "four",     "five",     "six",
        "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",   "thirteen",
        "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"};
    for (int n = 0; n <= 20; ++n) Add(kNums[n], kNumWord, n);
    for (auto [w, n] : {std::pair{"thirty", 30},
                        {"forty", 40},
                        {"fifty", 50},
                        {"sixty", 60},
                        {"seventy", 70},
                        {"eighty", 80},
                        {"ninety", 90},
                        {"hundred", 100}})
      Add(w, kNumWord, n);
    Add("few", kVague, 3);
    Add("several", kVague, 5);
    Add("couple", kVague, 2);
    Add("ago", kAgo);
    Add("earlier", kEarlier);
    Add("later", kLater);
    Add("early", kEdge, 1);
    Add("mid", kEdge, 2);
    Add("late", kEdge, 3);
    Add("beginning", kPart, 1);
    Add("start", kPart, 1);
    Add("middle", kPart, 2);
    Add("end", kPart, 3);
    Add("rest", kPart, 4);
    Add("remainder", kPart, 4);
    // "would" and "could" are left out: in news they are mostly the future
    // of a past report ("said it would depart in early February").
    for (const char* w :
         {"will", "'ll", "shall", "wo", "may", "might", "can", "ca", "should", "must"})
      Add(w, kFutureAux);
    for (const char* w : {"would", "could", "'d"}) Add(w, kModalPast);
    for (const char* w : {"was", "were", "had", "did"}) Add(w, kPastAux);
    for (const char* w : {"has", "have", "'ve"}) Add(w, kPerfectAux);
    for (const char* w : {"is", "are", "am", "'re", "'m"}) Add(w, kPresentBe);
    for (const char* w : {"expected", "scheduled", "set", "slated", "planned", "poised", "due"})
      Add(w, kSchedule);
    for (const char* w : {"urge",     "agree",    "plan",    "promise",   "pledge",   "vow",
                          "decide",   "call",     "ask",     "expect",    "hope",     "want",
                          "intend",   "aim",      "seek",    "prepare",   "threaten", "order",
                          "invite",   "schedule", "propose", "offer",     "press",    "demand",
                          "need",     "wish",     "vote",    "resolve",   "commit",   "encourage",
                          "instruct", "tell",     "allow",   "authorize", "approve",  "warn"})
      Add(w, kAim);
    vbd = XposFromName("VBD");
    vbn = XposFromName("VBN");
    vbg = XposFromName("VBG");
    vb = XposFromName("VB");
    md = XposFromName("MD");
    aux = DeprelFromName("aux");
    aux_pass = DeprelFromName("aux:pass");
    cop = DeprelFromName("cop");
    mark = DeprelFromName("mark");
    poss = DeprelFromName("nmod:poss");
    to = NormId("to");
  }
};

// Resolution of one document: the article day and the parse.
class Run {
 public:
  Run(const Tables& x, const Document& doc, int32_t today)
      : X(x), D(doc), tok(doc.tokens()), today_(today) {
    CivilFromDays(today, &ty_, &tm_, &td_);
    const size_t n = tok.size();
    has_tags_ = doc.tags().size() == n;
    has_deps_ = has_tags_ && doc.deps().size() == n;
    has_lemmas_ = has_tags_ && !doc.lemma_pool().empty();
  }

  // Nested: resolving a neighbour of another mention, which consults no
  // neighbours of its own (bounded work however mentions are strung).
  Interval Resolve(size_t k, bool nested = false) const;

 private:
  const Tables& X;
  const Document& D;
  const std::vector<Token>& tok;
  int32_t today_;
  int32_t ty_;
  int tm_, td_;
  bool has_tags_ = false, has_deps_ = false, has_lemmas_ = false;

  const Word* W(uint32_t i) const { return X.Find(tok[i].norm); }
  Kind KindAt(uint32_t i) const {
    const Word* w = W(i);
    return w ? w->kind : kOther;
  }
  // The sentence holding token i: [*sb, *se).
  void SentenceOf(uint32_t i, uint32_t* sb, uint32_t* se) const;
  Tense TenseOf(const Entity& e) const;
  Tense TenseOfVerb(uint32_t v, uint32_t sb, uint32_t se, bool* decided, bool* infinitive) const;
  Interval FromValue(size_t k, std::string_view v, int edge, int weekday, bool nested,
                     bool* have_tense, Tense* tense) const;
  Interval Clock(size_t k) const;
  // The resolution of the DATE entity right after entity k, when they touch.
  Interval Following(size_t k) const;
  Interval Weekend(int rel, Tense tense, uint8_t* flags) const;
};

void Run::SentenceOf(uint32_t i, uint32_t* sb, uint32_t* se) const {
  const auto& ss = D.sentences();
  size_t lo = 0, hi = ss.size();
  while (lo < hi) {  // first sentence ending after i
    size_t mid = (lo + hi) / 2;
    if (ss[mid].token_end <= i)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < ss.size() && ss[lo].token_begin <= i) {
    *sb = ss[lo].token_begin;
    *se = ss[lo].token_end;
  } else {
    *sb = i;
    *se = i + 1;
  }
}

// The tense of verb (or predicate) v from its auxiliaries and its own tag;
// *decided is false when v says nothing and its head should be asked;
// *infinitive is set for "to meet", whose head's tense decides.
Tense Run::TenseOfVerb(uint32_t v, uint32_t sb, uint32_t se, bool* decided,
                       bool* infinitive) const {
  const auto& deps = D.deps();
  const auto& tags = D.tags();
  bool past = false, future = false, perfect = false, present_be = false, to_mark = false,
       has_aux = false, modal = false;
  // Auxiliaries, copulas and "to" come right before their verb in English:
  // looking at the 8 tokens before it keeps the work bounded per mention.
  for (uint32_t c = v > sb + 8 ? v - 8 : sb; c < v && c < se; ++c) {
    if (deps[c].head != static_cast<int32_t>(v)) continue;
    const uint8_t r = deps[c].deprel;
    if (r == X.mark && tok[c].norm == X.to) to_mark = true;
    if (r != X.aux && r != X.aux_pass && r != X.cop) continue;
    has_aux = true;
    switch (KindAt(c)) {
      case kFutureAux: future = true; break;
      case kPastAux: past = true; break;
      case kPerfectAux: perfect = true; break;
      case kPresentBe: present_be = true; break;
      case kModalPast: modal = true; break;
      default:
        if (tags[c].xpos == X.md) future = true;
        break;
    }
  }
  const Upos u = tags[v].upos;
  const uint8_t x = tags[v].xpos;
  *decided = true;
  if (future) return kFutureTense;
  if (past || perfect) return kPastTense;
  if (modal) return kUnknownTense;
  if (u == Upos::kVERB || u == Upos::kAUX) {
    if (x == X.vbd) return kPastTense;
    if (present_be && (x == X.vbg || (x == X.vbn && KindAt(v) == kSchedule)))
      return kFutureTense;  // "is meeting", "is scheduled"
    if (x == X.vb && to_mark) {
      *infinitive = true;  // "plans to meet": future unless the plan is past
      *decided = false;
      return kUnknownTense;
    }
    if (x == X.vbn) return kPastTense;  // "the man killed Tuesday"
    if (x == X.vbg && !has_aux) {
      *decided = false;  // a participle: its head knows
      return kUnknownTense;
    }
    return kUnknownTense;
  }
  if (has_aux) return kUnknownTense;
  *decided = false;
  return kUnknownTense;
}

// The tense of the verb governing entity e: from the dependency tree when
// there is one, else from the nearest verb to the left with tags only.
Tense Run::TenseOf(const Entity& e) const {
  if (!has_tags_) return kUnknownTense;
  uint32_t sb, se;
  SentenceOf(e.token_begin, &sb, &se);
  if (has_deps_) {
    const auto& deps = D.deps();
    uint32_t h = e.token_begin;
    for (uint32_t t = e.token_begin; t < e.token_end; ++t) {
      int32_t hd = deps[t].head;
      if (hd < static_cast<int32_t>(e.token_begin) || hd >= static_cast<int32_t>(e.token_end)) {
        h = t;
        break;
      }
    }
    // "Monday's meeting": an event named by its day, most often past.
    if (deps[h].deprel == X.poss) return kUnknownTense;
    uint32_t t = h;
    bool infinitive = false;
    for (int step = 0; step < 12; ++step) {
      bool decided = false;
      Tense tense = TenseOfVerb(t, sb, se, &decided, &infinitive);
      if (decided) {
        if (infinitive && tense != kFutureTense) {
          // "urged both sides to return by March 16" looks ahead of the
          // urging; "used its veto to shut the panel down in April" does not.
          if (has_lemmas_) {
            const Word* w = X.Find(NormId(D.lemma(t)));
            if (w && (w->kind == kAim || w->kind == kSchedule)) return kFutureTense;
          }
          return tense == kPastTense ? kUnknownTense : kFutureTense;
        }
        return tense;
      }
      int32_t hd = deps[t].head;
      if (hd < static_cast<int32_t>(sb) || hd >= static_cast<int32_t>(se)) break;
      t = static_cast<uint32_t>(hd);
    }
    return infinitive ? kFutureTense : kUnknownTense;
  }
  const auto& tags = D.tags();
  const uint32_t stop = e.token_begin > sb + 40 ? e.token_begin - 40 : sb;
  for (uint32_t i = e.token_begin; i-- > stop;) {
    if (KindAt(i) == kModalPast) return kUnknownTense;
    if (KindAt(i) == kFutureAux || tags[i].xpos == X.md) return kFutureTense;
    if (tags[i].xpos == X.vbd || KindAt(i) == kPastAux) return kPastTense;
    if (tags[i].upos == Upos::kVERB) return kUnknownTense;
  }
  return kUnknownTense;
}

// The weekend (Saturday and Sunday) a modifier picks.
Interval Run::Weekend(int rel, Tense tense, uint8_t* flags) const {
  const int wd = IsoWeekday(today_);
  // Latest Saturday not after today, and the Sunday of the weekend not yet over.
  const int32_t recent_sat = today_ - ((wd - 6 + 7) % 7);
  const int32_t coming_sun = today_ + (7 - wd);
  int32_t sat;
  if (rel == kLast) {
    sat = today_ - (wd == 7 ? 7 : wd) - 1;  // the weekend whose Sunday is before today
  } else if (rel == kNext) {
    sat = today_ + ((6 - wd + 7) % 7 == 0 ? 7 : (6 - wd + 7) % 7);  // first Saturday after today
  } else if (rel == kPast || rel == kRecent) {
    sat = recent_sat;
  } else if (rel == kComing) {
    sat = coming_sun - 1;
  } else {
    if (tense == kUnknownTense) {
      *flags |= kTimeAssumed;
      tense = wd <= 3 ? kPastTense : kFutureTense;
    }
    sat = tense == kPastTense ? recent_sat : coming_sun - 1;
  }
  return Days(sat, sat + 1, G::kRange);
}

Interval Run::Following(size_t k) const {
  const auto& ents = D.entities();
  if (k + 1 >= ents.size() || ents[k + 1].type != EntityType::kDate ||
      ents[k + 1].token_begin != ents[k].token_end)
    return {};
  return Resolve(k + 1, true);
}

// A clock time: on the day of a DATE entity right next to it, else today.
Interval Run::Clock(size_t k) const {
  const auto& ents = D.entities();
  const Entity& e = ents[k];
  uint32_t sb, se;
  SentenceOf(e.token_begin, &sb, &se);
  auto glue = [&](uint32_t from, uint32_t to) {  // tokens between are "on", "at", ","
    if (to < from || to - from > 2) return false;
    for (uint32_t i = from; i < to; ++i) {
      std::string_view t = D.token_text(i);
      if (t != "," && t != "on" && t != "at" && t != "of") return false;
    }
    return true;
  };
  for (size_t n : {k + 1, k - 1}) {
    if (n >= ents.size()) continue;
    const Entity& o = ents[n];
    if (o.type != EntityType::kDate || o.token_begin < sb || o.token_end > se) continue;
    bool adjacent = n > k ? glue(e.token_end, o.token_begin) : glue(o.token_end, e.token_begin);
    if (!adjacent) continue;
    Interval r = Resolve(n, true);
    if (r.ok() && r.begin == r.end) return Days(r.begin, r.begin, G::kTime, r.flags);
  }
  return Days(today_, today_, G::kTime, kTimeAssumed);
}

// Year-less and absolute values: "2025-03-09", "XXXX-01-22", "2025-03",
// "2024-Q3", "2024-H1", "2024-SU", "199X", "19XX", "2014/2016".
Interval Run::FromValue(size_t k, std::string_view v, int edge, int weekday, bool nested,
                        bool* have_tense, Tense* tense) const {
  auto get_tense = [&] {
    if (!*have_tense) *tense = TenseOf(D.entities()[k]), *have_tense = true;
    return *tense;
  };
  if (v.size() < 4) return {};
  // Decades and centuries.
  if (v.size() == 4 && v[3] == 'X' && Num(v, 0, 2) >= 0) {
    int c = Num(v, 0, 3);
    if (c >= 0)
      return Narrow(
          Days(DaysFromCivil(c * 10, 1, 1), DaysFromCivil(c * 10 + 9, 12, 31), G::kDecade), edge);
    if (v[2] == 'X') {
      int h = Num(v, 0, 2);
      return Narrow(
          Days(DaysFromCivil(h * 100, 1, 1), DaysFromCivil(h * 100 + 99, 12, 31), G::kCentury),
          edge);
    }
    return {};
  }
  bool no_year = v.substr(0, 4) == "XXXX";
  int y = no_year ? 0 : Num(v, 0, 4);
  if (no_year && !nested) {
    // "July last year", "March 3 this year": the year comes from the next mention.
    Interval next = Following(k);
    if (next.ok() && next.g == G::kYear) {
      int32_t ny;
      int nm, nd;
      CivilFromDays(next.begin, &ny, &nm, &nd);
      y = ny;
      no_year = false;
    }
  }
  if (y < 0) return {};
  std::string_view rest = v.substr(4);
  if (rest.empty()) return Narrow(UnitAt(DaysFromCivil(y, 1, 1), kYear), edge);
  if (rest[0] == '/') {
    int y2 = Num(rest, 1, 4);
    if (y2 < y || rest.size() != 5) return {};
    return Days(DaysFromCivil(y, 1, 1), DaysFromCivil(y2, 12, 31), G::kRange);
  }
  if (rest[0] != '-' || rest.size() < 3) return {};
  rest = rest.substr(1);
  uint8_t flags = no_year ? kTimeAssumed : 0;
  if (rest[0] == 'Q' || rest[0] == 'H') {
    int n = Num(rest, 1, 1);
    int per = rest[0] == 'Q' ? 3 : 6;
    if (n < 1 || n * per > 12 || rest.size() != 2) return {};
    int first = (n - 1) * per + 1;
    if (no_year) {
      bool future = get_tense() == kFutureTense;
      int cur = (tm_ - 1) / per + 1;
      y = future ? (n >= cur ? ty_ : ty_ + 1) : (n <= cur ? ty_ : ty_ - 1);
    }
    Interval r = Days(DaysFromCivil(y, first, 1),
                      DaysFromCivil(y, first + per - 1, MonthDays(y, first + per - 1)),
                      per == 3 ? G::kQuarter : G::kRange, flags);
    return Narrow(r, per == 3 ? edge : 0);
  }
  static const char* const kSeasons[5] = {"", "SP", "SU", "FA", "WI"};
  for (int s = 1; s <= 4; ++s)
    if (rest == kSeasons[s]) {
      if (no_year) return {};
      Interval r = Season(y, s);
      return Narrow(r, edge);
    }
  int m = Num(rest, 0, 2);
  if (m < 1 || m > 12) return {};
  if (rest.size() == 2) {
    if (no_year) {
      bool future = get_tense() == kFutureTense;
      y = future ? (m >= tm_ ? ty_ : ty_ + 1) : (m <= tm_ ? ty_ : ty_ - 1);
    }
    Interval r = UnitAt(DaysFromCivil(y, m, 1), kMonth);
    r.flags = flags;
    return Narrow(r, edge);
  }
  if (rest.size() != 5 || rest[2] != '-') return {};
  int d = Num(rest, 3, 2);
  if (d < 1 || d > 31) return {};
  if (no_year && weekday) {
    // "Tuesday, March 4": the year, of the three around D, where they agree.
    int32_t best = 0, best_dist = -1;
    for (int32_t c = ty_ - 1; c <= ty_ + 1; ++c) {
      if (d > MonthDays(c, m)) continue;
      const int32_t z = DaysFromCivil(c, m, d);
      const int32_t dist = z > today_ ? z - today_ : today_ - z;
      if (IsoWeekday(z) == weekday && (best_dist < 0 || dist < best_dist))
        best = z, best_dist = dist;
    }
    if (best_dist >= 0) return Days(best, best, G::kDay);
  }
  if (no_year) {
    bool future = get_tense() == kFutureTense;
    y = ty_;
    for (int tries = 0; tries < 9; ++tries, y += future ? 1 : -1) {
      if (d > MonthDays(y, m)) continue;
      int32_t z = DaysFromCivil(y, m, d);
      if (future ? z >= today_ : z <= today_) return Days(z, z, G::kDay, flags);
    }
    return {};
  }
  if (d > MonthDays(y, m)) return {};
  int32_t z = DaysFromCivil(y, m, d);
  return Days(z, z, G::kDay);
}

Interval Run::Resolve(size_t k, bool nested) const {
  const Entity& e = D.entities()[k];
  if (e.type != EntityType::kDate && e.type != EntityType::kTime) return {};
  if (e.token_end > tok.size() || e.token_begin >= e.token_end) return {};
  const std::string_view value = D.entity_value(k);

  // The words of the mention.
  bool the = false, the_rel = false, a = false, ago = false, prefix_earlier = false,
       prefix_later = false, narrative = false, plural = false, part_of_day = false,
       tonight = false;
  int rel = kNoRel, day_word = -99, weekday = 0, month = 0, season = 0, unit = kNoUnit, count = -1,
      vague = 0, edge = 0, part = 0, other = 0;
  bool bad_number = false;
  for (uint32_t i = e.token_begin; i < e.token_end; ++i) {
    const Token& t = tok[i];
    if (t.kind == TokenKind::kNumber) {
      std::string_view s = D.token_text(i);
      int n = s.size() <= 4 ? Num(s, 0, s.size()) : -1;
      if (n < 0)
        bad_number = true;  // "1,000", "1.5", "03/09/2025"
      else if (count < 0)
        count = n;
      continue;
    }
    const Word* w = X.Find(t.norm);
    if (!w) {
      std::string_view s = D.token_text(i);
      if (s.size() > 4 && (s[0] == 'm' || s[0] == 'M') && (s.substr(1, 3) == "id-"))
        edge = 2;
      else
        ++other;
      continue;
    }
    switch (w->kind) {
      case kThe: the = true; break;
      case kA: a = true; break;
      case kRel:
        if (!rel) rel = w->num, the_rel = i > e.token_begin && KindAt(i - 1) == kThe;
        break;
      case kDayWord: day_word = w->num; break;
      case kTonight: tonight = true; break;
      case kWeekdayW: weekday = w->num; break;
      case kMonthW: month = w->num; break;
      case kSeasonW: season = w->num; break;
      case kPartOfDay: part_of_day = true; break;
      case kUnitW: unit = w->num, plural = w->plural; break;
      case kNumWord:
        if (count < 0)
          count = w->num;
        else if (w->num == 100)
          count *= 100;
        else
          count += w->num;
        break;
      case kVague: vague = w->num; break;
      case kAgo: ago = true; break;
      case kEarlier: (unit != kNoUnit ? narrative : prefix_earlier) = true; break;
      case kLater: (unit != kNoUnit ? narrative : prefix_later) = true; break;
      case kEdge: edge = w->num; break;
      case kPart: part = w->num; break;
      default: break;
    }
  }
  if (part >= 1 && part <= 3 && !edge) edge = part;

  bool have_tense = false;
  Tense tense = kUnknownTense;
  auto get_tense = [&] {
    if (!have_tense) tense = TenseOf(e), have_tense = true;
    return tense;
  };

  if (!value.empty()) {
    if (value[0] == 'P') {
      // A duration: a point only as "in two weeks" governed by a future verb
      // ("the first such step in four years" is a duration), with nothing
      // but a number and a unit ("in more than four years" is not a point).
      if (e.token_begin == 0 || KindAt(e.token_begin - 1) != kIn || the || rel || other) return {};
      if (unit == kNoUnit || unit >= kWeekend) return {};
      int n = count >= 0 ? count : (a ? 1 : -1);
      if (n < 0 || get_tense() != kFutureTense) return {};
      Interval r = UnitAt(AddUnits(today_, n, unit), unit);
      r.flags |= kTimeApproximate;
      return r;
    }
    if (value.size() == 5 && value[2] == ':') return nested ? Interval{} : Clock(k);
    Interval r = FromValue(k, value, edge, weekday, nested, &have_tense, &tense);
    if (r.ok() && part == 4 && r.begin <= today_ && today_ <= r.end)
      r = Days(today_, r.end, G::kRange);
    return r;
  }

  if (narrative || bad_number || rel == kFollowing || rel == kSame || rel == kPrevious) return {};

  if (day_word != -99) {
    int32_t z = today_ + day_word;
    return Days(z, z, part_of_day || edge || e.type == EntityType::kTime ? G::kTime : G::kDay);
  }
  if (tonight) return Days(today_, today_, G::kTime);

  if (weekday) {
    // "Tuesday last week": the day of the week the next mention names.
    if (!rel && !nested) {
      Interval next = Following(k);
      if (next.ok() && next.g == G::kWeek) {
        int32_t z = next.begin + weekday - 1;
        return Days(z, z, part_of_day || edge || e.type == EntityType::kTime ? G::kTime : G::kDay);
      }
    }
    const int wd = IsoWeekday(today_);
    const int back = (wd - weekday + 7) % 7;  // days since the latest such day, 0..6
    const int fwd = (weekday - wd + 7) % 7;   // days until the next one, 0..6
    int32_t z;
    uint8_t flags = 0;
    if (rel == kLast) {
      z = today_ - (back == 0 ? 7 : back);
    } else if (rel == kNext || rel == kComing) {
      z = today_ + (fwd == 0 ? 7 : fwd);
    } else {
      Tense t = get_tense();
      if (t == kFutureTense) {
        z = today_ + (fwd == 0 ? 7 : fwd);
      } else {
        if (t == kUnknownTense) flags |= kTimeAssumed;
        z = today_ - back;
      }
    }
    G g = part_of_day || edge || e.type == EntityType::kTime ? G::kTime : G::kDay;
    return Days(z, z, g, flags);
  }

  if (month && rel) {
    int32_t y = ty_;
    if (rel == kLast || rel == kPast)
      y = month < tm_ ? ty_ : ty_ - 1;
    else if (rel == kNext || rel == kComing)
      y = month > tm_ ? ty_ : ty_ + 1;
    return Narrow(UnitAt(DaysFromCivil(y, month, 1), kMonth), edge);
  }

  if (season && rel) {
    // Occurrences around today: pick by modifier.
    for (int32_t y = ty_ - 2; y <= ty_ + 1; ++y) {
      Interval s = Season(y, season);
      Interval nx = Season(y + 1, season);
      if ((rel == kLast || rel == kPast) && s.end < today_ && nx.end >= today_)
        return Narrow(s, edge);
      if ((rel == kNext || rel == kComing) && s.begin > today_ &&
          Season(y - 1, season).begin <= today_)
        return Narrow(s, edge);
    }
    if (rel == kThis) {
      int32_t y = season == 4 && tm_ <= 2 ? ty_ - 1 : ty_;
      return Narrow(Season(y, season), edge);
    }
    return {};
  }

  if (part_of_day && unit == kNoUnit) {
    if (rel == kThis) return Days(today_, today_, G::kTime);
    if (rel == kLast) return Days(today_ - 1, today_ - 1, G::kTime);
    return {};
  }

  if (unit == kNoUnit) return {};

  // Time units: within today, or rolling by whole days.
  if (unit >= kHour) {
    if (ago) return Days(today_, today_, G::kTime);
    if (count < 0 && !vague) return {};
    int n = count >= 0 ? count : vague;
    int days = unit == kHour ? (n + 23) / 24 : 0;
    if (rel == kPast || rel == kLast || rel == kRecent)
      return Days(today_ - days, today_, G::kRange);
    if (rel == kNext || rel == kComing) return Days(today_, today_ + days, G::kRange);
    return {};
  }

  if (unit == kWeekend) {
    if (ago || count >= 0 || vague || plural) return {};
    uint8_t flags = 0;
    Tense t = rel == kNoRel || rel == kThis ? get_tense() : kUnknownTense;
    if (rel == kNoRel && !the) return {};
    Interval r = Weekend(rel, t, &flags);
    r.flags |= flags;
    return r;
  }

  const bool counted = count >= 0 || vague;
  int n = count >= 0 ? count : vague ? vague : 1;
  if (ago) {
    if (vague || (plural && count < 0)) {
      // "a few days ago", "weeks ago": [D - 2n U, D - 1 U], n 3 when not given.
      int v = vague ? vague : 3;
      return Days(AddUnits(today_, -2 * v, unit), AddUnits(today_, -1, unit), G::kRange,
                  kTimeApproximate);
    }
    if (count < 0 && !a) return {};
    return UnitAt(AddUnits(today_, -n, unit), unit);
  }
  if (plural && !counted) {
    // "recent weeks", "the coming days": 7 days, 3 weeks, 3 months, 3 years.
    n = unit == kDay ? 7 : 3;
    if (rel != kRecent && rel != kComing && rel != kPast && rel != kNext && rel != kLast) return {};
  }
  if (rel == kRecent || rel == kPast || (rel == kLast && (the_rel || counted || plural))) {
    return Days(AddUnits(today_, -n, unit), today_, G::kRange,
                vague || (plural && !counted) ? kTimeApproximate : 0);
  }
  if (rel == kNext && the_rel && unit == kDay && !counted && !plural) return {};  // "the next day"
  if (rel == kComing || (rel == kNext && (the_rel || counted || plural))) {
    if (the_rel && !counted && !plural && get_tense() == kPastTense)
      return {};  // "the next week, ..."
    return Days(today_, AddUnits(today_, n, unit), G::kRange,
                vague || (plural && !counted) ? kTimeApproximate : 0);
  }
  if (counted || plural) return {};
  Interval r;
  if (rel == kThis)
    r = UnitAt(today_, unit);
  else if (rel == kNext)
    r = UnitAt(AddUnits(today_, 1, unit), unit);
  else if (rel == kLast)
    r = UnitAt(AddUnits(today_, -1, unit), unit);
  else if (rel == kNoRel && the && part)
    r = UnitAt(today_, unit);  // "the end of the year"
  else
    return {};
  if (prefix_earlier && rel == kThis) return Days(r.begin, today_, G::kRange);
  if (prefix_later && rel == kThis) return Days(today_, r.end, G::kRange);
  if (part == 4) return Days(today_ > r.begin ? today_ : r.begin, r.end, G::kRange);
  if (prefix_earlier || prefix_later) r.flags |= kTimeApproximate;
  return Narrow(r, edge);
}

}  // namespace

struct TimeResolver::Impl : Tables {};

namespace {
// Intervals must lie in years 1..9999, the years "YYYY-MM-DD" can write.
const int32_t kFirstDay = DaysFromCivil(1, 1, 1);
const int32_t kLastDay = DaysFromCivil(9999, 12, 31);
}  // namespace

TimeResolver::TimeResolver() : impl_(std::make_unique<Impl>()) {}
TimeResolver::~TimeResolver() = default;

void TimeResolver::Resolve(Document* doc) const {
  std::vector<ResolvedTime>& out = doc->times();
  out.clear();
  int32_t today;
  if (!ParseArticleDay(doc->meta().date, &today)) return;
  const Run run(*impl_, *doc, today);
  const auto& ents = doc->entities();
  for (size_t k = 0; k < ents.size(); ++k) {
    if (ents[k].type != EntityType::kDate && ents[k].type != EntityType::kTime) continue;
    Interval r = run.Resolve(k);
    if (!r.ok() || r.begin > r.end || r.begin < kFirstDay || r.end > kLastDay) continue;
    ResolvedTime t;
    t.entity = static_cast<uint32_t>(k);
    t.begin = r.begin;
    t.end = r.end;
    t.granularity = r.g;
    t.flags = r.flags;
    out.push_back(t);
  }
}

}  // namespace sitrep
