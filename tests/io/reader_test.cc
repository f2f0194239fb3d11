#include "sitrep/reader.h"

#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace sitrep {
namespace {

struct Record {
  Status status;
  Document doc;
};

std::vector<Record> ReadAll(Reader* r) {
  std::vector<Record> out;
  Record rec;
  while (r->Next(&rec.doc, &rec.status)) out.push_back(rec);
  return out;
}

TEST(TextReader, DatedArticlesWithLeadingSpaceAndSeparators) {
  auto r = TextReaderFromString(
      " date 2025-03-09 Russia has focused on Kursk.\n\nSecond paragraph.\n\n--\n"
      "date 2025-03-10\nBody on the next line.\n--\n\nNo date here.\n",
      "news.txt");
  auto recs = ReadAll(r.get());
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_TRUE(recs[0].status.ok());
  EXPECT_EQ(recs[0].doc.meta().id, "news");
  EXPECT_EQ(recs[0].doc.meta().date, "2025-03-09");
  EXPECT_EQ(recs[0].doc.text(), "Russia has focused on Kursk.\n\nSecond paragraph.");
  EXPECT_EQ(recs[0].doc.origin().line, 1u);
  EXPECT_EQ(recs[1].doc.meta().id, "news#2");
  EXPECT_EQ(recs[1].doc.meta().date, "2025-03-10");
  EXPECT_EQ(recs[1].doc.text(), "Body on the next line.");
  EXPECT_EQ(recs[2].doc.meta().date, "");
  EXPECT_EQ(recs[2].doc.text(), "No date here.");
  EXPECT_EQ(recs[2].doc.origin().line, 10u);
}

TEST(TextReader, NotADateLine) {
  auto r = TextReaderFromString("date 2025-13-40 is not a date\n", "x.txt");
  auto recs = ReadAll(r.get());
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].doc.meta().date, "");
  EXPECT_EQ(recs[0].doc.text(), "date 2025-13-40 is not a date");
}

TEST(TextReader, BadRecordsAreReportedAndSkipped) {
  const char kNul[] = "date 2025-01-01 bad \0 byte\n--\n";
  std::string nul(kNul, sizeof(kNul) - 1);
  auto r = TextReaderFromString(
      nul + "date 2025-01-02\n--\ndate 2025-01-03 fine \xFF text\n--\n", "bad.txt");
  auto recs = ReadAll(r.get());
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_FALSE(recs[0].status.ok());
  EXPECT_NE(recs[0].status.message().find("NUL"), std::string::npos);
  EXPECT_FALSE(recs[1].status.ok());  // date line only: empty article
  EXPECT_NE(recs[1].status.message().find("empty"), std::string::npos);
  EXPECT_TRUE(recs[2].status.ok());
  EXPECT_EQ(recs[2].doc.text(), "fine \xEF\xBF\xBD text");
  ASSERT_EQ(recs[2].doc.diagnostics().size(), 1u);
  EXPECT_EQ(recs[2].doc.diagnostics()[0].offset, 5u);
}

TEST(TextReader, OversizedArticleIsRejectedAndReadingContinues) {
  ReaderOptions o;
  o.max_article_bytes = 100;
  std::string big(500, 'a');
  auto r = TextReaderFromString("date 2025-01-01 " + big + "\n--\nsmall one\n", "big.txt", o);
  auto recs = ReadAll(r.get());
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].status.code(), Status::Code::kResourceExhausted);
  EXPECT_TRUE(recs[1].status.ok());
  EXPECT_EQ(recs[1].doc.text(), "small one");
}

TEST(JsonlReader, FieldsAndExtras) {
  auto r = JsonlReaderFromString(
      "{\"id\":\"a1\",\"date\":\"2025-03-09\",\"source\":\"ERR\",\"title\":\"T\",\"url\":\"u\","
      "\"text\":\"Hello.\\n\\nWorld.\",\"tags\":[\"x\",1],\"n\":5}\n\n"
      "{broken json\n"
      "{\"id\":\"a3\"}\n"
      "{\"text\":\"no id\"}\n",
      "in.jsonl");
  auto recs = ReadAll(r.get());
  ASSERT_EQ(recs.size(), 4u);
  ASSERT_TRUE(recs[0].status.ok()) << recs[0].status.ToString();
  const Metadata& m = recs[0].doc.meta();
  EXPECT_EQ(m.id, "a1");
  EXPECT_EQ(m.source, "ERR");
  EXPECT_EQ(recs[0].doc.text(), "Hello.\n\nWorld.");
  ASSERT_EQ(m.extra.size(), 2u);
  EXPECT_EQ(m.extra[0].first, "tags");
  EXPECT_EQ(m.extra[0].second, "[\"x\",1]");
  EXPECT_EQ(m.extra[1].second, "5");
  EXPECT_FALSE(recs[1].status.ok());
  EXPECT_EQ(recs[1].doc.origin().line, 3u);
  EXPECT_NE(recs[1].status.message().find("broken JSON"), std::string::npos);
  EXPECT_FALSE(recs[2].status.ok());
  EXPECT_NE(recs[2].status.message().find("text"), std::string::npos);
  EXPECT_TRUE(recs[3].status.ok());
  EXPECT_EQ(recs[3].doc.meta().id, "in:5");
}

TEST(JsonlReader, OversizedLineIsRejectedWithoutStoppingTheStream) {
  ReaderOptions o;
  o.max_article_bytes = 100;
  std::string big = "{\"id\":\"big\",\"text\":\"" + std::string(5000, 'a') + "\"}\n";
  auto r = JsonlReaderFromString(big + "{\"id\":\"ok\",\"text\":\"fine\"}\n", "x.jsonl", o);
  auto recs = ReadAll(r.get());
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].status.code(), Status::Code::kResourceExhausted);
  EXPECT_EQ(recs[0].doc.origin().line, 1u);
  EXPECT_TRUE(recs[1].status.ok());
  EXPECT_EQ(recs[1].doc.text(), "fine");
}

TEST(JsonlReader, InvalidUtf8IsRepaired) {
  auto r = JsonlReaderFromString("{\"id\":\"b\",\"text\":\"caf\xE9 talk\"}\n", "x.jsonl");
  auto recs = ReadAll(r.get());
  ASSERT_EQ(recs.size(), 1u);
  ASSERT_TRUE(recs[0].status.ok()) << recs[0].status.ToString();
  EXPECT_EQ(recs[0].doc.text(), "caf\xEF\xBF\xBD talk");
  EXPECT_EQ(recs[0].doc.diagnostics().size(), 1u);
}

class FileReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sitrep_reader_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_ / "sub");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& name, const std::string& data) {
    std::ofstream(dir_ / name, std::ios::binary) << data;
  }
  std::filesystem::path dir_;
};

std::string Gzip(const std::string& in) {
  uLongf cap = compressBound(in.size()) + 64;
  std::string out(cap, '\0');
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string Zstd(const std::string& in) {
  std::string out(ZSTD_compressBound(in.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3));
  return out;
}

TEST_F(FileReaderTest, DirectoriesAndCompression) {
  Write("a.txt", "date 2025-01-01 First.\n");
  Write("b.jsonl.gz", Gzip("{\"id\":\"g\",\"text\":\"Gz.\"}\n"));
  Write("sub/c.txt.zst", Zstd("Zst body.\n--\nSecond zst.\n"));
  Write("notes.md", "ignored");
  Write(".hidden.txt", "ignored");
  auto r = OpenReader(dir_.string());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto recs = ReadAll(r->get());
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(recs[0].doc.text(), "First.");
  EXPECT_EQ(recs[1].doc.meta().id, "g");
  EXPECT_EQ(recs[1].doc.text(), "Gz.");
  EXPECT_EQ(recs[2].doc.text(), "Zst body.");
  EXPECT_EQ(recs[2].doc.meta().id, "c");
  EXPECT_EQ(recs[3].doc.text(), "Second zst.");
  for (auto& rec : recs) EXPECT_TRUE(rec.status.ok());
}

TEST_F(FileReaderTest, CorruptGzipIsAnErrorNotACrash) {
  std::string gz = Gzip(std::string(2000, 'x') + "\n");
  gz.resize(gz.size() / 2);
  Write("t.txt.gz", gz);
  auto r = OpenReader((dir_ / "t.txt.gz").string());
  ASSERT_TRUE(r.ok());
  auto recs = ReadAll(r->get());
  ASSERT_FALSE(recs.empty());
  EXPECT_FALSE(recs.back().status.ok());
}

TEST(OpenReader, MissingFile) {
  auto r = OpenReader("/nonexistent/file.txt");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace sitrep
