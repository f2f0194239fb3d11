// Throughput of tokenization + sentence splitting, single thread.
//
//   bench_segment FILE.jsonl... [--repeat N] [--segmenter models/segmenter.bin | --rules-only]
//
// Reads every article's text into memory first (reading and JSON parsing are
// not timed), then times Document::Reset + Tokenizer::Tokenize +
// SentenceSplitter::Split over all of them, N times, and prints the best run
// as JSON: bytes, tokens, sentences, seconds, MB/s, tokens/s, and the
// process's peak resident memory (which includes the corpus).
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "sitrep/reader.h"
#include "sitrep/text.h"

int main(int argc, char** argv) {
  using namespace sitrep;
  std::vector<std::string> files;
  int repeat = 3;
  SentenceSplitterOptions so;
  so.model_path = "models/segmenter.bin";
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
      repeat = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--segmenter") == 0 && i + 1 < argc) {
      so.model_path = argv[++i];
    } else if (std::strcmp(argv[i], "--rules-only") == 0) {
      so.model_path.clear();
    } else {
      files.push_back(argv[i]);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: bench_segment FILE... [--repeat N]\n");
    return 2;
  }
  // Article texts in memory; one Document is reused for every article, as a
  // streaming pipeline (and `sitrep extract`) does, so token arrays stay warm.
  std::vector<std::string> texts;
  for (const std::string& f : files) {
    auto r = OpenReader(f);
    if (!r.ok()) {
      std::fprintf(stderr, "bench_segment: %s\n", r.status().ToString().c_str());
      return 1;
    }
    Document d;
    Status st;
    while ((*r)->Next(&d, &st))
      if (st.ok()) texts.push_back(d.text());
  }
  Tokenizer tok;
  auto splitter = SentenceSplitter::Create(so);
  if (!splitter.ok()) {
    std::fprintf(stderr, "bench_segment: %s\n", splitter.status().ToString().c_str());
    return 1;
  }
  const SentenceSplitter& split = **splitter;
  size_t bytes = 0;
  for (const std::string& t : texts) bytes += t.size();
  Document d;
  double best = 1e30;
  size_t tokens = 0, sentences = 0;
  for (int rep = 0; rep < repeat; ++rep) {
    tokens = sentences = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (const std::string& t : texts) {
      d.Reset(t);
      tok.Tokenize(&d);
      split.Split(&d);
      tokens += d.tokens().size();
      sentences += d.sentences().size();
    }
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (s < best) best = s;
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  std::printf(
      "{\"articles\":%zu,\"bytes\":%zu,\"tokens\":%zu,\"sentences\":%zu,\"seconds\":%.4f,"
      "\"mb_per_s\":%.1f,\"tokens_per_s\":%.0f,\"max_rss_mb\":%.1f}\n",
      texts.size(), bytes, tokens, sentences, best, bytes / best / 1e6, tokens / best,
      ru.ru_maxrss / 1024.0);
  return 0;
}
