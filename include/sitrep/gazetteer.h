// Gazetteer: known names of places, nationalities, people and organizations.
//
// A set of phrases, each a sequence of tokens (as sitrep's Tokenizer splits
// it) with a set of categories, compiled into one model file (kind
// "gazetteer", models/gazetteer.bin) from a TSV of facts (see
// scripts/gazetteer_sources.py). Matching compares normalized forms (case
// folded), so "NATO", "Nato" and "nato" are one phrase. Loaded by mmap;
// immutable and shared by all threads.
#ifndef SITREP_GAZETTEER_H_
#define SITREP_GAZETTEER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "sitrep/document.h"
#include "sitrep/status.h"

namespace sitrep {

// Category bits. NOTE: persisted; append only.
enum GazetteerCategory : uint16_t {
  kGazCountry = 1 << 0,
  kGazAdmin = 1 << 1,   // first-level division: state, province, oblast
  kGazCity = 1 << 2,
  kGazNorp = 1 << 3,    // nationality noun or adjective: "Estonian", "Ukrainians"
  kGazPerson = 1 << 4,  // a full name
  kGazFirst = 1 << 5,   // a first name
  kGazLast = 1 << 6,    // a last name
  kGazOrg = 1 << 7,
};
inline constexpr int kNumGazetteerCategories = 8;
// "COUNTRY", "ADMIN", ... for bit i; "" past the last.
std::string_view GazetteerCategoryName(int bit);

class Gazetteer {
 public:
  ~Gazetteer();
  Gazetteer(const Gazetteer&) = delete;
  Gazetteer& operator=(const Gazetteer&) = delete;

  static Result<std::unique_ptr<Gazetteer>> Load(const std::string& path);

  struct Match {
    uint32_t length = 0;      // tokens; 0 when no phrase starts here
    uint16_t categories = 0;  // of the longest phrase
  };
  // The longest phrase that starts at token `begin` and ends by `end`
  // (at most kMaxPhraseTokens tokens). REQUIRES: begin < end <= tokens.
  Match Longest(const Document& doc, size_t begin, size_t end) const;
  // Categories of exactly tokens [begin, end); 0 when not a phrase.
  uint16_t Lookup(const Document& doc, size_t begin, size_t end) const;

  static constexpr size_t kMaxPhraseTokens = 8;

 private:
  Gazetteer();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Compiles `tsv` ("CATEGORY<TAB>phrase" lines; categories as
// GazetteerCategoryName) into a gazetteer model file. Phrases of more than
// kMaxPhraseTokens tokens are skipped. Fails with InvalidArgument naming the
// line for an unknown category or a line without a tab.
Status BuildGazetteer(std::string_view tsv, const std::string& out_path,
                      const std::string& meta_json);

}  // namespace sitrep

#endif  // SITREP_GAZETTEER_H_
