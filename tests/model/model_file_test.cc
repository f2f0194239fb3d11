#include "model/model_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "sitrep/text.h"

namespace sitrep::model {
namespace {

class ModelFileTest : public ::testing::Test {
 protected:
  std::string path_ = ::testing::TempDir() + "sitrep_model_test_" + std::to_string(::getpid());
  void TearDown() override { std::remove(path_.c_str()); }

  std::string Bytes() {
    std::ifstream in(path_, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  void Put(const std::string& bytes) { std::ofstream(path_, std::ios::binary) << bytes; }
};

TEST_F(ModelFileTest, RoundTrip) {
  std::string payload = "0123456789abcdef";
  ASSERT_TRUE(WriteModelFile(path_, "demo", 3, "{\"a\":1}", payload).ok());
  auto f = ModelFile::Open(path_, "demo", 3);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ((*f)->kind(), "demo");
  EXPECT_EQ((*f)->meta(), "{\"a\":1}");
  EXPECT_EQ((*f)->payload(), payload);
  EXPECT_EQ(reinterpret_cast<uintptr_t>((*f)->payload().data()) % 8, 0u);
}

TEST_F(ModelFileTest, RejectsWrongKindVersionAndDamage) {
  ASSERT_TRUE(WriteModelFile(path_, "demo", 3, "{}", std::string(64, 'x')).ok());
  EXPECT_EQ(ModelFile::Open(path_, "other", 3).status().code(), Status::Code::kInvalidArgument);
  auto v = ModelFile::Open(path_, "demo", 4);
  EXPECT_EQ(v.status().code(), Status::Code::kUnsupported);
  EXPECT_NE(v.status().message().find("version 3"), std::string::npos);

  std::string good = Bytes();
  std::string flipped = good;
  flipped[flipped.size() - 20] ^= 1;  // a payload byte
  Put(flipped);
  auto c = ModelFile::Open(path_, "demo", 3);
  EXPECT_EQ(c.status().code(), Status::Code::kCorruption);
  EXPECT_NE(c.status().message().find("checksum"), std::string::npos);

  Put(good.substr(0, good.size() / 2));
  EXPECT_EQ(ModelFile::Open(path_, "demo", 3).status().code(), Status::Code::kCorruption);

  std::string magic = good;
  magic[0] = 'X';
  Put(magic);
  EXPECT_NE(ModelFile::Open(path_, "demo", 3).status().message().find("magic"), std::string::npos);

  std::string format = good;
  format[8] = 9;  // format version
  Put(format);
  EXPECT_EQ(ModelFile::Open(path_, "demo", 3).status().code(), Status::Code::kUnsupported);

  EXPECT_EQ(ModelFile::Open(path_ + ".missing", "demo", 3).status().code(),
            Status::Code::kNotFound);
}

TEST(PayloadBlocks, RoundTripAndTruncation) {
  std::string payload;
  AppendPayloadBlock(&payload, "abc");
  AppendPayloadBlock(&payload, "");
  AppendPayloadBlock(&payload, std::string(13, 'x'));
  EXPECT_EQ(payload.size() % 8, 0u);
  std::string_view b[3];
  ASSERT_TRUE(SplitPayloadBlocks(payload, b, 3, "test").ok());
  EXPECT_EQ(b[0], "abc");
  EXPECT_EQ(b[1], "");
  EXPECT_EQ(b[2], std::string(13, 'x'));
  // Asking for more blocks than there are, or cutting the last one short,
  // is corruption, never a read past the end.
  std::string_view more[4];
  EXPECT_FALSE(SplitPayloadBlocks(payload, more, 4, "test").ok());
  EXPECT_FALSE(SplitPayloadBlocks(std::string_view(payload).substr(0, payload.size() - 4), b, 3,
                                  "test").ok());
}

TEST(SegmenterModel, ShippedModelLoadsAndSplits) {
  SentenceSplitterOptions o;
  o.model_path = std::string(SITREP_SOURCE_DIR) + "/models/segmenter.bin";
  auto s = SentenceSplitter::Create(o);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  Tokenizer tok;
  // Informal text (lower-case sentence starts) is reviewed by the model.
  Document doc("thanks for the note. i will call you tomorrow. see you then\n\nRegards,\n\nJeff",
               Metadata());
  tok.Tokenize(&doc);
  (*s)->Split(&doc);
  ASSERT_GE(doc.sentences().size(), 4u);
  uint32_t next = 0;
  for (const Sentence& x : doc.sentences()) {
    EXPECT_EQ(x.token_begin, next);
    next = x.token_end;
  }
  EXPECT_EQ(next, doc.tokens().size());
  EXPECT_EQ(doc.text(doc.sentence_span(0)), "thanks for the note.");
}

TEST(SegmenterModel, MissingModelIsAnError) {
  SentenceSplitterOptions o;
  o.model_path = "/nonexistent/segmenter.bin";
  auto s = SentenceSplitter::Create(o);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace sitrep::model
