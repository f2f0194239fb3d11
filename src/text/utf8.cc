#include <simdjson.h>

#include "sitrep/text.h"

namespace sitrep {

bool IsValidUtf8(std::string_view s) { return simdjson::validate_utf8(s.data(), s.size()); }

namespace {

// Length of the well-formed UTF-8 sequence at s[i], or 0 when ill-formed; in
// that case *skip is the length of the maximal subpart to replace (>= 1).
// Follows Unicode 15, Table 3-7 (well-formed byte sequences).
size_t SequenceLength(std::string_view s, size_t i, size_t* skip) {
  auto b = [&](size_t k) -> unsigned { return static_cast<unsigned char>(s[k]); };
  unsigned c = b(i);
  *skip = 1;
  if (c < 0x80) return 1;
  size_t need;
  unsigned lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  for (size_t k = 1; k <= need; ++k) {
    if (i + k >= s.size()) { *skip = k; return 0; }
    unsigned x = b(i + k);
    unsigned l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
    if (x < l || x > h) { *skip = k; return 0; }
  }
  return need + 1;
}

}  // namespace

size_t RepairUtf8(std::string* s, std::vector<uint32_t>* offsets) {
  if (IsValidUtf8(*s)) return 0;
  std::string out;
  out.reserve(s->size() + 16);
  size_t repaired = 0;
  size_t i = 0;
  while (i < s->size()) {
    size_t skip;
    size_t n = SequenceLength(*s, i, &skip);
    if (n > 0) {
      out.append(*s, i, n);
      i += n;
    } else {
      if (offsets) offsets->push_back(static_cast<uint32_t>(out.size()));
      out += "\xEF\xBF\xBD";
      i += skip;
      ++repaired;
    }
  }
  s->swap(out);
  return repaired;
}

}  // namespace sitrep
