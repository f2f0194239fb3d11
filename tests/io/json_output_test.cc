#include "sitrep/json_output.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "sitrep/text.h"

namespace sitrep {
namespace {

TEST(JsonOutput, RoundTripsThroughAParser) {
  Metadata m;
  m.id = "x1";
  m.date = "2025-03-09";
  m.extra.emplace_back("tags", "[\"a\",\"b\"]");
  Document doc("\"Hi,\" Kaju said.\n\nNext \xE2\x80\x94 one.", m);
  Tokenizer().Tokenize(&doc);
  SentenceSplitter().Split(&doc);
  std::string out;
  AppendDocumentJson(doc, JsonOptions(), &out);
  EXPECT_EQ(out.find('\n'), std::string::npos);
  rapidjson::Document j;
  j.Parse(out.c_str());
  ASSERT_FALSE(j.HasParseError());
  EXPECT_STREQ(j["id"].GetString(), "x1");
  EXPECT_EQ(j["meta"]["tags"].Size(), 2u);
  ASSERT_EQ(j["paragraphs"].Size(), 2u);
  ASSERT_EQ(j["sentences"].Size(), 2u);
  const auto& s0 = j["sentences"][0];
  EXPECT_STREQ(s0["text"].GetString(), "\"Hi,\" Kaju said.");
  // Every token's offsets select its text.
  std::string text = j["text"].GetString();
  for (const auto& s : j["sentences"].GetArray())
    for (const auto& t : s["tokens"].GetArray())
      EXPECT_EQ(text.substr(t["start"].GetUint(), t["end"].GetUint() - t["start"].GetUint()),
                t["text"].GetString());
  std::string pretty;
  JsonOptions po;
  po.pretty = true;
  AppendDocumentJson(doc, po, &pretty);
  EXPECT_NE(pretty.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace sitrep
