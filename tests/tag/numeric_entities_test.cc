#include "sitrep/numeric_entities.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sitrep/text.h"

namespace sitrep {
namespace {

using V = std::vector<std::string>;

const NumericEntityFinder& Finder() {
  static const NumericEntityFinder* f = new NumericEntityFinder();
  return *f;
}

Document Analyze(const std::string& text) {
  static const Tokenizer* tok = new Tokenizer();
  static const SentenceSplitter* split = new SentenceSplitter();
  Document doc(text, Metadata());
  tok->Tokenize(&doc);
  split->Split(&doc);
  return doc;
}

// "TYPE:text=value" for every entity of doc.
V Mentions(const Document& doc) {
  V out;
  for (size_t k = 0; k < doc.entities().size(); ++k) {
    const Entity& e = doc.entities()[k];
    uint32_t b = doc.tokens()[e.token_begin].begin, end = doc.tokens()[e.token_end - 1].end;
    out.push_back(std::string(EntityTypeName(e.type)) + ":" + doc.text().substr(b, end - b) + "=" +
                  std::string(doc.entity_value(k)));
  }
  return out;
}

V Find(const std::string& text) {
  Document doc = Analyze(text);
  Finder().Find(&doc);
  return Mentions(doc);
}

struct Case {
  const char* text;
  V mentions;
};

class NumericEntityCases : public ::testing::TestWithParam<Case> {};

TEST_P(NumericEntityCases, Finds) { EXPECT_EQ(Find(GetParam().text), GetParam().mentions); }

INSTANTIATE_TEST_SUITE_P(
    NumericDate, NumericEntityCases,
    ::testing::Values(
        Case{"Next week, representatives from the United States and Ukraine will meet in Saudi Arabia.",
             V{"DATE:Next week="}},
        Case{"The army claimed gains during its latest offensive over the past week.",
             V{"DATE:the past week="}},
        Case{"The talks opened on 9 March 2025 in Geneva.", V{"DATE:9 March 2025=2025-03-09"}},
        Case{"The talks opened on March 9, 2025, in Geneva.", V{"DATE:March 9, 2025=2025-03-09"}},
        Case{"The talks open on March 9.", V{"DATE:March 9=XXXX-03-09"}},
        Case{"The talks opened in March 2025.", V{"DATE:March 2025=2025-03"}},
        Case{"Filed 2025-03-09 and signed 03/09/2025.",
             V{"DATE:2025-03-09=2025-03-09", "DATE:03/09/2025=2025-03-09"}},
        Case{"The plant was built in 1987 and rebuilt after the 2014 war.",
             V{"DATE:1987=1987", "DATE:2014=2014"}},
        Case{"Between 2014 and 2016 little changed.", V{"DATE:2014=2014", "DATE:2016=2016"}},
        Case{"Output peaked in the 1990s and fell in the early 2000s.",
             V{"DATE:the 1990s=199X", "DATE:the early 2000s=200X"}},
        Case{"Prices should ease by mid-2024 or early March.",
             V{"DATE:mid-2024=2024", "DATE:early March=XXXX-03"}},
        Case{"Revenue grew in Q3 2024 and in the third quarter of 2023.",
             V{"DATE:Q3 2024=2024-Q3", "DATE:the third quarter of 2023=2023-Q3"}},
        Case{"The fund runs until the end of 2026.", V{"DATE:the end of 2026=2026"}},
        Case{"Officials said on Tuesday that talks would resume Friday.",
             V{"DATE:Tuesday=", "DATE:Friday="}},
        Case{"The vote, held Sunday, March 2, 2025, was close.",
             V{"DATE:Sunday, March 2, 2025=2025-03-02"}},
        Case{"Yesterday the mayor spoke; today she resigned and tomorrow she leaves.",
             V{"DATE:Yesterday=", "DATE:today=", "DATE:tomorrow="}},
        Case{"Earlier this month the ministry said prices rose last year and this year.",
             V{"DATE:Earlier this month=", "DATE:last year=", "DATE:this year="}},
        Case{"Shelling intensified in recent weeks and resumed the following day.",
             V{"DATE:recent weeks=", "DATE:the following day="}},
        Case{"Two days ago the envoy left; she had arrived a week earlier.",
             V{"DATE:Two days ago=", "DATE:a week earlier="}},
        Case{"The siege lasted three years.", V{"DATE:three years=P3Y"}},
        Case{"A few days ago the envoy left; weeks earlier she had warned them.",
             V{"DATE:A few days ago=", "DATE:weeks earlier="}},
        Case{"Several months ago and a couple of weeks ago, hours ago.",
             V{"DATE:Several months ago=", "DATE:a couple of weeks ago=", "TIME:hours ago="}},
        Case{"The war could last years, as it did decades earlier.",
             V{"DATE:decades earlier="}},
        Case{"A 67-year-old man signed a five-year deal.",
             V{"DATE:67-year-old=P67Y", "DATE:five-year=P5Y"}},
        Case{"Aid flows should rise in the coming days and over the next two months.",
             V{"DATE:the coming days=", "DATE:the next two months="}},
        Case{"The program ran from 2014-2016.", V{"DATE:2014-2016=2014/2016"}},
        Case{"It was the worst summer of 2024 and of the 21st century.",
             V{"DATE:summer of 2024=2024-SU", "DATE:the 21st century=20XX"}}));

INSTANTIATE_TEST_SUITE_P(
    NumericTime, NumericEntityCases,
    ::testing::Values(
        Case{"The blast came at 5:30 p.m. and another at 17:30.",
             V{"TIME:5:30 p.m.=17:30", "TIME:17:30=17:30"}},
        Case{"Sirens sounded at 10 a.m. local time.", V{"TIME:10 a.m. local time=10:00"}},
        Case{"The curfew runs from midnight to noon.", V{"TIME:midnight=00:00", "TIME:noon=12:00"}},
        Case{"Troops moved in on Tuesday night and withdrew this morning.",
             V{"TIME:Tuesday night=", "TIME:this morning="}},
        Case{"Strikes hit the city last night and again at 0400 GMT.",
             V{"TIME:last night=", "TIME:0400 GMT=04:00"}},
        Case{"No attacks were recorded in the past 24 hours.", V{"TIME:the past 24 hours="}}));

INSTANTIATE_TEST_SUITE_P(
    NumericMoney, NumericEntityCases,
    ::testing::Values(
        Case{"The loan totals $5 million.", V{"MONEY:$5 million=5000000 USD"}},
        Case{"Brussels pledged €20bn and London £3.5m.",
             V{"MONEY:\xE2\x82\xAC" "20bn=20000000000 EUR", "MONEY:\xC2\xA3" "3.5m=3500000 GBP"}},
        Case{"It costs 20 billion euros, 500 rubles or 1.2 trillion yen.",
             V{"MONEY:20 billion euros=20000000000 EUR", "MONEY:500 rubles=500 RUB",
               "MONEY:1.2 trillion yen=1200000000000 JPY"}},
        Case{"Each ticket was US$ 40, or 300 Hong Kong dollars.",
             V{"MONEY:US$ 40=40 USD", "MONEY:300 Hong Kong dollars=300 HKD"}},
        Case{"Pensions rose to 6,000 hryvnias.", V{"MONEY:6,000 hryvnias=6000 UAH"}},
        Case{"Damage is estimated at about $3-4 billion.",
             V{"MONEY:about $3-4 billion=3000000000-4000000000 USD"}},
        Case{"Bread costs 50 cents.", V{"MONEY:50 cents=0.5 USD"}},
        Case{"Net profit was 20 mln dlrs, or 31 cts a share.",
             V{"MONEY:20 mln dlrs=20000000 USD", "MONEY:31 cts=0.31 USD"}}));

INSTANTIATE_TEST_SUITE_P(
    NumericPercentQuantity, NumericEntityCases,
    ::testing::Values(
        Case{"Inflation hit 12.5% after rising 12.5 percent and 12.5 per cent.",
             V{"PERCENT:12.5%=12.5", "PERCENT:12.5 percent=12.5", "PERCENT:12.5 per cent=12.5"}},
        Case{"The bank cut rates by half a percentage point.",
             V{"PERCENT:half a percentage point=0.5"}},
        Case{"The front moved 40 km, then 25 kilometres.",
             V{"QUANTITY:40 km=40 km", "QUANTITY:25 kilometres=25 km"}},
        Case{"Fires burned 1,200 square miles and 3 tonnes of grain.",
             V{"QUANTITY:1,200 square miles=1200 mi2", "QUANTITY:3 tonnes=3 t"}},
        Case{"They seized 155mm shells and 10 kg of explosives.",
             V{"QUANTITY:155mm=155 mm", "QUANTITY:10 kg=10 kg"}},
        Case{"The field pumps 50 barrels per day.", V{"QUANTITY:50 barrels per day=50 bbl/d"}}));

INSTANTIATE_TEST_SUITE_P(
    NumericCardinalOrdinal, NumericEntityCases,
    ::testing::Values(
        Case{"Two soldiers and 1,000 civilians fled.", V{"CARDINAL:Two=2", "CARDINAL:1,000=1000"}},
        Case{"Some 3.5 million people and twenty-five villages were hit.",
             V{"CARDINAL:Some 3.5 million=3500000", "CARDINAL:twenty-five=25"}},
        Case{"A hundred drones and more than 40 missiles were fired.",
             V{"CARDINAL:A hundred=100", "CARDINAL:more than 40=40"}},
        Case{"It was the first and the 21st attack, and the third in a row.",
             V{"ORDINAL:first=1", "ORDINAL:21st=21", "ORDINAL:third=3"}},
        Case{"He made a second attempt.", V{"ORDINAL:second=2"}}));

INSTANTIATE_TEST_SUITE_P(
    NumericNegative, NumericEntityCases,
    ::testing::Values(
        Case{"May I ask a question?", V{}},
        Case{"The 1987 people on the list were freed.", V{"CARDINAL:1987=1987"}},
        Case{"One of the guards said no one was hurt.", V{}},
        Case{"Secondly, the aid arrived recently.", V{}},
        Case{"He paused for a second.", V{}},
        Case{"At first the F-16 and COVID-19 news was ignored.", V{}},
        Case{"Protesters march in the capital; the war could last years.", V{}},
        Case{"The Second Army held the line.", V{}},
        Case{"Dozens were hurt.", V{}},
        Case{"It appeared in USA Today.", V{}}));

TEST(NumericEntities, BareMonthsNeedContext) {
  EXPECT_EQ(Find("In May the river rose."), V{"DATE:May=XXXX-05"});
  EXPECT_EQ(Find("January was cold."), V{"DATE:January=XXXX-01"});
  EXPECT_EQ(Find("March on, they said."), V{});
}

TEST(NumericEntities, UsesPosTagsWhenPresent) {
  // "May" after "in" looks like a date; a tagger that calls it a modal wins.
  Document doc = Analyze("Prices in May fall.");
  doc.tags().resize(doc.tokens().size());
  doc.tags()[2].upos = Upos::kAUX;
  Finder().Find(&doc);
  EXPECT_EQ(Mentions(doc), V{});
}

TEST(NumericEntities, ExistingEntitiesWinAndOrderIsKept) {
  Document doc = Analyze("In 2022, 3 Brigade lost 40 tanks near Bakhmut on Tuesday.");
  // Tokens: In 2022 , 3 Brigade lost 40 tanks near Bakhmut on Tuesday .
  ASSERT_EQ(doc.token_text(3), "3");
  ASSERT_EQ(doc.token_text(11), "Tuesday");
  Entity org;
  org.token_begin = 3;
  org.token_end = 5;
  org.type = EntityType::kOrg;
  Entity gpe;
  gpe.token_begin = 9;
  gpe.token_end = 10;
  gpe.type = EntityType::kGpe;
  doc.entities() = {org, gpe};
  doc.entity_values() = "keep";
  doc.entities()[0].value_len = 4;
  Finder().Find(&doc);
  EXPECT_EQ(Mentions(doc), (V{"DATE:2022=2022", "ORG:3 Brigade=keep", "CARDINAL:40=40",
                              "GPE:Bakhmut=", "DATE:Tuesday="}));
  for (size_t k = 1; k < doc.entities().size(); ++k) {
    EXPECT_LE(doc.entities()[k - 1].token_end, doc.entities()[k].token_begin);
  }
}

TEST(NumericEntities, ExistingEntityCutsAMentionShort) {
  // The recognizer already called "Hong Kong" a GPE: the money rule must not
  // run through it, and "Tuesday" right before it stays a date on its own.
  Document doc = Analyze("They paid 300 Hong Kong dollars on Tuesday Hong Kong time.");
  ASSERT_EQ(doc.token_text(3), "Hong");
  ASSERT_EQ(doc.token_text(8), "Hong");
  Entity a, b;
  a.token_begin = 3, a.token_end = 5, a.type = EntityType::kGpe;
  b.token_begin = 8, b.token_end = 10, b.type = EntityType::kGpe;
  doc.entities() = {a, b};
  Finder().Find(&doc);
  EXPECT_EQ(Mentions(doc), (V{"CARDINAL:300=300", "GPE:Hong Kong=", "DATE:Tuesday=",
                              "GPE:Hong Kong="}));
}

TEST(NumericEntities, MentionsStayInsideSentences) {
  Document doc = Analyze("He left on March 3. 2025 was quiet. Then 40 km.");
  Finder().Find(&doc);
  for (const Entity& e : doc.entities()) {
    bool inside = false;
    for (const Sentence& s : doc.sentences())
      inside |= s.token_begin <= e.token_begin && e.token_end <= s.token_end;
    EXPECT_TRUE(inside);
  }
}

TEST(NumericEntities, EmptyDocumentAndNoSentences) {
  Document doc;
  Finder().Find(&doc);
  EXPECT_TRUE(doc.entities().empty());
  Document d2 = Analyze("   ");
  Finder().Find(&d2);
  EXPECT_TRUE(d2.entities().empty());
}

TEST(NumericEntities, HugeNumbersGetNoValue) {
  EXPECT_EQ(Find("It cost 123456789012345678901234 dollars."),
            V{"MONEY:123456789012345678901234 dollars="});
}

}  // namespace
}  // namespace sitrep
