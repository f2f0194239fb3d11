// Fuzzes the JSONL reader: broken JSON is a per-record error, never a crash.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sitrep/reader.h"
#include "sitrep/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sitrep::ReaderOptions o;
  o.max_article_bytes = 4096;
  auto r = sitrep::JsonlReaderFromString(std::string(reinterpret_cast<const char*>(data), size),
                                         "fuzz.jsonl", o);
  sitrep::Document doc;
  sitrep::Status st;
  while (r->Next(&doc, &st)) {
    if (!st.ok()) continue;
    if (!sitrep::IsValidUtf8(doc.text())) std::abort();
  }
  return 0;
}
