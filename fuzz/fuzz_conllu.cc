// Fuzzes the CoNLL-U parser: malformed input is an error, never a crash, and
// parsed tokens always point at existing words.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sitrep/conllu.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<sitrep::ConlluSentence> out;
  sitrep::Status st =
      sitrep::ParseConllu(std::string_view(reinterpret_cast<const char*>(data), size), &out);
  if (!st.ok()) return 0;
  for (const auto& s : out)
    for (const auto& t : s.tokens)
      if (t.word_begin >= t.word_end || t.word_end > s.words.size()) std::abort();
  return 0;
}
