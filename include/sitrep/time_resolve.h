// Temporal resolution: the calendar interval of every DATE and TIME entity,
// computed against the article date (Document::meta().date).
//
// The numeric stage gives absolute mentions an ISO value ("2025-03-09",
// "2025-03", "199X") and leaves relative ones empty or with an unknown year
// ("next week", "Tuesday", "XXXX-01-22"). TimeResolver turns both into
// days [begin, end] (Document::times(), see ResolvedTime in document.h).
// With D the article day, the rules are:
//   absolute values    the day, month, quarter, season, year, decade or
//                      century written ("2025-03" = 2025-03-01..2025-03-31);
//                      "2014/2016" and "the first half of 2024" are kRange.
//   early/mid/late     narrow the unit and make it kRange (approximate):
//                      month 1-10 / 11-19 / 20-end, year Jan-Apr / May-Aug /
//                      Sep-Dec, week Mon-Wed / Tue-Thu / Thu-Sun, decade
//                      0-3 / 4-6 / 7-9; "the end of" is late, "the
//                      beginning/start of" early, "the middle of" mid.
//   today tonight      D ("this morning", "tonight": kTime on D); yesterday
//                      D-1, tomorrow D+1, "last night" D-1 (kTime).
//   this/next/last U   U = week (ISO, Monday first), month, quarter, year,
//                      decade, century: the calendar unit containing D, the
//                      one after, the one before. "earlier this U" is
//                      [start of U, D], "later this U" [D, end of U] (kRange).
//   the past N U       rolling, [D - N U, D] (kRange): "the past week" on
//                      2025-03-09 is 2025-03-02..2025-03-09; "the past two
//                      months", "the last decade" likewise. "the next/coming
//                      N U" is [D, D + N U]. Without a number "recent" and
//                      "coming" plurals count 7 days ("recent days"), 3 weeks
//                      (21 days), 3 months, 3 years; "few" counts 3, "several" 5.
//   N U ago            the calendar unit containing D - N U: "two days ago"
//                      a day, "two weeks ago" an ISO week, "three years ago"
//                      a year. Without a number ("a few days ago", "weeks
//                      ago": few 3, couple 2, several 5, none 3) the range
//                      [D - 2N U, D - 1 U], approximate.
//   in N U             (a duration after "in" under a future verb) the unit
//                      containing D + N U: "will return in two weeks" on
//                      2025-03-09 is the ISO week of 2025-03-23. Other
//                      durations ("for two weeks", "the first in four years",
//                      "in more than a year") are not points: no resolution.
//   weekdays           "last Tuesday" is the latest Tuesday before D, "next"
//                      or "coming Tuesday" the first after D; a bare weekday
//                      follows the tense of its governing verb (parse
//                      needed): past, the latest one not after D; future
//                      (will, may, should, "going to", "is meeting", "is
//                      expected", infinitives not under a past verb; not
//                      "would", mostly the future of a past report), the
//                      first after D; unknown (also "Monday's meeting"),
//                      the latest one
//                      not after D (news reports the past), kTimeAssumed.
//   no year written    "XXXX-01-22" and bare months take the year that puts
//                      them latest not after D, or earliest not before D when
//                      the verb is future; kTimeAssumed. A weekday written
//                      with the date ("Tuesday, March 4") picks the year,
//                      of D's and its neighbours, where the two agree; a
//                      year or week right after ("July last year",
//                      "Tuesday last week") is taken as written.
//   weekends           Saturday and Sunday. "last weekend" ends before D,
//                      "next weekend" starts after D; "the/this weekend"
//                      is the latest one begun by D when the verb is past,
//                      the next one not over when future, and when the tense
//                      is unknown the past one on Monday to Wednesday, the
//                      coming (or current) one from Thursday.
//   seasons            "last/this/next winter": the one ended before D,
//                      the one of D's year (winter: the one D's January and
//                      February belong to), the one starting after D.
//   clock times        the day of a DATE entity next to it ("5 p.m. on
//                      Tuesday"), else D with kTimeAssumed; kTime.
// Intervals reaching outside the years 1..9999 are dropped.
// Not resolved: expressions anchored to another event rather than to the
// article ("a week later", "the following day", "the same night", "the
// previous week"), durations, and everything when the article date is
// missing or malformed.
#ifndef SITREP_TIME_RESOLVE_H_
#define SITREP_TIME_RESOLVE_H_

#include <cstdint>
#include <memory>
#include <string_view>

#include "sitrep/document.h"

namespace sitrep {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil). REQUIRES: 1 <= m <= 12, 1 <= d <= days in the month.
int32_t DaysFromCivil(int32_t y, int m, int d);
// The date of a day count (Hinnant's civil_from_days).
void CivilFromDays(int32_t days, int32_t* y, int* m, int* d);
// ISO weekday of a day count: 1 Monday .. 7 Sunday.
int IsoWeekday(int32_t days);
// Writes the day as "YYYY-MM-DD" and a NUL into out[0..10]; years outside
// 0..9999 are clamped.
void FormatIsoDay(int32_t days, char out[11]);
// Parses an article date: "YYYY-MM-DD", alone or followed by 'T' or ' ' and
// anything (an ISO timestamp). False when malformed or not a real date.
bool ParseArticleDay(std::string_view s, int32_t* days);
// "time", "day", "week", ...; "_" for kNone.
std::string_view TimeGranularityName(TimeGranularity g);

class TimeResolver {
 public:
  // Builds the word tables once. Immutable afterwards: one instance may be
  // shared by any number of threads.
  TimeResolver();
  ~TimeResolver();
  TimeResolver(const TimeResolver&) = delete;
  TimeResolver& operator=(const TimeResolver&) = delete;

  // Replaces doc->times() with the resolutions of the DATE and TIME entities
  // of doc->entities() (see the file comment for the rules).
  // REQUIRES: doc->tokens(), doc->sentences() and doc->entities() are set as
  //   the numeric stage leaves them. doc->tags() and doc->deps() are used
  //   (for the tense of the governing verb) when parallel to doc->tokens().
  // GUARANTEES: doc->times() is sorted by entity, one record at most per
  //   entity, each with begin <= end; it is empty when doc->meta().date is
  //   missing or malformed. Nothing else in *doc changes. No allocation
  //   beyond doc->times() itself.
  void Resolve(Document* doc) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sitrep

#endif  // SITREP_TIME_RESOLVE_H_
