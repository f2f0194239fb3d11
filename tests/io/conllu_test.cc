#include "sitrep/conllu.h"

#include <gtest/gtest.h>

namespace sitrep {
namespace {

TEST(Conllu, ParsesWordsAndMultiWordTokens) {
  const char* data =
      "# newdoc id = doc1\n"
      "# newpar\n"
      "# sent_id = s1\n"
      "# text = Google's up.\n"
      "1-2\tGoogle's\t_\t_\t_\t_\t_\t_\t_\t_\n"
      "1\tGoogle\tGoogle\tPROPN\tNNP\t_\t3\tnsubj\t_\t_\n"
      "2\t's\tbe\tAUX\tVBZ\t_\t3\tcop\t_\t_\n"
      "3\tup\tup\tADV\tRB\t_\t0\troot\t_\tSpaceAfter=No\n"
      "3.1\tx\t_\t_\t_\t_\t_\t_\t_\t_\n"
      "4\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n"
      "\n"
      "# sent_id = s2\n"
      "1\tNext\tnext\tADJ\tJJ\t_\t0\troot\t_\t_\n\n";
  std::vector<ConlluSentence> out;
  ASSERT_TRUE(ParseConllu(data, &out).ok());
  ASSERT_EQ(out.size(), 2u);
  const ConlluSentence& s = out[0];
  EXPECT_TRUE(s.new_doc);
  EXPECT_TRUE(s.new_par);
  EXPECT_EQ(s.doc_id, "doc1");
  EXPECT_EQ(s.text, "Google's up.");
  ASSERT_EQ(s.words.size(), 4u);
  ASSERT_EQ(s.tokens.size(), 3u);
  EXPECT_EQ(s.tokens[0].form, "Google's");
  EXPECT_EQ(s.tokens[0].word_end, 2u);
  EXPECT_FALSE(s.tokens[1].space_after);
  EXPECT_EQ(s.words[2].head, 0);
  EXPECT_EQ(s.words[0].upos, "PROPN");
  EXPECT_FALSE(out[1].new_par);
  EXPECT_EQ(out[1].doc_id, "doc1");
}

TEST(Conllu, RejectsMalformedLines) {
  std::vector<ConlluSentence> out;
  Status st = ParseConllu("1\tonly\tthree\n", &out);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("line 1"), std::string::npos);
  out.clear();
  EXPECT_FALSE(ParseConllu("2\tx\tx\tX\tX\t_\t0\troot\t_\t_\n", &out).ok());
  // Overlapping multi-word ranges (found by fuzz_conllu).
  const char* overlap =
      "1-3\tab\t_\t_\t_\t_\t_\t_\t_\t_\n1-2\tab\t_\t_\t_\t_\t_\t_\t_\t_\n"
      "1\ta\ta\tX\tX\t_\t0\troot\t_\t_\n\n";
  EXPECT_FALSE(ParseConllu(overlap, &out).ok());
}

}  // namespace
}  // namespace sitrep
