#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sitrep/text.h"

namespace sitrep {
namespace {

std::vector<std::string> Tokens(const std::string& text) {
  Tokenizer tok;
  Document doc(text, Metadata());
  tok.Tokenize(&doc);
  std::vector<std::string> out;
  for (size_t i = 0; i < doc.tokens().size(); ++i) out.emplace_back(doc.token_text(i));
  return out;
}

using V = std::vector<std::string>;

// Data-driven cases: text and its expected tokens.
struct Case {
  const char* text;
  V tokens;
};

class TokenizerCases : public ::testing::TestWithParam<Case> {};

TEST_P(TokenizerCases, Splits) { EXPECT_EQ(Tokens(GetParam().text), GetParam().tokens); }

INSTANTIATE_TEST_SUITE_P(
    English, TokenizerCases,
    ::testing::Values(
        Case{"U.S. and U.N. officials met Gen. Smith.",
             V{"U.S.", "and", "U.N.", "officials", "met", "Gen.", "Smith", "."}},
        Case{"Dr. J. R. Smith arrived on Jan. 5.",
             V{"Dr.", "J.", "R.", "Smith", "arrived", "on", "Jan.", "5", "."}},
        Case{"Ukraine's positions don't change; they can't.",
             V{"Ukraine", "'s", "positions", "do", "n't", "change", ";", "they", "ca", "n't", "."}},
        Case{"Ukraine\xE2\x80\x99s aid", V{"Ukraine", "\xE2\x80\x99s", "aid"}},
        Case{"I'm sure we'll see; they're here, you've said.",
             V{"I", "'m", "sure", "we", "'ll", "see", ";", "they", "'re", "here", ",", "you", "'ve",
               "said", "."}},
        Case{"the officials' plan", V{"the", "officials", "'", "plan"}},
        Case{"the E.U.'s list", V{"the", "E.U.", "'s", "list"}},
        Case{"We cannot stop.", V{"We", "can", "not", "stop", "."}},
        Case{"a long-range missile and a cease-fire", V{"a", "long", "-", "range", "missile", "and",
                                                        "a", "cease", "-", "fire"}},
        Case{"e-mail the pro-Russian co-founder",
             V{"e-mail", "the", "pro-Russian", "co-founder"}},
        Case{"It cost $1.5 billion, up 12% from 1,000,000.",
             V{"It", "cost", "$", "1.5", "billion", ",", "up", "12", "%", "from", "1,000,000",
               "."}},
        Case{"On 9/11 at 10:30 the score was 5-3.",
             V{"On", "9/11", "at", "10:30", "the", "score", "was", "5", "-", "3", "."}},
        Case{"Call 713-853-3989 now", V{"Call", "713-853-3989", "now"}},
        Case{"See https://example.org/report. Or write to press@example.org!",
             V{"See", "https://example.org/report", ".", "Or", "write", "to", "press@example.org",
               "!"}},
        Case{"(see www.example.com)", V{"(", "see", "www.example.com", ")"}},
        Case{"\xE2\x80\x9CWe won,\xE2\x80\x9D he said.",
             V{"\xE2\x80\x9C", "We", "won", ",", "\xE2\x80\x9D", "he", "said", "."}},
        Case{"\"Stop!\" he shouted...", V{"\"", "Stop", "!", "\"", "he", "shouted", "..."}},
        Case{"the 'mother of all sanctions' was", V{"the", "'", "mother", "of", "all", "sanctions",
                                                    "'", "was"}},
        Case{"table \xE2\x80\x94 at least", V{"table", "\xE2\x80\x94", "at", "least"}},
        Case{"Wait... what?! No -- never.", V{"Wait", "...", "what", "?!", "No", "--", "never", "."}},
        Case{"the U.S.-driven talks", V{"the", "U.S.", "-", "driven", "talks"}},
        Case{"in the '90s", V{"in", "the", "'90s"}},
        Case{"S\xC3\xA3o Paulo and \xC5\x8Csaka", V{"S\xC3\xA3o", "Paulo", "and", "\xC5\x8Csaka"}},
        Case{"10\xC2\xA0km away", V{"10", "km", "away"}},
        Case{"great :) thanks", V{"great", ":)", "thanks"}},
        Case{"1. First point", V{"1.", "First", "point"}},
        Case{"USD/DM and and/or", V{"USD", "/", "DM", "and", "and/or"}},
        Case{"No. 5 and no.", V{"No.", "5", "and", "no", "."}}));

TEST(Tokenizer, OffsetsMapToText) {
  Tokenizer tok;
  std::string text = " date-less \xE2\x80\x9CKursk\xE2\x80\x9D region's\n\nNext";
  Document doc(text, Metadata());
  tok.Tokenize(&doc);
  for (const Token& t : doc.tokens()) {
    ASSERT_LE(t.begin, t.end);
    ASSERT_LE(t.end, text.size());
    EXPECT_NE(t.begin, t.end);
  }
  // Tokens are in order and do not overlap.
  for (size_t i = 1; i < doc.tokens().size(); ++i)
    EXPECT_LE(doc.tokens()[i - 1].end, doc.tokens()[i].begin);
}

TEST(Tokenizer, FlagsWhitespaceAndClitics) {
  Tokenizer tok;
  Document doc("Russia's army.\n\nNext", Metadata());
  tok.Tokenize(&doc);
  const auto& t = doc.tokens();
  ASSERT_EQ(t.size(), 5u);
  EXPECT_FALSE(t[0].has(kSpaceAfter));
  EXPECT_TRUE(t[1].has(kJoinedToPrev));
  EXPECT_TRUE(t[1].has(kSpaceAfter));
  EXPECT_TRUE(t[3].has(kBlankLineAfter));
  EXPECT_TRUE(t[3].has(kNewlineAfter));
  EXPECT_EQ(t[0].norm, NormId("russia"));
  EXPECT_EQ(t[0].shape, NormId("Xxxxx"));
  EXPECT_EQ(t[3].kind, TokenKind::kPunct);
}

TEST(Tokenizer, QuoteDirection) {
  Tokenizer tok;
  Document doc("\"We won,\" he said.", Metadata());
  tok.Tokenize(&doc);
  EXPECT_TRUE(doc.tokens()[0].has(kQuoteOpen));
  EXPECT_TRUE(doc.tokens()[4].has(kQuoteClose));
}

TEST(Tokenizer, FastPathMatchesSlowNormalization) {
  // Norm and shape ids from the ASCII fast path equal those of NormalForm/WordShape.
  Tokenizer tok;
  Document doc("Pevkur NATO 2025-03-09 U.S. don't negotiations. InterNationally aBcDeFgHiJkLmNoP",
               Metadata());
  tok.Tokenize(&doc);
  for (size_t i = 0; i < doc.tokens().size(); ++i) {
    std::string_view s = doc.token_text(i);
    EXPECT_EQ(doc.tokens()[i].norm, NormId(NormalForm(s))) << s;
    EXPECT_EQ(doc.tokens()[i].shape, NormId(WordShape(s))) << s;
  }
}

// The slow reference: every chunk through the general path, obtained by
// prefixing each chunk with a character that disables the fast path and
// comparing the tokens after it.
TEST(Tokenizer, FastPathAgreesWithGeneralPath) {
  const char* samples[] = {"Russia",          "talks,",           "him;",  "ceasefire)",
                           "EU",              "cannot",           "gonna,", "negotiations.",
                           "Internationally", "ABCDEFGHIJKLMNOP", "Gen.",   "etc.",
                           "aBcDeFgHiJkLmNoPq", "1987", "15,", "2025;", "42)", "Wanna"};
  for (const char* w : samples) {
    std::vector<std::string> fast = Tokens(w);
    std::vector<std::string> slow = Tokens(std::string("(") + w);
    ASSERT_FALSE(slow.empty());
    slow.erase(slow.begin());
    EXPECT_EQ(fast, slow) << w;
  }
}

TEST(Tokenizer, EmptyAndWhitespaceOnly) {
  EXPECT_TRUE(Tokens("").empty());
  EXPECT_TRUE(Tokens(" \n\t\xC2\xA0\xE2\x80\x8B ").empty());
}

}  // namespace
}  // namespace sitrep
