// Throughput of the knowledge base's longest-match scan, single thread.
//
//   bench_kb --kb models/kb.bin --corpus FILE.jsonl [--limit N] [--repeat N]
//
// Tokenizes and splits up to N articles first (not timed), then scans every
// sentence left to right with KnowledgeBase::Longest, jumping over each match,
// as the linker's scan does; reports the best pass as one JSON line: tokens,
// matches, seconds, tokens/s. The scan is timed alone, with the knowledge
// base warm in cache; bench_analyze --kb times it between the other stages.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "sitrep/kb.h"
#include "sitrep/reader.h"
#include "sitrep/text.h"

int main(int argc, char** argv) {
  using namespace sitrep;
  std::string kb_path = "models/kb.bin", corpus;
  long limit = 3000;
  int repeat = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--kb")) kb_path = argv[i + 1];
    else if (!std::strcmp(argv[i], "--corpus")) corpus = argv[i + 1];
    else if (!std::strcmp(argv[i], "--limit")) limit = std::atol(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--repeat")) repeat = std::max(1, std::atoi(argv[i + 1]));
  }
  if (corpus.empty()) {
    std::fprintf(stderr, "usage: bench_kb --kb PATH --corpus PATH [--limit N] [--repeat N]\n");
    return 2;
  }
  auto kb = KnowledgeBase::Load(kb_path);
  if (!kb.ok()) {
    std::fprintf(stderr, "bench_kb: %s\n", kb.status().ToString().c_str());
    return 1;
  }
  auto reader = OpenReader(corpus);
  if (!reader.ok()) {
    std::fprintf(stderr, "bench_kb: %s\n", reader.status().ToString().c_str());
    return 1;
  }
  Tokenizer tokenizer;
  SentenceSplitter splitter;
  std::vector<Document> docs;
  Document d;
  Status st;
  size_t tokens = 0;
  while ((limit < 0 || docs.size() < static_cast<size_t>(limit)) && (*reader)->Next(&d, &st)) {
    if (!st.ok()) continue;
    tokenizer.Tokenize(&d);
    splitter.Split(&d);
    tokens += d.tokens().size();
    docs.push_back(std::move(d));
    d = Document();
  }
  double best = 1e9;
  size_t matches = 0;
  for (int rep = 0; rep < repeat; ++rep) {
    matches = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (const Document& x : docs)
      for (const Sentence& s : x.sentences())
        for (uint32_t t = s.token_begin; t < s.token_end;) {
          const auto m = (*kb)->Longest(x, t, s.token_end);
          matches += m.length != 0;
          t += m.length ? m.length : 1;
        }
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::printf("{\"corpus\":\"%s\",\"documents\":%zu,\"tokens\":%zu,\"matches\":%zu,\"scan_s\":%.4f,"
              "\"scan_tokens_per_s\":%.0f}\n",
              corpus.c_str(), docs.size(), tokens, matches, best, best > 0 ? tokens / best : 0.0);
  return 0;
}
