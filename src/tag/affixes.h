// Affix features shared by the tagger and the named-entity recognizer.
#ifndef SITREP_SRC_TAG_AFFIXES_H_
#define SITREP_SRC_TAG_AFFIXES_H_

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "text/xxh3_inline.h"

namespace sitrep {

inline char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// Hashes (XXH3) of a word's affixes with ASCII letters lower-cased: suf[k]
// of its last k + 1 bytes (k < 4), pre[k] of its first k + 1 bytes (k < 3);
// 0 where the word is shorter than the affix.
inline void AffixIds(std::string_view s, uint64_t suf[4], uint64_t pre[3]) {
  char low[4] = {0, 0, 0, 0};
  const size_t n = std::min<size_t>(4, s.size());
  for (size_t k = 0; k < 4; ++k)
    if (k < n) low[k] = AsciiLower(s[s.size() - n + k]);
  for (size_t k = 0; k < 4; ++k) suf[k] = k < n ? XXH3_64bits(low + n - k - 1, k + 1) : 0;
  char head[3] = {0, 0, 0};
  const size_t m = std::min<size_t>(3, s.size());
  for (size_t k = 0; k < 3; ++k)
    if (k < m) head[k] = AsciiLower(s[k]);
  for (size_t k = 0; k < 3; ++k) pre[k] = k < m ? XXH3_64bits(head, k + 1) : 0;
}

}  // namespace sitrep

#endif  // SITREP_SRC_TAG_AFFIXES_H_
