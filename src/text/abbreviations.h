// Abbreviation knowledge shared by the tokenizer (whether a period belongs to
// the word) and the sentence splitter (whether that period may end a sentence).
#ifndef SITREP_SRC_TEXT_ABBREVIATIONS_H_
#define SITREP_SRC_TEXT_ABBREVIATIONS_H_

#include <string_view>

namespace sitrep::text {

enum class AbbrevClass {
  kNone,        // not an abbreviation: the period is a separate token
  kTitle,       // precedes a name or number and never ends a sentence: Mr. Gen. Jan. St.
  kInitial,     // a single capital letter: J. (rarely ends a sentence)
  kNumbering,   // No. 5, pp. 12, Art. 3: an abbreviation only before a number
  kOther        // U.S. Inc. etc. a.m.: may end a sentence
};

// Classifies `word`, which ends with its period ("Gen.", "U.S.", "etc.").
// `next_is_digit`: the next non-space character is a digit (for kNumbering).
AbbrevClass ClassifyAbbreviation(std::string_view word, bool next_is_digit);

// False when the plain-letter word `w` (without a period) is certainly not
// an abbreviation; a cheap filter used before ClassifyAbbreviation.
bool MaybeAbbreviation(std::string_view w);

}  // namespace sitrep::text

#endif  // SITREP_SRC_TEXT_ABBREVIATIONS_H_
