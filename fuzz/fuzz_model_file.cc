// Fuzzes the model file loader: a damaged, truncated or foreign file is an
// error value, never a crash or an out-of-bounds read.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "model/model_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/sitrep_fuzz_model_" + std::to_string(::getpid());
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  auto m = sitrep::model::ModelFile::Open(path, "segmenter", 1);
  if (m.ok()) {
    // Touch every payload byte to catch a wrong bound.
    volatile unsigned sum = 0;
    for (char c : (*m)->payload()) sum += static_cast<unsigned char>(c);
    for (char c : (*m)->meta()) sum += static_cast<unsigned char>(c);
  }
  return 0;
}
