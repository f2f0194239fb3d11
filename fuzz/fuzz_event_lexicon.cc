// Fuzzes the event lexicon parser (docs/event-lexicon.md): any bytes are
// either a clean "file:line: reason" error or a lexicon whose entries are
// well formed and can be looked up.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "sitrep/events.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = [] {
    char tmpl[] = "/tmp/sitrep_fuzz_lex_XXXXXX";
    const char* d = mkdtemp(tmpl);
    if (!d) std::abort();
    return std::string(d) + "/in.tsv";
  }();
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  auto lex = sitrep::EventLexicon::Load({path, path});  // a file overriding itself
  if (!lex.ok()) {
    if (lex.status().message().rfind(path, 0) != 0 &&
        lex.status().message().rfind("event lexicon:", 0) != 0)
      std::abort();  // names the file, or says no entry is an event
    return 0;
  }
  for (const sitrep::EventPattern& p : (*lex)->patterns()) {
    if (p.word.empty()) std::abort();
    if (p.cameo.size() == 1 || p.cameo.size() > 4) std::abort();
    const auto& found = (*lex)->Find(sitrep::NormId(p.word), p.pos);
    if (found.empty()) std::abort();
    for (int i : found)
      if (i < 0 || static_cast<size_t>(i) >= (*lex)->patterns().size()) std::abort();
  }
  return 0;
}
