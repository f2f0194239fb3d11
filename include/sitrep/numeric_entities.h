// Numeric and temporal named entities found by rules: DATE, TIME, MONEY,
// PERCENT, QUANTITY, CARDINAL and ORDINAL (the OntoNotes types that a small
// grammar over tokens recognizes better than a trained model).
//
// Spans follow OntoNotes: a preposition before a date stays outside ("in
// [March 2025]", "over [the past week]"), a determiner that belongs to the
// expression is inside ("[the 1990s]", "[the following day]"), approximators
// are inside numeric mentions ("[more than 1,000]", "[about $5 million]") but
// not in the value, and a range written with a tight hyphen is one mention
// ("[3-4%]").
//
// Values (Document::entity_values()) are normalized as follows; a value is
// empty when the mention needs the article date to be resolved ("next week",
// "Tuesday", "yesterday", "two days ago", "this morning") or is otherwise not
// normalizable:
//   DATE      calendar dates in ISO 8601 with X for unknown digits:
//             "2025-03-09", "2025-03", "2025", "XXXX-03-09" (no year
//             written), "199X" (a decade), "19XX" (the 20th century),
//             "2024-Q3" (quarter), "2024-SU" (season: SP SU FA WI),
//             "2014/2016" (a range of years); durations as ISO 8601
//             periods: "P3Y", "P2D", "P6M", "P2W"; ages ("67-year-old")
//             as "P67Y". Modifiers are not encoded: "early March" and
//             "mid-2024" have the values of "March" and "2024".
//   TIME      "17:30" (24-hour clock, time zone not encoded), durations
//             "PT48H", "PT30M", "PT10S".
//   MONEY     "<amount> <ISO 4217 code>": "5000000 USD", "3500000 GBP";
//             the code is left out when the currency word is ambiguous
//             ("dinars"): "400 " is never produced, just "400".
//   PERCENT   the number: "12.5".
//   QUANTITY  "<number> <unit>" with SI-style unit symbols: "40 km",
//             "1200 mi2", "3 t", "50 bbl/d".
//   CARDINAL  a plain decimal: "2", "1000", "3500000", "0.5".
//   ORDINAL   the number: "1", "21".
// Ranges put both ends in the value, joined by "-": "3-4", "3000000-4000000 USD".
// Numbers are exact decimals (no floating point); a number too large to
// represent (more than 19 significant digits) gets an empty value.
#ifndef SITREP_NUMERIC_ENTITIES_H_
#define SITREP_NUMERIC_ENTITIES_H_

#include <memory>

#include "sitrep/document.h"

namespace sitrep {

class NumericEntityFinder {
 public:
  // Compiles the lexicon tables once. Immutable afterwards: one instance may
  // be shared by any number of threads.
  NumericEntityFinder();
  ~NumericEntityFinder();
  NumericEntityFinder(const NumericEntityFinder&) = delete;
  NumericEntityFinder& operator=(const NumericEntityFinder&) = delete;

  // Adds the DATE, TIME, MONEY, PERCENT, QUANTITY, CARDINAL and ORDINAL
  // mentions of every sentence of *doc to doc->entities(), where they do not
  // overlap an entity already there (earlier entities, e.g. from a trained
  // recognizer, win), and appends their values to doc->entity_values().
  // REQUIRES: doc->tokens() and doc->sentences() are set; doc->entities() is
  //   sorted by token_begin and non-overlapping. doc->tags() is used when it
  //   is parallel to doc->tokens() and ignored otherwise.
  // GUARANTEES: doc->entities() stays sorted by token_begin and
  //   non-overlapping; every new mention lies inside one sentence; existing
  //   entities and values are unchanged.
  void Find(Document* doc) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sitrep

#endif  // SITREP_NUMERIC_ENTITIES_H_
