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

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sqlite3.h>

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

// Reads back the stored articles analysed with another version than
// `version`, in rowid order, a page at a time (no read transaction stays
// open while the writer replaces them). The text and metadata come back as
// they were ingested, so their content hash is unchanged.
class StoreReader : public Reader {
 public:
  StoreReader(std::unique_ptr<Store> store, std::string version, std::string name)
      : store_(std::move(store)), version_(std::move(version)), name_(std::move(name)) {}

  bool Next(Document* doc, Status* status) override {
    doc->Clear();
    *status = Status::Ok();
    if (page_.empty() && !done_) Fill(status);
    if (page_.empty()) return !status->ok();
    Row& r = page_.front();
    Metadata& m = doc->meta();
    m.id = std::move(r.id);
    m.date = std::move(r.date);
    m.source = std::move(r.source);
    m.title = std::move(r.title);
    m.url = std::move(r.url);
    if (!r.meta.empty()) {
      rapidjson::Document j;
      j.Parse(r.meta.c_str());
      if (j.IsObject()) {
        for (auto it = j.MemberBegin(); it != j.MemberEnd(); ++it) {
          rapidjson::StringBuffer buf;
          rapidjson::Writer<rapidjson::StringBuffer> w(buf);
          it->value.Accept(w);
          m.extra.emplace_back(it->name.GetString(), std::string(buf.GetString(), buf.GetSize()));
        }
      }
    }
    doc->Reset(std::move(r.text));
    doc->origin().file = name_;
    doc->origin().line = 0;
    page_.erase(page_.begin());
    return true;
  }

 private:
  struct Row {
    std::string id, date, source, title, url, meta, text;
  };
  void Fill(Status* status) {
    sqlite3* db = store_->db();
    sqlite3_stmt* q = nullptr;
    const char* sql =
        "SELECT aid, id, date, source, title, url, meta, text FROM articles "
        "WHERE aid > ?1 AND analysis_version != ?2 ORDER BY aid LIMIT 256";
    if (sqlite3_prepare_v2(db, sql, -1, &q, nullptr) != SQLITE_OK) {
      *status = Status::IOError(std::string("reading articles: ") + sqlite3_errmsg(db));
      done_ = true;
      return;
    }
    sqlite3_bind_int64(q, 1, last_aid_);
    sqlite3_bind_text(q, 2, version_.data(), static_cast<int>(version_.size()), SQLITE_STATIC);
    auto col = [&](int i) {
      const unsigned char* t = sqlite3_column_text(q, i);
      return t ? std::string(reinterpret_cast<const char*>(t), sqlite3_column_bytes(q, i))
               : std::string();
    };
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
      last_aid_ = sqlite3_column_int64(q, 0);
      page_.push_back({col(1), col(2), col(3), col(4), col(5), col(6), col(7)});
    }
    if (rc != SQLITE_DONE)
      *status = Status::IOError(std::string("reading articles: ") + sqlite3_errmsg(db));
    sqlite3_finalize(q);
    if (page_.empty()) done_ = true;
  }

  std::unique_ptr<Store> store_;
  std::string version_, name_;
  std::vector<Row> page_;
  int64_t last_aid_ = 0;
  bool done_ = false;
};

Result<std::unique_ptr<Reader>> OpenStoreReader(const std::string& db, const std::string& version) {
  StoreOptions o;
  o.must_exist = true;
  auto s = Store::Open(db, o);
  if (!s.ok()) return s.status();
  return std::unique_ptr<Reader>(new StoreReader(std::move(s.value()), version, db));
}

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
  double write_seconds = 0;  // in Put and Commit (the writer's share of the time)
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
  if (a.reprocess) inputs = {a.db};

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
                auto r = a.reprocess ? OpenStoreReader(a.db, analysis_version) : OpenReader(in, ro);
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
                  const auto write_start = Clock::now();
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
                  write_seconds += std::chrono::duration<double>(Clock::now() - write_start).count();
                }
                const auto now = Clock::now();
                if ((*store)->in_batch() &&
                    (in_batch >= a.batch_articles ||
                     std::chrono::duration<double>(now - batch_start).count() >= a.batch_seconds)) {
                  Status c = (*store)->Commit();
                  write_seconds += std::chrono::duration<double>(Clock::now() - now).count();
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
      "\"write_seconds\":%.2f,\"threads\":%d}\n",
      static_cast<unsigned long long>(read), static_cast<unsigned long long>(added),
      static_cast<unsigned long long>(replaced), static_cast<unsigned long long>(unchanged),
      static_cast<unsigned long long>(failed), static_cast<unsigned long long>(tokens), seconds,
      seconds > 0 ? stored / seconds : 0.0, seconds > 0 ? tokens / seconds : 0.0, write_seconds,
      threads);
  std::fflush(stdout);
  return failed ? 1 : 0;
}

}  // namespace sitrep_cli
