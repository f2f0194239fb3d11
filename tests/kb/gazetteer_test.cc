// Gazetteer: compile -> write -> mmap -> longest-match lookup, and errors.
#include "sitrep/gazetteer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "sitrep/text.h"

namespace sitrep {
namespace {

std::string TempPath(const char* name) {
  return ::testing::TempDir() + "sitrep_gaz_" + name + "_" + std::to_string(::getpid());
}

Document Tokenized(const std::string& text) {
  Document doc(text, Metadata());
  Tokenizer().Tokenize(&doc);
  return doc;
}

TEST(GazetteerTest, LongestMatchIsCaseInsensitiveAndPrefersLongerPhrases) {
  const std::string path = TempPath("ok");
  ASSERT_TRUE(BuildGazetteer("COUNTRY\tNorth Macedonia\nCOUNTRY\tU.S.\nNORP\tMacedonian\n"
                             "CITY\tNorth\nORG\tBank of North Macedonia\nPERSON\tAda Lovelace\n"
                             "FIRST\tAda\nLAST\tLovelace\n",
                             path, "{}")
                  .ok());
  auto g = Gazetteer::Load(path);
  std::remove(path.c_str());
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  Document doc = Tokenized("The bank of north macedonia and the U.S. met Ada Lovelace in North.");
  // "bank of north macedonia" (tokens 1-4) is the organization.
  Gazetteer::Match m = (*g)->Longest(doc, 1, doc.tokens().size());
  EXPECT_EQ(m.length, 4u);
  EXPECT_EQ(m.categories, kGazOrg);
  // From "north": the country, not the one-word city.
  m = (*g)->Longest(doc, 3, doc.tokens().size());
  EXPECT_EQ(m.length, 2u);
  EXPECT_EQ(m.categories, kGazCountry);
  // The end bound cuts the phrase: only the city remains.
  m = (*g)->Longest(doc, 3, 4);
  EXPECT_EQ(m.length, 1u);
  EXPECT_EQ(m.categories, kGazCity);
  // "U.S." is one token and one phrase.
  EXPECT_EQ((*g)->Lookup(doc, 7, 8), kGazCountry);
  EXPECT_EQ((*g)->Lookup(doc, 9, 11), kGazPerson);
  EXPECT_EQ((*g)->Lookup(doc, 9, 10), kGazFirst);
  // A prefix of a phrase is not a phrase; "met" starts none.
  EXPECT_EQ((*g)->Lookup(doc, 1, 3), 0);
  EXPECT_EQ((*g)->Longest(doc, 8, doc.tokens().size()).length, 0u);
  EXPECT_EQ(GazetteerCategoryName(3), "NORP");
}

TEST(GazetteerTest, BadLinesAreErrorsWithTheLineNumber) {
  Status st = BuildGazetteer("CITY\tParis\nTOWN\tLyon\n", TempPath("bad"), "{}");
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.ToString().find("line 2"), std::string::npos) << st.ToString();
  EXPECT_FALSE(BuildGazetteer("CITY Paris\n", TempPath("bad2"), "{}").ok());
}

TEST(GazetteerTest, DamagedFileIsRejected) {
  const std::string path = TempPath("damaged");
  ASSERT_TRUE(BuildGazetteer("CITY\tParis\n", path, "{}").ok());
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(-20, std::ios::end);
    f.put('\x55');
  }
  auto g = Gazetteer::Load(path);
  std::remove(path.c_str());
  EXPECT_FALSE(g.ok());
}

}  // namespace
}  // namespace sitrep
