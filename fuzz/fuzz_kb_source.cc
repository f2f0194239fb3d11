// Fuzzes the knowledge-base source parser and compiler (docs/kb-format.md):
// any bytes are either a clean "file:line: reason" error or a file that
// loads and answers lookups over its own text without reading out of bounds.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "sitrep/kb.h"
#include "sitrep/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string dir = [] {
    char tmpl[] = "/tmp/sitrep_fuzz_kb_XXXXXX";
    const char* d = mkdtemp(tmpl);
    if (!d) std::abort();
    return std::string(d);
  }();
  const std::string src = dir + "/in.kb", out = dir + "/out.bin";
  std::string text(reinterpret_cast<const char*>(data), size);
  std::ofstream(src, std::ios::binary | std::ios::trunc) << text;
  sitrep::Status st = sitrep::BuildKnowledgeBase({src}, out);
  if (!st.ok()) {
    if (st.message().rfind(src + ":", 0) != 0) std::abort();  // names the file
    return 0;
  }
  auto kb = sitrep::KnowledgeBase::Load(out);
  if (!kb.ok()) std::abort();
  sitrep::RepairUtf8(&text, nullptr);
  sitrep::Document doc(std::move(text), sitrep::Metadata());
  sitrep::Tokenizer().Tokenize(&doc);
  const size_t n = doc.tokens().size();
  for (size_t t = 0; t < n; ++t) {
    auto m = (*kb)->Longest(doc, t, n);
    if (m.length > n - t) std::abort();
    for (const auto& c : m.candidates) (void)(*kb)->Phrase(c);
  }
  for (size_t p = 0; p < (*kb)->num_people(); ++p) (void)(*kb)->RoleAt(p, 20000);
  return 0;
}
