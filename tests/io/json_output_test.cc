#include "sitrep/json_output.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "sitrep/numeric_entities.h"
#include "sitrep/text.h"
#include "sitrep/time_resolve.h"

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

TEST(JsonOutput, ResolvedTimesGoWithTheirEntities) {
  Metadata m;
  m.date = "2025-03-09";
  Document doc("Next week 40 envoys meet; they met for two weeks.", m);
  Tokenizer().Tokenize(&doc);
  SentenceSplitter().Split(&doc);
  NumericEntityFinder().Find(&doc);
  TimeResolver().Resolve(&doc);
  std::string out;
  AppendDocumentJson(doc, JsonOptions(), &out);
  rapidjson::Document j;
  j.Parse(out.c_str());
  ASSERT_FALSE(j.HasParseError());
  const auto& ents = j["entities"];
  ASSERT_EQ(ents.Size(), 3u);  // Next week, 40, two weeks
  ASSERT_TRUE(ents[0].HasMember("time"));
  EXPECT_STREQ(ents[0]["time"]["begin"].GetString(), "2025-03-10");
  EXPECT_STREQ(ents[0]["time"]["end"].GetString(), "2025-03-16");
  EXPECT_STREQ(ents[0]["time"]["granularity"].GetString(), "week");
  EXPECT_FALSE(ents[1].HasMember("time"));  // a number
  EXPECT_FALSE(ents[2].HasMember("time"));  // a duration
}

TEST(JsonOutput, QuotesCarryByteSpansCueSpeakerAndParent) {
  Document doc("\"Hi,\" Kaju said.", Metadata());
  Tokenizer().Tokenize(&doc);
  SentenceSplitter().Split(&doc);
  // Tokens: " Hi , " Kaju said .
  Quote q;
  q.content_begin = 1;
  q.content_end = 3;
  q.cue_begin = 5;
  q.cue_end = 6;
  q.speaker_begin = 4;
  q.speaker_end = 5;
  q.speaker_type = static_cast<uint8_t>(SpeakerType::kNamed);
  q.confidence = 0.9f;
  doc.quotes().push_back(q);
  std::string out;
  AppendDocumentJson(doc, JsonOptions(), &out);
  rapidjson::Document j;
  j.Parse(out.c_str());
  ASSERT_FALSE(j.HasParseError());
  ASSERT_TRUE(j.HasMember("quotes"));
  const auto& jq = j["quotes"][0];
  EXPECT_STREQ(jq["kind"].GetString(), "direct");
  ASSERT_EQ(jq["content"].Size(), 1u);
  EXPECT_STREQ(jq["content"][0]["text"].GetString(), "Hi,");
  EXPECT_EQ(jq["content"][0]["start"].GetUint(), 1u);
  EXPECT_STREQ(jq["cue"]["text"].GetString(), "said");
  EXPECT_STREQ(jq["cue"]["lemma"].GetString(), "said");  // untagged: the word itself
  EXPECT_STREQ(jq["speaker"]["text"].GetString(), "Kaju");
  EXPECT_STREQ(jq["speaker"]["type"].GetString(), "named");
  EXPECT_FALSE(jq["speaker"].HasMember("actor"));
  EXPECT_DOUBLE_EQ(jq["confidence"].GetDouble(), 0.9);
  EXPECT_EQ(jq["parent"].GetInt(), -1);
}

}  // namespace
}  // namespace sitrep
