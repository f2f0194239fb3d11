// Fuzzes the NER corpus readers (CoNLL columns, UNER IOB2, GUM CoNLL-U with
// Entity= mentions; the first byte picks the format): malformed input is an
// error, never a crash, and every span read lies inside its sentence.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sitrep/ner.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char* kNames[] = {"corpus.conll", "corpus.iob2", "corpus.conllu"};
  const char* name = kNames[data[0] % 3];
  std::vector<sitrep::NerSentence> out;
  sitrep::Status st = sitrep::ParseNer(
      std::string_view(reinterpret_cast<const char*>(data + 1), size - 1), name, &out);
  if (!st.ok()) return 0;
  for (const auto& s : out) {
    uint32_t prev_end = 0;
    for (const auto& sp : s.spans) {
      if (sp.begin >= sp.end || sp.end > s.words.size() || sp.begin < prev_end) std::abort();
      prev_end = sp.end;
    }
    for (const auto& [b, e] : s.other_mentions)
      if (b >= e || e > s.words.size()) std::abort();
  }
  return 0;
}
