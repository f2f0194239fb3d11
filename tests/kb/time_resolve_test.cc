#include "sitrep/time_resolve.h"

#include <gtest/gtest.h>

#include <string>

#include "sitrep/numeric_entities.h"
#include "sitrep/pipeline.h"
#include "testing/shipped_pipeline.h"
#include "sitrep/text.h"

namespace sitrep {
namespace {

std::string Day(int32_t z) {
  char buf[11];
  FormatIsoDay(z, buf);
  return buf;
}

TEST(CalendarMath, RoundTripsAndKnownDays) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(Day(DaysFromCivil(2024, 2, 29)), "2024-02-29");
  EXPECT_EQ(DaysFromCivil(2024, 3, 1) - DaysFromCivil(2024, 2, 28), 2);
  EXPECT_EQ(DaysFromCivil(2100, 3, 1) - DaysFromCivil(2100, 2, 28), 1);  // not a leap year
  EXPECT_EQ(Day(-1), "1969-12-31");
  for (int32_t z = DaysFromCivil(1899, 12, 1); z < DaysFromCivil(2101, 2, 1); ++z) {
    int32_t y;
    int m, d;
    CivilFromDays(z, &y, &m, &d);
    ASSERT_EQ(DaysFromCivil(y, m, d), z);
  }
  EXPECT_EQ(IsoWeekday(DaysFromCivil(2025, 3, 9)), 7);   // a Sunday
  EXPECT_EQ(IsoWeekday(DaysFromCivil(2025, 3, 10)), 1);  // a Monday
  EXPECT_EQ(IsoWeekday(DaysFromCivil(1969, 12, 29)), 1);
}

TEST(CalendarMath, ParsesArticleDates) {
  int32_t z = 0;
  EXPECT_TRUE(ParseArticleDay("2025-03-09", &z));
  EXPECT_EQ(Day(z), "2025-03-09");
  EXPECT_TRUE(ParseArticleDay("2025-03-09T14:30:00Z", &z));
  EXPECT_EQ(Day(z), "2025-03-09");
  EXPECT_TRUE(ParseArticleDay("2024-02-29", &z));
  for (const char* bad : {"", "2025", "2025-03", "2025-13-01", "2025-02-29", "2025-04-31",
                          "March 9, 2025", "09/03/2025", "2025-03-09x", "2025-3-9", "20250309"})
    EXPECT_FALSE(ParseArticleDay(bad, &z)) << bad;
}

// The shipped models through the Pipeline (the resolver sees tags and trees),
// on sentences we wrote.
class ShippedTimes : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pipeline_ = ShippedPipeline().pipeline.get();
    ASSERT_NE(pipeline_, nullptr) << ShippedPipeline().status.ToString();
  }
  static const Pipeline* pipeline_;
};
const Pipeline* ShippedTimes::pipeline_ = nullptr;

// "begin..end granularity" of the DATE or TIME entity whose text is `mention`,
// "none" when it has no resolution, "no entity" when there is no such entity.
std::string Resolution(const Document& doc, const std::string& mention) {
  for (size_t k = 0; k < doc.entities().size(); ++k) {
    const Entity& e = doc.entities()[k];
    ByteSpan span{doc.tokens()[e.token_begin].begin, doc.tokens()[e.token_end - 1].end};
    if (doc.text(span) != mention) continue;
    for (const ResolvedTime& t : doc.times())
      if (t.entity == k)
        return Day(t.begin) + ".." + Day(t.end) + " " +
               std::string(TimeGranularityName(t.granularity));
    return "none";
  }
  return "no entity";
}

struct Case {
  const char* text;
  const char* date;
  const char* mention;
  const char* want;  // "begin..end granularity" or "none"
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.date << " " << c.text; }

class TimeCases : public ShippedTimes, public ::testing::WithParamInterface<Case> {};

TEST_P(TimeCases, Resolves) {
  const Case& c = GetParam();
  Metadata meta;
  meta.date = c.date;
  Document doc(c.text, meta);
  pipeline_->Annotate(&doc);
  EXPECT_EQ(Resolution(doc, c.mention), c.want) << c.text;
}

// 2025-03-09 is a Sunday, 2025-03-10 a Monday, 2025-01-02 a Thursday,
// 2024-03-01 a Friday (2024 is a leap year).
INSTANTIATE_TEST_SUITE_P(
    Relative, TimeCases,
    ::testing::Values(
        Case{"Next week, the two delegations will meet in Riyadh.", "2025-03-09", "Next week",
             "2025-03-10..2025-03-16 week"},
        Case{"This week the council approved the budget.", "2025-03-09", "This week",
             "2025-03-03..2025-03-09 week"},
        Case{"Last week the council approved the budget.", "2025-03-09", "Last week",
             "2025-02-24..2025-03-02 week"},
        Case{"Next week the council votes on the budget.", "2025-03-10", "Next week",
             "2025-03-17..2025-03-23 week"},
        Case{"The army made gains over the past week.", "2025-03-09", "the past week",
             "2025-03-02..2025-03-09 range"},
        Case{"Forty drones were launched in the past seven days.", "2025-03-09",
             "the past seven days", "2025-03-02..2025-03-09 range"},
        Case{"The economy shrank over the past two years.", "2025-03-09", "the past two years",
             "2023-03-09..2025-03-09 range"},
        Case{"Yesterday the mayor resigned.", "2025-03-09", "Yesterday", "2025-03-08..2025-03-08 day"},
        Case{"Today the parliament voted.", "2025-03-09", "Today", "2025-03-09..2025-03-09 day"},
        Case{"The bill goes to the senate tomorrow.", "2025-03-09", "tomorrow",
             "2025-03-10..2025-03-10 day"},
        Case{"Two days ago the envoy left the capital.", "2025-03-09", "Two days ago",
             "2025-03-07..2025-03-07 day"},
        Case{"A week ago the strike began.", "2025-03-09", "A week ago", "2025-02-24..2025-03-02 week"},
        Case{"Three years ago the war began.", "2025-03-09", "Three years ago",
             "2022-01-01..2022-12-31 year"},
        Case{"A few days ago the envoy left the capital.", "2025-03-09", "A few days ago",
             "2025-03-03..2025-03-08 range"},
        Case{"The army withdrew at the end of last year.", "2025-03-09", "the end of last year",
             "2024-09-01..2024-12-31 range"},
        Case{"The army will withdraw by the end of the month.", "2025-03-09",
             "the end of the month", "2025-03-20..2025-03-31 range"},
        Case{"Over the next two weeks the envoy will visit five capitals.", "2025-03-09",
             "the next two weeks", "2025-03-09..2025-03-23 range"},
        Case{"Earlier this month the ministry raised fuel prices.", "2025-03-09", "Earlier this month",
             "2025-03-01..2025-03-09 range"},
        Case{"The ministry expects growth to return later this year.", "2025-03-09",
             "later this year", "2025-03-09..2025-12-31 range"},
        Case{"Shelling has intensified in recent days.", "2025-03-09", "recent days",
             "2025-03-02..2025-03-09 range"},
        Case{"Shelling has intensified in recent weeks.", "2025-03-09", "recent weeks",
             "2025-02-16..2025-03-09 range"},
        Case{"Aid convoys should arrive in the coming days.", "2025-03-09", "the coming days",
             "2025-03-09..2025-03-16 range"},
        Case{"Sirens sounded this morning across the city.", "2025-03-09", "this morning",
             "2025-03-09..2025-03-09 time"},
        Case{"The curfew starts tonight.", "2025-03-09", "tonight", "2025-03-09..2025-03-09 time"},
        Case{"Last night drones struck the port.", "2025-03-09", "Last night",
             "2025-03-08..2025-03-08 time"},
        Case{"Next month the talks resume in Geneva.", "2025-03-09", "Next month",
             "2025-04-01..2025-04-30 month"},
        Case{"The envoy will return in two weeks.", "2025-03-09", "two weeks",
             "2025-03-17..2025-03-23 week"},
        Case{"Exports fell to their lowest level in four years.", "2025-03-09", "four years",
             "none"},
        Case{"It was the first such step in more than four years.", "2025-03-09",
             "more than four years", "none"},
        Case{"The siege lasted two weeks.", "2025-03-09", "two weeks", "none"},
        Case{"Early next week the envoy will return to Kyiv.", "2025-03-09", "Early next week",
             "2025-03-10..2025-03-12 range"},
        Case{"Elections are planned for next spring.", "2025-03-09", "next spring",
             "2026-03-01..2026-05-31 season"},
        Case{"The talks collapsed a week later.", "2025-03-09", "a week later", "none"},
        Case{"The envoys met again the following day.", "2025-03-09", "the following day", "none"}));

INSTANTIATE_TEST_SUITE_P(
    YearBoundaries, TimeCases,
    ::testing::Values(
        Case{"Prices rose sharply last month.", "2025-01-02", "last month",
             "2024-12-01..2024-12-31 month"},
        Case{"The ceasefire was signed on December 28.", "2025-01-02", "December 28",
             "2024-12-28..2024-12-28 day"},
        Case{"Inflation fell last year.", "2025-01-02", "last year", "2024-01-01..2024-12-31 year"},
        Case{"Next year the tax rises again.", "2025-01-02", "Next year",
             "2026-01-01..2026-12-31 year"},
        Case{"Elections will be held on January 20.", "2025-01-02", "January 20",
             "2025-01-20..2025-01-20 day"},
        Case{"The offensive began in December.", "2025-01-02", "December",
             "2024-12-01..2024-12-31 month"},
        Case{"The parliament will reconvene in December.", "2025-01-02", "December",
             "2025-12-01..2025-12-31 month"},
        Case{"Fighting resumed last week.", "2025-01-02", "last week",
             "2024-12-23..2024-12-29 week"}));

INSTANTIATE_TEST_SUITE_P(
    LeapYears, TimeCases,
    ::testing::Values(
        Case{"In late February the front moved west.", "2024-03-01", "late February",
             "2024-02-20..2024-02-29 range"},
        Case{"In late February the front moved west.", "2025-03-09", "late February",
             "2025-02-20..2025-02-28 range"},
        Case{"Prices rose two days ago.", "2024-03-01", "two days ago", "2024-02-28..2024-02-28 day"},
        Case{"The bill passed on February 29.", "2025-03-01", "February 29",
             "2024-02-29..2024-02-29 day"},
        Case{"Prices rose last month.", "2024-03-01", "last month", "2024-02-01..2024-02-29 month"}));

INSTANTIATE_TEST_SUITE_P(
    Weekdays, TimeCases,
    ::testing::Values(
        Case{"Last Tuesday the ministry published the figures.", "2025-03-09", "Last Tuesday",
             "2025-03-04..2025-03-04 day"},
        Case{"The minister said on Tuesday that the talks had stalled.", "2025-03-09", "Tuesday",
             "2025-03-04..2025-03-04 day"},
        Case{"The minister will travel to Kyiv on Tuesday.", "2025-03-09", "Tuesday",
             "2025-03-11..2025-03-11 day"},
        Case{"The council will vote on Friday.", "2025-03-09", "Friday", "2025-03-14..2025-03-14 day"},
        Case{"The envoy said on Thursday that talks would resume in early February.", "2025-03-09",
             "early February", "2025-02-01..2025-02-10 range"},
        Case{"The party has governed since winning power in July last year.", "2025-03-09", "July",
             "2024-07-01..2024-07-31 month"},
        Case{"The ministry reported the strike on Tuesday last week.", "2025-03-09", "Tuesday",
             "2025-02-25..2025-02-25 day"},
        Case{"Russia used its veto to shut down the panel in April.", "2025-03-09", "April",
             "2024-04-01..2024-04-30 month"},
        Case{"The president plans to visit the region in April.", "2025-03-09", "April",
             "2025-04-01..2025-04-30 month"},
        Case{"The minister urged both sides to return by March 16.", "2025-03-09", "March 16",
             "2025-03-16..2025-03-16 day"},
        Case{"The parties agreed to meet again on Tuesday.", "2025-03-09", "Tuesday",
             "2025-03-11..2025-03-11 day"},
        Case{"The council is expected to vote on Thursday.", "2025-03-09", "Thursday",
             "2025-03-13..2025-03-13 day"},
        Case{"Monday's test of the missile is widely seen as a warning.", "2025-03-12", "Monday",
             "2025-03-10..2025-03-10 day"},
        Case{"The vote was held on Sunday.", "2025-03-09", "Sunday", "2025-03-09..2025-03-09 day"},
        Case{"The minister spoke on Monday.", "2025-03-10", "Monday", "2025-03-10..2025-03-10 day"},
        Case{"The minister will travel to Kyiv on Monday.", "2025-03-10", "Monday",
             "2025-03-17..2025-03-17 day"},
        Case{"Next Monday the minister will travel to Kyiv.", "2025-03-10", "Next Monday",
             "2025-03-17..2025-03-17 day"},
        Case{"Troops crossed the river on Tuesday night.", "2025-03-09", "Tuesday night",
             "2025-03-04..2025-03-04 time"},
        Case{"The blast came at 5:30 p.m. on Tuesday.", "2025-03-09", "5:30 p.m.",
             "2025-03-04..2025-03-04 time"},
        Case{"The talks took place over the weekend.", "2025-03-10", "the weekend",
             "2025-03-08..2025-03-09 range"},
        Case{"The summit will take place this weekend.", "2025-03-10", "this weekend",
             "2025-03-15..2025-03-16 range"},
        Case{"Protesters gathered in the capital last weekend.", "2025-03-09", "last weekend",
             "2025-03-01..2025-03-02 range"}));

INSTANTIATE_TEST_SUITE_P(
    Absolute, TimeCases,
    ::testing::Values(
        Case{"The treaty was signed on 9 March 2025.", "2025-03-09", "9 March 2025",
             "2025-03-09..2025-03-09 day"},
        Case{"The vote was held on Jan. 22.", "2025-03-09", "Jan. 22", "2025-01-22..2025-01-22 day"},
        Case{"The vote is set for Wednesday, March 4.", "2025-01-02", "Wednesday, March 4",
             "2026-03-04..2026-03-04 day"},
        Case{"The fighting lasted the past 1,000 days.", "2025-03-09", "the past 1,000 days", "none"},
        Case{"The envoys will meet again the next day.", "2025-03-09", "the next day", "none"},
        Case{"The plant was built in March 2019.", "2025-03-09", "March 2019",
             "2019-03-01..2019-03-31 month"},
        Case{"The plant was built in 1987.", "2025-03-09", "1987", "1987-01-01..1987-12-31 year"},
        Case{"Output peaked in the 1990s.", "2025-03-09", "the 1990s", "1990-01-01..1999-12-31 decade"},
        Case{"It was the hottest decade of the 21st century.", "2025-03-09", "the 21st century",
             "2000-01-01..2099-12-31 century"},
        Case{"Revenue grew in the third quarter of 2023.", "2025-03-09", "the third quarter of 2023",
             "2023-07-01..2023-09-30 quarter"},
        Case{"The fighting peaked in the summer of 2022.", "2025-03-09", "the summer of 2022",
             "2022-06-01..2022-08-31 season"},
        Case{"The programme ran from 2014-2016.", "2025-03-09", "2014-2016",
             "2014-01-01..2016-12-31 range"},
        Case{"In mid-2024 the plant closed.", "2025-03-09", "mid-2024", "2024-05-01..2024-08-31 range"},
        Case{"The 2022 election changed little.", "2025-03-09", "2022", "2022-01-01..2022-12-31 year"}));

// Without an article date nothing is resolved.
TEST_F(ShippedTimes, MissingOrMalformedDateResolvesNothing) {
  for (const char* date : {"", "2025-13-01", "March 9, 2025", "2025-02-30", "yesterday"}) {
    Metadata meta;
    meta.date = date;
    Document doc("Next week the envoy returns; on March 3 he left.", meta);
    pipeline_->Annotate(&doc);
    EXPECT_FALSE(doc.entities().empty());
    EXPECT_TRUE(doc.times().empty()) << date;
  }
  Metadata meta;
  meta.date = "2025-03-09T23:59:00+02:00";
  Document doc("Next week the envoy returns.", meta);
  pipeline_->Annotate(&doc);
  EXPECT_EQ(Resolution(doc, "Next week"), "2025-03-10..2025-03-16 week");
}

// Nothing outside the years 1..9999 and no overflow near the ends.
TEST(TimeResolver, DropsIntervalsOutsideWritableYears) {
  Metadata meta;
  meta.date = "9999-12-31";
  Document doc("Next year and 9999 years ago; last month was cold.", meta);
  Tokenizer().Tokenize(&doc);
  SentenceSplitter().Split(&doc);
  NumericEntityFinder().Find(&doc);
  TimeResolver().Resolve(&doc);
  EXPECT_EQ(Resolution(doc, "Next year"), "none");
  EXPECT_EQ(Resolution(doc, "9999 years ago"), "none");
  EXPECT_EQ(Resolution(doc, "last month"), "9999-11-01..9999-11-30 month");
}

// Without tags and trees (rules only): a bare weekday is the latest one not
// after the article date, flagged as assumed.
TEST(TimeResolver, WithoutAParseBareWeekdaysLookBack) {
  Metadata meta;
  meta.date = "2025-03-09";
  Document doc("Officials said talks would resume on Friday.", meta);
  Tokenizer().Tokenize(&doc);
  SentenceSplitter().Split(&doc);
  NumericEntityFinder().Find(&doc);
  TimeResolver resolver;
  resolver.Resolve(&doc);
  ASSERT_EQ(doc.times().size(), 1u);
  EXPECT_EQ(Resolution(doc, "Friday"), "2025-03-07..2025-03-07 day");
  EXPECT_TRUE(doc.times()[0].flags & kTimeAssumed);
  // Resolving again replaces, and Reset clears.
  resolver.Resolve(&doc);
  EXPECT_EQ(doc.times().size(), 1u);
  doc.Reset("New text.");
  EXPECT_TRUE(doc.times().empty());
}

}  // namespace
}  // namespace sitrep
