// KnowledgeBase: the actors, places and sector terms sitrep links mentions to.
//
// Compiled by `sitrep kb build` from source files in the format of
// docs/kb-format.md (ours in data/kb/, the imported GeoNames places, and any
// user files after them) into one model file of kind "kb" (models/kb.bin),
// loaded by mmap. Immutable once loaded: one instance serves every thread.
//
// Records are numbered per kind in the order the build wrote them; the index
// of a record is stable for one file. Every name, alias, demonym, capital,
// metonym, sector term and derived surname is a phrase of tokens (as sitrep's
// Tokenizer splits it) in one hash table whose keys chain the tokens'
// normalized-form ids, so finding the longest phrase that starts at a token
// costs one probe per token of the phrase.
#ifndef SITREP_KB_H_
#define SITREP_KB_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sitrep/document.h"
#include "sitrep/status.h"

namespace sitrep {

// NOTE: persisted in kb.bin; append only.
enum class KbKind : uint8_t { kNone = 0, kCountry, kOrg, kSector, kPerson, kPlace };
std::string_view KbKindName(KbKind kind);  // "country", "org", ...

// How a phrase names its record. NOTE: persisted; append only.
enum class KbHow : uint8_t {
  kName = 0,   // the record's name
  kAlias,      // another name or spelling; for divisions the short name
  kDemonym,    // nationality word of a country: "Estonian", "Russians"
  kCapital,    // a country's capital city standing for it
  kMetonym,    // a word standing for a government: "Kremlin"
  kSurname,    // last token of a person's name or alias
  kTerm,       // a sector term: "troops", "military command"
};
std::string_view KbHowName(KbHow how);

// One record a phrase may name. `exact_case`: the phrase is an acronym of at
// most four letters ("US", "UN", "IS") and names the record only when the
// text writes it in the same case.
struct KbCandidate {
  uint32_t record = 0;
  KbKind kind = KbKind::kNone;
  KbHow how = KbHow::kName;
  uint8_t exact_case = 0;
  uint8_t pad = 0;
  uint32_t phrase_off = 0;  // the phrase as written in the source, in the string pool
  uint32_t phrase_len = 0;
};
static_assert(sizeof(KbCandidate) == 16);

// Dates are days since 1970-01-01 (negative before). kOpenEnd: still so.
inline constexpr int32_t kOpenEnd = INT32_MAX;
inline constexpr int32_t kNoIndex = -1;

class KnowledgeBase {
 public:
  ~KnowledgeBase();
  KnowledgeBase(const KnowledgeBase&) = delete;
  KnowledgeBase& operator=(const KnowledgeBase&) = delete;

  static Result<std::unique_ptr<KnowledgeBase>> Load(const std::string& path);

  struct Country {
    std::string_view id, name, iso2, cameo, capital;
    float lat = 0, lon = 0;
  };
  struct Org {
    std::string_view id, name, kind, cameo;
    int32_t country = kNoIndex;  // index of a Country
    int32_t sector = kNoIndex;   // index of a Sector
  };
  struct Sector {
    std::string_view id, name;
  };
  struct Role {
    std::string_view title;
    int32_t country = kNoIndex, org = kNoIndex, sector = kNoIndex;
    int32_t start = 0, end = kOpenEnd;  // inclusive days
  };
  struct Person {
    std::string_view id, name;
    char gender = 0;  // 'm', 'f' or 0
    int32_t country = kNoIndex;
    uint32_t role_begin = 0, role_count = 0;  // roles [role_begin, +count)
  };
  struct Place {
    std::string_view id, name, admin1, feature;
    int32_t country = kNoIndex;
    char cls = 0;  // 'A', 'P', 'L', 'H', 'T', 'S'
    uint32_t population = 0;
    float lat = 0, lon = 0;
  };

  size_t num_countries() const;
  size_t num_orgs() const;
  size_t num_sectors() const;
  size_t num_people() const;
  size_t num_places() const;
  // REQUIRE: i below the count of that kind.
  Country country(uint32_t i) const;
  Org org(uint32_t i) const;
  Sector sector(uint32_t i) const;
  Person person(uint32_t i) const;
  Role role(uint32_t i) const;
  Place place(uint32_t i) const;
  // The record of `kind` with `id`, or kNoIndex.
  int32_t Find(KbKind kind, std::string_view id) const;
  // The role of person `p` valid on `day` (the latest-starting one), or kNoIndex.
  int32_t RoleAt(uint32_t p, int32_t day) const;

  struct Match {
    uint32_t length = 0;  // tokens; 0 when no phrase starts here
    std::span<const KbCandidate> candidates;
  };
  // The longest phrase starting at token `begin` and ending by `end`.
  // REQUIRES: begin < end <= doc.tokens().size().
  Match Longest(const Document& doc, size_t begin, size_t end) const;
  // The records that exactly tokens [begin, end) name; empty if none.
  std::span<const KbCandidate> Lookup(const Document& doc, size_t begin, size_t end) const;
  // The phrase a candidate was compiled from.
  std::string_view Phrase(const KbCandidate& c) const;

  static constexpr size_t kMaxPhraseTokens = 8;

 private:
  KnowledgeBase();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Compiles knowledge-base source files (docs/kb-format.md), in order (a later
// record with the same kind and id replaces an earlier one), into a model
// file at `out_path`. Fails with InvalidArgument "file:line: reason" on the
// first malformed record or dangling reference, IOError on an unreadable
// file; writes nothing on failure. `summary`, when given, receives counts.
Status BuildKnowledgeBase(const std::vector<std::string>& files, const std::string& out_path,
                          std::string* summary = nullptr);

// Days since 1970-01-01 of an ISO date "YYYY-MM-DD", "YYYY-MM" or "YYYY"
// (also the date part of a timestamp); `last` picks the last day of a month
// or year instead of the first. False when malformed.
bool ParseIsoDay(std::string_view s, bool last, int32_t* day);
// "YYYY-MM-DD" of a day count.
std::string FormatIsoDay(int32_t day);

}  // namespace sitrep

#endif  // SITREP_KB_H_
