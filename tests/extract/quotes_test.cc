// Quotations: direct, indirect and mixed quotes and their speakers, on
// articles we write, through the shipped models (models/) and cue lexicon
// (data/quotes/cues.tsv) as `sitrep extract` runs them; and the lexicon's
// error messages.
#include "sitrep/quotes.h"

#include <gtest/gtest.h>

#include <string>

#include "sitrep/pipeline.h"
#include "testing/shipped_pipeline.h"

namespace sitrep {
namespace {

class Quotes : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pipeline_ = ShippedPipeline().pipeline.get();
    ASSERT_NE(pipeline_, nullptr) << ShippedPipeline().status.ToString();
  }

  static Document Run(const std::string& text, const std::string& date = "2025-03-09") {
    Metadata meta;
    meta.date = date;
    Document doc(text, meta);
    pipeline_->Annotate(&doc);
    return doc;
  }
  static std::string Text(const Document& doc, uint32_t b, uint32_t e) {
    if (e <= b) return "";
    return std::string(doc.text(ByteSpan{doc.tokens()[b].begin, doc.tokens()[e - 1].end}));
  }
  static std::string Content(const Document& doc, const Quote& q) {
    return Text(doc, q.content_begin, q.content_end);
  }
  static std::string Content2(const Document& doc, const Quote& q) {
    return Text(doc, q.content2_begin, q.content2_end);
  }
  static std::string Speaker(const Document& doc, const Quote& q) {
    return Text(doc, q.speaker_begin, q.speaker_end);
  }
  static std::string Cue(const Document& doc, const Quote& q) {
    return Text(doc, q.cue_begin, q.cue_end);
  }
  static std::string ActorName(const Document& doc, const Quote& q) {
    if (q.speaker_actor < 0) return "(none)";
    return std::string(doc.pool(doc.actors()[q.speaker_actor].name));
  }
  static SpeakerType Type(const Quote& q) { return static_cast<SpeakerType>(q.speaker_type); }
  // The quote whose content (either part) contains `words`, or null.
  static const Quote* Find(const Document& doc, const std::string& words) {
    for (const Quote& q : doc.quotes())
      if (Content(doc, q).find(words) != std::string::npos ||
          Content2(doc, q).find(words) != std::string::npos)
        return &q;
    return nullptr;
  }
  static std::string Dump(const Document& doc) {
    std::string s;
    for (const Quote& q : doc.quotes())
      s += std::string(QuoteKindName(q.kind)) + " [" + Content(doc, q) + "] [" + Content2(doc, q) +
           "] cue=" + Cue(doc, q) + " speaker=" + Speaker(doc, q) + " actor=" + ActorName(doc, q) +
           " type=" + std::string(SpeakerTypeName(Type(q))) + " parent=" +
           std::to_string(q.parent) + "\n";
    return s;
  }

  static const Pipeline* pipeline_;
};
const Pipeline* Quotes::pipeline_ = nullptr;

TEST_F(Quotes, DirectQuoteAcrossParagraphsContinuedByAnOpeningMark) {
  Document doc = Run(
      "Defence Minister Maria Kivi spoke at the harbour in Tallinn on Friday.\n\n"
      "\"The first task is to keep the sea lanes open. We cannot let the shipping stop.\n\n"
      "\"The second task is to protect the cables on the sea floor,\" Kivi said.\n");
  ASSERT_EQ(doc.quotes().size(), 1u) << Dump(doc);
  const Quote& q = doc.quotes()[0];
  EXPECT_EQ(q.kind, QuoteKind::kDirect);
  const std::string c = Content(doc, q);
  EXPECT_EQ(c.rfind("The first task", 0), 0u) << c;
  EXPECT_NE(c.find("on the sea floor,"), std::string::npos) << c;
  EXPECT_EQ(Cue(doc, q), "said");
  EXPECT_EQ(Speaker(doc, q), "Kivi");
  EXPECT_EQ(ActorName(doc, q), "Maria Kivi");
  EXPECT_EQ(Type(q), SpeakerType::kNamed);
  EXPECT_EQ(q.parent, -1);
}

TEST_F(Quotes, CurlyAndSingleMarksAndSpeakerAfterTheCue) {
  Document doc = Run(
      "\u201CWe will open the new school in September,\u201D said Ana Lopez, the city's "
      "education director. \u2018Every child will have a seat,\u2019 Lopez added.");
  ASSERT_EQ(doc.quotes().size(), 2u) << Dump(doc);
  const Quote* a = Find(doc, "new school");
  ASSERT_NE(a, nullptr) << Dump(doc);
  EXPECT_EQ(Content(doc, *a), "We will open the new school in September,");
  EXPECT_EQ(ActorName(doc, *a), "Ana Lopez") << Dump(doc);
  const Quote* b = Find(doc, "Every child");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(Cue(doc, *b), "added");
  EXPECT_EQ(ActorName(doc, *b), "Ana Lopez") << Dump(doc);
}

TEST_F(Quotes, ColonIntroducesAQuote) {
  Document doc = Run(
      "The harbour master, Jonas Berg, told reporters: \"We will rebuild the pier before "
      "the winter storms arrive.\"");
  const Quote* q = Find(doc, "We will rebuild");
  ASSERT_NE(q, nullptr) << Dump(doc);
  EXPECT_EQ(q->kind, QuoteKind::kDirect);
  EXPECT_EQ(Cue(doc, *q), "told");
  EXPECT_NE(Speaker(doc, *q).find("Berg"), std::string::npos) << Dump(doc);
  EXPECT_EQ(doc.quotes().size(), 1u) << Dump(doc);
}

TEST_F(Quotes, SplitQuoteWithTheAttributionInTheMiddleIsOneQuote) {
  Document doc = Run(
      "\"The talks are over,\" Jonas Berg said, \"and nobody will reopen them this year.\"");
  ASSERT_EQ(doc.quotes().size(), 1u) << Dump(doc);
  const Quote& q = doc.quotes()[0];
  EXPECT_EQ(Content(doc, q), "The talks are over,");
  EXPECT_EQ(Content2(doc, q), "and nobody will reopen them this year.");
  EXPECT_EQ(ActorName(doc, q), "Jonas Berg");
}

TEST_F(Quotes, AccordingToOrganizationAndCountry) {
  Document doc = Run(
      "According to the Finnish foreign ministry, the border crossing will reopen on Monday. "
      "According to Estonia, the drills near the border were planned months ago.");
  const Quote* a = Find(doc, "border crossing will reopen");
  ASSERT_NE(a, nullptr) << Dump(doc);
  EXPECT_EQ(a->kind, QuoteKind::kIndirect);
  EXPECT_EQ(Cue(doc, *a), "According to");
  EXPECT_NE(Speaker(doc, *a).find("ministry"), std::string::npos) << Dump(doc);
  EXPECT_EQ(Type(*a), SpeakerType::kOrganization) << Dump(doc);
  EXPECT_EQ(Content(doc, *a), "the border crossing will reopen on Monday");
  const Quote* b = Find(doc, "drills near the border");
  ASSERT_NE(b, nullptr) << Dump(doc);
  EXPECT_EQ(Speaker(doc, *b), "Estonia");
  EXPECT_EQ(Type(*b), SpeakerType::kCountry);
  EXPECT_EQ(ActorName(doc, *b), "Estonia");
}

TEST_F(Quotes, IndirectQuotesWithAndWithoutThat) {
  Document doc = Run(
      "Security analyst Rein Kask said that the exercise had been planned for a year. "
      "The convoy reached the border before dawn, Kask said. "
      "Kask believes the next round of talks will fail. "
      "Mayor Liis Tamm warned that the bridge could close in March.");
  const Quote* a = Find(doc, "the exercise had been planned");
  ASSERT_NE(a, nullptr) << Dump(doc);
  EXPECT_EQ(a->kind, QuoteKind::kIndirect);
  EXPECT_EQ(Content(doc, *a), "the exercise had been planned for a year");
  EXPECT_EQ(ActorName(doc, *a), "Rein Kask");
  const Quote* b = Find(doc, "The convoy reached the border");
  ASSERT_NE(b, nullptr) << Dump(doc);
  EXPECT_EQ(Content(doc, *b), "The convoy reached the border before dawn");
  EXPECT_EQ(ActorName(doc, *b), "Rein Kask");
  const Quote* c = Find(doc, "next round of talks");
  ASSERT_NE(c, nullptr) << Dump(doc);
  EXPECT_EQ(Cue(doc, *c), "believes");
  const Quote* d = Find(doc, "the bridge could close");
  ASSERT_NE(d, nullptr) << Dump(doc);
  EXPECT_EQ(Cue(doc, *d), "warned");
  EXPECT_NE(Speaker(doc, *d).find("Liis Tamm"), std::string::npos) << Dump(doc);
  EXPECT_EQ(Type(*d), SpeakerType::kNamed);
  EXPECT_EQ(doc.quotes().size(), 4u) << Dump(doc);
}

TEST_F(Quotes, PronounAndDescriptionSpeakersResolveToThePerson) {
  Document doc = Run(
      "Marta Olsen, a nurse in Tartu, described the night of the flood. "
      "She said the hospital had run out of beds by midnight.");
  const Quote* q = Find(doc, "the hospital had run out");
  ASSERT_NE(q, nullptr) << Dump(doc);
  EXPECT_EQ(Speaker(doc, *q), "She");
  EXPECT_EQ(Type(*q), SpeakerType::kPronoun);
  EXPECT_EQ(ActorName(doc, *q), "Marta Olsen");
}

TEST_F(Quotes, PartialQuoteInsideAnotherSpeakersQuoteBelongsToItsOwnSpeaker) {
  Document doc = Run(
      "\"Yesterday the mayor told us that the new tax was 'a gift to the banks' and then he "
      "left the room. We stayed until the end,\" union leader Peeter Saar said.");
  const Quote* outer = Find(doc, "We stayed until the end");
  ASSERT_NE(outer, nullptr) << Dump(doc);
  EXPECT_EQ(outer->kind, QuoteKind::kDirect);
  EXPECT_EQ(ActorName(doc, *outer), "Peeter Saar");
  const Quote* inner = nullptr;
  for (const Quote& q : doc.quotes())
    if (&q != outer && Content(doc, q).find("a gift to the banks") != std::string::npos) inner = &q;
  ASSERT_NE(inner, nullptr) << Dump(doc);
  EXPECT_EQ(inner->kind, QuoteKind::kMixed);
  EXPECT_EQ(Cue(doc, *inner), "told");
  EXPECT_EQ(Speaker(doc, *inner), "the mayor");
  ASSERT_GE(inner->parent, 0);
  EXPECT_EQ(&doc.quotes()[inner->parent], outer);
}

TEST_F(Quotes, ScareQuotesTitlesAndCaptionsAreNoQuotations) {
  Document doc = Run(
      "The so-called \"peace plan\" was never published. "
      "Students read the novel \"War and Peace\" on the night train to Narva.\n\n"
      "Jaan Tamm. Source: ERR\n\n"
      "The \"temporary\" fence has stood for ten years.");
  EXPECT_TRUE(doc.quotes().empty()) << Dump(doc);
}

TEST_F(Quotes, AnonymousSpeakers) {
  Document doc = Run(
      "Officials said the convoy had crossed the river at dawn. "
      "Two senior diplomats said that the talks would resume in Vienna.");
  const Quote* a = Find(doc, "the convoy had crossed");
  ASSERT_NE(a, nullptr) << Dump(doc);
  EXPECT_EQ(Speaker(doc, *a), "Officials");
  EXPECT_EQ(Type(*a), SpeakerType::kAnonymous);
  EXPECT_EQ(a->speaker_actor, -1);
  const Quote* b = Find(doc, "the talks would resume");
  ASSERT_NE(b, nullptr) << Dump(doc);
  EXPECT_EQ(Speaker(doc, *b), "Two senior diplomats");
  EXPECT_EQ(Type(*b), SpeakerType::kAnonymous);
}

TEST_F(Quotes, SpokesmanOfAnOrganizationAndPassiveReports) {
  Document doc = Run(
      "NATO's spokesman said the alliance would send more ships to the Baltic. "
      "It was reported by the state broadcaster that the minister had resigned.");
  const Quote* a = Find(doc, "the alliance would send");
  ASSERT_NE(a, nullptr) << Dump(doc);
  EXPECT_EQ(Speaker(doc, *a), "NATO's spokesman");
  EXPECT_EQ(Type(*a), SpeakerType::kNominal);
  EXPECT_NE(a->speaker_actor, -1) << Dump(doc);
  const Quote* b = Find(doc, "the minister had resigned");
  ASSERT_NE(b, nullptr) << Dump(doc);
  EXPECT_EQ(Cue(doc, *b), "reported");
  EXPECT_NE(Speaker(doc, *b).find("broadcaster"), std::string::npos) << Dump(doc);
}

TEST_F(Quotes, UnattributedQuoteParagraphContinuesThePreviousSpeaker) {
  Document doc = Run(
      "\"We have enough fuel for the winter,\" energy minister Karl Vaher said.\n\n"
      "\"The new pipeline from Finland will be ready in April.\"\n");
  ASSERT_EQ(doc.quotes().size(), 2u) << Dump(doc);
  const Quote* q = Find(doc, "The new pipeline");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(ActorName(doc, *q), "Karl Vaher") << Dump(doc);
  EXPECT_LT(q->confidence, doc.quotes()[0].confidence);
}

TEST_F(Quotes, ACueWithNoSubjectInTheParseTakesTheNearestSpeaker) {
  Document doc = Run("Lepik, claiming he was wasting time in government, left the room.");
  const Quote* q = Find(doc, "he was wasting time");
  ASSERT_NE(q, nullptr) << Dump(doc);
  EXPECT_EQ(Speaker(doc, *q), "Lepik") << Dump(doc);
}

TEST_F(Quotes, UnattributedQuoteContinuesASpeakerTwoParagraphsBack) {
  Document doc = Run(
      "\"We have enough grain for the winter,\" farm minister Karl Vaher said on Monday.\n\n"
      "The ministry has stored the grain in four ports since the autumn.\n\n"
      "\"The new silos near the coast will be ready in April.\"\n");
  const Quote* q = Find(doc, "The new silos");
  ASSERT_NE(q, nullptr) << Dump(doc);
  EXPECT_EQ(ActorName(doc, *q), "Karl Vaher") << Dump(doc);
}

TEST_F(Quotes, UnattributedQuoteTakesTheSubjectOfTheSentenceBefore) {
  Document doc = Run(
      "Mayor Liis Kask had a warning for the council on Tuesday. "
      "\"The budget will not survive another winter like this one.\"");
  const Quote* q = Find(doc, "The budget will not survive");
  ASSERT_NE(q, nullptr) << Dump(doc);
  EXPECT_NE(Speaker(doc, *q).find("Liis Kask"), std::string::npos) << Dump(doc);
}

TEST_F(Quotes, CalledTheObjectAQuotedNameIsOneMixedQuote) {
  Document doc = Run("Council member Ann Pruett called the new budget \"a disgrace to the city\".");
  const Quote* q = Find(doc, "a disgrace to the city");
  ASSERT_NE(q, nullptr) << Dump(doc);
  EXPECT_EQ(q->kind, QuoteKind::kMixed);
  EXPECT_EQ(Content(doc, *q).rfind("the new budget", 0), 0u) << Dump(doc);
  EXPECT_EQ(Cue(doc, *q), "called");
  EXPECT_NE(Speaker(doc, *q).find("Ann Pruett"), std::string::npos) << Dump(doc);
}

TEST_F(Quotes, QuoteEndingInAFullStopTakesNoCueFromTheNextSentence) {
  Document doc = Run(
      "\"The harbour will close in May.\" He says the ships will move to another port.");
  const Quote* direct = Find(doc, "The harbour will close");
  ASSERT_NE(direct, nullptr) << Dump(doc);
  EXPECT_EQ(direct->cue_end, direct->cue_begin) << Dump(doc);
  const Quote* indirect = Find(doc, "the ships will move");
  ASSERT_NE(indirect, nullptr) << Dump(doc);
  EXPECT_EQ(indirect->kind, QuoteKind::kIndirect);
  EXPECT_EQ(Cue(doc, *indirect), "says");
}

TEST_F(Quotes, QuotedWordsOpeningTheReportedClauseGiveTheWholeClause) {
  Document doc = Run(
      "Council member Ann Pruett said \"boots on the ground\" would be needed in the harbour.");
  const Quote* q = Find(doc, "boots on the ground");
  ASSERT_NE(q, nullptr) << Dump(doc);
  EXPECT_EQ(q->kind, QuoteKind::kMixed);
  EXPECT_NE(Content(doc, *q).find("would be needed in the harbour"), std::string::npos)
      << Dump(doc);
}

TEST_F(Quotes, ACueInsideWhatAnotherCueReportsIsNoAttribution) {
  Document doc = Run(
      "Speaking on the radio last week, Toomas Oja said his band had written new songs "
      "for the tour.");
  ASSERT_EQ(doc.quotes().size(), 1u) << Dump(doc);
  EXPECT_EQ(Cue(doc, doc.quotes()[0]), "said");
  EXPECT_EQ(Content(doc, doc.quotes()[0]), "his band had written new songs for the tour");
}

TEST_F(Quotes, AParticipleOfAnotherCueEndsTheContentAndSharesTheSpeaker) {
  Document doc = Run(
      "Toomas Oja said the old levy had failed, adding that the town would need a new one.");
  const Quote* a = Find(doc, "the old levy had failed");
  ASSERT_NE(a, nullptr) << Dump(doc);
  EXPECT_EQ(Content(doc, *a), "the old levy had failed") << Dump(doc);
  const Quote* b = Find(doc, "the town would need");
  ASSERT_NE(b, nullptr) << Dump(doc);
  EXPECT_EQ(Cue(doc, *b), "adding");
  EXPECT_EQ(Speaker(doc, *b), "Toomas Oja") << Dump(doc);
}

TEST_F(Quotes, QuotedFragmentOfAnotherSpeakerInsideADirectQuoteIsItsContent) {
  Document doc = Run(
      "\"We saw this when the mayor said that the 'tax of all taxes' was coming if the banks "
      "did not pay. That is not enough,\" union leader Peeter Saar said.");
  const Quote* outer = Find(doc, "That is not enough");
  ASSERT_NE(outer, nullptr) << Dump(doc);
  const Quote* inner = nullptr;
  for (const Quote& q : doc.quotes())
    if (&q != outer && Content(doc, q) == "tax of all taxes") inner = &q;
  ASSERT_NE(inner, nullptr) << Dump(doc);
  EXPECT_EQ(inner->kind, QuoteKind::kMixed);
  EXPECT_EQ(Speaker(doc, *inner), "the mayor");
  ASSERT_GE(inner->parent, 0);
  EXPECT_EQ(&doc.quotes()[inner->parent], outer);
}

TEST_F(Quotes, AQuotedFragmentRunningPastTheClauseEndExtendsTheContent) {
  Document doc = Run(
      "Toomas Oja said that the levy was \"a failure; a waste of money\" for the town.");
  const Quote* q = Find(doc, "the levy was");
  ASSERT_NE(q, nullptr) << Dump(doc);
  EXPECT_EQ(q->kind, QuoteKind::kMixed);
  EXPECT_NE(Content(doc, *q).find("a waste of money"), std::string::npos) << Dump(doc);
}

TEST_F(Quotes, InvariantsHoldOnEveryQuote) {
  Document doc = Run(
      "\"Unclosed quote at the end of a paragraph\n\n"
      "Then a line. \"'\" \" ' said.\n\n\"\"\n\n"
      "\"Nested 'single \"double\" inside' marks,\" she said, \"and more.");
  for (const Quote& q : doc.quotes()) {
    EXPECT_LT(q.content_begin, q.content_end);
    EXPECT_LE(q.content_end, doc.tokens().size());
    EXPECT_LE(q.content2_end, doc.tokens().size());
    EXPECT_LE(q.cue_end, doc.tokens().size());
    EXPECT_LE(q.speaker_end, doc.tokens().size());
    EXPECT_LT(q.speaker_actor, static_cast<int32_t>(doc.actors().size()));
    EXPECT_LT(q.parent, static_cast<int32_t>(doc.quotes().size()));
    EXPECT_GT(q.confidence, 0.0f);
    EXPECT_LE(q.confidence, 1.0f);
  }
  for (size_t i = 1; i < doc.quotes().size(); ++i)
    EXPECT_LE(doc.quotes()[i - 1].content_begin, doc.quotes()[i].content_begin);
}

TEST(QuoteLexicon, ErrorsNameTheLine) {
  auto ok = QuoteExtractor::FromText("# c\nsay\tVERB\tverb\t1\naccording to\tADP\tphrase\t0.9\n",
                                     "cues.tsv");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ((*ok)->cues().size(), 2u);
  auto cols = QuoteExtractor::FromText("say\tVERB\tverb\n", "cues.tsv");
  ASSERT_FALSE(cols.ok());
  EXPECT_NE(cols.status().message().find("cues.tsv:1: expected 4"), std::string::npos)
      << cols.status().ToString();
  auto pos = QuoteExtractor::FromText("\nsay\tVERB\tverb\t1\nclaim\tADJ\tnoun\t1\n", "x.tsv");
  ASSERT_FALSE(pos.ok());
  EXPECT_NE(pos.status().message().find("x.tsv:3: part of speech"), std::string::npos)
      << pos.status().ToString();
  auto weight = QuoteExtractor::FromText("say\tVERB\tverb\t1.5\n", "x.tsv");
  EXPECT_FALSE(weight.ok());
  auto dup = QuoteExtractor::FromText("say\tVERB\tverb\t1\nsay\tVERB\tverb\t0.5\n", "x.tsv");
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.status().message().find("x.tsv:2: duplicate"), std::string::npos);
  auto kind = QuoteExtractor::FromText("point out\tVERB\tverb\t1\n", "x.tsv");
  EXPECT_FALSE(kind.ok());
  auto missing = QuoteExtractor::Load("/nonexistent/cues.tsv");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
}

TEST(QuoteLexicon, ShippedLexiconLoads) {
  auto q = QuoteExtractor::Load(std::string(SITREP_SOURCE_DIR) + "/data/quotes/cues.tsv");
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_GT((*q)->cues().size(), 50u);
}

}  // namespace
}  // namespace sitrep
