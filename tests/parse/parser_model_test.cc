// Checks the shipped tagger and parser (models/) on sentences of our own whose
// analyses are unambiguous, through the Pipeline as `sitrep extract` runs it.
#include <gtest/gtest.h>

#include <string>

#include "sitrep/parser.h"
#include "sitrep/pipeline.h"
#include "testing/shipped_pipeline.h"

namespace sitrep {
namespace {

class ShippedModels : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pipeline_ = ShippedPipeline().pipeline.get();
    ASSERT_NE(pipeline_, nullptr) << ShippedPipeline().status.ToString();
  }

  // Index of the first token spelled `word`, or -1.
  static int Find(const Document& doc, std::string_view word) {
    for (size_t i = 0; i < doc.tokens().size(); ++i)
      if (doc.token_text(i) == word) return static_cast<int>(i);
    return -1;
  }
  // True when token `h` is `x` or an ancestor of it.
  static bool Dominates(const Document& doc, int h, int x) {
    for (size_t guard = 0; x >= 0 && guard <= doc.tokens().size(); ++guard) {
      if (x == h) return true;
      x = doc.deps()[x].head;
    }
    return false;
  }
  static std::string_view Rel(const Document& doc, int i) {
    return DeprelNames()[doc.deps()[i].deprel];
  }

  static const Pipeline* pipeline_;
};
const Pipeline* ShippedModels::pipeline_ = nullptr;

TEST_F(ShippedModels, EveryTokenGetsATagAndEachSentenceOneRoot) {
  Document doc("The ministry said on Wednesday that talks would resume. Nobody came.", Metadata());
  pipeline_->Annotate(&doc);
  ASSERT_EQ(doc.tags().size(), doc.tokens().size());
  ASSERT_EQ(doc.deps().size(), doc.tokens().size());
  ASSERT_EQ(doc.sentences().size(), 2u);
  for (const Sentence& s : doc.sentences()) {
    int roots = 0;
    for (uint32_t i = s.token_begin; i < s.token_end; ++i) {
      EXPECT_NE(doc.tags()[i].upos, Upos::kNone);
      const int h = doc.deps()[i].head;
      if (h < 0) {
        ++roots;
        EXPECT_EQ(Rel(doc, static_cast<int>(i)), "root");
      } else {
        EXPECT_GE(h, static_cast<int>(s.token_begin));
        EXPECT_LT(h, static_cast<int>(s.token_end));
        EXPECT_NE(h, static_cast<int>(i));
      }
    }
    EXPECT_EQ(roots, 1);
  }
}

TEST_F(ShippedModels, SubjectAndObjectOfAReportingVerb) {
  Document doc("Security expert Rainer Saks said the attack had failed.", Metadata());
  pipeline_->Annotate(&doc);
  const int said = Find(doc, "said"), rainer = Find(doc, "Rainer"), saks = Find(doc, "Saks"),
            failed = Find(doc, "failed");
  EXPECT_EQ(doc.tags()[said].upos, Upos::kVERB);
  EXPECT_EQ(doc.lemma(said), "say");
  EXPECT_EQ(doc.tags()[saks].upos, Upos::kPROPN);
  EXPECT_EQ(doc.deps()[said].head, -1);
  // The subject of "said" is the phrase "Security expert Rainer Saks":
  // headed by "Rainer" (title as compound) or by "expert" (name as appos),
  // both UD analyses; either way its subtree holds the whole name.
  int subject = -1;
  for (size_t i = 0; i < doc.tokens().size(); ++i)
    if (doc.deps()[i].head == said && Rel(doc, static_cast<int>(i)) == "nsubj")
      subject = static_cast<int>(i);
  ASSERT_GE(subject, 0);
  EXPECT_TRUE(subject == rainer || subject == Find(doc, "expert"));
  EXPECT_TRUE(Dominates(doc, subject, saks));
  EXPECT_TRUE(Dominates(doc, subject, Find(doc, "Security")));
  EXPECT_TRUE(doc.deps()[saks].head == rainer || doc.deps()[saks].head == Find(doc, "expert"));
  EXPECT_EQ(Rel(doc, saks), "flat");
  EXPECT_EQ(doc.deps()[failed].head, said);
  EXPECT_EQ(Rel(doc, failed), "ccomp");
}

TEST_F(ShippedModels, ConditionalClauseAttachesToTheMainVerb) {
  Document doc("The army will respond if the drones cross the border.", Metadata());
  pipeline_->Annotate(&doc);
  const int respond = Find(doc, "respond"), cross = Find(doc, "cross"), if_ = Find(doc, "if");
  // The clause hangs off the main verb as an adverbial clause, its "if"
  // marks it (the relabeler sees the marker, and RepairClauseRelations
  // corrects a ccomp under a verb that takes no if-complement).
  EXPECT_EQ(doc.deps()[cross].head, respond);
  EXPECT_EQ(Rel(doc, cross), "advcl");
  EXPECT_EQ(doc.deps()[if_].head, cross);
  EXPECT_EQ(Rel(doc, if_), "mark");
}

TEST(ParserLoad, RejectsAModelOfAnotherKind) {
  auto p = Parser::Load(std::string(SITREP_SOURCE_DIR) + "/models/tagger.bin");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().ToString().find("parser"), std::string::npos) << p.status().ToString();
  EXPECT_FALSE(Parser::Load("/nonexistent/parser.bin").ok());
}

}  // namespace
}  // namespace sitrep

namespace sitrep {
namespace {

TEST_F(ShippedModels, ReportingClauseAfterALongContentClause) {
  Document doc(
      "Officials from both countries met in Geneva on Monday to discuss a possible ceasefire "
      "along the northern border, defence analyst Tom Berg said.",
      Metadata());
  pipeline_->Annotate(&doc);
  const int said = Find(doc, "said"), met = Find(doc, "met"), analyst = Find(doc, "analyst"),
            berg = Find(doc, "Berg");
  EXPECT_EQ(doc.deps()[said].head, -1);
  EXPECT_EQ(doc.deps()[met].head, said);
  EXPECT_EQ(Rel(doc, met), "ccomp");
  // The subject phrase hangs from "said" (headed by "analyst" or "Berg").
  const int subject = Rel(doc, analyst) == "nsubj" ? analyst : berg;
  EXPECT_EQ(doc.deps()[subject].head, said);
  EXPECT_EQ(Rel(doc, subject), "nsubj");
  EXPECT_TRUE(Dominates(doc, subject, berg));
}

TEST_F(ShippedModels, FrontedSourceAndTimePhrase) {
  Document doc("According to the ministry, the convoy will leave next week. "
               "Next month, the two delegations will meet in Vienna.",
               Metadata());
  pipeline_->Annotate(&doc);
  const int according = Find(doc, "According"), ministry = Find(doc, "ministry"),
            leave = Find(doc, "leave"), month = Find(doc, "month"), meet = Find(doc, "meet");
  EXPECT_EQ(doc.deps()[according].head, ministry);
  EXPECT_EQ(Rel(doc, according), "case");
  EXPECT_EQ(doc.deps()[ministry].head, leave);
  EXPECT_EQ(Rel(doc, ministry), "obl");
  EXPECT_EQ(doc.deps()[month].head, meet);
  EXPECT_EQ(doc.deps()[meet].head, -1);
}

}  // namespace
}  // namespace sitrep
