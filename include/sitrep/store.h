// Store: the corpus database, analysed articles in SQLite.
//
// One file holds every analysed article with all its layers: articles
// (metadata, text, content hash, the analysis version that produced the
// rows), sentences, entities, actors (with their geocoded places; the view
// `places` lists those), mentions, quotes, events and event_actors, plus
// FTS5 indexes over article text (articles_fts) and quotation content
// (quotes_fts). Offsets are UTF-8 byte offsets into articles.text, as in
// `sitrep extract` output. The schema is documented in docs/architecture.md.
//
// Contracts:
//  - Open() creates the file or migrates it to kSchemaVersion, one step per
//    version in its own transaction; a file of a newer schema is refused.
//    The database runs in WAL mode with foreign keys on.
//  - An article is identified by its id (Metadata::id; when empty, by its
//    content hash). Put() writes the article row and every layer in one
//    transaction (a savepoint inside a batch), so after a crash at any
//    moment an article is either wholly present or absent.
//  - Put() of an id already stored with the same content hash and analysis
//    version changes nothing (kUnchanged); with another hash or version the
//    old rows are deleted (cascading to every layer) and the new ones
//    written (kReplaced).
//  - A Store is one SQLite connection: use it from one thread at a time.
//    Several Stores (connections) may be open on one file; readers see
//    committed transactions only.
#ifndef SITREP_STORE_H_
#define SITREP_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sitrep/document.h"
#include "sitrep/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace sitrep {

// The schema version this build writes; Open() migrates older files to it.
inline constexpr int kSchemaVersion = 2;

enum class PutOutcome { kAdded, kReplaced, kUnchanged };
std::string_view PutOutcomeName(PutOutcome o);  // "added", "replaced", "unchanged"

// What the store holds about one article id.
struct StoredArticle {
  std::string content_hash;
  std::string analysis_version;
};

// Clustering of events across articles (Store::ClusterEvents), GDELT's
// events/mentions model: reports of one event in several articles become
// one event_clusters row with an event_mentions row per event.
//
// Candidates: events not negated, not conditional, of modality "asserted"
// (and "planned" when include_planned), with a source code and a date.
// Sweeping the candidates ordered by (type, source_code, target_code,
// date), an event joins an open cluster when
//  - type, source code and target code are equal (no target matches only
//    no target),
//  - places are compatible: equal, either missing, or one a country and
//    the other in it (a place is the location's knowledge-base id, else its
//    text lower-cased; a cluster's place is its most specific member place
//    so far: "Kyrgyz border posts" and "in Batken" are compatible), and
//  - its date is at most window_days after the cluster's first date;
// the earliest such cluster is taken, else the event opens a new cluster.
// A cluster's confidence is 1 - prod over its articles of (1 - c), c the
// highest confidence of its events in that article: independent reports
// corroborate each other, several mentions in one article do not.
struct ClusterOptions {
  int window_days = 3;
  bool include_planned = false;
};

struct ClusterStats {
  int64_t candidates = 0;  // events considered
  int64_t clusters = 0;    // clusters written
};

struct StoreOptions {
  // Open an existing file only (NotFound when it does not exist).
  bool must_exist = false;
  // Open without writing: no creation, no migration (Unsupported when the
  // file needs one).
  bool read_only = false;
};

class Store {
 public:
  static Result<std::unique_ptr<Store>> Open(const std::string& path,
                                             const StoreOptions& options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // The schema version of the open file (kSchemaVersion after Open unless read-only).
  int schema_version() const { return schema_version_; }

  // Content hash of an article: 32 hex digits of XXH3-128 over its text and
  // metadata (date, source, title, url). Equal articles, equal hashes.
  static std::string ContentHash(const Document& doc);

  // The id an article is stored under: its Metadata::id, or "hash:" + its
  // content hash when the id is empty.
  static std::string ArticleId(const Document& doc, std::string_view content_hash);

  // Writes `doc` (analysed) and all its layers atomically, tagged with
  // `analysis_version`. `content_hash` may be passed when already computed
  // (else ContentHash(doc) is used). On error nothing of the article was
  // written and an older version of it is intact.
  Result<PutOutcome> Put(const Document& doc, std::string_view analysis_version,
                         std::string_view content_hash = {});

  // The stored hash and version of article `id`, or nullopt.
  Result<std::optional<StoredArticle>> Lookup(std::string_view id);

  // Batches: Puts between Begin() and Commit() share one transaction (each
  // still atomic on its own); Rollback() drops the batch. Not nestable.
  Status Begin();
  Status Commit();
  Status Rollback();
  bool in_batch() const { return in_batch_; }

  // Number of rows of a table or view of the schema (InvalidArgument for
  // another name).
  Result<int64_t> Count(std::string_view table);

  // Rebuilds event_clusters and event_mentions from the stored events under
  // `options` (see ClusterOptions), in one transaction: on error the old
  // clusters are intact. Cluster ids are numbered from 1 in sweep order.
  // InvalidArgument for a negative window; not within a batch.
  Result<ClusterStats> ClusterEvents(const ClusterOptions& options = {});

  // Value of a key of the `meta` table ("" when absent), and setting one.
  Result<std::string> GetMeta(std::string_view key);
  Status SetMeta(std::string_view key, std::string_view value);

  // The underlying connection, for queries the API does not cover.
  sqlite3* db() const { return db_; }

 private:
  Store() = default;
  Status Exec(const char* sql);
  Status Migrate();
  Status Prepare();
  Status WriteLayers(const Document& doc, int64_t aid);

  sqlite3* db_ = nullptr;
  int schema_version_ = 0;
  bool in_batch_ = false;
  // Prepared statements, finalized by the destructor.
  std::vector<sqlite3_stmt*> stmts_;
  sqlite3_stmt *lookup_ = nullptr, *delete_article_ = nullptr, *insert_article_ = nullptr,
               *insert_sentence_ = nullptr, *insert_entity_ = nullptr, *insert_actor_ = nullptr,
               *insert_mention_ = nullptr, *insert_quote_ = nullptr, *insert_event_ = nullptr,
               *insert_event_actor_ = nullptr;
};

// A fingerprint of the files an analysis depends on (models, lexicons):
// 16 hex digits of XXH3-64 over their names, sizes and bytes, in order.
// Fails with the first file that cannot be read.
Result<std::string> FingerprintFiles(const std::vector<std::string>& paths);

}  // namespace sitrep

#endif  // SITREP_STORE_H_
