// Events: triggers, actors, place, time, modality and statements, on
// sentences we write, through the shipped models and event lexicon
// (data/events/lexicon.tsv) as `sitrep extract` runs them; and the lexicon
// format's errors and overrides.
#include "sitrep/events.h"

#include <gtest/gtest.h>

#include <string>

#include "sitrep/json_output.h"
#include "sitrep/pipeline.h"
#include "testing/shipped_pipeline.h"

namespace sitrep {
namespace {

constexpr char kHeader[] = "word\tpos\twith\ttype\tmode\tcontext\tcameo\ttarget\n";

class Events : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pipeline_ = ShippedPipeline().pipeline.get();
    ASSERT_NE(pipeline_, nullptr) << ShippedPipeline().status.ToString();
  }

  static Document Run(const std::string& text, const std::string& date = "2025-03-09") {
    Metadata meta;
    meta.id = "t";
    meta.date = date;
    Document doc(text, meta);
    pipeline_->Annotate(&doc);
    return doc;
  }
  static std::string Text(const Document& doc, uint32_t b, uint32_t e) {
    if (e <= b) return "";
    return std::string(doc.text(ByteSpan{doc.tokens()[b].begin, doc.tokens()[e - 1].end}));
  }
  // "CODE" or "CODE SECTOR" of each argument in [b, e), '|'-joined.
  static std::string Codes(const Document& doc, uint32_t b, uint32_t e) {
    std::string s;
    for (uint32_t i = b; i < e; ++i) {
      const EventArg& a = doc.event_args()[i];
      if (!s.empty()) s += "|";
      s += std::string(doc.pool(a.code));
      if (!a.sector.empty()) s += " " + std::string(doc.pool(a.sector));
    }
    return s;
  }
  static std::string Source(const Document& doc, const Event& e) {
    return Codes(doc, e.source_begin, e.source_end);
  }
  static std::string Target(const Document& doc, const Event& e) {
    return Codes(doc, e.target_begin, e.target_end);
  }
  // The first event without a parent of `type`, or null.
  static const Event* Top(const Document& doc, EventType type) {
    for (const Event& e : doc.events())
      if (e.type == type && e.parent < 0) return &e;
    return nullptr;
  }
  static const Event* Any(const Document& doc, EventType type) {
    for (const Event& e : doc.events())
      if (e.type == type) return &e;
    return nullptr;
  }
  static std::string Dump(const Document& doc) {
    std::string s;
    for (const Event& e : doc.events())
      s += std::string(EventTypeName(e.type)) + " [" + Text(doc, e.trigger_begin, e.trigger_end) +
           "] src=" + Source(doc, e) + " tgt=" + Target(doc, e) + " " +
           std::string(EventModalityName(e.modality)) + (e.negated ? " negated" : "") +
           " parent=" + std::to_string(e.parent) + "\n";
    return s;
  }

  static const Pipeline* pipeline_;
};
const Pipeline* Events::pipeline_ = nullptr;

TEST_F(Events, AttackWithSourceTargetPlaceAndDate) {
  Document doc = Run("Russian troops attacked Ukrainian positions near Kharkiv on Tuesday.");
  const Event* e = Top(doc, EventType::kAssault);
  ASSERT_NE(e, nullptr) << Dump(doc);
  EXPECT_EQ(Source(doc, *e), "RUS MIL");
  EXPECT_EQ(Target(doc, *e), "UKR");
  ASSERT_GE(e->location, 0);
  const Mention& m = doc.mentions()[e->location];
  EXPECT_EQ(Text(doc, m.token_begin, m.token_end), "Kharkiv");
  ASSERT_GE(e->time, 0);
  EXPECT_EQ(e->modality, EventModality::kAsserted);
  EXPECT_FALSE(e->negated);
}

TEST_F(Events, SupportVerbLendsItsSubjectToTheEventNoun) {
  Document doc = Run("Iran launched a missile attack on Israel overnight.");
  const Event* e = Top(doc, EventType::kAssault);
  ASSERT_NE(e, nullptr) << Dump(doc);
  EXPECT_EQ(Source(doc, *e), "IRN");
  EXPECT_EQ(Target(doc, *e), "ISR");
  EXPECT_NE(Text(doc, e->trigger_begin, e->trigger_end).find("launched"), std::string::npos);
}

TEST_F(Events, FutureMeetingIsPlannedWithReciprocalActors) {
  Document doc = Run(
      "Next week, officials from Japan and South Korea will meet in Singapore.");
  const Event* e = Top(doc, EventType::kConsult);
  ASSERT_NE(e, nullptr) << Dump(doc);
  EXPECT_EQ(e->modality, EventModality::kPlanned);
  EXPECT_EQ(Source(doc, *e).substr(0, 3), "JPN");
  EXPECT_EQ(Target(doc, *e), "KOR");
  ASSERT_GE(e->location, 0);
}

TEST_F(Events, NegatedAndHypothetical) {
  Document doc = Run("Chile did not attack Peru.");
  const Event* e = Any(doc, EventType::kAssault);
  ASSERT_NE(e, nullptr) << Dump(doc);
  EXPECT_TRUE(e->negated);

  doc = Run("Canada would send aid to Haiti if the port reopened.");
  e = Any(doc, EventType::kAid);
  ASSERT_NE(e, nullptr) << Dump(doc);
  EXPECT_EQ(e->modality, EventModality::kHypothetical);
}

TEST_F(Events, NegatedAgreementIsARefusal) {
  Document doc = Run("Norway will not accept the proposal from Sweden, the foreign ministry said.");
  EXPECT_EQ(Any(doc, EventType::kAgree), nullptr) << Dump(doc);
  EXPECT_NE(Any(doc, EventType::kReject), nullptr) << Dump(doc);
}

TEST_F(Events, IntentToCooperateIsAgreeAndToAttackIsThreaten) {
  Document doc = Run("Egypt offered to mediate between Sudan and Chad.");
  const Event* e = Top(doc, EventType::kAgree);
  ASSERT_NE(e, nullptr) << Dump(doc);
  EXPECT_EQ(Source(doc, *e), "EGY");

  doc = Run("The rebels vowed to attack the capital of Mali.");
  e = Top(doc, EventType::kThreaten);
  ASSERT_NE(e, nullptr) << Dump(doc);
  // The act itself has not happened: it is planned, a child of the threat.
  const Event* act = Any(doc, EventType::kAssault);
  ASSERT_NE(act, nullptr) << Dump(doc);
  EXPECT_NE(act->modality, EventModality::kAsserted);
  EXPECT_GE(act->parent, 0);
}

TEST_F(Events, ConditionalSanctionsInAQuotationAreTheSpeakersThreat) {
  Document doc = Run(
      "President Emmanuel Macron said that sanctions would follow if Belarus did not release "
      "the prisoners.");
  const Event* e = Top(doc, EventType::kThreaten);
  ASSERT_NE(e, nullptr) << Dump(doc);
  EXPECT_EQ(Source(doc, *e).substr(0, 3), "FRA");
  EXPECT_EQ(Target(doc, *e), "BLR");
  EXPECT_TRUE(e->conditional);
  ASSERT_GE(e->quote, 0);
}

TEST_F(Events, AQuotationsWordsAreEventsOfItsSpeaker) {
  Document doc = Run(
      "\"We will not accept these conditions,\" President Emmanuel Macron said on Sunday. "
      "\"We demand the release of the prisoners.\"");
  const Event* reject = Top(doc, EventType::kReject);
  ASSERT_NE(reject, nullptr) << Dump(doc);
  EXPECT_EQ(Source(doc, *reject), "FRA GOV");
  EXPECT_GE(reject->quote, 0);
  const Event* demand = Top(doc, EventType::kRequest);
  ASSERT_NE(demand, nullptr) << Dump(doc);
  EXPECT_EQ(Source(doc, *demand), "FRA GOV");
}

TEST_F(Events, SayingAnotherActorMustActIsADemand) {
  Document doc = Run("Germany said on Monday that Serbia must withdraw its police from Kosovo.");
  const Event* e = Top(doc, EventType::kRequest);
  ASSERT_NE(e, nullptr) << Dump(doc);
  EXPECT_EQ(Source(doc, *e), "DEU");
  EXPECT_EQ(Target(doc, *e), "SRB");
}

TEST_F(Events, ReceivingAidComesFromTheGiver) {
  Document doc = Run("Moldova received military aid from Romania last year.");
  const Event* e = Top(doc, EventType::kAid);
  ASSERT_NE(e, nullptr) << Dump(doc);
  EXPECT_EQ(Source(doc, *e), "ROU");
  EXPECT_EQ(Target(doc, *e), "MDA");
}

TEST_F(Events, AVisitorIsTheActorAndTheHostTheRecipient) {
  Document doc = Run("Kenya hosted Uganda's foreign minister on Monday.");
  const Event* e = Top(doc, EventType::kConsult);
  ASSERT_NE(e, nullptr) << Dump(doc);
  EXPECT_EQ(Source(doc, *e), "UGA GOV");
  EXPECT_EQ(Target(doc, *e), "KEN");
}

TEST_F(Events, NoActorsNoEvent) {
  Document doc = Run("The question of how a ceasefire could be guaranteed remains open.");
  EXPECT_TRUE(doc.events().empty()) << Dump(doc);
}

TEST_F(Events, InvariantsAndPloverOutput) {
  Document doc = Run(
      "Turkish police detained 40 protesters in Ankara. The government of Kenya condemned the "
      "arrests, and Ethiopia said it will send troops to Somalia.");
  ASSERT_FALSE(doc.events().empty());
  for (size_t i = 0; i < doc.events().size(); ++i) {
    const Event& e = doc.events()[i];
    EXPECT_LT(e.trigger_begin, e.trigger_end);
    const Sentence& s = doc.sentences()[e.sentence];
    EXPECT_GE(e.trigger_begin, s.token_begin);
    EXPECT_LE(e.trigger_end, s.token_end);
    EXPECT_LE(e.source_end, doc.event_args().size());
    EXPECT_LE(e.target_end, doc.event_args().size());
    EXPECT_TRUE(e.source_end > e.source_begin || e.target_end > e.target_begin);
    EXPECT_NE(e.parent, static_cast<int32_t>(i));
    EXPECT_LT(e.parent, static_cast<int32_t>(doc.events().size()));
    EXPECT_GT(e.confidence, 0.0f);
    EXPECT_LE(e.confidence, 1.0f);
  }
  std::string out;
  AppendPloverEvents(doc, &out);
  size_t lines = 0;
  for (char c : out) lines += c == '\n';
  EXPECT_EQ(lines, doc.events().size());
  EXPECT_NE(out.find("\"id\":\"t-0\""), std::string::npos);
  EXPECT_NE(out.find("\"event_type\":\"COERCE\""), std::string::npos) << out;
  EXPECT_NE(out.find("\"recipient\":["), std::string::npos) << out;
}

TEST(EventLexicon, ErrorsNameTheLineAndReason) {
  struct Case {
    const char* body;
    const char* want;
  } cases[] = {
      {"attack\tVERB\t-\tASSAULT\t-\t-\t190\tobj\n", "t.tsv:1: the first line must be the header"},
      {"#c\nword\tpos\twith\ttype\tmode\tcontext\tcameo\ttarget\nattack\tVERB\t-\tASSAULT\t-\t-\t190\n",
       "t.tsv:3: expected 8 tab-separated columns, found 7"},
      {"word\tpos\twith\ttype\tmode\tcontext\tcameo\ttarget\nattack\tADV\t-\tASSAULT\t-\t-\t190\tobj\n",
       "t.tsv:2: pos must be VERB, NOUN or ADJ"},
      {"word\tpos\twith\ttype\tmode\tcontext\tcameo\ttarget\nattack\tVERB\t-\tFIGHTING\t-\t-\t190\tobj\n",
       "t.tsv:2: type must be a PLOVER event type"},
      {"word\tpos\twith\ttype\tmode\tcontext\tcameo\ttarget\nattack\tVERB\t-\tASSAULT\t-\t-\t19x\tobj\n",
       "t.tsv:2: cameo must be 2 to 4 digits"},
      {"word\tpos\twith\ttype\tmode\tcontext\tcameo\ttarget\nattack\tVERB\tfoo=bar\tASSAULT\t-\t-\t190\tobj\n",
       "t.tsv:2: unknown, repeated or multi-valued constraint"},
      {"word\tpos\twith\ttype\tmode\tcontext\tcameo\ttarget\nattack\tVERB\tobj\tASSAULT\t-\t-\t190\tobj\n",
       "t.tsv:2: constraint 'obj' is not key=value"},
      {"word\tpos\twith\ttype\tmode\tcontext\tcameo\ttarget\nattack\tVERB\t-\tASSAULT\t-\t-\t190\t+x\n",
       "t.tsv:2: target '+x'"},
      {"word\tpos\twith\ttype\tmode\tcontext\tcameo\ttarget\nat tack\tVERB\t-\tASSAULT\t-\t-\t190\tobj\n",
       "t.tsv:2: word must be one lower-case lemma"},
      {"word\tpos\twith\ttype\tmode\tcontext\tcameo\ttarget\nattack\tVERB\t-\tASSAULT\t\t-\t190\tobj\n",
       "t.tsv:2: empty column"},
      {"word\tpos\twith\ttype\tmode\tcontext\tcameo\ttarget\nattack\tVERB\t-\tASSAULT\t-\t-\t190\tobj\n"
       "attack\tVERB\t-\tCOERCE\t-\t-\t170\tobj\n",
       "t.tsv:3: duplicate entry"},
  };
  for (const Case& c : cases) {
    std::string path = ::testing::TempDir() + "t.tsv";
    FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fputs(c.body, f);
    std::fclose(f);
    auto got = EventLexicon::Load({path});
    ASSERT_FALSE(got.ok()) << c.body;
    const std::string msg = got.status().message();
    const std::string want = std::string(c.want).replace(0, 5, path);
    EXPECT_EQ(msg.rfind(want, 0), 0u) << msg << "\nwanted: " << want;
  }
}

TEST(EventLexicon, LaterFileReplacesTheSameEntryAndAddsNewOnes) {
  const std::string dir = ::testing::TempDir();
  const std::string a = dir + "a.tsv", b = dir + "b.tsv";
  auto write = [](const std::string& path, const std::string& body) {
    FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fputs(body.c_str(), f);
    std::fclose(f);
  };
  write(a, std::string(kHeader) + "attack\tVERB\t-\tASSAULT\t-\tmilitary\t190\tobj\n"
                                  "hold\tVERB\tobj=talks\tCONSULT\t-\t-\t040\twith\n");
  write(b, std::string(kHeader) + "attack\tVERB\t-\tCOERCE\t-\t-\t170\tobj\n"
                                  "shun\tVERB\t-\tREJECT\t-\t-\t120\tobj\n");
  auto lex = EventLexicon::Load({a, b});
  ASSERT_TRUE(lex.ok()) << lex.status().ToString();
  const auto& attack = (*lex)->Find(NormId("attack"), Upos::kVERB);
  ASSERT_EQ(attack.size(), 1u);
  EXPECT_EQ((*lex)->patterns()[attack[0]].type, EventType::kCoerce);
  EXPECT_EQ((*lex)->Find(NormId("shun"), Upos::kVERB).size(), 1u);
  const auto& hold = (*lex)->Find(NormId("hold"), Upos::kVERB);
  ASSERT_EQ(hold.size(), 1u);
  EXPECT_EQ((*lex)->patterns()[hold[0]].specificity, 1);
  EXPECT_TRUE((*lex)->Find(NormId("attack"), Upos::kNOUN).empty());
}

TEST(EventLexicon, ShippedLexiconLoads) {
  auto coder = EventCoder::Load({std::string(SITREP_SOURCE_DIR) + "/data/events/lexicon.tsv"});
  ASSERT_TRUE(coder.ok()) << coder.status().ToString();
  EXPECT_GT((*coder)->lexicon().patterns().size(), 500u);
}

TEST(EventLexicon, NoEventEntriesIsAnError) {
  EXPECT_FALSE(EventLexicon::Load({}).ok());
}

TEST(EventLexicon, MissingFileIsNotFound) {
  auto lex = EventLexicon::Load({"/nonexistent/lexicon.tsv"});
  ASSERT_FALSE(lex.ok());
  EXPECT_NE(lex.status().message().find("/nonexistent/lexicon.tsv"), std::string::npos);
}

}  // namespace
}  // namespace sitrep
