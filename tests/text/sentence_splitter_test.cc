#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sitrep/text.h"

namespace sitrep {
namespace {

std::vector<std::string> Sentences(const std::string& text) {
  Tokenizer tok;
  SentenceSplitter split;
  Document doc(text, Metadata());
  tok.Tokenize(&doc);
  split.Split(&doc);
  std::vector<std::string> out;
  for (size_t s = 0; s < doc.sentences().size(); ++s)
    out.emplace_back(doc.text(doc.sentence_span(s)));
  return out;
}

using V = std::vector<std::string>;

struct Case {
  const char* text;
  V sentences;
};

class SplitterCases : public ::testing::TestWithParam<Case> {};

TEST_P(SplitterCases, Splits) { EXPECT_EQ(Sentences(GetParam().text), GetParam().sentences); }

INSTANTIATE_TEST_SUITE_P(
    English, SplitterCases,
    ::testing::Values(
        Case{"Talks begin Monday. Both sides agreed.", V{"Talks begin Monday.", "Both sides agreed."}},
        // A quote with its attribution stays one sentence.
        Case{"\"It is not enough,\" Kaju said. He left.",
             V{"\"It is not enough,\" Kaju said.", "He left."}},
        Case{"\"Will it hold?\" she asked. Nobody knew.",
             V{"\"Will it hold?\" she asked.", "Nobody knew."}},
        Case{"\"Stop!\" he shouted.", V{"\"Stop!\" he shouted."}},
        // The closing quote belongs to the sentence it ends.
        Case{"\"We will win.\" The crowd cheered.", V{"\"We will win.\"", "The crowd cheered."}},
        // Abbreviations.
        Case{"Gen. Smith met Dr. Jones in Washington, D.C. on Monday.",
             V{"Gen. Smith met Dr. Jones in Washington, D.C. on Monday."}},
        Case{"He flew to the U.S. The talks failed.", V{"He flew to the U.S.", "The talks failed."}},
        Case{"U.S. officials met J. R. Smith on Jan. 5. No. 10 said nothing.",
             V{"U.S. officials met J. R. Smith on Jan. 5.", "No. 10 said nothing."}},
        Case{"Prices rose 3.5 percent. Analysts were surprised!",
             V{"Prices rose 3.5 percent.", "Analysts were surprised!"}},
        Case{"It was late... Then it ended.", V{"It was late...", "Then it ended."}},
        Case{"He paused ... and went on.", V{"He paused ... and went on."}},
        Case{"See www.example.com. It helps.", V{"See www.example.com.", "It helps."}},
        Case{"It rose (by 5%). Then fell.", V{"It rose (by 5%).", "Then fell."}},
        // Headlines and datelines on their own line.
        Case{"Russia presses Kursk push\nKYIV, March 10 \xE2\x80\x94 Fighting continued.",
             V{"Russia presses Kursk push", "KYIV, March 10 \xE2\x80\x94 Fighting continued."}},
        // Blank lines end sentences and paragraphs.
        Case{"Andreas Kaju. Source: ERR\n\nKaju believes it", V{"Andreas Kaju.", "Source: ERR", "Kaju believes it"}}));

TEST(SentenceSplitter, ParagraphsFollowBlankLines) {
  Tokenizer tok;
  SentenceSplitter split;
  Document doc("One. Two.\n\n\"Three,\" he said.\n \nFour", Metadata());
  tok.Tokenize(&doc);
  split.Split(&doc);
  ASSERT_EQ(doc.paragraphs().size(), 3u);
  EXPECT_EQ(doc.paragraphs()[0].sentence_end - doc.paragraphs()[0].sentence_begin, 2u);
  EXPECT_EQ(doc.text(doc.paragraphs()[1].span), "\"Three,\" he said.");
  EXPECT_EQ(doc.text(doc.paragraphs()[2].span), "Four");
  // Sentences and paragraphs tile the tokens.
  uint32_t next = 0;
  for (const Sentence& s : doc.sentences()) {
    EXPECT_EQ(s.token_begin, next);
    EXPECT_LT(s.token_begin, s.token_end);
    next = s.token_end;
  }
  EXPECT_EQ(next, doc.tokens().size());
}

TEST(SentenceSplitter, EmptyDocument) {
  EXPECT_TRUE(Sentences("").empty());
}

}  // namespace
}  // namespace sitrep
