// Store::ClusterEvents: events across articles (contract in store.h).
#include <sqlite3.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "sitrep/store.h"
#include "sitrep/time_resolve.h"

namespace sitrep {
namespace {

Status ClusterSqlError(sqlite3* db, std::string_view what) {
  return Status::IOError("clustering events: " + std::string(what) + ": " + sqlite3_errmsg(db));
}

std::string Col(sqlite3_stmt* q, int i) {
  const unsigned char* t = sqlite3_column_text(q, i);
  return t ? std::string(reinterpret_cast<const char*>(t), sqlite3_column_bytes(q, i)) : "";
}

struct Candidate {
  int64_t eid, article;
  int32_t day, end_day;
  std::string date, end_date, place, source, article_date;
  std::string place_country;  // the place's country code, if known
  bool place_is_country = false;
  double confidence;
};

// A cluster's place: that of its most specific member so far.
struct Place {
  std::string id, country;
  bool is_country = false;
};

// Places are compatible when equal, either is missing, or one is a country
// and the other lies in it.
bool Compatible(const Place& p, const Candidate& c) {
  if (p.id.empty() || c.place.empty() || p.id == c.place) return true;
  if (p.is_country && c.place_country == p.id) return true;
  if (c.place_is_country && p.country == c.place) return true;
  return false;
}

}  // namespace

Result<ClusterStats> Store::ClusterEvents(const ClusterOptions& options) {
  if (options.window_days < 0)
    return Status::InvalidArgument("clustering events: window_days must not be negative");
  if (!insert_article_)
    return Status::InvalidArgument("Store::ClusterEvents: the store is read-only");
  if (in_batch_) return Status::InvalidArgument("Store::ClusterEvents: inside a batch");
  Status st = Exec("BEGIN IMMEDIATE");
  if (!st.ok()) return st;
  auto fail = [&](Status e) -> Status {
    Exec("ROLLBACK");
    return e;
  };
  const std::string modality =
      options.include_planned ? "e.modality IN ('asserted', 'planned')" : "e.modality = 'asserted'";
  const std::string sql =
      "SELECT e.eid, e.article, e.type, e.source_code, coalesce(e.target_code, ''), e.date, "
      "coalesce(e.enddate, e.date), "
      // doc:N ids are per article: such places compare by text.
      "CASE WHEN l.actor_id IS NULL OR l.actor_id LIKE 'doc:%' "
      "THEN coalesce(lower(e.location_text), '') ELSE l.actor_id END, "
      "e.confidence, coalesce(a.source, ''), coalesce(substr(a.date, 1, 10), ''), "
      "coalesce(l.country, ''), coalesce(l.kind = 'country', 0) "
      "FROM events e JOIN articles a ON a.aid = e.article "
      "LEFT JOIN actors l ON l.article = e.article AND l.idx = e.location_actor "
      "WHERE e.negated = 0 AND e.conditional = 0 AND " + modality +
      " AND e.source_code IS NOT NULL AND e.date IS NOT NULL "
      "ORDER BY e.type, e.source_code, coalesce(e.target_code, ''), e.date, e.eid";
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &q, nullptr) != SQLITE_OK)
    return fail(ClusterSqlError(db_, "selecting events"));
  // Candidates in sweep order; clusters refer to them by index.
  std::vector<Candidate> cands;
  std::vector<std::string> types, sources, targets;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    Candidate c;
    c.eid = sqlite3_column_int64(q, 0);
    c.article = sqlite3_column_int64(q, 1);
    c.date = Col(q, 5);
    c.end_date = Col(q, 6);
    if (!ParseArticleDay(c.date, &c.day)) continue;  // not a day: cannot be windowed
    if (!ParseArticleDay(c.end_date, &c.end_day) || c.end_day < c.day) {
      c.end_day = c.day;
      c.end_date = c.date;
    }
    c.place = Col(q, 7);
    c.confidence = sqlite3_column_double(q, 8);
    c.source = Col(q, 9);
    c.article_date = Col(q, 10);
    c.place_country = Col(q, 11);
    c.place_is_country = sqlite3_column_int(q, 12) != 0 && !c.place.empty();
    types.push_back(Col(q, 2));
    sources.push_back(Col(q, 3));
    targets.push_back(Col(q, 4));
    cands.push_back(std::move(c));
  }
  sqlite3_finalize(q);
  if (rc != SQLITE_DONE) return fail(ClusterSqlError(db_, "selecting events"));

  // The sweep: clusters of the current (type, source, target) group that are
  // still open (their first day within the window of the current day).
  std::vector<std::vector<size_t>> members;  // per cluster: candidate indices
  std::vector<size_t> head;                  // per cluster: its first candidate
  std::vector<Place> cplace;                 // per cluster: its place
  std::vector<size_t> open;
  for (size_t i = 0; i < cands.size(); ++i) {
    const bool same_group = i > 0 && types[i] == types[i - 1] && sources[i] == sources[i - 1] &&
                            targets[i] == targets[i - 1];
    if (!same_group) open.clear();
    // Close clusters whose first day is out of the window (days ascend).
    size_t w = 0;
    for (size_t k : open)
      if (cands[i].day - cands[head[k]].day <= options.window_days) open[w++] = k;
    open.resize(w);
    size_t joined = SIZE_MAX;
    for (size_t k : open) {
      if (Compatible(cplace[k], cands[i])) {
        joined = k;
        break;
      }
    }
    if (joined == SIZE_MAX) {
      joined = members.size();
      members.emplace_back();
      head.push_back(i);
      cplace.push_back(Place());
      open.push_back(joined);
    }
    members[joined].push_back(i);
    // The cluster's place becomes the more specific one.
    Place& p = cplace[joined];
    if (!cands[i].place.empty() && (p.id.empty() || (p.is_country && !cands[i].place_is_country)))
      p = Place{cands[i].place, cands[i].place_country, cands[i].place_is_country};
  }

  // Write them.
  st = Exec("DELETE FROM event_mentions; DELETE FROM event_clusters");
  if (!st.ok()) return fail(st);
  sqlite3_stmt *ic = nullptr, *im = nullptr;
  if (sqlite3_prepare_v2(db_,
                         "INSERT INTO event_clusters(cid, type, source_code, target_code, place, "
                         "date_begin, date_end, n_mentions, n_articles, n_sources, confidence, "
                         "first_seen) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
                         -1, &ic, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(db_, "INSERT INTO event_mentions(cid, eid) VALUES (?1, ?2)", -1, &im,
                         nullptr) != SQLITE_OK) {
    sqlite3_finalize(ic);
    return fail(ClusterSqlError(db_, "preparing inserts"));
  }
  auto text = [](sqlite3_stmt* s, int i, const std::string& v) {
    if (v.empty())
      sqlite3_bind_null(s, i);
    else
      sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  };
  Status werr;
  for (size_t k = 0; k < members.size() && werr.ok(); ++k) {
    const int64_t cid = static_cast<int64_t>(k) + 1;
    const size_t h = head[k];
    int32_t end_day = cands[h].end_day;
    std::string end_date = cands[h].end_date, first_seen;
    std::set<int64_t> articles;
    std::set<std::string> srcs;
    std::vector<std::pair<int64_t, double>> best;  // per article, highest confidence
    for (size_t i : members[k]) {
      const Candidate& c = cands[i];
      if (c.end_day > end_day) {
        end_day = c.end_day;
        end_date = c.end_date;
      }
      if (!c.article_date.empty() && (first_seen.empty() || c.article_date < first_seen))
        first_seen = c.article_date;
      if (!c.source.empty()) srcs.insert(c.source);
      if (articles.insert(c.article).second) {
        best.emplace_back(c.article, c.confidence);
      } else {
        for (auto& [a, conf] : best)
          if (a == c.article && c.confidence > conf) conf = c.confidence;
      }
    }
    double none = 1.0;
    for (const auto& b : best) none *= 1.0 - b.second;
    sqlite3_bind_int64(ic, 1, cid);
    text(ic, 2, types[h]);
    text(ic, 3, sources[h]);
    text(ic, 4, targets[h]);
    text(ic, 5, cplace[k].id);
    text(ic, 6, cands[h].date);
    text(ic, 7, end_date);
    sqlite3_bind_int64(ic, 8, static_cast<int64_t>(members[k].size()));
    sqlite3_bind_int64(ic, 9, static_cast<int64_t>(articles.size()));
    sqlite3_bind_int64(ic, 10, static_cast<int64_t>(srcs.size()));
    sqlite3_bind_double(ic, 11, static_cast<double>(static_cast<int64_t>((1.0 - none) * 100 + 0.5)) / 100);
    text(ic, 12, first_seen);
    if (sqlite3_step(ic) != SQLITE_DONE) werr = ClusterSqlError(db_, "inserting a cluster");
    sqlite3_reset(ic);
    for (size_t i : members[k]) {
      if (!werr.ok()) break;
      sqlite3_bind_int64(im, 1, cid);
      sqlite3_bind_int64(im, 2, cands[i].eid);
      if (sqlite3_step(im) != SQLITE_DONE) werr = ClusterSqlError(db_, "inserting a mention");
      sqlite3_reset(im);
    }
  }
  sqlite3_finalize(ic);
  sqlite3_finalize(im);
  if (!werr.ok()) return fail(werr);
  st = Exec("COMMIT");
  if (!st.ok()) return fail(st);
  ClusterStats stats;
  stats.candidates = static_cast<int64_t>(cands.size());
  stats.clusters = static_cast<int64_t>(members.size());
  return stats;
}

}  // namespace sitrep
