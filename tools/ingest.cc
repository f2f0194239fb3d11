#include "ingest.h"

#include <oneapi/tbb/concurrent_queue.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_pipeline.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "sitrep/reader.h"
#include "sitrep/store.h"

namespace sitrep_cli {
namespace {

using namespace sitrep;
using Clock = std::chrono::steady_clock;

// One record in flight: the reader fills it, a worker analyses it, the
// writer stores it and gives it back to the pool (so Documents keep their
// capacity).
struct Item {
  enum State { kBad, kSkip, kAnalyse } state = kAnalyse;
  Document doc;
  Status status;
  std::string hash;
};

// "file:line (id)" naming a record.
std::string Where(const Document& doc) {
  std::string w = doc.origin().file;
  if (doc.origin().line) w += ":" + std::to_string(doc.origin().line);
  if (!doc.meta().id.empty()) w += " (" + doc.meta().id + ")";
  return w;
}

// Number of lines of the inputs when every one is an uncompressed JSONL
// file (one article per line), else 0 (unknown).
uint64_t CountJsonlRecords(const std::vector<std::string>& inputs) {
  uint64_t n = 0;
  std::vector<char> buf(1 << 20);
  for (const std::string& in : inputs) {
    const std::string ext = std::filesystem::path(in).extension().string();
    std::error_code ec;
    if ((ext != ".jsonl" && ext != ".ndjson") || !std::filesystem::is_regular_file(in, ec))
      return 0;
    FILE* f = std::fopen(in.c_str(), "rb");
    if (!f) return 0;
    size_t got;
    char last = '\n';
    while ((got = std::fread(buf.data(), 1, buf.size(), f)) > 0) {
      n += static_cast<uint64_t>(std::count(buf.data(), buf.data() + got, '\n'));
      last = buf[got - 1];
    }
    if (last != '\n') ++n;
    std::fclose(f);
  }
  return n;
}

std::string Duration(double s) {
  char buf[32];
  const long t = static_cast<long>(s + 0.5);
  if (t >= 3600)
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, t / 60 % 60);
  else if (t >= 60)
    std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
  else
    std::snprintf(buf, sizeof buf, "%lds", t);
  return buf;
}

}  // namespace

int RunIngest(const Pipeline& pipeline, const std::string& analysis_version,
              const IngestArgs& a) {
  auto store = Store::Open(a.db);
  if (!store.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", store.status().ToString().c_str());
    return 1;
  }
  // A second connection for the reader's "already stored?" check: it sees
  // committed articles, the writer's batch is checked again by Put().
  auto seen = Store::Open(a.db);
  if (!seen.ok()) {
    std::fprintf(stderr, "sitrep: error: %s\n", seen.status().ToString().c_str());
    return 1;
  }
  Status st = (*store)->SetMeta("analysis_version", analysis_version);
  if (!st.ok()) {
    std::fprintf(stderr, "sitrep: error: %s: %s\n", a.db.c_str(), st.ToString().c_str());
    return 1;
  }
  FILE* errors = nullptr;
  if (!a.errors.empty()) {
    errors = std::fopen(a.errors.c_str(), "ab");
    if (!errors) {
      std::fprintf(stderr, "sitrep: error: %s: cannot open for writing: %s\n", a.errors.c_str(),
                   std::strerror(errno));
      return 1;
    }
  }
  const bool progress = !a.quiet && isatty(STDERR_FILENO);
  const uint64_t expected = progress ? CountJsonlRecords(a.inputs) : 0;

  uint64_t read = 0, added = 0, replaced = 0, unchanged = 0, failed = 0, tokens = 0;
  bool progress_shown = false;
  auto report = [&](const std::string& where, const std::string& reason) {
    ++failed;
    if (errors) std::fprintf(errors, "%s: %s\n", where.c_str(), reason.c_str());
    if (!errors && !a.quiet) {
      if (progress_shown) std::fputs("\r\033[K", stderr);
      std::fprintf(stderr, "sitrep: error: %s: %s\n", where.c_str(), reason.c_str());
    }
  };

  ReaderOptions ro;
  ro.max_article_bytes = a.max_article_bytes;
  std::vector<std::string> inputs = a.inputs;
  if (inputs.empty()) inputs.push_back("-");

  const int threads =
      a.threads > 0 ? a.threads : std::max(1u, std::thread::hardware_concurrency());
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<size_t>(threads));
  tbb::concurrent_queue<Item*> pool;
  std::vector<std::unique_ptr<Item>> items;  // owned here, touched by the reader only

  size_t next_input = 0;
  std::unique_ptr<Reader> reader;
  const auto start = Clock::now();
  auto batch_start = start;
  auto last_progress = start;
  int in_batch = 0;

  auto show_progress = [&](bool final) {
    const double s = std::chrono::duration<double>(Clock::now() - start).count();
    const uint64_t done = added + replaced + unchanged + failed;
    const double rate = s > 0 ? done / s : 0;
    std::string eta;
    if (expected > done && rate > 0) eta = "  ETA " + Duration((expected - done) / rate);
    char tok[32];
    const double tps = s > 0 ? tokens / s : 0;
    if (tps >= 1e6)
      std::snprintf(tok, sizeof tok, "%.2fM", tps / 1e6);
    else if (tps >= 1e3)
      std::snprintf(tok, sizeof tok, "%.1fk", tps / 1e3);
    else
      std::snprintf(tok, sizeof tok, "%.0f", tps);
    std::string total = expected ? "/" + std::to_string(expected) : "";
    std::fprintf(stderr, "\r\033[K%llu%s articles  %.1f articles/s  %s tokens/s  %llu errors%s%s",
                 static_cast<unsigned long long>(done), total.c_str(), rate, tok,
                 static_cast<unsigned long long>(failed), eta.c_str(), final ? "\n" : "");
    std::fflush(stderr);
    progress_shown = !final;
  };

  tbb::parallel_pipeline(
      static_cast<size_t>(threads) * 4,
      // Reader: serial, in input order.
      tbb::make_filter<void, Item*>(
          tbb::filter_mode::serial_in_order,
          [&](tbb::flow_control& fc) -> Item* {
            Item* it = nullptr;
            if (!pool.try_pop(it)) {
              items.push_back(std::make_unique<Item>());
              it = items.back().get();
            }
            for (;;) {
              if (!reader) {
                if (next_input >= inputs.size()) {
                  pool.push(it);
                  fc.stop();
                  return nullptr;
                }
                const std::string& in = inputs[next_input++];
                auto r = OpenReader(in, ro);
                if (!r.ok()) {
                  it->state = Item::kBad;
                  it->doc.Clear();
                  it->doc.origin().file = in;
                  it->status = r.status();
                  return it;
                }
                reader = std::move(r.value());
              }
              if (reader->Next(&it->doc, &it->status)) break;
              reader.reset();
            }
            if (!it->status.ok()) {
              it->state = Item::kBad;
              return it;
            }
            it->hash = Store::ContentHash(it->doc);
            it->state = Item::kAnalyse;
            auto old = (*seen)->Lookup(Store::ArticleId(it->doc, it->hash));
            if (old.ok() && old->has_value() && (*old)->content_hash == it->hash &&
                (*old)->analysis_version == analysis_version)
              it->state = Item::kSkip;
            return it;
          }) &
          // Analysis: parallel; each item carries its own Document.
          tbb::make_filter<Item*, Item*>(tbb::filter_mode::parallel,
                                         [&](Item* it) -> Item* {
                                           if (it->state == Item::kAnalyse)
                                             pipeline.Annotate(&it->doc);
                                           return it;
                                         }) &
          // Writer: serial, in input order; batched transactions.
          tbb::make_filter<Item*, void>(
              tbb::filter_mode::serial_in_order, [&](Item* it) {
                ++read;
                if (it->state == Item::kBad) {
                  report(Where(it->doc), it->status.ToString());
                } else if (it->state == Item::kSkip) {
                  ++unchanged;
                } else {
                  Status s;
                  if (!(*store)->in_batch()) {
                    s = (*store)->Begin();
                    batch_start = Clock::now();
                    in_batch = 0;
                  }
                  if (s.ok()) {
                    auto r = (*store)->Put(it->doc, analysis_version, it->hash);
                    if (!r.ok()) {
                      report(Where(it->doc), r.status().ToString());
                    } else {
                      switch (*r) {
                        case PutOutcome::kAdded: ++added; break;
                        case PutOutcome::kReplaced: ++replaced; break;
                        case PutOutcome::kUnchanged: ++unchanged; break;
                      }
                      tokens += it->doc.tokens().size();
                    }
                  } else {
                    report(Where(it->doc), s.ToString());
                  }
                  ++in_batch;
                }
                const auto now = Clock::now();
                if ((*store)->in_batch() &&
                    (in_batch >= a.batch_articles ||
                     std::chrono::duration<double>(now - batch_start).count() >= a.batch_seconds)) {
                  Status c = (*store)->Commit();
                  if (!c.ok()) {
                    // The batch is lost, not half-written: its articles are
                    // absent and a re-run adds them.
                    (*store)->Rollback();
                    report(a.db, c.ToString() + " (a batch of " + std::to_string(in_batch) +
                                     " articles was not stored)");
                  }
                }
                if (progress && std::chrono::duration<double>(now - last_progress).count() >= 0.2) {
                  last_progress = now;
                  show_progress(false);
                }
                pool.push(it);
              }));

  if ((*store)->in_batch()) {
    Status c = (*store)->Commit();
    if (!c.ok()) report(a.db, c.ToString());
  }
  if (progress) show_progress(true);
  if (errors) std::fclose(errors);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const uint64_t stored = added + replaced;
  std::printf(
      "{\"read\":%llu,\"added\":%llu,\"replaced\":%llu,\"unchanged\":%llu,\"failed\":%llu,"
      "\"tokens\":%llu,\"seconds\":%.2f,\"articles_per_s\":%.1f,\"tokens_per_s\":%.0f,"
      "\"threads\":%d}\n",
      static_cast<unsigned long long>(read), static_cast<unsigned long long>(added),
      static_cast<unsigned long long>(replaced), static_cast<unsigned long long>(unchanged),
      static_cast<unsigned long long>(failed), static_cast<unsigned long long>(tokens), seconds,
      seconds > 0 ? stored / seconds : 0.0, seconds > 0 ? tokens / seconds : 0.0, threads);
  std::fflush(stdout);
  return failed ? 1 : 0;
}

}  // namespace sitrep_cli
