#include "sitrep/document.h"

#include <gtest/gtest.h>

namespace sitrep {
namespace {

TEST(NormalForm, LowercasesAndMapsTypography) {
  EXPECT_EQ(NormalForm("Ukraine"), "ukraine");
  EXPECT_EQ(NormalForm("\xE2\x80\x99s"), "'s");             // ’s
  EXPECT_EQ(NormalForm("\xE2\x80\x9C"), "\"");              // “
  EXPECT_EQ(NormalForm("\xE2\x80\x94"), "--");              // —
  EXPECT_EQ(NormalForm("\xE2\x80\xA6"), "...");             // …
  EXPECT_EQ(NormalForm("\xC3\x89LYS\xC3\x89" "E"), "\xC3\xA9lys\xC3\xA9" "e");  // ÉLYSÉE
}

TEST(NormalForm, AppendsAfterWhatIsThere) {
  std::string out = "x|";
  for (const char* t : {"Ukraine", "K\xC3\x96ln", "\xE2\x80\x99S", "A\xE2\x80\x94" "B", ""}) {
    out.resize(2);
    AppendNormalForm(t, &out);
    EXPECT_EQ(out, "x|" + NormalForm(t)) << t;
  }
}

TEST(WordShape, CollapsesLongRuns) {
  EXPECT_EQ(WordShape("Pevkur"), "Xxxxx");
  EXPECT_EQ(WordShape("2025-03-09"), "dddd-dd-dd");
  EXPECT_EQ(WordShape("U.S."), "X.X.");
  EXPECT_EQ(WordShape("NATO"), "XXXX");
  EXPECT_EQ(WordShape("S\xC3\xA3o"), "Xxx");  // São
}

TEST(NormId, EqualStringsEqualIds) {
  EXPECT_EQ(NormId("kursk"), NormId(std::string("kur") + "sk"));
  EXPECT_NE(NormId("kursk"), NormId("Kursk"));
}

TEST(Document, SpansMapToText) {
  Document doc("Hello world.", Metadata());
  doc.tokens().push_back(Token{0, 5});
  doc.tokens().push_back(Token{6, 11});
  doc.tokens().push_back(Token{11, 12});
  doc.sentences().push_back(Sentence{0, 3});
  EXPECT_EQ(doc.token_text(1), "world");
  EXPECT_EQ(doc.text(doc.sentence_span(0)), "Hello world.");
  doc.Reset("Other");
  EXPECT_TRUE(doc.tokens().empty());
  EXPECT_TRUE(doc.sentences().empty());
}

}  // namespace
}  // namespace sitrep
