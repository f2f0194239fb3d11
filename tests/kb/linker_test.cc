// Linker: linking, coreference, geocoding and roles on articles we write,
// with entities placed by hand (the recognizer is tested elsewhere) and a
// knowledge base compiled from our own small source.
#include "sitrep/linker.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "sitrep/text.h"

namespace sitrep {
namespace {

const char* kWorld =
    "country\tUSA\tname=United States\tiso2=US\talias=U.S.|US|America\tdemonym=American|Americans"
    "\tcapital=Washington\tmetonym=White House|Washington\tlat=39.8\tlon=-98.6\n"
    "country\tFRA\tname=France\tiso2=FR\tdemonym=French\tcapital=Paris\tmetonym=Elysee\n"
    "country\tGEO\tname=Georgia\tiso2=GE\tdemonym=Georgian|Georgians\tcapital=Tbilisi\n"
    "country\tRUS\tname=Russia\tiso2=RU\tdemonym=Russian|Russians\tcapital=Moscow"
    "\tmetonym=Kremlin|Moscow\n"
    "country\tEST\tname=Estonia\tiso2=EE\tdemonym=Estonian|Estonians\tcapital=Tallinn\n"
    "sector\tMIL\tname=military\tterm=troops|military command|army\n"
    "sector\tGOV\tname=government\tterm=government\n"
    "org\tNATO\tname=North Atlantic Treaty Organization\tkind=igo\n"
    "org\tREFORM_EE\tname=Estonian Reform Party\talias=Reform\tkind=party\tcountry=EST\n"
    "person\tkadri_mets\tname=Kadri Mets\tgender=f\tcountry=EST\n"
    "role\tkadri_mets\ttitle=Minister of Defence\tcountry=EST\tsector=GOV\tstart=2022-07-18\n"
    "person\tjohn_doe_pres\tname=John Doe\tgender=m\tcountry=USA\n"
    "role\tjohn_doe_pres\ttitle=President\tcountry=USA\tsector=GOV\tstart=2017-01-20\tend=2021-01-20\n"
    "role\tjohn_doe_pres\ttitle=President\tcountry=USA\tsector=GOV\tstart=2025-01-20\n"
    "place\tgeo:1\tname=Paris\tcountry=FRA\tclass=P\tfeature=PPLC\tpop=2100000\tlat=48.85\tlon=2.35"
    "\tadmin1=Ile-de-France\n"
    "place\tgeo:2\tname=Paris\tcountry=USA\tclass=P\tfeature=PPL\tpop=25000\tlat=33.66\tlon=-95.55"
    "\tadmin1=Texas\n"
    "place\tadm:US.TX\tname=Texas\tcountry=USA\tclass=A\tfeature=ADM1\tlat=30.27\tlon=-97.74\n"
    "place\tadm:US.GA\tname=Georgia\tcountry=USA\tclass=A\tfeature=ADM1\tlat=33.75\tlon=-84.39\n"
    "place\tgeo:3\tname=Atlanta\tcountry=USA\tclass=P\tfeature=PPLA\tpop=500000\tlat=33.75"
    "\tlon=-84.39\tadmin1=Georgia\n"
    "place\tgeo:4\tname=Kursk\tcountry=RUS\tclass=P\tfeature=PPLA\tpop=400000\tlat=51.74\tlon=36.19"
    "\tadmin1=Kursk Oblast\n"
    "place\tadm:RU.41\tname=Kursk Oblast\talias=Kursk\tcountry=RUS\tclass=A\tfeature=ADM1"
    "\tlat=51.74\tlon=36.19\n"
    "place\tgeo:5\tname=Washington, D.C.\talias=Washington\tcountry=USA\tclass=P\tfeature=PPLC"
    "\tpop=600000\tlat=38.9\tlon=-77.04\n"
    "place\tadm:US.WA\tname=Washington\tcountry=USA\tclass=A\tfeature=ADM1\tlat=47\tlon=-122.9\n";

class LinkerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string base = ::testing::TempDir() + "sitrep_linker_" + std::to_string(::getpid());
    std::ofstream(base + ".kb", std::ios::binary) << kWorld;
    Status st = BuildKnowledgeBase({base + ".kb"}, base + ".bin");
    ASSERT_TRUE(st.ok()) << st.ToString();
    auto kb = KnowledgeBase::Load(base + ".bin");
    ASSERT_TRUE(kb.ok()) << kb.status().ToString();
    kb_ = kb.value().release();
    std::remove((base + ".kb").c_str());
    std::remove((base + ".bin").c_str());
  }
  static void TearDownTestSuite() { delete kb_; }

  // A document of `text` dated `date`, split into sentences, with entities
  // given as (text, occurrence, type).
  struct E {
    std::string text;
    int occurrence;
    EntityType type;
  };
  Document Make(const std::string& text, const std::string& date, const std::vector<E>& ents) {
    Metadata meta;
    meta.date = date;
    Document doc(text, meta);
    Tokenizer().Tokenize(&doc);
    SentenceSplitter().Split(&doc);
    for (const E& e : ents) {
      size_t pos = std::string::npos;
      for (int k = 0; k < e.occurrence; ++k)
        pos = text.find(e.text, pos == std::string::npos ? 0 : pos + 1);
      EXPECT_NE(pos, std::string::npos) << e.text;
      Entity en;
      en.type = e.type;
      for (uint32_t t = 0; t < doc.tokens().size(); ++t) {
        if (doc.tokens()[t].begin == pos) en.token_begin = t;
        if (doc.tokens()[t].end == pos + e.text.size()) en.token_end = t + 1;
      }
      EXPECT_GT(en.token_end, en.token_begin) << e.text;
      doc.entities().push_back(en);
    }
    std::sort(doc.entities().begin(), doc.entities().end(),
              [](const Entity& a, const Entity& b) { return a.token_begin < b.token_begin; });
    Linker(kb_).Link(&doc);
    return doc;
  }
  // The actor a mention starting at the `occurrence`-th `text` refers to, or null.
  static const Actor* ActorAt(const Document& doc, const std::string& text, int occurrence = 1) {
    size_t pos = std::string::npos;
    for (int k = 0; k < occurrence; ++k)
      pos = doc.text().find(text, pos == std::string::npos ? 0 : pos + 1);
    if (pos == std::string::npos) return nullptr;
    for (const Mention& m : doc.mentions())
      if (doc.tokens()[m.token_begin].begin == pos) return &doc.actors()[m.actor];
    return nullptr;
  }
  static std::string IdAt(const Document& doc, const std::string& text, int occurrence = 1) {
    const Actor* a = ActorAt(doc, text, occurrence);
    return a ? std::string(doc.pool(a->id)) : "(none)";
  }

  static KnowledgeBase* kb_;
};
KnowledgeBase* LinkerTest::kb_ = nullptr;

TEST_F(LinkerTest, SurnamesPronounsAndRoleDescriptionsJoinTheFullName) {
  Document doc = Make(
      "Defence Minister Kadri Mets visited the base on Monday. Mets said the troops were ready. "
      "She added that the minister would return. Local farmer Jaan Kask said he was worried. "
      "Kask grows rye.",
      "2025-03-09",
      {{"Kadri Mets", 1, EntityType::kPerson},
       {"Mets", 2, EntityType::kPerson},
       {"Jaan Kask", 1, EntityType::kPerson},
       {"Kask", 2, EntityType::kPerson}});
  EXPECT_EQ(IdAt(doc, "Kadri Mets"), "kadri_mets");
  EXPECT_EQ(IdAt(doc, "Mets", 2), "kadri_mets");
  EXPECT_EQ(IdAt(doc, "She"), "kadri_mets");
  EXPECT_EQ(IdAt(doc, "the minister"), "kadri_mets");
  const Actor* kask = ActorAt(doc, "Jaan Kask");
  ASSERT_NE(kask, nullptr);
  EXPECT_FALSE(kask->flags & kActorKnown);
  EXPECT_EQ(doc.pool(kask->name), "Jaan Kask");
  EXPECT_EQ(ActorAt(doc, "Kask", 2), kask);
  EXPECT_EQ(ActorAt(doc, "he was"), kask);  // the female minister is not "he"
  const Actor* mets = ActorAt(doc, "Kadri Mets");
  EXPECT_EQ(doc.pool(mets->kb_role), "Minister of Defence");
  EXPECT_EQ(doc.pool(mets->kb_role_start), "2022-07-18");
  EXPECT_EQ(doc.pool(mets->country), "EST");
  EXPECT_EQ(doc.pool(mets->sector), "GOV");
}

TEST_F(LinkerTest, ASurnameAloneNamesTheOneOfficeHolderAtTheDate) {
  Document doc = Make("Mets met allies in Tallinn.", "2025-03-09",
                      {{"Mets", 1, EntityType::kPerson}, {"Tallinn", 1, EntityType::kGpe}});
  EXPECT_EQ(IdAt(doc, "Mets"), "kadri_mets");
  // Before she took office the surname is just a name.
  Document old = Make("Mets met allies in Tallinn.", "2020-03-09",
                      {{"Mets", 1, EntityType::kPerson}, {"Tallinn", 1, EntityType::kGpe}});
  const Actor* a = ActorAt(old, "Mets");
  ASSERT_NE(a, nullptr);
  EXPECT_FALSE(a->flags & kActorKnown);
}

TEST_F(LinkerTest, StaleTitleIsFlaggedAgainstTheDatedRole) {
  Document doc = Make("Former President John Doe spoke in Paris.", "2025-03-09",
                      {{"John Doe", 1, EntityType::kPerson}, {"Paris", 1, EntityType::kGpe}});
  // The title is set by the recognizer; place it by hand.
  Document with_title = doc;
  with_title.entities()[0].title_begin = 0;
  with_title.entities()[0].title_end = 2;
  Linker(kb_).Link(&with_title);
  const Actor* a = ActorAt(with_title, "John Doe");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(with_title.pool(a->text_role), "Former President");
  EXPECT_EQ(with_title.pool(a->kb_role), "President");
  EXPECT_TRUE(a->flags & kActorRoleConflict);
  EXPECT_NE(with_title.pool(a->note).find("2025-01-20"), std::string::npos);
  // In 2022 he was indeed a former president: no conflict.
  Document past = Make("Former President John Doe spoke in Paris.", "2022-06-01",
                       {{"John Doe", 1, EntityType::kPerson}, {"Paris", 1, EntityType::kGpe}});
  past.entities()[0].title_begin = 0;
  past.entities()[0].title_end = 2;
  Linker(kb_).Link(&past);
  a = ActorAt(past, "John Doe");
  ASSERT_NE(a, nullptr);
  EXPECT_FALSE(a->flags & kActorRoleConflict);
  EXPECT_TRUE(past.pool(a->kb_role).empty());
}

TEST_F(LinkerTest, PlacesAreRankedByPopulationQualifiersAndDivisionWords) {
  Document doc = Make(
      "Talks opened in Paris. A storm hit Paris, Texas, overnight. Fighting continued in the "
      "Kursk region and near Kursk. Georgia protested.",
      "2025-03-09",
      {{"Paris", 1, EntityType::kGpe},
       {"Paris", 2, EntityType::kGpe},
       {"Texas", 1, EntityType::kGpe},
       {"Kursk", 1, EntityType::kGpe},
       {"Kursk", 2, EntityType::kGpe},
       {"Georgia", 1, EntityType::kGpe}});
  EXPECT_EQ(IdAt(doc, "Paris", 1), "geo:1");
  EXPECT_EQ(IdAt(doc, "Paris", 2), "geo:2");
  EXPECT_EQ(IdAt(doc, "Texas"), "adm:US.TX");
  const Actor* region = ActorAt(doc, "Kursk", 1);
  ASSERT_NE(region, nullptr);
  EXPECT_EQ(doc.pool(region->id), "adm:RU.41");
  EXPECT_EQ(doc.pool(region->geo_precision), "admin1");
  EXPECT_EQ(doc.pool(region->geo_country), "RU");
  EXPECT_NEAR(region->lat, 51.74, 1e-3);
  // The mention keeps the division word.
  for (const Mention& m : doc.mentions())
    if (doc.actors()[m.actor].kind == ActorKind::kPlace &&
        doc.pool(doc.actors()[m.actor].id) == "adm:RU.41" && m.token_end - m.token_begin == 2)
      SUCCEED();
  EXPECT_EQ(IdAt(doc, "Kursk", 2), "adm:RU.41");  // one sense per document
  EXPECT_EQ(IdAt(doc, "Georgia"), "GEO");
  const Actor* paris = ActorAt(doc, "Paris", 1);
  EXPECT_EQ(doc.pool(paris->geo_precision), "place");
}

TEST_F(LinkerTest, TheStateOfGeorgiaAndAtlantaGeorgia) {
  Document doc = Make("Voters in the state of Georgia and in Atlanta, Georgia, lined up.",
                      "2024-11-05",
                      {{"Georgia", 1, EntityType::kGpe},
                       {"Atlanta", 1, EntityType::kGpe},
                       {"Georgia", 2, EntityType::kGpe}});
  EXPECT_EQ(IdAt(doc, "Georgia", 1), "adm:US.GA");
  EXPECT_EQ(IdAt(doc, "Atlanta"), "geo:3");
  EXPECT_EQ(IdAt(doc, "Georgia", 2), "adm:US.GA");
}

TEST_F(LinkerTest, CapitalsAndMetonymsAsActorsAndAsPlaces) {
  Document doc = Make(
      "The Kremlin rejected the plan. Washington imposed sanctions. Diplomats met in Washington. "
      "Russian troops advanced. Estonian officials and Reform members met NATO envoys.",
      "2025-03-09",
      {{"Kremlin", 1, EntityType::kOrg},
       {"Washington", 1, EntityType::kGpe},
       {"Washington", 2, EntityType::kGpe},
       {"Russian", 1, EntityType::kNorp},
       {"Estonian", 1, EntityType::kNorp},
       {"Reform", 1, EntityType::kOrg},
       {"NATO", 1, EntityType::kOrg}});
  EXPECT_EQ(IdAt(doc, "Kremlin"), "RUS");
  EXPECT_EQ(IdAt(doc, "Washington", 1), "USA");
  EXPECT_EQ(IdAt(doc, "Washington", 2), "geo:5");  // the capital, not the state
  EXPECT_EQ(IdAt(doc, "Russian"), "RUS");
  EXPECT_EQ(IdAt(doc, "Reform"), "REFORM_EE");
  EXPECT_EQ(IdAt(doc, "NATO"), "NATO");
  for (const Mention& m : doc.mentions()) {
    const std::string_view text = std::string_view(doc.text()).substr(doc.tokens()[m.token_begin].begin,
                                                    doc.tokens()[m.token_end - 1].end -
                                                        doc.tokens()[m.token_begin].begin);
    if (text == "Russian") {
      EXPECT_EQ(doc.pool(m.sector), "MIL");
    }
    if (text == "Kremlin") {
      EXPECT_EQ(doc.pool(m.sector), "GOV");
      EXPECT_EQ(m.how, MentionHow::kMetonym);
    }
  }
}

TEST_F(LinkerTest, NamesTheRecognizerMissedAreFoundWithCaseRules) {
  Document doc = Make("US officials told us that the White House and France agree.", "2025-03-09",
                      {});
  EXPECT_EQ(IdAt(doc, "US"), "USA");
  EXPECT_EQ(IdAt(doc, "us"), "(none)");
  EXPECT_EQ(IdAt(doc, "White House"), "USA");
  EXPECT_EQ(IdAt(doc, "France"), "FRA");
  // Mentions are sorted and never overlap.
  for (size_t i = 1; i < doc.mentions().size(); ++i)
    EXPECT_LE(doc.mentions()[i - 1].token_end, doc.mentions()[i].token_begin);
}

TEST_F(LinkerTest, UnknownNamesBecomeDocumentActorsAndEmptyInputIsFine) {
  Document doc = Make("The Blue Lake Cooperative met in Vilkaviskis.", "",
                      {{"Blue Lake Cooperative", 1, EntityType::kOrg},
                       {"Vilkaviskis", 1, EntityType::kGpe}});
  const Actor* org = ActorAt(doc, "Blue Lake Cooperative");
  ASSERT_NE(org, nullptr);
  EXPECT_EQ(org->kind, ActorKind::kOrg);
  EXPECT_FALSE(org->flags & kActorKnown);
  EXPECT_EQ(doc.pool(org->id).substr(0, 4), "doc:");
  const Actor* place = ActorAt(doc, "Vilkaviskis");
  ASSERT_NE(place, nullptr);
  EXPECT_EQ(place->kind, ActorKind::kPlace);
  EXPECT_FALSE(place->flags & kActorHasGeo);
  Document empty = Make("", "2025-03-09", {});
  EXPECT_TRUE(empty.actors().empty());
  EXPECT_TRUE(empty.mentions().empty());
}

}  // namespace
}  // namespace sitrep
