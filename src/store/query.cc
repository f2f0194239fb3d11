#include "sitrep/query.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>

namespace sitrep {
namespace {

bool IsIsoDay(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// A WHERE clause under construction with its bound parameters.
struct Where {
  std::string sql;
  std::vector<std::string> params;
  // Adds `cond`; its i-th "?" takes values[i], or the last value when
  // there are fewer values than "?"s.
  void Add(const std::string& cond, const std::vector<std::string>& values) {
    std::string c;
    size_t k = 0;
    for (char ch : cond) {
      if (ch == '?') {
        params.push_back(values[std::min(k++, values.size() - 1)]);
        c += "?" + std::to_string(params.size());
      } else {
        c += ch;
      }
    }
    sql += sql.empty() ? " WHERE " : " AND ";
    sql += "(" + c + ")";
  }
  void Add(const std::string& cond, const std::string& value) {
    Add(cond, std::vector<std::string>{value});
  }
};

// LIKE pattern for a case-insensitive substring.
std::string Like(const std::string& s) { return "%" + s + "%"; }

}  // namespace

Result<QueryKind> QueryKindFromName(std::string_view name) {
  if (name == "events") return QueryKind::kEvents;
  if (name == "quotes") return QueryKind::kQuotes;
  if (name == "articles") return QueryKind::kArticles;
  if (name == "actors") return QueryKind::kActors;
  if (name == "places") return QueryKind::kPlaces;
  if (name == "clusters") return QueryKind::kClusters;
  return Status::InvalidArgument("unknown query '" + std::string(name) +
                                 "' (events, quotes, articles, actors, places, clusters)");
}

Status RunQuery(Store& store, QueryKind kind, const QueryFilter& f,
                const std::function<Status(const std::vector<std::string>& columns,
                                           const std::vector<Cell>& row)>& on_row) {
  for (const std::string* d : {&f.from, &f.to})
    if (!d->empty() && !IsIsoDay(*d))
      return Status::InvalidArgument("date '" + *d + "' is not YYYY-MM-DD");
  Where w;
  std::string select, order;
  const std::string day = "substr(a.date, 1, 10)";
  switch (kind) {
    case QueryKind::kEvents: {
      select =
          "SELECT a.id AS article, e.idx AS event, e.date, e.enddate, e.type, e.cameo, "
          "e.modality, e.negated, "
          "(SELECT group_concat(x.text, '; ') FROM event_actors x WHERE x.event = e.eid AND "
          "x.role = 'source') AS source, e.source_code, "
          "(SELECT group_concat(x.text, '; ') FROM event_actors x WHERE x.event = e.eid AND "
          "x.role = 'target') AS target, e.target_code, e.trigger_text AS trigger, "
          "e.location_text AS location, e.confidence "
          "FROM events e JOIN articles a ON a.aid = e.article";
      order = " ORDER BY e.date, a.id, e.idx";
      if (!f.type.empty()) w.Add("e.type = ?", Upper(f.type));
      // The actor filter matches names as substrings, which no index serves:
      // it is probed per event in date order (fast when the actor is
      // frequent; an uncorrelated IN set measured 280 ms for a rare name and
      // 370 ms for a frequent one on 200k events, against 700 and 50 ms).
      if (!f.actor.empty())
        w.Add("EXISTS (SELECT 1 FROM event_actors x LEFT JOIN actors c ON c.article = e.article "
              "AND c.idx = x.actor WHERE x.event = e.eid AND (x.text LIKE ? OR c.name LIKE ? OR "
              "x.code = ? OR c.actor_id = ?))",
              {Like(f.actor), Like(f.actor), f.actor});
      // Alone, the country filter is an uncorrelated IN subquery: SQLite
      // computes the set of event ids once through the code and country
      // indexes rather than probing every event in date order until `limit`
      // match, which scans the table for a rare country. With a type or date
      // range those indexes lead and the country is probed per candidate
      // event (the IN set of a frequent code would cost more).
      const bool led = !f.type.empty() || !f.from.empty() || !f.to.empty();
      if (!f.country.empty()) {
        if (led)
          w.Add("EXISTS (SELECT 1 FROM event_actors x WHERE x.event = e.eid AND x.code = ?) OR "
                "EXISTS (SELECT 1 FROM actors c WHERE c.article = e.article AND c.idx = "
                "e.location_actor AND c.country = ?)",
                Upper(f.country));
        else
          w.Add("e.eid IN (SELECT x.event FROM event_actors x WHERE x.code = ? "
                "UNION SELECT e2.eid FROM actors c JOIN events e2 ON e2.article = c.article AND "
                "e2.location_actor = c.idx WHERE c.country = ?)",
                Upper(f.country));
      }
      if (!f.place.empty()) w.Add("e.location_text LIKE ?", Like(f.place));
      if (!f.from.empty()) w.Add("e.date >= ?", f.from);
      if (!f.to.empty()) w.Add("e.date <= ?", f.to);
      if (!f.text.empty())
        w.Add("e.article IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)", f.text);
      break;
    }
    case QueryKind::kQuotes: {
      select =
          "SELECT a.id AS article, q.idx AS quote, " + day +
          " AS date, q.kind, coalesce(q.speaker_name, q.speaker_text) AS speaker, "
          "q.speaker_type, q.cue, q.content_text AS content, q.content2_text AS content2, "
          "q.confidence FROM quotes q JOIN articles a ON a.aid = q.article";
      order = " ORDER BY " + day + ", a.id, q.idx";
      for (const std::string* s : {&f.speaker, &f.actor})
        if (!s->empty()) w.Add("q.speaker_name LIKE ? OR q.speaker_text LIKE ?", Like(*s));
      if (!f.country.empty())
        w.Add("EXISTS (SELECT 1 FROM actors c WHERE c.article = q.article AND c.idx = "
              "q.speaker_actor AND c.country = ?)",
              Upper(f.country));
      if (!f.from.empty()) w.Add(day + " >= ?", f.from);
      if (!f.to.empty()) w.Add(day + " <= ?", f.to);
      if (!f.text.empty())
        w.Add("q.qid IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)", f.text);
      break;
    }
    case QueryKind::kArticles: {
      select = "SELECT a.id, " + day +
               " AS date, a.source, a.title, a.tokens, "
               "(SELECT count(*) FROM events e WHERE e.article = a.aid) AS events, "
               "(SELECT count(*) FROM quotes q WHERE q.article = a.aid) AS quotes, "
               "a.analysis_version FROM articles a";
      order = " ORDER BY " + day + ", a.id";
      if (!f.actor.empty())
        w.Add("EXISTS (SELECT 1 FROM actors c WHERE c.article = a.aid AND (c.name LIKE ?))",
              Like(f.actor));
      if (!f.country.empty())
        w.Add("EXISTS (SELECT 1 FROM actors c WHERE c.article = a.aid AND c.country = ?)",
              Upper(f.country));
      if (!f.place.empty())
        w.Add("EXISTS (SELECT 1 FROM actors c WHERE c.article = a.aid AND c.lat IS NOT NULL AND "
              "(c.name LIKE ? OR c.geo_name LIKE ?))",
              Like(f.place));
      if (!f.from.empty()) w.Add(day + " >= ?", f.from);
      if (!f.to.empty()) w.Add(day + " <= ?", f.to);
      if (!f.text.empty())
        w.Add("a.aid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)", f.text);
      break;
    }
    case QueryKind::kActors:
    case QueryKind::kPlaces: {
      const bool places = kind == QueryKind::kPlaces;
      // "doc:N" ids are local to their article: such actors are grouped by
      // kind and name instead, and shown without an id.
      const std::string id = "CASE WHEN c.actor_id LIKE 'doc:%' THEN NULL ELSE c.actor_id END";
      select = places ? "SELECT " + id + " AS actor_id, c.name, c.kind, c.geo_country AS country, "
                        "c.geo_admin1 AS admin1, c.geo_precision AS precision, c.lat, c.lon, "
                        "count(DISTINCT c.article) AS articles, min(" + day +
                        ") AS first, max(" + day + ") AS last "
                        "FROM actors c JOIN articles a ON a.aid = c.article"
                      : "SELECT " + id + " AS actor_id, c.name, c.kind, c.country, c.sector, "
                        "count(DISTINCT c.article) AS articles, min(" + day + ") AS first, max(" +
                        day + ") AS last FROM actors c JOIN articles a ON a.aid = c.article";
      if (places) w.Add("c.lat IS NOT NULL", std::string());
      if (!f.type.empty()) w.Add("c.kind = ?", f.type);
      for (const std::string* s : {&f.actor, &f.place})
        if (!s->empty()) w.Add("c.name LIKE ? OR c.actor_id = ?", {Like(*s), *s});
      if (!f.country.empty()) w.Add("c.country = ?", Upper(f.country));
      if (!f.from.empty()) w.Add(day + " >= ?", f.from);
      if (!f.to.empty()) w.Add(day + " <= ?", f.to);
      if (!f.text.empty())
        w.Add("c.article IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)", f.text);
      order = " GROUP BY coalesce(" + id +
              ", 'name:' || c.kind || ':' || c.name) ORDER BY articles DESC, c.name";
      break;
    }
    case QueryKind::kClusters: {
      select =
          "SELECT k.cid, k.date_begin, k.date_end, k.type, k.source_code, k.target_code, "
          "k.place, k.n_mentions, k.n_articles, k.n_sources, k.confidence, k.first_seen "
          "FROM event_clusters k";
      order = " ORDER BY k.date_begin, k.cid";
      if (!f.type.empty()) w.Add("k.type = ?", Upper(f.type));
      if (!f.actor.empty()) w.Add("k.source_code = ? OR k.target_code = ?", Upper(f.actor));
      if (!f.country.empty())
        w.Add("k.source_code = ? OR k.target_code = ? OR k.place = ?", Upper(f.country));
      if (!f.place.empty()) w.Add("k.place LIKE ?", Like(f.place));
      if (!f.from.empty()) w.Add("k.date_begin >= ?", f.from);
      if (!f.to.empty()) w.Add("k.date_begin <= ?", f.to);
      if (!f.text.empty())
        w.Add("k.cid IN (SELECT m.cid FROM event_mentions m JOIN events e ON e.eid = m.eid "
              "WHERE e.article IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?))",
              f.text);
      break;
    }
  }
  std::string sql = select + w.sql + order;
  if (f.limit > 0) sql += " LIMIT " + std::to_string(f.limit);

  sqlite3* db = store.db();
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &q, nullptr) != SQLITE_OK)
    return Status::InvalidArgument(std::string("query: ") + sqlite3_errmsg(db));
  for (size_t i = 0; i < w.params.size(); ++i)
    sqlite3_bind_text(q, static_cast<int>(i + 1), w.params[i].data(),
                      static_cast<int>(w.params[i].size()), SQLITE_TRANSIENT);
  const int n = sqlite3_column_count(q);
  std::vector<std::string> columns;
  for (int i = 0; i < n; ++i) columns.push_back(sqlite3_column_name(q, i));
  std::vector<Cell> row(n);
  Status st;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    for (int i = 0; i < n; ++i) {
      Cell& c = row[i];
      switch (sqlite3_column_type(q, i)) {
        case SQLITE_NULL: c.kind = Cell::kNull; break;
        case SQLITE_INTEGER: c.kind = Cell::kInt; break;
        case SQLITE_FLOAT: c.kind = Cell::kReal; break;
        default: c.kind = Cell::kText; break;
      }
      if (c.kind == Cell::kNull) {
        c.text.clear();
      } else {
        const unsigned char* t = sqlite3_column_text(q, i);
        c.text.assign(reinterpret_cast<const char*>(t), sqlite3_column_bytes(q, i));
      }
    }
    st = on_row(columns, row);
    if (!st.ok()) break;
  }
  if (st.ok() && rc != SQLITE_DONE && rc != SQLITE_ROW)
    st = Status::InvalidArgument(std::string("query: ") + sqlite3_errmsg(db));
  sqlite3_finalize(q);
  return st;
}

namespace {

// A prepared statement with text parameters, finalized on scope exit.
class Stmt {
 public:
  Stmt(sqlite3* db, const std::string& sql, const std::vector<std::string>& params) : db_(db) {
    ok_ = sqlite3_prepare_v2(db, sql.c_str(), -1, &q_, nullptr) == SQLITE_OK;
    for (size_t i = 0; ok_ && i < params.size(); ++i)
      sqlite3_bind_text(q_, static_cast<int>(i + 1), params[i].data(),
                        static_cast<int>(params[i].size()), SQLITE_TRANSIENT);
  }
  ~Stmt() { sqlite3_finalize(q_); }
  // Next row; false at the end or on error (then status() says which).
  bool Step() {
    if (!ok_) return false;
    const int rc = sqlite3_step(q_);
    if (rc == SQLITE_ROW) return true;
    ok_ = rc == SQLITE_DONE;
    return false;
  }
  std::string Text(int i) {
    const unsigned char* t = sqlite3_column_text(q_, i);
    return t ? std::string(reinterpret_cast<const char*>(t), sqlite3_column_bytes(q_, i)) : "";
  }
  int64_t Int(int i) { return sqlite3_column_int64(q_, i); }
  Status status() const {
    return ok_ ? Status::Ok() : Status::IOError(std::string("actor profile: ") + sqlite3_errmsg(db_));
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* q_ = nullptr;
  bool ok_ = false;
};

}  // namespace

Result<ActorProfile> ProfileActor(Store& store, std::string_view name_in, int limit) {
  sqlite3* db = store.db();
  const std::string name(name_in);
  const std::string lim = std::to_string(limit > 0 ? limit : 5);
  const std::string id_expr = "CASE WHEN actor_id LIKE 'doc:%' THEN NULL ELSE actor_id END";
  ActorProfile p;
  std::string me;  // the actors rows of this actor: a condition on table actors
  std::vector<std::string> me_params;
  {
    Stmt q(db,
           "SELECT " + id_expr + " AS id, name, kind, country, sector, count(DISTINCT article) AS n, "
           "max(actor_id = ?1 OR name = ?1 COLLATE NOCASE) AS exact FROM actors "
           "WHERE actor_id = ?1 OR name LIKE ?2 GROUP BY coalesce(id, 'name:' || kind || ':' || name) "
           "ORDER BY exact DESC, n DESC LIMIT " + std::to_string(limit + 1),
           {name, Like(name)});
    bool first = true;
    while (q.Step()) {
      if (first) {
        p.id = q.Text(0);
        p.name = q.Text(1);
        p.kind = q.Text(2);
        p.country = q.Text(3);
        p.sector = q.Text(4);
        first = false;
      } else {
        p.also.emplace_back(q.Text(1), q.Int(5));
      }
    }
    if (!q.status().ok()) return q.status();
    if (first) return Status::NotFound("no actor matches '" + name + "'");
  }
  if (!p.id.empty()) {
    me = "SELECT article, idx FROM actors WHERE actor_id = ?1";
    me_params = {p.id};
  } else {
    me = "SELECT article, idx FROM actors WHERE actor_id LIKE 'doc:%' AND kind = ?1 AND name = ?2";
    me_params = {p.kind, p.name};
  }
  const std::string with = "WITH me AS (" + me + ") ";
  {
    Stmt q(db, with + "SELECT count(DISTINCT me.article), min(substr(a.date, 1, 10)), "
               "max(substr(a.date, 1, 10)), (SELECT count(*) FROM mentions m JOIN me x ON "
               "m.article = x.article AND m.actor = x.idx) FROM me JOIN articles a ON a.aid = me.article",
           me_params);
    if (q.Step()) {
      p.articles = q.Int(0);
      p.first = q.Text(1);
      p.last = q.Text(2);
      p.mentions = q.Int(3);
    }
    if (!q.status().ok()) return q.status();
  }
  for (const char* role : {"source", "target"}) {
    Stmt q(db, with + "SELECT e.type, count(DISTINCT e.eid) AS n FROM event_actors x JOIN events e ON "
               "e.eid = x.event JOIN me ON me.article = e.article AND me.idx = x.actor WHERE x.role = '" +
               role + "' GROUP BY e.type ORDER BY n DESC, e.type",
           me_params);
    auto& out = std::string_view(role) == "source" ? p.as_source : p.as_target;
    while (q.Step()) out.emplace_back(q.Text(0), q.Int(1));
    if (!q.status().ok()) return q.status();
  }
  {
    Stmt q(db, with + "SELECT a.id, substr(a.date, 1, 10) AS d, q.content_text FROM quotes q JOIN me ON "
               "me.article = q.article AND me.idx = q.speaker_actor JOIN articles a ON a.aid = q.article "
               "ORDER BY d DESC, a.id, q.idx LIMIT " + lim,
           me_params);
    while (q.Step()) p.quotes.push_back({q.Text(0), q.Text(1), q.Text(2)});
    if (!q.status().ok()) return q.status();
  }
  {
    Stmt q(db, with + "SELECT c.name, count(DISTINCT c.article) AS n FROM actors c JOIN (SELECT DISTINCT "
               "article FROM me) d ON d.article = c.article WHERE NOT EXISTS (SELECT 1 FROM me WHERE "
               "me.article = c.article AND me.idx = c.idx) GROUP BY coalesce(CASE WHEN c.actor_id LIKE "
               "'doc:%' THEN NULL ELSE c.actor_id END, 'name:' || c.kind || ':' || c.name) "
               "ORDER BY n DESC, c.name LIMIT " + lim,
           me_params);
    while (q.Step()) p.co_actors.emplace_back(q.Text(0), q.Int(1));
    if (!q.status().ok()) return q.status();
  }
  return p;
}

Result<ExportFormat> ExportFormatFromName(std::string_view name) {
  if (name == "plover") return ExportFormat::kPlover;
  if (name == "csv") return ExportFormat::kCsv;
  if (name == "gdelt") return ExportFormat::kGdelt;
  return Status::InvalidArgument("unknown export format '" + std::string(name) +
                                 "' (plover, csv, gdelt)");
}

void AppendCsvField(std::string_view s, std::string* out) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out->append(s);
    return;
  }
  out->push_back('"');
  for (char c : s) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

namespace {

// A GDELT field: tabs and line breaks become spaces.
void Tsv(const std::string& s, std::string* out) {
  for (char c : s) out->push_back(c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
}

// "2025-06-01" -> "20250601"; "2025-06-01T10:00:00Z" -> "20250601100000"
// (with `with_time`).
std::string Digits(const std::string& s, bool with_time) {
  std::string d;
  for (char c : s)
    if (std::isdigit(static_cast<unsigned char>(c))) d.push_back(c);
  if (!with_time) return d.substr(0, 8);
  if (d.size() >= 8) d.resize(14, '0');
  return d;
}

// QuadClass of a CAMEO root code: 01-05 verbal cooperation (1), 06-08
// material cooperation (2), 09-13 verbal conflict (3), 14-20 material
// conflict (4); "" when the root is not a number in 1..20.
std::string QuadClass(const std::string& root) {
  if (root.size() != 2 || !std::isdigit(static_cast<unsigned char>(root[0])) ||
      !std::isdigit(static_cast<unsigned char>(root[1])))
    return "";
  const int r = (root[0] - '0') * 10 + (root[1] - '0');
  if (r >= 1 && r <= 5) return "1";
  if (r >= 6 && r <= 8) return "2";
  if (r >= 9 && r <= 13) return "3";
  if (r >= 14 && r <= 20) return "4";
  return "";
}

Status ExportGdelt(Store& store, const std::function<Status(std::string_view)>& sink) {
  sqlite3* db = store.db();
  Stmt cl(db,
          "SELECT cid, date_begin, source_code, target_code, n_mentions, n_sources, n_articles "
          "FROM event_clusters ORDER BY cid",
          {});
  // The cluster's events, earliest report first: the first non-empty value
  // of each column describes the cluster.
  sqlite3_stmt* m = nullptr;
  if (sqlite3_prepare_v2(
          db,
          "SELECT e.cameo, e.sentence, "
          "(SELECT c.name FROM event_actors x JOIN actors c ON c.article = e.article AND c.idx = "
          "x.actor WHERE x.event = e.eid AND x.role = 'source' AND x.code = e.source_code), "
          "(SELECT c.country FROM event_actors x JOIN actors c ON c.article = e.article AND "
          "c.idx = x.actor WHERE x.event = e.eid AND x.role = 'source' AND x.code = "
          "e.source_code), "
          "(SELECT c.name FROM event_actors x JOIN actors c ON c.article = e.article AND c.idx = "
          "x.actor WHERE x.event = e.eid AND x.role = 'target' AND x.code = e.target_code), "
          "(SELECT c.country FROM event_actors x JOIN actors c ON c.article = e.article AND "
          "c.idx = x.actor WHERE x.event = e.eid AND x.role = 'target' AND x.code = "
          "e.target_code), "
          "coalesce(l.geo_name, l.name), coalesce(l.geo_country, l.country), l.lat, l.lon, "
          "a.ingested_at, a.url "
          "FROM event_mentions em JOIN events e ON e.eid = em.eid "
          "JOIN articles a ON a.aid = e.article "
          "LEFT JOIN actors l ON l.article = e.article AND l.idx = e.location_actor "
          "WHERE em.cid = ?1 ORDER BY a.date, a.ingested_at, e.eid",
          -1, &m, nullptr) != SQLITE_OK)
    return Status::IOError(std::string("export: ") + sqlite3_errmsg(db));
  std::string out =
      "GLOBALEVENTID\tSQLDATE\tActor1Code\tActor1Name\tActor1CountryCode\tActor2Code\t"
      "Actor2Name\tActor2CountryCode\tIsRootEvent\tEventCode\tEventBaseCode\tEventRootCode\t"
      "QuadClass\tGoldsteinScale\tNumMentions\tNumSources\tNumArticles\tAvgTone\t"
      "ActionGeo_FullName\tActionGeo_CountryCode\tActionGeo_Lat\tActionGeo_Long\tDATEADDED\t"
      "SOURCEURL\n";
  Status st;
  while (st.ok() && cl.Step()) {
    // 0 cameo, 1 root (first sentence), 2..5 actor names and countries,
    // 6 place, 7 place country, 8 lat, 9 lon, 10 added, 11 url
    std::string v[12];
    bool root = false;
    sqlite3_bind_int64(m, 1, cl.Int(0));
    while (sqlite3_step(m) == SQLITE_ROW) {
      if (sqlite3_column_int64(m, 1) == 0) root = true;
      auto col = [&](int i) {
        const unsigned char* t = sqlite3_column_text(m, i);
        return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
      };
      for (int i : {0, 2, 3, 4, 5, 10, 11})
        if (v[i].empty()) v[i] = col(i);
      // The place columns come together from the first mention with a place.
      if (v[6].empty() && sqlite3_column_type(m, 6) != SQLITE_NULL)
        for (int i : {6, 7, 8, 9}) v[i] = col(i);
    }
    sqlite3_reset(m);
    const std::string& cameo = v[0];
    const std::string root_code = cameo.size() >= 2 ? cameo.substr(0, 2) : "";
    const std::vector<std::string> cells = {
        cl.Text(0), Digits(cl.Text(1), false), cl.Text(2), v[2], v[3], cl.Text(3), v[4], v[5],
        root ? "1" : "0", cameo, cameo.size() >= 3 ? cameo.substr(0, 3) : cameo, root_code,
        QuadClass(root_code), "", cl.Text(4), cl.Text(5), cl.Text(6), "", v[6], v[7], v[8], v[9],
        Digits(v[10], true), v[11]};
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i) out.push_back('\t');
      Tsv(cells[i], &out);
    }
    out.push_back('\n');
    if (out.size() >= (1 << 16)) {
      st = sink(out);
      out.clear();
    }
  }
  sqlite3_finalize(m);
  if (st.ok()) st = cl.status();
  if (st.ok() && !out.empty()) st = sink(out);
  return st;
}

}  // namespace

Status ExportEvents(Store& store, ExportFormat format,
                    const std::function<Status(std::string_view)>& sink) {
  if (format == ExportFormat::kGdelt) return ExportGdelt(store, sink);
  sqlite3* db = store.db();
  // Columns: 0 article id, 1 idx, 2 date, 3 enddate, 4 type, 5 mode, 6 context, 7 cameo,
  // 8 modality, 9 negated, 10 trigger_text, 11 trigger_start, 12 trigger_end,
  // 13 sentence start, 14 sentence end, 15 sentence text, 16 location_text,
  // 17 place name, 18 place id, 19 place country, 20 lat, 21 lon, 22 precision,
  // 23 reported by, 24 confidence, 25 parent, 26 eid, 27 url, 28 has location,
  // 29 conditional
  Stmt ev(db,
          "SELECT a.id, e.idx, e.date, e.enddate, e.type, e.mode, e.context, e.cameo, e.modality, "
          "e.negated, e.trigger_text, e.trigger_start, e.trigger_end, s.start, s.end, "
          "CAST(substr(CAST(a.text AS BLOB), s.start + 1, s.end - s.start) AS TEXT), "
          "e.location_text, "
          "coalesce(l.geo_name, l.name), l.actor_id, l.country, l.lat, l.lon, l.geo_precision, "
          "q.speaker_text, e.confidence, e.parent, e.eid, a.url, e.location_actor IS NOT NULL, "
          "e.conditional "
          "FROM events e JOIN articles a ON a.aid = e.article "
          "LEFT JOIN sentences s ON s.article = e.article AND s.idx = e.sentence "
          "LEFT JOIN actors l ON l.article = e.article AND l.idx = e.location_actor "
          "LEFT JOIN quotes q ON q.article = e.article AND q.idx = e.quote "
          "ORDER BY e.article, e.idx",
          {});
  sqlite3_stmt* args = nullptr;
  if (sqlite3_prepare_v2(db,
                         "SELECT x.role, x.text, x.code, x.sector, c.actor_id, c.name FROM "
                         "event_actors x JOIN events e ON e.eid = x.event LEFT JOIN actors c ON "
                         "c.article = e.article AND c.idx = x.actor WHERE x.event = ?1 "
                         "ORDER BY x.role, x.idx",  // source before target
                         -1, &args, nullptr) != SQLITE_OK)
    return Status::IOError(std::string("export: ") + sqlite3_errmsg(db));
  struct Arg {
    std::string role, text, code, sector, id, name;
  };
  std::vector<Arg> arg_rows;
  std::string out;
  Status st;
  if (format == ExportFormat::kCsv)
    out = "article,event,date,enddate,type,mode,context,cameo,modality,negated,source,source_code,"
          "target,target_code,trigger,location,location_country,lat,lon,confidence,url\r\n";
  while (st.ok() && ev.Step()) {
    arg_rows.clear();
    sqlite3_bind_int64(args, 1, ev.Int(26));
    while (sqlite3_step(args) == SQLITE_ROW) {
      auto col = [&](int i) {
        const unsigned char* t = sqlite3_column_text(args, i);
        return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
      };
      arg_rows.push_back({col(0), col(1), col(2), col(3), col(4), col(5)});
    }
    sqlite3_reset(args);
    const std::string article = ev.Text(0);
    if (format == ExportFormat::kCsv) {
      std::string src, src_code, tgt, tgt_code;
      for (const Arg& x : arg_rows) {
        std::string& t = x.role == "source" ? src : tgt;
        std::string& c = x.role == "source" ? src_code : tgt_code;
        if (!t.empty()) t += "; ";
        t += x.text;
        if (c.empty()) c = x.code;
      }
      const std::vector<std::string> cells = {
          article, ev.Text(1), ev.Text(2), ev.Text(3), ev.Text(4), ev.Text(5), ev.Text(6),
          ev.Text(7), ev.Text(8), ev.Text(9), src, src_code, tgt, tgt_code, ev.Text(10),
          ev.Text(16), ev.Text(19), ev.Text(20), ev.Text(21), ev.Text(24), ev.Text(27)};
      for (size_t i = 0; i < cells.size(); ++i) {
        if (i) out.push_back(',');
        AppendCsvField(cells[i], &out);
      }
      out += "\r\n";
    } else {
      rapidjson::StringBuffer buf;
      rapidjson::Writer<rapidjson::StringBuffer> w(buf);
      auto str = [&](const char* k, const std::string& v) {
        if (v.empty()) return;
        w.Key(k);
        w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
      };
      auto actors = [&](const char* key, const char* role) {
        w.Key(key);
        w.StartArray();
        for (const Arg& x : arg_rows) {
          if (x.role != role) continue;
          w.StartObject();
          w.Key("actorText");
          w.String(x.text.c_str(), static_cast<rapidjson::SizeType>(x.text.size()));
          str("code", x.code);
          str("sector", x.sector);
          str("actorId", x.id);
          str("actorName", x.name);
          w.EndObject();
        }
        w.EndArray();
      };
      w.StartObject();
      str("id", article + "-" + ev.Text(1));
      w.Key("article_id");
      w.String(article.c_str(), static_cast<rapidjson::SizeType>(article.size()));
      str("date", ev.Text(2));
      str("enddate", ev.Text(3));
      actors("actor", "source");
      actors("recipient", "target");
      str("event_type", ev.Text(4));
      str("mode", ev.Text(5));
      str("context", ev.Text(6));
      str("cameo", ev.Text(7));
      str("modality", ev.Text(8));
      w.Key("negated");
      w.Bool(ev.Int(9) != 0);
      if (ev.Int(29)) {
        w.Key("conditional");
        w.Bool(true);
      }
      w.Key("event_text");
      const std::string trig = ev.Text(10);
      w.String(trig.c_str(), static_cast<rapidjson::SizeType>(trig.size()));
      if (ev.Int(28)) {
        w.Key("event_loc");
        w.StartObject();
        str("placeText", ev.Text(16));
        str("placeName", ev.Text(17));
        str("placeId", ev.Text(18));
        str("country", ev.Text(19));
        if (!ev.Text(20).empty()) {
          w.Key("lat");
          w.RawValue(ev.Text(20).c_str(), ev.Text(20).size(), rapidjson::kNumberType);
          w.Key("lon");
          w.RawValue(ev.Text(21).c_str(), ev.Text(21).size(), rapidjson::kNumberType);
        }
        str("precision", ev.Text(22));
        w.EndObject();
      }
      const std::string sent = ev.Text(15);
      w.Key("text");
      w.String(sent.c_str(), static_cast<rapidjson::SizeType>(sent.size()));
      w.Key("text_offsets");
      w.StartObject();
      w.Key("sentence");
      w.StartArray();
      w.Int64(ev.Int(13));
      w.Int64(ev.Int(14));
      w.EndArray();
      w.Key("trigger");
      w.StartArray();
      w.Int64(ev.Int(11));
      w.Int64(ev.Int(12));
      w.EndArray();
      w.EndObject();
      str("reported_by", ev.Text(23));
      w.Key("confidence");
      const std::string conf = ev.Text(24);
      w.RawValue(conf.c_str(), conf.size(), rapidjson::kNumberType);
      if (!ev.Text(25).empty()) str("parent", article + "-" + ev.Text(25));
      w.EndObject();
      out.append(buf.GetString(), buf.GetSize());
      out.push_back('\n');
    }
    if (out.size() >= (1 << 16)) {
      st = sink(out);
      out.clear();
    }
  }
  sqlite3_finalize(args);
  if (st.ok() && !ev.status().ok()) st = ev.status();
  if (st.ok() && !out.empty()) st = sink(out);
  return st;
}

}  // namespace sitrep
