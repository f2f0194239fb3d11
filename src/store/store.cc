#include "sitrep/store.h"

#include <sqlite3.h>
#include <xxhash.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "sitrep/quotes.h"
#include "sitrep/time_resolve.h"

namespace sitrep {
namespace {

// Schema version 1. Child tables reference articles(aid) ON DELETE CASCADE,
// so deleting an article row deletes every layer (and, through triggers, its
// FTS rows). Token indices are not stored: every span is a byte range into
// articles.text, with its text copied for queries.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles(
  aid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  content_hash TEXT NOT NULL,
  date TEXT, source TEXT, title TEXT, url TEXT,
  meta TEXT,                 -- other input fields, a JSON object, or NULL
  text TEXT NOT NULL,
  tokens INTEGER NOT NULL,
  analysis_version TEXT NOT NULL,
  ingested_at TEXT NOT NULL);
CREATE INDEX articles_date ON articles(date);
CREATE INDEX articles_version ON articles(analysis_version);
CREATE TABLE sentences(
  article INTEGER NOT NULL REFERENCES articles(aid) ON DELETE CASCADE,
  idx INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
  PRIMARY KEY(article, idx)) WITHOUT ROWID;
CREATE TABLE entities(
  article INTEGER NOT NULL REFERENCES articles(aid) ON DELETE CASCADE,
  idx INTEGER NOT NULL, type TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
  text TEXT NOT NULL, sentence INTEGER, value TEXT, time_begin TEXT, time_end TEXT,
  granularity TEXT, actor INTEGER,
  PRIMARY KEY(article, idx)) WITHOUT ROWID;
CREATE TABLE actors(
  article INTEGER NOT NULL REFERENCES articles(aid) ON DELETE CASCADE,
  idx INTEGER NOT NULL, actor_id TEXT, kind TEXT NOT NULL, name TEXT, known INTEGER NOT NULL,
  country TEXT, sector TEXT, cameo TEXT, org_kind TEXT, gender TEXT,
  role TEXT, kb_role TEXT, role_of TEXT, role_since TEXT, role_until TEXT, role_conflict INTEGER,
  affiliation TEXT,
  geo_name TEXT, geo_country TEXT, geo_admin1 TEXT, geo_feature TEXT, geo_class TEXT,
  geo_precision TEXT, lat REAL, lon REAL,
  PRIMARY KEY(article, idx)) WITHOUT ROWID;
CREATE INDEX actors_name ON actors(name);
CREATE INDEX actors_actor_id ON actors(actor_id);
CREATE INDEX actors_country ON actors(country);
CREATE TABLE mentions(
  article INTEGER NOT NULL REFERENCES articles(aid) ON DELETE CASCADE,
  idx INTEGER NOT NULL, actor INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
  text TEXT NOT NULL, how TEXT NOT NULL, sector TEXT,
  PRIMARY KEY(article, idx)) WITHOUT ROWID;
CREATE TABLE quotes(
  qid INTEGER PRIMARY KEY,
  article INTEGER NOT NULL REFERENCES articles(aid) ON DELETE CASCADE,
  idx INTEGER NOT NULL, kind TEXT NOT NULL,
  content_start INTEGER NOT NULL, content_end INTEGER NOT NULL, content_text TEXT NOT NULL,
  content2_start INTEGER, content2_end INTEGER, content2_text TEXT,
  cue_start INTEGER, cue_end INTEGER, cue TEXT,
  speaker_start INTEGER, speaker_end INTEGER, speaker_text TEXT, speaker_type TEXT,
  speaker_actor INTEGER, speaker_name TEXT,  -- the actor's canonical name
  confidence REAL NOT NULL, parent INTEGER NOT NULL,
  UNIQUE(article, idx));
CREATE INDEX quotes_speaker ON quotes(speaker_name);
CREATE INDEX quotes_speaker_text ON quotes(speaker_text);
CREATE TABLE events(
  eid INTEGER PRIMARY KEY,
  article INTEGER NOT NULL REFERENCES articles(aid) ON DELETE CASCADE,
  idx INTEGER NOT NULL, type TEXT NOT NULL, mode TEXT, context TEXT, cameo TEXT,
  modality TEXT NOT NULL, negated INTEGER NOT NULL, conditional INTEGER NOT NULL DEFAULT 0,
  date TEXT, enddate TEXT,
  trigger_start INTEGER NOT NULL, trigger_end INTEGER NOT NULL, trigger_text TEXT NOT NULL,
  sentence INTEGER NOT NULL, location_text TEXT, location_actor INTEGER,
  quote INTEGER, parent INTEGER, confidence REAL NOT NULL,
  source_code TEXT, target_code TEXT,  -- first source/target with a code
  UNIQUE(article, idx));
CREATE INDEX events_type_date ON events(type, date);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_source_code ON events(source_code, date);
CREATE INDEX events_target_code ON events(target_code, date);
CREATE TABLE event_actors(
  event INTEGER NOT NULL REFERENCES events(eid) ON DELETE CASCADE,
  role TEXT NOT NULL,  -- 'source' or 'target'
  idx INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
  actor INTEGER, code TEXT, sector TEXT,
  PRIMARY KEY(event, role, idx)) WITHOUT ROWID;
CREATE INDEX event_actors_code ON event_actors(code, role);
CREATE VIEW places AS
  SELECT article, idx, actor_id, kind, name, country, geo_name, geo_country, geo_admin1,
         geo_feature, geo_class, geo_precision, lat, lon
  FROM actors WHERE lat IS NOT NULL;
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='aid');
CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts(rowid, title, text) VALUES (new.aid, new.title, new.text);
END;
CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.aid, old.title, old.text);
END;
CREATE VIRTUAL TABLE quotes_fts USING fts5(content_text, speaker_text, content='quotes', content_rowid='qid');
CREATE TRIGGER quotes_fts_ai AFTER INSERT ON quotes BEGIN
  INSERT INTO quotes_fts(rowid, content_text, speaker_text) VALUES (new.qid, new.content_text, new.speaker_text);
END;
CREATE TRIGGER quotes_fts_ad AFTER DELETE ON quotes BEGIN
  INSERT INTO quotes_fts(quotes_fts, rowid, content_text, speaker_text) VALUES ('delete', old.qid, old.content_text, old.speaker_text);
END;
)sql";

// Schema version 2: events across articles (Store::ClusterEvents fills
// them; GDELT's events/mentions model). event_clusters rows are rebuilt wholesale by
// each ClusterEvents; event_mentions rows go with their events (ON DELETE
// CASCADE), so between an article's replacement and the next clustering a
// cluster's counts may overstate its mentions.
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE event_clusters(
  cid INTEGER PRIMARY KEY,
  type TEXT NOT NULL, source_code TEXT NOT NULL, target_code TEXT,
  place TEXT,                -- the location's knowledge-base id, else its text lower-cased
  date_begin TEXT NOT NULL, date_end TEXT NOT NULL,
  n_mentions INTEGER NOT NULL, n_articles INTEGER NOT NULL, n_sources INTEGER NOT NULL,
  confidence REAL NOT NULL,
  first_seen TEXT);          -- the earliest article date among the mentions
CREATE INDEX event_clusters_type_date ON event_clusters(type, date_begin);
CREATE INDEX event_clusters_date ON event_clusters(date_begin);
CREATE INDEX event_clusters_source ON event_clusters(source_code, date_begin);
CREATE INDEX event_clusters_target ON event_clusters(target_code, date_begin);
CREATE TABLE event_mentions(
  cid INTEGER NOT NULL REFERENCES event_clusters(cid) ON DELETE CASCADE,
  eid INTEGER NOT NULL REFERENCES events(eid) ON DELETE CASCADE,
  PRIMARY KEY(cid, eid)) WITHOUT ROWID;
CREATE INDEX event_mentions_eid ON event_mentions(eid);
)sql";

// Migration steps: kMigrations[v - 1] takes a file from version v - 1 to v.
// A later schema appends its step here and bumps kSchemaVersion.
constexpr const char* kMigrations[] = {kSchemaV1, kSchemaV2};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kSchemaVersion,
              "one migration step per schema version");

// Tables Count() accepts.
constexpr const char* kTables[] = {"articles", "sentences", "entities", "actors",     "mentions",
                                   "quotes",   "events",    "places",   "event_actors", "meta",
                                   "event_clusters", "event_mentions"};

Status SqlError(sqlite3* db, std::string_view what) {
  std::string msg(what);
  msg += ": ";
  msg += db ? sqlite3_errmsg(db) : "out of memory";
  const int code = db ? sqlite3_errcode(db) : SQLITE_NOMEM;
  if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) return Status::Corruption(msg);
  return Status::IOError(msg);
}

// Bind helpers: empty strings and absent values are NULL.
void BindText(sqlite3_stmt* s, int i, std::string_view v) {
  if (v.empty())
    sqlite3_bind_null(s, i);
  else
    sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
void BindInt(sqlite3_stmt* s, int i, int64_t v) { sqlite3_bind_int64(s, i, v); }
void BindIndex(sqlite3_stmt* s, int i, int64_t v) {  // -1: NULL
  if (v < 0)
    sqlite3_bind_null(s, i);
  else
    sqlite3_bind_int64(s, i, v);
}
double Round(double v, double scale) { return std::round(v * scale) / scale; }

std::string Day(int32_t d) {
  char buf[11];
  FormatIsoDay(d, buf);
  return std::string(buf, 10);
}

// "2025-03-09T10:00:00Z", UTC now.
std::string UtcNow() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

std::string_view PutOutcomeName(PutOutcome o) {
  switch (o) {
    case PutOutcome::kAdded: return "added";
    case PutOutcome::kReplaced: return "replaced";
    case PutOutcome::kUnchanged: return "unchanged";
  }
  return "";
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, const StoreOptions& options) {
  std::unique_ptr<Store> s(new Store());
  int flags = SQLITE_OPEN_FULLMUTEX;
  flags |= options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (!options.read_only && !options.must_exist) flags |= SQLITE_OPEN_CREATE;
  if (sqlite3_open_v2(path.c_str(), &s->db_, flags, nullptr) != SQLITE_OK) {
    const int code = s->db_ ? sqlite3_errcode(s->db_) : SQLITE_NOMEM;
    std::string msg = path + ": cannot open database: " +
                      (s->db_ ? sqlite3_errmsg(s->db_) : "out of memory");
    if (code == SQLITE_CANTOPEN) return Status::NotFound(msg);
    return Status::IOError(msg);
  }
  sqlite3_busy_timeout(s->db_, 30000);
  sqlite3_extended_result_codes(s->db_, 0);
  if (!options.read_only) {
    // WAL: readers never block the writer; synchronous=NORMAL keeps the
    // database consistent across a crash of the process (a power loss may
    // drop the last commits, never half of one).
    Status st = s->Exec("PRAGMA journal_mode=WAL");
    if (!st.ok()) return st.WithContext(path);
    st = s->Exec("PRAGMA synchronous=NORMAL");
    if (!st.ok()) return st.WithContext(path);
  }
  Status st = s->Exec("PRAGMA foreign_keys=ON");
  if (!st.ok()) return st.WithContext(path);
  // The schema version: 0 for a new file.
  {
    sqlite3_stmt* q = nullptr;
    if (sqlite3_prepare_v2(s->db_,
                           "SELECT value FROM sqlite_master m, meta WHERE m.name='meta' AND "
                           "key='schema_version'",
                           -1, &q, nullptr) == SQLITE_OK) {
      if (sqlite3_step(q) == SQLITE_ROW) s->schema_version_ = sqlite3_column_int(q, 0);
    } else {
      // No meta table: a new (or foreign) file. A foreign one fails below
      // when its tables clash with ours.
      const int code = sqlite3_errcode(s->db_);
      if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT) {
        Status e = SqlError(s->db_, path);
        sqlite3_finalize(q);
        return e;
      }
    }
    sqlite3_finalize(q);
  }
  if (s->schema_version_ > kSchemaVersion)
    return Status::Unsupported(path + ": database schema version " +
                               std::to_string(s->schema_version_) +
                               " is newer than this sitrep's (" + std::to_string(kSchemaVersion) +
                               "); upgrade sitrep");
  if (s->schema_version_ < kSchemaVersion) {
    if (options.read_only)
      return Status::Unsupported(path + ": database schema version " +
                                 std::to_string(s->schema_version_) + " needs migrating to " +
                                 std::to_string(kSchemaVersion) + "; open it for writing once");
    st = s->Migrate();
    if (!st.ok()) return st.WithContext(path);
  }
  if (!options.read_only) {
    st = s->Prepare();
    if (!st.ok()) return st.WithContext(path);
  }
  return s;
}

Store::~Store() {
  if (in_batch_) Rollback();
  for (sqlite3_stmt* s : stmts_) sqlite3_finalize(s);
  if (db_) sqlite3_close_v2(db_);
}

Status Store::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    Status st = SqlError(db_, err ? err : "sqlite");
    sqlite3_free(err);
    return st;
  }
  return Status::Ok();
}

Status Store::Migrate() {
  // Each step in its own immediate transaction together with the version
  // bump: a crash leaves the file at the old version or the new one.
  while (schema_version_ < kSchemaVersion) {
    const int next = schema_version_ + 1;
    Status st = Exec("BEGIN IMMEDIATE");
    if (!st.ok()) return st;
    // Another connection may have migrated meanwhile: read the version again.
    int now = 0;
    sqlite3_stmt* q = nullptr;
    if (sqlite3_prepare_v2(db_,
                           "SELECT value FROM sqlite_master m, meta WHERE m.name='meta' AND "
                           "key='schema_version'",
                           -1, &q, nullptr) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
      now = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    if (now >= next) {
      schema_version_ = now;
      Exec("COMMIT");
      continue;
    }
    st = Exec(kMigrations[next - 1]);
    if (st.ok()) {
      const std::string v = "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', '" +
                            std::to_string(next) + "')";
      st = Exec(v.c_str());
    }
    if (st.ok() && next == 1) {
      const std::string c =
          "INSERT OR IGNORE INTO meta(key, value) VALUES ('created_at', '" + UtcNow() + "')";
      st = Exec(c.c_str());
    }
    if (st.ok()) st = Exec("COMMIT");
    if (!st.ok()) {
      Exec("ROLLBACK");
      return st.WithContext("migrating to schema version " + std::to_string(next));
    }
    schema_version_ = next;
  }
  return Status::Ok();
}

Status Store::Prepare() {
  struct {
    sqlite3_stmt** stmt;
    const char* sql;
  } const defs[] = {
      {&lookup_, "SELECT content_hash, analysis_version FROM articles WHERE id = ?1"},
      {&delete_article_, "DELETE FROM articles WHERE id = ?1"},
      {&insert_article_,
       "INSERT INTO articles(id, content_hash, date, source, title, url, meta, text, tokens, "
       "analysis_version, ingested_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)"},
      {&insert_sentence_, "INSERT INTO sentences VALUES (?1,?2,?3,?4)"},
      {&insert_entity_, "INSERT INTO entities VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)"},
      {&insert_actor_,
       "INSERT INTO actors VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,"
       "?18,?19,?20,?21,?22,?23,?24,?25,?26)"},
      {&insert_mention_, "INSERT INTO mentions VALUES (?1,?2,?3,?4,?5,?6,?7,?8)"},
      {&insert_quote_,
       "INSERT INTO quotes(article, idx, kind, content_start, content_end, content_text, "
       "content2_start, content2_end, content2_text, cue_start, cue_end, cue, speaker_start, "
       "speaker_end, speaker_text, speaker_type, speaker_actor, speaker_name, confidence, parent) "
       "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20)"},
      {&insert_event_,
       "INSERT INTO events(article, idx, type, mode, context, cameo, modality, negated, date, "
       "enddate, trigger_start, trigger_end, trigger_text, sentence, location_text, "
       "location_actor, quote, parent, confidence, source_code, target_code, conditional) VALUES "
       "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22)"},
      {&insert_event_actor_, "INSERT INTO event_actors VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)"},
  };
  for (const auto& d : defs) {
    if (sqlite3_prepare_v3(db_, d.sql, -1, SQLITE_PREPARE_PERSISTENT, d.stmt, nullptr) !=
        SQLITE_OK)
      return SqlError(db_, "preparing statements");
    stmts_.push_back(*d.stmt);
  }
  return Status::Ok();
}

std::string Store::ContentHash(const Document& doc) {
  XXH3_state_t* st = XXH3_createState();
  XXH3_128bits_reset(st);
  auto add = [&](std::string_view s) {
    const uint64_t n = s.size();
    XXH3_128bits_update(st, &n, sizeof n);  // lengths keep fields apart
    XXH3_128bits_update(st, s.data(), s.size());
  };
  const Metadata& m = doc.meta();
  add(doc.text());
  add(m.date);
  add(m.source);
  add(m.title);
  add(m.url);
  const XXH128_hash_t h = XXH3_128bits_digest(st);
  XXH3_freeState(st);
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return buf;
}

std::string Store::ArticleId(const Document& doc, std::string_view content_hash) {
  if (!doc.meta().id.empty()) return doc.meta().id;
  return "hash:" + std::string(content_hash);
}

Result<std::optional<StoredArticle>> Store::Lookup(std::string_view id) {
  sqlite3_stmt* q = lookup_;
  bool own = false;
  if (!q) {  // read-only store: statements are not prepared
    if (sqlite3_prepare_v2(db_, "SELECT content_hash, analysis_version FROM articles WHERE id = ?1",
                           -1, &q, nullptr) != SQLITE_OK)
      return SqlError(db_, "lookup");
    own = true;
  }
  sqlite3_bind_text(q, 1, id.data(), static_cast<int>(id.size()), SQLITE_TRANSIENT);
  const int rc = sqlite3_step(q);
  std::optional<StoredArticle> out;
  if (rc == SQLITE_ROW) {
    out.emplace();
    out->content_hash = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
    out->analysis_version = reinterpret_cast<const char*>(sqlite3_column_text(q, 1));
  }
  Status err = rc == SQLITE_ROW || rc == SQLITE_DONE ? Status::Ok() : SqlError(db_, "lookup");
  if (own)
    sqlite3_finalize(q);
  else
    sqlite3_reset(q);
  if (!err.ok()) return err;
  return out;
}

Status Store::Begin() {
  if (in_batch_) return Status::InvalidArgument("Store::Begin: a batch is already open");
  Status st = Exec("BEGIN IMMEDIATE");
  if (st.ok()) in_batch_ = true;
  return st;
}

Status Store::Commit() {
  if (!in_batch_) return Status::InvalidArgument("Store::Commit: no batch is open");
  Status st = Exec("COMMIT");
  if (st.ok()) in_batch_ = false;
  return st;
}

Status Store::Rollback() {
  if (!in_batch_) return Status::InvalidArgument("Store::Rollback: no batch is open");
  in_batch_ = false;
  return Exec("ROLLBACK");
}

Result<PutOutcome> Store::Put(const Document& doc, std::string_view analysis_version,
                              std::string_view content_hash) {
  if (!insert_article_) return Status::InvalidArgument("Store::Put: the store is read-only");
  const std::string hash = content_hash.empty() ? ContentHash(doc) : std::string(content_hash);
  const std::string id = ArticleId(doc, hash);
  auto old = Lookup(id);
  if (!old.ok()) return old.status();
  if (old->has_value() && (*old)->content_hash == hash &&
      (*old)->analysis_version == analysis_version)
    return PutOutcome::kUnchanged;

  // One savepoint per article: inside a batch it is undone alone on error;
  // outside one it is the article's own transaction.
  Status st = Exec("SAVEPOINT put");
  if (!st.ok()) return st;
  auto fail = [&](Status e) -> Status {
    Exec("ROLLBACK TO put");
    Exec("RELEASE put");
    return e.WithContext("article " + id);
  };
  if (old->has_value()) {
    sqlite3_stmt* d = delete_article_;
    BindText(d, 1, id);
    const int rc = sqlite3_step(d);
    sqlite3_reset(d);
    if (rc != SQLITE_DONE) return fail(SqlError(db_, "deleting the old version"));
  }
  const Metadata& m = doc.meta();
  std::string meta_json;
  if (!m.extra.empty()) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    for (const auto& [k, raw] : m.extra) {
      w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
      w.RawValue(raw.data(), raw.size(), rapidjson::kObjectType);
    }
    w.EndObject();
    meta_json.assign(buf.GetString(), buf.GetSize());
  }
  sqlite3_stmt* a = insert_article_;
  BindText(a, 1, id);
  BindText(a, 2, hash);
  BindText(a, 3, m.date);
  BindText(a, 4, m.source);
  BindText(a, 5, m.title);
  BindText(a, 6, m.url);
  BindText(a, 7, meta_json);
  sqlite3_bind_text(a, 8, doc.text().data(), static_cast<int>(doc.text().size()), SQLITE_STATIC);
  BindInt(a, 9, static_cast<int64_t>(doc.tokens().size()));
  BindText(a, 10, analysis_version);
  BindText(a, 11, UtcNow());
  const int rc = sqlite3_step(a);
  sqlite3_reset(a);
  sqlite3_clear_bindings(a);
  if (rc != SQLITE_DONE) return fail(SqlError(db_, "inserting the article"));
  const int64_t aid = sqlite3_last_insert_rowid(db_);
  st = WriteLayers(doc, aid);
  if (!st.ok()) return fail(st);
  st = Exec("RELEASE put");
  if (!st.ok()) return fail(st);
  return old->has_value() ? PutOutcome::kReplaced : PutOutcome::kAdded;
}

// Writes every layer of `doc` under article row `aid`. Rows are numbered by
// their index in the Document's arrays, so cross-references (actor, parent,
// quote) are those indices.
Status Store::WriteLayers(const Document& doc, int64_t aid) {
  const auto& tokens = doc.tokens();
  auto span = [&](uint32_t b, uint32_t e) { return ByteSpan{tokens[b].begin, tokens[e - 1].end}; };
  auto step = [&](sqlite3_stmt* s, const char* what) -> Status {
    const int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) return SqlError(db_, what);
    return Status::Ok();
  };
  Status st;
  // Sentences.
  for (size_t i = 0; i < doc.sentences().size(); ++i) {
    if (doc.sentences()[i].token_end <= doc.sentences()[i].token_begin) continue;
    const ByteSpan s = doc.sentence_span(i);
    sqlite3_stmt* q = insert_sentence_;
    BindInt(q, 1, aid);
    BindInt(q, 2, static_cast<int64_t>(i));
    BindInt(q, 3, s.begin);
    BindInt(q, 4, s.end);
    if (!(st = step(q, "inserting a sentence")).ok()) return st;
  }
  // Entities, with their sentence, actor and resolved time.
  {
    std::vector<int64_t> actor_of(doc.entities().size(), -1);
    for (const Mention& mn : doc.mentions())
      if (mn.entity >= 0 && static_cast<size_t>(mn.entity) < actor_of.size())
        actor_of[mn.entity] = mn.actor;
    size_t si = 0, ti = 0;
    const auto& sentences = doc.sentences();
    const auto& times = doc.times();
    for (size_t k = 0; k < doc.entities().size(); ++k) {
      const Entity& e = doc.entities()[k];
      while (si + 1 < sentences.size() && sentences[si].token_end <= e.token_begin) ++si;
      while (ti < times.size() && times[ti].entity < k) ++ti;
      const ByteSpan s = span(e.token_begin, e.token_end);
      sqlite3_stmt* q = insert_entity_;
      BindInt(q, 1, aid);
      BindInt(q, 2, static_cast<int64_t>(k));
      BindText(q, 3, EntityTypeName(e.type));
      BindInt(q, 4, s.begin);
      BindInt(q, 5, s.end);
      BindText(q, 6, doc.text(s));
      BindInt(q, 7, static_cast<int64_t>(si));
      BindText(q, 8, doc.entity_value(k));
      if (ti < times.size() && times[ti].entity == k) {
        BindText(q, 9, Day(times[ti].begin));
        BindText(q, 10, Day(times[ti].end));
        BindText(q, 11, TimeGranularityName(times[ti].granularity));
      } else {
        for (int c = 9; c <= 11; ++c) sqlite3_bind_null(q, c);
      }
      BindIndex(q, 12, actor_of[k]);
      if (!(st = step(q, "inserting an entity")).ok()) return st;
    }
  }
  // Actors (places are actors with coordinates).
  for (size_t i = 0; i < doc.actors().size(); ++i) {
    const Actor& x = doc.actors()[i];
    sqlite3_stmt* q = insert_actor_;
    BindInt(q, 1, aid);
    BindInt(q, 2, static_cast<int64_t>(i));
    BindText(q, 3, doc.pool(x.id));
    BindText(q, 4, ActorKindName(x.kind));
    BindText(q, 5, doc.pool(x.name));
    BindInt(q, 6, (x.flags & kActorKnown) ? 1 : 0);
    BindText(q, 7, doc.pool(x.country));
    BindText(q, 8, doc.pool(x.sector));
    BindText(q, 9, doc.pool(x.cameo));
    BindText(q, 10, doc.pool(x.org_kind));
    BindText(q, 11, x.gender ? std::string_view(&x.gender, 1) : std::string_view());
    BindText(q, 12, doc.pool(x.text_role));
    BindText(q, 13, doc.pool(x.kb_role));
    BindText(q, 14, doc.pool(x.kb_role_country));
    BindText(q, 15, doc.pool(x.kb_role_start));
    BindText(q, 16, doc.pool(x.kb_role_end));
    BindInt(q, 17, (x.flags & kActorRoleConflict) ? 1 : 0);
    BindText(q, 18, doc.pool(x.affiliation));
    const bool geo = (x.flags & kActorHasGeo) != 0;
    BindText(q, 19, geo ? doc.pool(x.geo_name) : std::string_view());
    BindText(q, 20, geo ? doc.pool(x.geo_country) : std::string_view());
    BindText(q, 21, geo ? doc.pool(x.geo_admin1) : std::string_view());
    BindText(q, 22, geo ? doc.pool(x.geo_feature) : std::string_view());
    BindText(q, 23, geo && x.geo_class ? std::string_view(&x.geo_class, 1) : std::string_view());
    BindText(q, 24, geo ? doc.pool(x.geo_precision) : std::string_view());
    if (geo) {
      sqlite3_bind_double(q, 25, Round(x.lat, 1e5));
      sqlite3_bind_double(q, 26, Round(x.lon, 1e5));
    } else {
      sqlite3_bind_null(q, 25);
      sqlite3_bind_null(q, 26);
    }
    if (!(st = step(q, "inserting an actor")).ok()) return st;
  }
  // Mentions.
  for (size_t i = 0; i < doc.mentions().size(); ++i) {
    const Mention& mn = doc.mentions()[i];
    const ByteSpan s = span(mn.token_begin, mn.token_end);
    sqlite3_stmt* q = insert_mention_;
    BindInt(q, 1, aid);
    BindInt(q, 2, static_cast<int64_t>(i));
    BindInt(q, 3, mn.actor);
    BindInt(q, 4, s.begin);
    BindInt(q, 5, s.end);
    BindText(q, 6, doc.text(s));
    BindText(q, 7, MentionHowName(mn.how));
    BindText(q, 8, doc.pool(mn.sector));
    if (!(st = step(q, "inserting a mention")).ok()) return st;
  }
  // Quotations.
  for (size_t i = 0; i < doc.quotes().size(); ++i) {
    const Quote& x = doc.quotes()[i];
    sqlite3_stmt* q = insert_quote_;
    BindInt(q, 1, aid);
    BindInt(q, 2, static_cast<int64_t>(i));
    BindText(q, 3, QuoteKindName(x.kind));
    const ByteSpan c = span(x.content_begin, x.content_end);
    BindInt(q, 4, c.begin);
    BindInt(q, 5, c.end);
    BindText(q, 6, doc.text(c));
    if (x.content2_end > x.content2_begin) {
      const ByteSpan c2 = span(x.content2_begin, x.content2_end);
      BindInt(q, 7, c2.begin);
      BindInt(q, 8, c2.end);
      BindText(q, 9, doc.text(c2));
    } else {
      for (int k = 7; k <= 9; ++k) sqlite3_bind_null(q, k);
    }
    if (x.cue_end > x.cue_begin) {
      const ByteSpan cu = span(x.cue_begin, x.cue_end);
      BindInt(q, 10, cu.begin);
      BindInt(q, 11, cu.end);
      BindText(q, 12, doc.text(cu));
    } else {
      for (int k = 10; k <= 12; ++k) sqlite3_bind_null(q, k);
    }
    if (x.speaker_end > x.speaker_begin) {
      const ByteSpan sp = span(x.speaker_begin, x.speaker_end);
      BindInt(q, 13, sp.begin);
      BindInt(q, 14, sp.end);
      BindText(q, 15, doc.text(sp));
    } else {
      for (int k = 13; k <= 15; ++k) sqlite3_bind_null(q, k);
    }
    BindText(q, 16, SpeakerTypeName(static_cast<SpeakerType>(x.speaker_type)));
    BindIndex(q, 17, x.speaker_actor);
    const bool has_actor =
        x.speaker_actor >= 0 && static_cast<size_t>(x.speaker_actor) < doc.actors().size();
    BindText(q, 18, has_actor ? doc.pool(doc.actors()[x.speaker_actor].name) : std::string_view());
    sqlite3_bind_double(q, 19, Round(x.confidence, 100));
    BindInt(q, 20, x.parent);
    if (!(st = step(q, "inserting a quotation")).ok()) return st;
  }
  // Events and their source and target actors.
  int32_t article_day = 0;
  const bool has_article_day =
      doc.meta().date.size() >= 10 && ParseArticleDay(doc.meta().date, &article_day);
  for (size_t i = 0; i < doc.events().size(); ++i) {
    const Event& e = doc.events()[i];
    auto first_code = [&](uint32_t b, uint32_t en) -> std::string_view {
      for (uint32_t k = b; k < en; ++k)
        if (!doc.event_args()[k].code.empty()) return doc.pool(doc.event_args()[k].code);
      return {};
    };
    sqlite3_stmt* q = insert_event_;
    BindInt(q, 1, aid);
    BindInt(q, 2, static_cast<int64_t>(i));
    BindText(q, 3, EventTypeName(e.type));
    BindText(q, 4, doc.pool(e.mode));
    BindText(q, 5, doc.pool(e.context));
    BindText(q, 6, doc.pool(e.cameo));
    BindText(q, 7, EventModalityName(e.modality));
    BindInt(q, 8, e.negated ? 1 : 0);
    BindInt(q, 22, e.conditional ? 1 : 0);
    // The event's resolved time, else the article date (as `extract` writes it).
    if (e.time >= 0 && static_cast<size_t>(e.time) < doc.times().size()) {
      const ResolvedTime& t = doc.times()[e.time];
      BindText(q, 9, Day(t.begin));
      if (t.end != t.begin)
        BindText(q, 10, Day(t.end));
      else
        sqlite3_bind_null(q, 10);
    } else {
      if (has_article_day)
        BindText(q, 9, Day(article_day));
      else
        sqlite3_bind_null(q, 9);
      sqlite3_bind_null(q, 10);
    }
    const ByteSpan tr = span(e.trigger_begin, e.trigger_end);
    BindInt(q, 11, tr.begin);
    BindInt(q, 12, tr.end);
    BindText(q, 13, doc.text(tr));
    BindInt(q, 14, e.sentence);
    if (e.location >= 0 && static_cast<size_t>(e.location) < doc.mentions().size()) {
      const Mention& mn = doc.mentions()[e.location];
      BindText(q, 15, doc.text(span(mn.token_begin, mn.token_end)));
      BindInt(q, 16, mn.actor);
    } else {
      sqlite3_bind_null(q, 15);
      sqlite3_bind_null(q, 16);
    }
    BindIndex(q, 17, e.quote);
    BindIndex(q, 18, e.parent);
    sqlite3_bind_double(q, 19, Round(e.confidence, 100));
    BindText(q, 20, first_code(e.source_begin, e.source_end));
    BindText(q, 21, first_code(e.target_begin, e.target_end));
    if (!(st = step(q, "inserting an event")).ok()) return st;
    const int64_t eid = sqlite3_last_insert_rowid(db_);
    auto args = [&](const char* role, uint32_t b, uint32_t en) -> Status {
      for (uint32_t k = b; k < en; ++k) {
        const EventArg& x = doc.event_args()[k];
        const ByteSpan s = span(x.token_begin, x.token_end);
        sqlite3_stmt* r = insert_event_actor_;
        BindInt(r, 1, eid);
        sqlite3_bind_text(r, 2, role, -1, SQLITE_STATIC);
        BindInt(r, 3, k - b);
        BindInt(r, 4, s.begin);
        BindInt(r, 5, s.end);
        BindText(r, 6, doc.text(s));
        BindIndex(r, 7, x.actor);
        BindText(r, 8, doc.pool(x.code));
        BindText(r, 9, doc.pool(x.sector));
        Status s2 = step(r, "inserting an event actor");
        if (!s2.ok()) return s2;
      }
      return Status::Ok();
    };
    if (!(st = args("source", e.source_begin, e.source_end)).ok()) return st;
    if (!(st = args("target", e.target_begin, e.target_end)).ok()) return st;
  }
  return Status::Ok();
}

Result<int64_t> Store::Count(std::string_view table) {
  bool known = false;
  for (const char* t : kTables) known = known || table == t;
  if (!known) return Status::InvalidArgument("no table " + std::string(table));
  const std::string sql = "SELECT count(*) FROM " + std::string(table);
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &q, nullptr) != SQLITE_OK)
    return SqlError(db_, "count");
  int64_t n = -1;
  if (sqlite3_step(q) == SQLITE_ROW) n = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  if (n < 0) return SqlError(db_, "count");
  return n;
}

Result<std::string> Store::GetMeta(std::string_view key) {
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT value FROM meta WHERE key = ?1", -1, &q, nullptr) !=
      SQLITE_OK)
    return SqlError(db_, "meta");
  sqlite3_bind_text(q, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
  std::string v;
  const int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) v = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
  sqlite3_finalize(q);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqlError(db_, "meta");
  return v;
}

Status Store::SetMeta(std::string_view key, std::string_view value) {
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(db_, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)", -1, &q,
                         nullptr) != SQLITE_OK)
    return SqlError(db_, "meta");
  sqlite3_bind_text(q, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
  sqlite3_bind_text(q, 2, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  const int rc = sqlite3_step(q);
  sqlite3_finalize(q);
  if (rc != SQLITE_DONE) return SqlError(db_, "meta");
  return Status::Ok();
}

Result<std::string> FingerprintFiles(const std::vector<std::string>& paths) {
  XXH3_state_t* st = XXH3_createState();
  XXH3_64bits_reset(st);
  std::vector<char> buf(1 << 20);
  for (const std::string& p : paths) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      XXH3_freeState(st);
      return Status::NotFound(p + ": cannot read");
    }
    const std::string name = p.substr(p.find_last_of('/') + 1);
    XXH3_64bits_update(st, name.data(), name.size() + 1);
    uint64_t size = 0;
    while (in) {
      in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      const std::streamsize n = in.gcount();
      if (n <= 0) break;
      size += static_cast<uint64_t>(n);
      XXH3_64bits_update(st, buf.data(), static_cast<size_t>(n));
    }
    XXH3_64bits_update(st, &size, sizeof size);
  }
  const uint64_t h = XXH3_64bits_digest(st);
  XXH3_freeState(st);
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return std::string(out);
}

}  // namespace sitrep
