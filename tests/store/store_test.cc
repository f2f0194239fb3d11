// The corpus database: schema and migrations, one article written with all
// its layers, idempotent and replacing Puts, batches. Articles are our own
// text, analysed by the shipped models.
#include "sitrep/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "sitrep/pipeline.h"
#include "sitrep/query.h"

namespace sitrep {
namespace {

const Pipeline& SharedPipeline() {
  static const Pipeline* p = [] {
    PipelineOptions o;
    o.models_dir = std::string(SITREP_SOURCE_DIR) + "/models";
    auto r = Pipeline::Create(o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r.value()).release() : nullptr;
  }();
  return *p;
}

Document Article(const std::string& id, const std::string& text) {
  Metadata m;
  m.id = id;
  m.date = "2025-03-09";
  m.source = "test";
  Document doc(text, m);
  SharedPipeline().Annotate(&doc);
  return doc;
}

// The outcome of a Put that must succeed.
PutOutcome Put1(Store& s, const Document& doc, const char* version) {
  auto r = s.Put(doc, version);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r.value() : PutOutcome::kUnchanged;
}

const char* kText =
    "Estonian Defense Minister Hanno Pevkur met NATO officials in Tallinn on Friday. "
    "\"We will increase our support for Ukraine,\" Pevkur said. "
    "Russia accused Estonia of provoking tensions.";

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sitrep_store_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "news.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Store> OpenStore() {
    auto s = Store::Open(path_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s.value()) : nullptr;
  }
  int64_t Count(Store& s, const char* table) {
    auto n = s.Count(table);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : -1;
  }
  int64_t Scalar(Store& s, const std::string& sql) {
    sqlite3_stmt* q = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(s.db(), sql.c_str(), -1, &q, nullptr), SQLITE_OK)
        << sqlite3_errmsg(s.db());
    int64_t v = -1;
    if (sqlite3_step(q) == SQLITE_ROW) v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return v;
  }
  // Rows of any layer whose article row is missing.
  int64_t Orphans(Store& s) {
    int64_t n = 0;
    for (const char* t : {"sentences", "entities", "actors", "mentions", "quotes", "events"})
      n += Scalar(s, std::string("SELECT count(*) FROM ") + t +
                         " WHERE article NOT IN (SELECT aid FROM articles)");
    n += Scalar(s, "SELECT count(*) FROM event_actors WHERE event NOT IN (SELECT eid FROM events)");
    return n;
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(StoreTest, CreatesSchemaInWalMode) {
  auto s = OpenStore();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->schema_version(), kSchemaVersion);
  auto v = s->GetMeta("schema_version");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, std::to_string(kSchemaVersion));
  sqlite3_stmt* q = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(s->db(), "PRAGMA journal_mode", -1, &q, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)), "wal");
  sqlite3_finalize(q);
  s.reset();
  auto again = OpenStore();  // reopening migrates nothing
  ASSERT_TRUE(again);
  EXPECT_EQ(again->schema_version(), kSchemaVersion);
}

TEST_F(StoreTest, RefusesNewerSchema) {
  {
    auto s = OpenStore();
    ASSERT_TRUE(s);
    ASSERT_TRUE(s->SetMeta("schema_version", "99").ok());
  }
  auto s = Store::Open(path_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kUnsupported);
}

TEST_F(StoreTest, RefusesNonDatabase) {
  {
    FILE* f = std::fopen(path_.c_str(), "wb");
    std::fputs("this is not a database, just text we wrote, long enough for a header........", f);
    std::fclose(f);
  }
  EXPECT_FALSE(Store::Open(path_).ok());
}

TEST_F(StoreTest, PutWritesEveryLayer) {
  auto s = OpenStore();
  ASSERT_TRUE(s);
  const Document doc = Article("a1", kText);
  ASSERT_FALSE(doc.quotes().empty());
  ASSERT_FALSE(doc.events().empty());
  auto r = s->Put(doc, "v1");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, PutOutcome::kAdded);
  EXPECT_EQ(Count(*s, "articles"), 1);
  EXPECT_EQ(Count(*s, "sentences"), static_cast<int64_t>(doc.sentences().size()));
  EXPECT_EQ(Count(*s, "entities"), static_cast<int64_t>(doc.entities().size()));
  EXPECT_EQ(Count(*s, "actors"), static_cast<int64_t>(doc.actors().size()));
  EXPECT_EQ(Count(*s, "mentions"), static_cast<int64_t>(doc.mentions().size()));
  EXPECT_EQ(Count(*s, "quotes"), static_cast<int64_t>(doc.quotes().size()));
  EXPECT_EQ(Count(*s, "events"), static_cast<int64_t>(doc.events().size()));
  EXPECT_EQ(Count(*s, "event_actors"), static_cast<int64_t>(doc.event_args().size()));
  EXPECT_GT(Count(*s, "places"), 0);  // Tallinn, Estonia
  // Offsets map back into the stored text.
  EXPECT_EQ(Scalar(*s,
                   "SELECT count(*) FROM mentions m JOIN articles a ON a.aid = m.article "
                   "WHERE CAST(substr(CAST(a.text AS BLOB), m.start + 1, m.end - m.start) AS TEXT) "
                   "!= m.text"),
            0);
  EXPECT_EQ(Scalar(*s, "SELECT count(*) FROM quotes WHERE speaker_name = 'Hanno Pevkur'"), 1);
  // Full-text search over articles and quotations.
  EXPECT_EQ(Scalar(*s, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'tallinn'"), 1);
  EXPECT_EQ(Scalar(*s, "SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'support'"), 1);
  auto l = s->Lookup("a1");
  ASSERT_TRUE(l.ok());
  ASSERT_TRUE(l->has_value());
  EXPECT_EQ((*l)->content_hash, Store::ContentHash(doc));
  EXPECT_EQ((*l)->analysis_version, "v1");
}

TEST_F(StoreTest, SameArticleTwiceAddsNothing) {
  auto s = OpenStore();
  ASSERT_TRUE(s);
  const Document doc = Article("a1", kText);
  ASSERT_EQ(Put1(*s, doc, "v1"), PutOutcome::kAdded);
  const int64_t mentions = Count(*s, "mentions");
  auto r = s->Put(doc, "v1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, PutOutcome::kUnchanged);
  EXPECT_EQ(Count(*s, "articles"), 1);
  EXPECT_EQ(Count(*s, "mentions"), mentions);
}

TEST_F(StoreTest, ChangedArticleReplacesItsRecords) {
  auto s = OpenStore();
  ASSERT_TRUE(s);
  ASSERT_EQ(Put1(*s, Article("a1", kText), "v1"), PutOutcome::kAdded);
  ASSERT_EQ(Put1(*s, Article("a2", "Finland and Sweden signed a defense agreement in Helsinki."),
                    "v1"),
            PutOutcome::kAdded);
  const Document changed =
      Article("a1", "Poland condemned the attack on a rail line near Warsaw, officials said.");
  auto r = s->Put(changed, "v1");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, PutOutcome::kReplaced);
  EXPECT_EQ(Count(*s, "articles"), 2);
  EXPECT_EQ(Orphans(*s), 0);
  EXPECT_EQ(Scalar(*s, "SELECT count(*) FROM quotes WHERE speaker_name = 'Hanno Pevkur'"), 0);
  EXPECT_EQ(Scalar(*s, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'tallinn'"), 0);
  EXPECT_EQ(Scalar(*s, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'warsaw'"), 1);
  EXPECT_EQ(Scalar(*s, "SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'support'"), 0);
  EXPECT_EQ(Scalar(*s,
                   "SELECT count(*) FROM mentions m JOIN articles a ON a.aid = m.article "
                   "WHERE a.id = 'a1' AND m.text = 'Pevkur'"),
            0);
  // A new analysis version replaces too (sitrep reprocess, model upgrades).
  r = s->Put(changed, "v2");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, PutOutcome::kReplaced);
  EXPECT_EQ(Count(*s, "articles"), 2);
}

TEST_F(StoreTest, ArticleWithoutIdIsKeyedByHash) {
  auto s = OpenStore();
  ASSERT_TRUE(s);
  const Document doc = Article("", kText);
  ASSERT_EQ(Put1(*s, doc, "v1"), PutOutcome::kAdded);
  ASSERT_EQ(Put1(*s, doc, "v1"), PutOutcome::kUnchanged);
  auto l = s->Lookup("hash:" + Store::ContentHash(doc));
  ASSERT_TRUE(l.ok());
  EXPECT_TRUE(l->has_value());
}

TEST_F(StoreTest, BatchCommitsOrRollsBackWhole) {
  auto s = OpenStore();
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->Begin().ok());
  ASSERT_EQ(Put1(*s, Article("b1", kText), "v1"), PutOutcome::kAdded);
  ASSERT_EQ(Put1(*s, Article("b2", "Finland and Sweden signed a defense agreement."), "v1"),
            PutOutcome::kAdded);
  ASSERT_TRUE(s->Rollback().ok());
  EXPECT_EQ(Count(*s, "articles"), 0);
  EXPECT_EQ(Count(*s, "sentences"), 0);
  ASSERT_TRUE(s->Begin().ok());
  ASSERT_EQ(Put1(*s, Article("b1", kText), "v1"), PutOutcome::kAdded);
  // Within the batch the writer sees its own uncommitted article.
  ASSERT_EQ(Put1(*s, Article("b1", kText), "v1"), PutOutcome::kUnchanged);
  ASSERT_TRUE(s->Commit().ok());
  // Another connection sees the committed batch.
  auto other = OpenStore();
  ASSERT_TRUE(other);
  EXPECT_EQ(Count(*other, "articles"), 1);
  EXPECT_FALSE(s->Commit().ok());  // no batch open
}

TEST_F(StoreTest, CountRejectsUnknownTable) {
  auto s = OpenStore();
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->Count("articles; DROP TABLE articles").ok());
}

// Rows of a query as "column=value" strings of one column.
std::vector<std::string> Column(Store& s, QueryKind kind, const QueryFilter& f, const char* col) {
  std::vector<std::string> out;
  Status st = RunQuery(s, kind, f, [&](const std::vector<std::string>& cols,
                                        const std::vector<Cell>& row) {
    for (size_t i = 0; i < cols.size(); ++i)
      if (cols[i] == col) out.push_back(row[i].text);
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return out;
}

TEST_F(StoreTest, QueriesFilterEventsQuotesArticles) {
  auto s = OpenStore();
  ASSERT_TRUE(s);
  ASSERT_EQ(Put1(*s, Article("a1", kText), "v1"), PutOutcome::kAdded);
  ASSERT_EQ(Put1(*s, Article("a2", "Finland and Sweden signed a defense agreement in Helsinki."),
                 "v1"),
            PutOutcome::kAdded);
  QueryFilter f;
  f.type = "accuse";
  EXPECT_EQ(Column(*s, QueryKind::kEvents, f, "source_code"), std::vector<std::string>{"RUS"});
  f = {};
  f.country = "est";
  f.type = "ACCUSE";
  EXPECT_EQ(Column(*s, QueryKind::kEvents, f, "article"), std::vector<std::string>{"a1"});
  f = {};
  f.speaker = "pevkur";
  EXPECT_EQ(Column(*s, QueryKind::kQuotes, f, "speaker"), std::vector<std::string>{"Hanno Pevkur"});
  f = {};
  f.text = "helsinki";
  EXPECT_EQ(Column(*s, QueryKind::kArticles, f, "id"), std::vector<std::string>{"a2"});
  f.from = "2025-03-10";
  EXPECT_TRUE(Column(*s, QueryKind::kArticles, f, "id").empty());
  f = {};
  f.country = "FIN";
  EXPECT_EQ(Column(*s, QueryKind::kActors, f, "name"),
            (std::vector<std::string>{"Finland", "Helsinki"}));
  f.type = "country";
  EXPECT_EQ(Column(*s, QueryKind::kActors, f, "name"), std::vector<std::string>{"Finland"});
  f = {};
  f.from = "2025-3-1";
  EXPECT_FALSE(RunQuery(*s, QueryKind::kEvents, f, [](auto&, auto&) { return Status::Ok(); }).ok());
  f = {};
  f.text = "\"unterminated";
  EXPECT_FALSE(RunQuery(*s, QueryKind::kEvents, f, [](auto&, auto&) { return Status::Ok(); }).ok());
  EXPECT_FALSE(QueryKindFromName("cities").ok());
}

TEST_F(StoreTest, ActorProfile) {
  auto s = OpenStore();
  ASSERT_TRUE(s);
  ASSERT_EQ(Put1(*s, Article("a1", kText), "v1"), PutOutcome::kAdded);
  ASSERT_EQ(Put1(*s, Article("a2", "Hanno Pevkur visited Riga on Monday. \"Our borders are safe,\" "
                                   "Pevkur told reporters."),
                 "v1"),
            PutOutcome::kAdded);
  auto p = ProfileActor(*s, "pevkur");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->name, "Hanno Pevkur");
  EXPECT_EQ(p->id, "hanno_pevkur");
  EXPECT_EQ(p->articles, 2);
  EXPECT_GE(p->mentions, 4);
  EXPECT_EQ(p->quotes.size(), 2u);
  EXPECT_EQ(p->quotes[0].article, "a1");  // same day: by article id
  auto r = ProfileActor(*s, "RUS");
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->as_source.empty());
  EXPECT_EQ(r->as_source[0].first, "ACCUSE");
  EXPECT_EQ(ProfileActor(*s, "nobody at all").status().code(), Status::Code::kNotFound);
}

TEST(FingerprintTest, ChangesWithContent) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("sitrep_fp_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string f = (dir / "m.bin").string();
  auto write = [&](const char* s) {
    FILE* out = std::fopen(f.c_str(), "wb");
    std::fputs(s, out);
    std::fclose(out);
  };
  write("model one");
  auto a = FingerprintFiles({f});
  write("model two");
  auto b = FingerprintFiles({f});
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_EQ(a->size(), 16u);
  EXPECT_FALSE(FingerprintFiles({(dir / "missing.bin").string()}).ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sitrep

namespace sitrep {
namespace {

// An analysed article of ours with its date and source.
Document Dated(const std::string& id, const std::string& date, const std::string& source,
               const std::string& text) {
  Metadata m;
  m.id = id;
  m.date = date;
  m.source = source;
  m.url = "https://example.org/" + id;
  Document doc(text, m);
  SharedPipeline().Annotate(&doc);
  return doc;
}

// A file of schema version 1 (the v2 tables dropped) is migrated
// to version 2 on opening.
TEST_F(StoreTest, MigratesVersion1) {
  {
    auto s = OpenStore();
    ASSERT_TRUE(s);
    ASSERT_EQ(sqlite3_exec(s->db(),
                           "DROP TABLE event_mentions; DROP TABLE event_clusters; "
                           "UPDATE meta SET value = '1' WHERE key = 'schema_version'",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
  }
  auto s = OpenStore();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->schema_version(), 2);
  EXPECT_EQ(Count(*s, "event_clusters"), 0);
  EXPECT_EQ(Scalar(*s, "SELECT count(*) FROM sqlite_master WHERE name = 'event_mentions_eid'"), 1);
}

// Three articles report the Tajik-Kyrgyz border clash of 2025-06-01 in
// their own words (the engine codes each ASSAULT, TJK -> KGZ), one reports
// an unrelated accusation, and one the same kind of clash twelve days later.
class ClusterTest : public StoreTest {
 protected:
  void Fill(Store& s) {
    const Document docs[] = {
        Dated("c1", "2025-06-01", "reuters", "Tajik troops attacked Kyrgyz border posts on Sunday."),
        Dated("c2", "2025-06-02", "tass", "Kyrgyzstan said Tajik forces attacked its border posts."),
        Dated("c3", "2025-06-03", "akipress",
              "Tajik soldiers attacked Kyrgyz border guards in Batken."),
        Dated("c4", "2025-06-02", "reuters", "Estonia accused Russia of violating its airspace."),
        Dated("c5", "2025-06-13", "reuters", "Tajik troops attacked Kyrgyz border posts again."),
    };
    for (const Document& d : docs) Put1(s, d, "v1");
  }
  // "type source target n_mentions n_articles n_sources" of the cluster of
  // article `id`'s event.
  std::string ClusterOf(Store& s, const std::string& id) {
    sqlite3_stmt* q = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(
                  s.db(),
                  "SELECT c.type || ' ' || c.source_code || ' ' || coalesce(c.target_code, '-') "
                  "|| ' ' || c.n_mentions || ' ' || c.n_articles || ' ' || c.n_sources FROM "
                  "event_clusters c JOIN event_mentions m ON m.cid = c.cid JOIN events e ON "
                  "e.eid = m.eid JOIN articles a ON a.aid = e.article WHERE a.id = ?1",
                  -1, &q, nullptr),
              SQLITE_OK);
    sqlite3_bind_text(q, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    std::string v;
    if (sqlite3_step(q) == SQLITE_ROW) v = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    return v;
  }
};

TEST_F(ClusterTest, ReportsOfOneEventFormOneCluster) {
  auto s = OpenStore();
  ASSERT_TRUE(s);
  Fill(*s);
  auto stats = s->ClusterEvents();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->candidates, 5);
  EXPECT_EQ(stats->clusters, 3);
  EXPECT_EQ(ClusterOf(*s, "c1"), "ASSAULT TJK KGZ 3 3 3");
  const int64_t clash = Scalar(*s,
                               "SELECT m.cid FROM event_mentions m JOIN events e ON e.eid = m.eid "
                               "JOIN articles a ON a.aid = e.article WHERE a.id = 'c1'");
  for (const char* id : {"c2", "c3"})
    EXPECT_EQ(Scalar(*s, std::string("SELECT m.cid FROM event_mentions m JOIN events e ON e.eid = "
                                     "m.eid JOIN articles a ON a.aid = e.article WHERE a.id = '") +
                             id + "'"),
              clash)
        << id;
  EXPECT_EQ(Scalar(*s, "SELECT count(*) FROM event_clusters WHERE date_begin = '2025-06-01' AND "
                       "date_end = '2025-06-03' AND first_seen = '2025-06-01'"),
            1);
  // 1 - prod(1 - c) over three articles exceeds each article's confidence.
  EXPECT_EQ(Scalar(*s, "SELECT count(*) FROM event_clusters c WHERE c.n_articles = 3 AND "
                       "c.confidence > (SELECT max(confidence) FROM events)"),
            1);
  EXPECT_EQ(ClusterOf(*s, "c4"), "ACCUSE EST RUS 1 1 1");
  // Twelve days after the first report: a cluster of its own.
  EXPECT_EQ(ClusterOf(*s, "c5"), "ASSAULT TJK KGZ 1 1 1");

  // A wider window takes it in; clustering again replaces the clusters.
  ClusterOptions wide;
  wide.window_days = 14;
  stats = s->ClusterEvents(wide);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->clusters, 2);
  EXPECT_EQ(ClusterOf(*s, "c5"), "ASSAULT TJK KGZ 4 4 3");
  EXPECT_EQ(Count(*s, "event_mentions"), 5);

  // sitrep query clusters: by type and country, first day in range.
  QueryFilter f;
  f.type = "assault";
  f.country = "kgz";
  f.from = "2025-06-01";
  f.to = "2025-06-05";
  std::vector<std::string> rows;
  ASSERT_TRUE(RunQuery(*s, QueryKind::kClusters, f,
                       [&](const std::vector<std::string>& cols, const std::vector<Cell>& row) {
                         EXPECT_EQ(cols[7], "n_mentions");
                         rows.push_back(row[3].text + " " + row[7].text);
                         return Status::Ok();
                       })
                  .ok());
  EXPECT_EQ(rows, std::vector<std::string>{"ASSAULT 4"});

  ClusterOptions bad;
  bad.window_days = -1;
  EXPECT_EQ(s->ClusterEvents(bad).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(Count(*s, "event_clusters"), 2);  // untouched
}

TEST_F(ClusterTest, GdeltExportHasOneRowPerCluster) {
  auto s = OpenStore();
  ASSERT_TRUE(s);
  Fill(*s);
  ASSERT_TRUE(s->ClusterEvents().ok());
  std::string out;
  ASSERT_TRUE(ExportEvents(*s, ExportFormat::kGdelt, [&](std::string_view p) {
                out.append(p);
                return Status::Ok();
              }).ok());
  std::vector<std::string> lines;
  for (size_t b = 0, e; (e = out.find('\n', b)) != std::string::npos; b = e + 1)
    lines.push_back(out.substr(b, e - b));
  ASSERT_EQ(lines.size(), 4u);  // header and three clusters
  EXPECT_EQ(lines[0],
            "GLOBALEVENTID\tSQLDATE\tActor1Code\tActor1Name\tActor1CountryCode\tActor2Code\t"
            "Actor2Name\tActor2CountryCode\tIsRootEvent\tEventCode\tEventBaseCode\tEventRootCode\t"
            "QuadClass\tGoldsteinScale\tNumMentions\tNumSources\tNumArticles\tAvgTone\t"
            "ActionGeo_FullName\tActionGeo_CountryCode\tActionGeo_Lat\tActionGeo_Long\tDATEADDED\t"
            "SOURCEURL");
  // Clusters in sweep order: ACCUSE first, then the clash, then the later clash.
  std::vector<std::string> f;
  for (size_t b = 0, e;; b = e + 1) {
    e = lines[2].find('\t', b);
    f.push_back(lines[2].substr(b, e == std::string::npos ? std::string::npos : e - b));
    if (e == std::string::npos) break;
  }
  ASSERT_EQ(f.size(), 24u) << lines[2];
  EXPECT_EQ(f[0], "2");
  EXPECT_EQ(f[1], "20250601");
  EXPECT_EQ(f[2], "TJK");
  EXPECT_EQ(f[5], "KGZ");
  EXPECT_EQ(f[8], "1");
  EXPECT_EQ(f[9], "190");
  EXPECT_EQ(f[10], "190");
  EXPECT_EQ(f[11], "19");
  EXPECT_EQ(f[12], "4");
  EXPECT_EQ(f[13], "");
  EXPECT_EQ(f[14], "3");
  EXPECT_EQ(f[15], "3");
  EXPECT_EQ(f[16], "3");
  EXPECT_EQ(f[17], "");
  EXPECT_EQ(f[22].size(), 14u);
  EXPECT_EQ(f[23], "https://example.org/c1");
}

}  // namespace
}  // namespace sitrep
