#include "text/abbreviations.h"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_set>

namespace sitrep::text {

namespace {

// Capitalized forms are matched exactly (so "gen." and "mass." are words);
// lower-case forms are matched in any case. All are written without the period.
constexpr std::string_view kTitles[] = {
    "Mr", "Mrs", "Ms", "Messrs", "Mmes", "Dr", "Drs", "Prof", "Gen", "Gens", "Lt", "Col", "Maj",
    "Capt", "Cpt", "Sgt", "Cpl", "Pvt", "Pfc", "Adm", "Cmdr", "Cdr", "Brig", "Rev", "Revs", "Sen",
    "Sens", "Rep", "Reps", "Gov", "Govs", "Pres", "Amb", "Hon", "Fr", "Msgr", "Sr", "Sra", "Srta",
    "Supt", "Det", "Insp", "Atty", "Gen", "Lieut", "Cmdt", "Mme", "Mlle", "St", "Ste", "Mt", "Ft",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    "Mon", "Tue", "Tues", "Wed", "Thur", "Thurs", "Fri", "Sat",
    "Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Del", "Fla", "Ga", "Ind", "Kan", "Kans",
    "Ky", "La", "Md", "Mass", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nev", "Okla", "Ore",
    "Pa", "Penn", "Tenn", "Tex", "Va", "Vt", "Wash", "Wis", "Wisc", "Wyo", "Alta", "Ont", "Que",
    "Sask", "Ave", "Blvd", "Rd", "Ln", "Hwy", "Gov't", "approx", "vs", "v", "cf", "viz",
    "ca", "c", "Fig", "Figs", "Eq", "Eqs", "Ch", "Chap", "Sec", "Secs", "Para"};

constexpr std::string_view kNumbering[] = {"No", "Nos", "no", "nos", "Art", "Vol", "vol",
                                           "pp", "p", "Op", "op", "Pt", "pt", "Ref", "ref", "Tel", "tel"};

constexpr std::string_view kOther[] = {
    "Inc", "Corp", "Co", "Cos", "Ltd", "Bros", "Plc", "LLC", "Jr", "Esq", "Assn", "Dept", "Univ",
    "Intl", "Natl", "Govt", "Mfg", "Bldg", "Dist", "Div", "Ed", "Eds", "Sq", "Hts", "Vs",
    "etc", "al", "dept", "govt", "approx", "mln", "bln", "pct", "ibid", "vs"};

// Lower-case entries match in any case; others exactly. The table is built
// once: exact entries keyed as written, lower-case ones by their lower case.
class Table {
 public:
  template <size_t N>
  explicit Table(const std::string_view (&list)[N]) {
    for (std::string_view e : list) {
      if (e[0] >= 'a' && e[0] <= 'z') {
        folded_.insert(e);
      } else {
        exact_.insert(e);
      }
    }
  }
  bool Contains(std::string_view w) const {
    if (exact_.count(w)) return true;
    char low[16];
    if (w.size() > sizeof low) return false;
    for (size_t i = 0; i < w.size(); ++i)
      low[i] = (w[i] >= 'A' && w[i] <= 'Z') ? static_cast<char>(w[i] + 32) : w[i];
    return folded_.count(std::string_view(low, w.size())) > 0;
  }

 private:
  std::unordered_set<std::string_view> exact_, folded_;
};

const Table& Titles() { static const Table t(kTitles); return t; }
const Table& Numbering() { static const Table t(kNumbering); return t; }
const Table& Others() { static const Table t(kOther); return t; }

// A quick filter over (length, first letter, last letter), case-folded, of
// every listed abbreviation: most words ending a sentence fail it and skip
// the table look-ups.
class Filter {
 public:
  Filter() {
    for (std::string_view e : kTitles) Add(e);
    for (std::string_view e : kNumbering) Add(e);
    for (std::string_view e : kOther) Add(e);
  }
  bool MayContain(std::string_view w) const {
    int k = Key(w);
    return k >= 0 && bits_[static_cast<size_t>(k)];
  }

 private:
  static int Letter(char c) {
    c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    return (c >= 'a' && c <= 'z') ? c - 'a' : 26;
  }
  static int Key(std::string_view w) {
    if (w.empty() || w.size() > 12) return -1;
    return (static_cast<int>(w.size()) * 27 + Letter(w.front())) * 27 + Letter(w.back());
  }
  void Add(std::string_view e) { bits_[static_cast<size_t>(Key(e))] = true; }
  std::array<bool, 13 * 27 * 27> bits_{};
};

const Filter& QuickFilter() { static const Filter f; return f; }


bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

bool MaybeAbbreviation(std::string_view w) {
  return w.size() == 1 || QuickFilter().MayContain(w);
}

AbbrevClass ClassifyAbbreviation(std::string_view word, bool next_is_digit) {
  if (word.size() < 2 || word.back() != '.') return AbbrevClass::kNone;
  std::string_view w = word.substr(0, word.size() - 1);
  if (w.size() > 12) return AbbrevClass::kNone;
  if (w.size() == 1) {
    if (w[0] >= 'A' && w[0] <= 'Z') return AbbrevClass::kInitial;
    if (Numbering().Contains(w) && next_is_digit) return AbbrevClass::kNumbering;
    if (Titles().Contains(w)) return AbbrevClass::kTitle;
    return AbbrevClass::kNone;
  }
  // Letter-period sequences: U.S, e.g, p.m, D.C, Ph.D, U.S.S.R.
  if (w.find('.') != std::string_view::npos) {
    size_t seg = 0;
    bool ok = true;
    for (char c : w) {
      if (c == '.') {
        if (seg == 0 || seg > 2) ok = false;
        seg = 0;
      } else if (IsAsciiLetter(c)) {
        ++seg;
      } else {
        ok = false;
      }
    }
    if (ok && seg >= 1 && seg <= 2) return AbbrevClass::kOther;
    return AbbrevClass::kNone;
  }
  if (!QuickFilter().MayContain(w)) return AbbrevClass::kNone;
  if (Numbering().Contains(w)) return next_is_digit ? AbbrevClass::kNumbering : AbbrevClass::kNone;
  if (Titles().Contains(w)) return AbbrevClass::kTitle;
  if (Others().Contains(w)) return AbbrevClass::kOther;
  return AbbrevClass::kNone;
}

}  // namespace sitrep::text
