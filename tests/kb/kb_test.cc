// Knowledge base: source format -> compile -> mmap -> lookups, and every
// kind of malformed source reported with its file and line.
#include "sitrep/kb.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "sitrep/text.h"

namespace sitrep {
namespace {

std::string TempPath(const std::string& name) {
  return ::testing::TempDir() + "sitrep_kb_" + name + "_" + std::to_string(::getpid());
}

std::string WriteFile(const std::string& name, const std::string& text) {
  const std::string path = TempPath(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

Document Tokenized(const std::string& text) {
  Document doc(text, Metadata());
  Tokenizer().Tokenize(&doc);
  return doc;
}

// A small world of our own.
const char* kBase =
    "# source: written for this test\n"
    "country\tUSA\tname=United States\tiso2=US\talias=U.S.|US|America\tdemonym=American|Americans"
    "\tcapital=Washington\tmetonym=White House\tlat=39.8\tlon=-98.6\n"
    "country\tEST\tname=Estonia\tiso2=EE\tdemonym=Estonian|Estonians\tcapital=Tallinn\n"
    "sector\tMIL\tname=military\tterm=troops|armed forces|military command\n"
    "sector\tGOV\tname=government\tterm=government|officials\n"
    "org\tNATO\tname=North Atlantic Treaty Organization\talias=the Alliance\tkind=igo\n"
    "org\tREFORM_EE\tname=Estonian Reform Party\talias=Reform\tkind=party\tcountry=EST\n"
    "person\tkadri_mets\tname=Kadri Mets\talias=Kadri Metts\tgender=f\tcountry=EST\n"
    "role\tkadri_mets\ttitle=Minister of Defence\tcountry=EST\tsector=GOV\tstart=2022-07-18\n"
    "role\tkadri_mets\ttitle=Minister of Finance\tcountry=EST\tstart=2019-04\tend=2022-07-17\n"
    "place\tgeo:1\tname=Tallinn\tcountry=EST\tclass=P\tfeature=PPLC\tpop=400000\tlat=59.44\tlon=24.75\n"
    "place\tgeo:2\tname=Tallinn\tcountry=USA\tclass=P\tfeature=PPL\tpop=1200\tlat=40\tlon=-90"
    "\tadmin1=Ohio\n";

struct Built {
  std::unique_ptr<KnowledgeBase> kb;
  std::string error;
};

Built Build(const std::vector<std::string>& texts) {
  std::vector<std::string> files;
  for (size_t i = 0; i < texts.size(); ++i)
    files.push_back(WriteFile("src" + std::to_string(i) + ".kb", texts[i]));
  const std::string out = TempPath("out.bin");
  Built b;
  Status st = BuildKnowledgeBase(files, out);
  for (const auto& f : files) std::remove(f.c_str());
  if (!st.ok()) {
    b.error = st.message();
    return b;
  }
  auto kb = KnowledgeBase::Load(out);
  std::remove(out.c_str());
  if (!kb.ok()) {
    b.error = kb.status().message();
    return b;
  }
  b.kb = std::move(kb.value());
  return b;
}

TEST(KbTest, CompilesRecordsAndFindsThemById) {
  Built b = Build({kBase});
  ASSERT_TRUE(b.kb) << b.error;
  const KnowledgeBase& kb = *b.kb;
  EXPECT_EQ(kb.num_countries(), 2u);
  EXPECT_EQ(kb.num_sectors(), 2u);
  EXPECT_EQ(kb.num_orgs(), 2u);
  EXPECT_EQ(kb.num_people(), 1u);
  EXPECT_EQ(kb.num_places(), 2u);
  const int32_t est = kb.Find(KbKind::kCountry, "EST");
  ASSERT_NE(est, kNoIndex);
  EXPECT_EQ(kb.country(est).name, "Estonia");
  EXPECT_EQ(kb.country(est).iso2, "EE");
  EXPECT_EQ(kb.country(est).cameo, "EST");  // defaults to the id
  EXPECT_EQ(kb.Find(KbKind::kCountry, "FRA"), kNoIndex);
  EXPECT_EQ(kb.Find(KbKind::kPerson, "USA"), kNoIndex);  // ids are per kind
  const int32_t org = kb.Find(KbKind::kOrg, "REFORM_EE");
  ASSERT_NE(org, kNoIndex);
  EXPECT_EQ(kb.org(org).country, est);
  EXPECT_EQ(kb.org(org).kind, "party");
  const int32_t place = kb.Find(KbKind::kPlace, "geo:2");
  ASSERT_NE(place, kNoIndex);
  EXPECT_EQ(kb.place(place).admin1, "Ohio");
  EXPECT_EQ(kb.place(place).cls, 'P');
  EXPECT_EQ(kb.place(place).population, 1200u);
  EXPECT_NEAR(kb.place(place).lon, -90.0, 1e-4);
}

TEST(KbTest, RoleAtTheDateAndPartialDates) {
  Built b = Build({kBase});
  ASSERT_TRUE(b.kb) << b.error;
  const int32_t p = b.kb->Find(KbKind::kPerson, "kadri_mets");
  ASSERT_NE(p, kNoIndex);
  EXPECT_EQ(b.kb->person(p).gender, 'f');
  EXPECT_EQ(b.kb->person(p).role_count, 2u);
  int32_t day = 0;
  ASSERT_TRUE(ParseIsoDay("2025-03-09", false, &day));
  int32_t r = b.kb->RoleAt(p, day);
  ASSERT_NE(r, kNoIndex);
  EXPECT_EQ(b.kb->role(r).title, "Minister of Defence");
  EXPECT_EQ(b.kb->role(r).end, kOpenEnd);
  // "start=2019-04" is the first of April; the end day is inclusive.
  ASSERT_TRUE(ParseIsoDay("2019-04-01", false, &day));
  r = b.kb->RoleAt(p, day);
  ASSERT_NE(r, kNoIndex);
  EXPECT_EQ(b.kb->role(r).title, "Minister of Finance");
  ASSERT_TRUE(ParseIsoDay("2019-03-31", false, &day));
  EXPECT_EQ(b.kb->RoleAt(p, day), kNoIndex);
  ASSERT_TRUE(ParseIsoDay("2022-07-17", false, &day));
  EXPECT_EQ(b.kb->role(b.kb->RoleAt(p, day)).title, "Minister of Finance");
}

TEST(KbTest, IsoDays) {
  int32_t d = 0;
  ASSERT_TRUE(ParseIsoDay("1970-01-01", false, &d));
  EXPECT_EQ(d, 0);
  ASSERT_TRUE(ParseIsoDay("2024-02", true, &d));
  EXPECT_EQ(FormatIsoDay(d), "2024-02-29");  // leap year
  ASSERT_TRUE(ParseIsoDay("2023", true, &d));
  EXPECT_EQ(FormatIsoDay(d), "2023-12-31");
  ASSERT_TRUE(ParseIsoDay("2025-03-09T10:00:00Z", false, &d));
  EXPECT_EQ(FormatIsoDay(d), "2025-03-09");
  ASSERT_TRUE(ParseIsoDay("1969-12-31", false, &d));
  EXPECT_EQ(d, -1);
  EXPECT_FALSE(ParseIsoDay("2023-02-29", false, &d));
  EXPECT_FALSE(ParseIsoDay("2023-13", false, &d));
  EXPECT_FALSE(ParseIsoDay("March 2023", false, &d));
  EXPECT_FALSE(ParseIsoDay("", false, &d));
}

TEST(KbTest, PhrasesMatchLongestFirstAcrossKinds) {
  Built b = Build({kBase});
  ASSERT_TRUE(b.kb) << b.error;
  Document doc = Tokenized("Estonian military command met U.S. officials and Kadri Mets in Tallinn.");
  auto m = b.kb->Longest(doc, 0, doc.tokens().size());
  ASSERT_EQ(m.length, 1u);
  ASSERT_EQ(m.candidates.size(), 1u);
  EXPECT_EQ(m.candidates[0].kind, KbKind::kCountry);
  EXPECT_EQ(m.candidates[0].how, KbHow::kDemonym);
  m = b.kb->Longest(doc, 1, doc.tokens().size());  // "military command", not "military"
  ASSERT_EQ(m.length, 2u);
  EXPECT_EQ(m.candidates[0].kind, KbKind::kSector);
  EXPECT_EQ(m.candidates[0].how, KbHow::kTerm);
  auto c = b.kb->Lookup(doc, 4, 5);  // "U.S."
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].how, KbHow::kAlias);
  EXPECT_EQ(b.kb->Phrase(c[0]), "U.S.");
  c = b.kb->Lookup(doc, 7, 9);  // "Kadri Mets"
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].kind, KbKind::kPerson);
  c = b.kb->Lookup(doc, 8, 9);  // "Mets": the derived surname
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].how, KbHow::kSurname);
  // "Tallinn": the country's capital and two places.
  c = b.kb->Lookup(doc, 10, 11);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].kind, KbKind::kCountry);
  EXPECT_EQ(c[0].how, KbHow::kCapital);
  EXPECT_EQ(c[1].kind, KbKind::kPlace);
  // Acronyms of four letters or fewer are marked case-sensitive.
  Document us = Tokenized("US");
  c = b.kb->Lookup(us, 0, 1);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].exact_case, 1);
  EXPECT_TRUE(b.kb->Lookup(doc, 2, 4).empty());  // "command met"
}

TEST(KbTest, LaterFilesReplaceRecordsWhole) {
  Built b = Build({kBase, "country\tEST\tname=Republic of Estonia\tiso2=EE\n"
                          "person\tjaan_tamm\tname=Jaan Tamm\n"});
  ASSERT_TRUE(b.kb) << b.error;
  const int32_t est = b.kb->Find(KbKind::kCountry, "EST");
  EXPECT_EQ(b.kb->country(est).name, "Republic of Estonia");
  EXPECT_EQ(b.kb->num_countries(), 2u);
  EXPECT_EQ(b.kb->num_people(), 2u);
  // The replaced record's demonyms are gone with it.
  Document doc = Tokenized("Estonian");
  EXPECT_TRUE(b.kb->Lookup(doc, 0, 1).empty());
}

TEST(KbTest, MalformedSourcesNameFileAndLine) {
  struct Case {
    std::string text;
    std::string expect;
  } cases[] = {
      {"city\tX\tname=Y\n", ":1: unknown kind 'city'"},
      {"# c\n\ncountry\tFRA\tname=France\n", ":3: country 'FRA' lacks iso2"},
      {"country\tFRA\tname=France\tiso2=FR\tmotto=x\n", ":1: unknown field 'motto' for country"},
      {"country\tFRA\tname=France\tiso2=FR\tdemonym\n", ":1: field without '='"},
      {"country\tFRA\tname=France\tiso2=FR\tlat=99\tlon=2\n", ":1: lat/lon"},
      {"person\tp\tname=P\nrole\tp\ttitle=President\tstart=2020-02-30\n", ":2: start=2020-02-30"},
      {"person\tp\tname=P\nrole\tp\ttitle=President\tstart=2021\tend=2020\n", ":2: end is before start"},
      {"role\tnobody\ttitle=President\tstart=2021\n", ":1: role of 'nobody': no person"},
      {"person\tp\tname=P\tcountry=XXX\n", ":1: country=XXX: no country has this id"},
      {"org\tO\tname=O\tkind=club\n", ":1: kind=club"},
      {"country\tFRA\tname=France\tiso2=FR\nplace\tp\tname=P\tcountry=FRA\tclass=Q\tlat=1\tlon=1\n",
       ":2: class must be"},
      {"country\tFRA\tname=France\tiso2=FR\nplace\tp\tname=P\tcountry=FRA\tclass=P\tlat=1\tlon=1"
       "\tpop=many\n",
       ":2: pop must be"},
      {"person\tp\tname=P\tgender=x\n", ":1: gender must be m or f"},
      {"country\t\tname=France\n", ":1: empty id"},
  };
  for (const Case& c : cases) {
    Built b = Build({c.text});
    EXPECT_FALSE(b.kb) << c.text;
    EXPECT_NE(b.error.find(c.expect), std::string::npos) << c.text << " -> " << b.error;
    EXPECT_NE(b.error.find("src0.kb"), std::string::npos) << b.error;
  }
  const std::string out = TempPath("never.bin");
  Status st = BuildKnowledgeBase({TempPath("missing.kb")}, out);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("cannot open"), std::string::npos);
  std::ifstream none(out);
  EXPECT_FALSE(none.good());  // nothing written on error
}

TEST(KbTest, DamagedFileFailsWithAnActionableMessage) {
  const std::string src = WriteFile("dmg.kb", kBase);
  const std::string out = TempPath("dmg.bin");
  ASSERT_TRUE(BuildKnowledgeBase({src}, out).ok());
  std::remove(src.c_str());
  {
    std::fstream f(out, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(200);
    f.put('\x7f');
  }
  auto kb = KnowledgeBase::Load(out);
  std::remove(out.c_str());
  ASSERT_FALSE(kb.ok());
  EXPECT_NE(kb.status().message().find("checksum"), std::string::npos) << kb.status().message();
  auto missing = KnowledgeBase::Load(TempPath("nope.bin"));
  EXPECT_FALSE(missing.ok());
}

}  // namespace
}  // namespace sitrep
