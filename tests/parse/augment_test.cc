// Treebank augmentation: the new sentences are well-formed trees with the
// construction they were built for, and the input decides them.
#include "sitrep/augment.h"

#include <gtest/gtest.h>

#include <string>

#include "sitrep/parser.h"

namespace sitrep {
namespace {

constexpr const char* kTreebank =
    "# text = The minister said talks failed.\n"
    "1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_\n"
    "2\tminister\tminister\tNOUN\tNN\t_\t3\tnsubj\t_\t_\n"
    "3\tsaid\tsay\tVERB\tVBD\t_\t0\troot\t_\t_\n"
    "4\ttalks\ttalk\tNOUN\tNNS\t_\t5\tnsubj\t_\t_\n"
    "5\tfailed\tfail\tVERB\tVBD\t_\t3\tccomp\t_\tSpaceAfter=No\n"
    "6\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n\n"
    "# text = Troops crossed the wide river last week.\n"
    "1\tTroops\ttroop\tNOUN\tNNS\t_\t2\tnsubj\t_\t_\n"
    "2\tcrossed\tcross\tVERB\tVBD\t_\t0\troot\t_\t_\n"
    "3\tthe\tthe\tDET\tDT\t_\t5\tdet\t_\t_\n"
    "4\twide\twide\tADJ\tJJ\t_\t5\tamod\t_\t_\n"
    "5\triver\triver\tNOUN\tNN\t_\t2\tobj\t_\t_\n"
    "6\tlast\tlast\tADJ\tJJ\t_\t7\tamod\t_\t_\n"
    "7\tweek\tweek\tNOUN\tNN\t_\t2\tobl:unmarked\t_\tSpaceAfter=No\n"
    "8\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n";

// Heads in range, exactly one root, no cycle.
void ExpectTree(const ConlluSentence& s) {
  const int n = static_cast<int>(s.words.size());
  int roots = 0;
  for (int i = 0; i < n; ++i) {
    ASSERT_GE(s.words[i].head, 0) << s.text;
    ASSERT_LE(s.words[i].head, n) << s.text;
    ASSERT_NE(s.words[i].head, i + 1) << s.text;
    roots += s.words[i].head == 0;
    int h = i + 1, steps = 0;
    while (h != 0 && steps <= n) h = s.words[h - 1].head, ++steps;
    ASSERT_LE(steps, n) << "cycle in " << s.text;
  }
  EXPECT_EQ(roots, 1) << s.text;
  EXPECT_EQ(s.tokens.size(), s.words.size());
}

// 1-based position of the first (last) word `form`; 0 if none.
int Find(const ConlluSentence& s, const std::string& form) {
  for (size_t i = 0; i < s.words.size(); ++i)
    if (s.words[i].form == form) return static_cast<int>(i) + 1;
  return 0;
}
int FindLast(const ConlluSentence& s, const std::string& form) {
  for (size_t i = s.words.size(); i > 0; --i)
    if (s.words[i - 1].form == form) return static_cast<int>(i);
  return 0;
}

TEST(AugmentTest, ReportingClausesAreTreesWithTheContentAsComplement) {
  std::vector<ConlluSentence> train;
  ASSERT_TRUE(ParseConllu(kTreebank, &train).ok());
  AugmentOptions o;
  o.reporting_rate = 1.0;
  o.time_rate = 0.0;
  std::vector<ConlluSentence> out = AugmentTreebank(train, o);
  ASSERT_EQ(out.size(), 2u);  // both sentences are eligible declaratives
  int final_clauses = 0;
  for (const ConlluSentence& s : out) {
    ExpectTree(s);
    const int said = FindLast(s, "said");  // the reporting verb
    ASSERT_GT(said, 0) << s.text;
    EXPECT_EQ(s.words[said - 1].head, 0) << s.text;
    EXPECT_EQ(s.words.back().form, ".");
    EXPECT_EQ(s.words.back().head, said);
    // The speaker is "the minister" (lower-cased inside the sentence).
    const int minister = FindLast(s, "minister");
    EXPECT_EQ(s.words[minister - 1].head, said) << s.text;
    EXPECT_EQ(s.words[minister - 1].deprel, "nsubj");
    if (s.text.find("Troops crossed the wide river last week , ") == 0 ||
        s.text.find("\" Troops crossed the wide river last week , \" ") == 0) {
      const int crossed = Find(s, "crossed");
      EXPECT_EQ(s.words[crossed - 1].head, said);
      EXPECT_EQ(s.words[crossed - 1].deprel, "ccomp");
      EXPECT_EQ(s.words[Find(s, "river") - 1].head, crossed);  // inner arcs shifted
      EXPECT_EQ(s.words[Find(s, ",") - 1].head, crossed);
      ++final_clauses;
    }
  }
  EXPECT_EQ(final_clauses, 1);
}

TEST(AugmentTest, FrontedTimePhraseAttachesToTheClause) {
  std::vector<ConlluSentence> train;
  ASSERT_TRUE(ParseConllu(kTreebank, &train).ok());
  AugmentOptions o;
  o.reporting_rate = 0.0;
  o.time_rate = 1.0;
  std::vector<ConlluSentence> out = AugmentTreebank(train, o);
  ASSERT_EQ(out.size(), 2u);
  const ConlluSentence& s = out[0];
  ExpectTree(s);
  EXPECT_EQ(s.text, "Last week , the minister said talks failed .");
  EXPECT_EQ(s.words[1].head, Find(s, "said"));
  EXPECT_EQ(s.words[1].deprel, "obl:unmarked");
  EXPECT_EQ(s.words[2].head, 2);  // the comma, to the phrase
  EXPECT_EQ(s.words[Find(s, "failed") - 1].head, Find(s, "said"));
}

TEST(AugmentTest, FrontedSourceIsAnOblWithAccordingToAsItsCase) {
  std::vector<ConlluSentence> train;
  ASSERT_TRUE(ParseConllu(std::string(kTreebank) +
                              "# text = Analyst Liis Rebane left early today.\n"
                              "1\tAnalyst\tanalyst\tNOUN\tNN\t_\t3\tcompound\t_\t_\n"
                              "2\tLiis\tLiis\tPROPN\tNNP\t_\t3\tcompound\t_\t_\n"
                              "3\tRebane\tRebane\tPROPN\tNNP\t_\t4\tnsubj\t_\t_\n"
                              "4\tleft\tleave\tVERB\tVBD\t_\t0\troot\t_\t_\n"
                              "5\tearly\tearly\tADV\tRB\t_\t4\tadvmod\t_\t_\n"
                              "6\ttoday\ttoday\tNOUN\tNN\t_\t4\tobl:unmarked\t_\tSpaceAfter=No\n"
                              "7\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n",
                          &train)
                  .ok());
  AugmentOptions o;
  o.reporting_rate = o.time_rate = 0.0;
  o.according_rate = 1.0;
  std::vector<ConlluSentence> out = AugmentTreebank(train, o);
  ASSERT_EQ(out.size(), 3u);
  const ConlluSentence& s = out[0];
  ExpectTree(s);
  EXPECT_EQ(s.text, "According to analyst Liis Rebane , the minister said talks failed .");
  const int rebane = Find(s, "Rebane"), said = Find(s, "said");
  EXPECT_EQ(s.words[0].head, rebane);
  EXPECT_EQ(s.words[0].deprel, "case");
  EXPECT_EQ(s.words[1].head, 1);
  EXPECT_EQ(s.words[1].deprel, "fixed");
  EXPECT_EQ(s.words[rebane - 1].head, said);
  EXPECT_EQ(s.words[rebane - 1].deprel, "obl");
  EXPECT_EQ(s.words[Find(s, ",") - 1].head, rebane);
  EXPECT_EQ(s.words[said - 1].head, 0);
}

TEST(AugmentTest, DeterministicAndNothingWhenRatesAreZero) {
  std::vector<ConlluSentence> train;
  ASSERT_TRUE(ParseConllu(kTreebank, &train).ok());
  AugmentOptions o;
  auto a = AugmentTreebank(train, o), b = AugmentTreebank(train, o);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].text, b[i].text);
  o.reporting_rate = o.time_rate = 0.0;
  EXPECT_TRUE(AugmentTreebank(train, o).empty());
}

}  // namespace
}  // namespace sitrep
