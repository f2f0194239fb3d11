// Fuzzes the article text reader (and, through it, gzip/zstd decoding): any
// input yields records or per-record errors, never a crash; good records
// carry valid UTF-8 without NUL bytes.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sitrep/reader.h"
#include "sitrep/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sitrep::ReaderOptions o;
  o.max_article_bytes = 4096;
  auto r = sitrep::TextReaderFromString(std::string(reinterpret_cast<const char*>(data), size),
                                        "fuzz.txt", o);
  sitrep::Document doc;
  sitrep::Status st;
  int n = 0;
  while (r->Next(&doc, &st)) {
    if (++n > 100000) std::abort();
    if (!st.ok()) continue;
    if (!sitrep::IsValidUtf8(doc.text())) std::abort();
    if (doc.text().find('\0') != std::string::npos) std::abort();
    if (doc.text().size() > o.max_article_bytes) std::abort();
  }
  return 0;
}
