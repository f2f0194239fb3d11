// NER: corpus readers, train -> serialize -> load -> recognize on a small
// corpus of our own, scoring, and the shipped model on sentences we wrote.
#include "sitrep/ner.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "sitrep/pipeline.h"
#include "testing/shipped_pipeline.h"

namespace sitrep {
namespace {

std::string Spans(const NerSentence& s) {
  std::string out;
  for (const NerSpan& sp : s.spans) {
    out += "[";
    for (uint32_t k = sp.begin; k < sp.end; ++k) out += (k > sp.begin ? " " : "") + s.words[k];
    out += "]/" + std::string(EntityTypeName(sp.type)) + " ";
  }
  return out;
}

TEST(NerReaderTest, ConllColumnsIob1AndIob2) {
  std::vector<NerSentence> out;
  // IOB1 (an I- tag opens a mention), MISC ignored, -DOCSTART- splits documents.
  ASSERT_TRUE(ParseNer("-DOCSTART- O\n\nThe I-ORG\nRed I-ORG\nCross I-ORG\nmet O\n"
                       "Mara I-PER\nVolk I-PER\nin O\nOslo I-LOC\nI-LOC I-LOC\n. O\n\n"
                       "Danish I-MISC\ndesign O\n\n",
                       "a.txt", &out)
                  .ok());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(Spans(out[0]), "[The Red Cross]/ORG [Mara Volk]/PERSON [Oslo I-LOC]/LOC ");
  EXPECT_EQ(out[0].doc_id, out[1].doc_id);
  EXPECT_TRUE(out[1].spans.empty());
  ASSERT_EQ(out[1].other_mentions.size(), 1u);  // "Danish": a name, not an entity here
  out.clear();
  // IOB2 with tabs; a whitespace word is dropped; B- after B- starts anew.
  ASSERT_TRUE(ParseNer("Kim\tB-person\nLee\tB-person\n\tO\nvisited\tO\nLagos\tB-geo-loc\n\n",
                       "b.conll", &out)
                  .ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].words.size(), 4u);
  EXPECT_EQ(Spans(out[0]), "[Kim]/PERSON [Lee]/PERSON [Lagos]/LOC ");
  EXPECT_FALSE(ParseNer("word\n", "c.conll", &out).ok());
}

TEST(NerReaderTest, UnerAndGumFormats) {
  std::vector<NerSentence> out;
  ASSERT_TRUE(ParseNer("# newdoc id = d1\n# sent_id = d1-1\n1\tAda\tB-PER\t-\t-\n"
                       "2\tvisited\tO\t-\t-\n3\tNew\tB-LOC\t-\t-\n4\tYork\tI-LOC\t-\t-\n\n",
                       "x.iob2", &out)
                  .ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].doc_id, "d1");
  EXPECT_EQ(Spans(out[0]), "[Ada]/PERSON [New York]/LOC ");
  out.clear();
  // GUM: named mentions only, titles and determiners outside, the longest of
  // nested names, lone plural nationalities dropped.
  const char* gum =
      "# newdoc id = GUM_news_test\n# sent_id = 1\n"
      "1\tThe\tthe\tDET\tDT\t_\t3\tdet\t_\tEntity=(1-organization-new-x-x-1-sgl\n"
      "2\tNational\tNational\tADJ\tNNP\t_\t3\tamod\t_\t_\n"
      "3\tLibrary\tLibrary\tPROPN\tNNP\t_\t9\tnsubj\t_\t_\n"
      "4\tof\tof\tADP\tIN\t_\t6\tcase\t_\t_\n"
      "5\tthe\tthe\tDET\tDT\t_\t6\tdet\t_\t_\n"
      "6\tNetherlands\tNetherlands\tPROPN\tNNP\t_\t3\tnmod\t_\tEntity=(2-place-new-x-x-1-sgl)1)\n"
      "7\tPresident\tPresident\tPROPN\tNNP\t_\t8\tcompound\t_\tEntity=(3-person-new-x-x-1-sgl\n"
      "8\tMolle\tMolle\tPROPN\tNNP\t_\t9\tnsubj\t_\tEntity=3)\n"
      "9\tthanked\tthank\tVERB\tVBD\t_\t0\troot\t_\t_\n"
      "10\tAmericans\tAmerican\tPROPN\tNNPS\t_\t9\tobj\t_\tEntity=(4-person-new-x-x-1-sgl)\n"
      "11\tand\tand\tCCONJ\tCC\t_\t13\tcc\t_\t_\n"
      "12\tthe\tthe\tDET\tDT\t_\t13\tdet\t_\tEntity=(5-person-new-x-x-1-sgl\n"
      "13\treaders\treader\tNOUN\tNNS\t_\t10\tconj\t_\tEntity=5)\n"
      "14\t.\t.\tPUNCT\t.\t_\t9\tpunct\t_\t_\n\n";
  ASSERT_TRUE(ParseNer(gum, "g.conllu", &out).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(Spans(out[0]), "[National Library of the Netherlands]/ORG [Molle]/PERSON ");
  EXPECT_EQ(out[0].doc_id, "GUM_news_test");
}

// A corpus of our own, every name seen several times in several contexts.
std::vector<NerSentence> MiniCorpus() {
  const char* text =
      "Mara\tB-PER\nVolk\tI-PER\nvisited\tO\nOslo\tB-LOC\n.\tO\n\n"
      "The\tO\nNordic\tB-ORG\nCouncil\tI-ORG\nmet\tO\nin\tO\nBergen\tB-LOC\n.\tO\n\n"
      "Volk\tB-PER\nleads\tO\nthe\tO\nNordic\tB-ORG\nCouncil\tI-ORG\n.\tO\n\n"
      "Officials\tO\nin\tO\nOslo\tB-LOC\nand\tO\nBergen\tB-LOC\nagreed\tO\n.\tO\n\n"
      "Ines\tB-PER\nArda\tI-PER\nwrote\tO\nto\tO\nthe\tO\ncouncil\tO\n.\tO\n\n";
  std::vector<NerSentence> out;
  EXPECT_TRUE(ParseNer(text, "mini.conll", &out).ok());
  std::vector<NerSentence> train;
  for (int i = 0; i < 4; ++i) train.insert(train.end(), out.begin(), out.end());
  return train;
}

TEST(NerTrainTest, LearnsTheMiniCorpusAndRoundTrips) {
  const std::string path =
      ::testing::TempDir() + "sitrep_ner_test_" + std::to_string(::getpid()) + ".bin";
  std::vector<NerSentence> train = MiniCorpus();
  NerTrainOptions o;
  o.epochs = 8;
  o.min_weight = 0.0f;
  ASSERT_TRUE(TrainNer(train, nullptr, nullptr, o, path, "{}").ok());
  auto ner = EntityRecognizer::Load(path);
  ASSERT_TRUE(ner.ok()) << ner.status().ToString();
  std::vector<NerSentence> gold(train.begin(), train.begin() + 5);
  NerScores s = EvaluateNer(gold, nullptr, **ner);
  EXPECT_EQ(s.all.gold, 9u);
  EXPECT_DOUBLE_EQ(s.all.f1(), 100.0);
  EXPECT_EQ(s.by_type["PER"].gold, 3u);
  // A damaged copy is refused.
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(200);
    f.put('\x7F');
  }
  EXPECT_FALSE(EntityRecognizer::Load(path).ok());
  std::remove(path.c_str());
}

// A model trained with word classes carries them: it loads without the
// classes file and scores as it did in training.
TEST(NerTrainTest, WordClassesTravelInsideTheModel) {
  const std::string base = ::testing::TempDir() + "sitrep_ner_wc_" + std::to_string(::getpid());
  std::vector<NerSentence> train = MiniCorpus();
  WordClusterCorpus corpus;
  for (int i = 0; i < 3; ++i)
    for (const NerSentence& s : train) {
      std::vector<uint64_t> norms;
      for (const std::string& w : s.words) norms.push_back(NormId(NormalForm(w)));
      corpus.AddSentence(norms.data(), norms.size());
    }
  WordClusterOptions wo;
  wo.dims = 8;
  wo.context_words = 50;
  wo.levels = {4, 8, 12, 16};
  ASSERT_TRUE(TrainWordClusters(corpus, wo, base + ".clusters", "{}").ok());
  auto clusters = WordClusters::Load(base + ".clusters");
  ASSERT_TRUE(clusters.ok()) << clusters.status().ToString();
  EXPECT_NE((*clusters)->Lookup(NormId("oslo")), 0u);
  NerTrainOptions o;
  o.epochs = 8;
  o.min_weight = 0.0f;
  o.clusters = clusters->get();
  ASSERT_TRUE(TrainNer(train, nullptr, nullptr, o, base + ".ner", "{}").ok());
  std::remove((base + ".clusters").c_str());
  auto ner = EntityRecognizer::Load(base + ".ner");
  std::remove((base + ".ner").c_str());
  ASSERT_TRUE(ner.ok()) << ner.status().ToString();
  std::vector<NerSentence> gold(train.begin(), train.begin() + 5);
  NerScores s = EvaluateNer(gold, nullptr, **ner);
  EXPECT_EQ(s.all.gold, 9u);
  EXPECT_DOUBLE_EQ(s.all.f1(), 100.0);
}

// The shipped models through the Pipeline, on sentences we wrote.
class ShippedNer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pipeline_ = ShippedPipeline().pipeline.get();
    ASSERT_NE(pipeline_, nullptr) << ShippedPipeline().status.ToString();
  }
  // "TYPE text" per entity, and "title: text" after a person with one.
  static std::vector<std::string> Entities(const std::string& text) {
    Document doc(text, Metadata());
    pipeline_->Annotate(&doc);
    std::vector<std::string> out;
    for (const Entity& e : doc.entities()) {
      ByteSpan span{doc.tokens()[e.token_begin].begin, doc.tokens()[e.token_end - 1].end};
      out.push_back(std::string(EntityTypeName(e.type)) + " " + std::string(doc.text(span)));
      if (e.title_end > e.title_begin) {
        ByteSpan t{doc.tokens()[e.title_begin].begin, doc.tokens()[e.title_end - 1].end};
        out.push_back("title: " + std::string(doc.text(t)));
      }
    }
    return out;
  }
  static const Pipeline* pipeline_;
};
const Pipeline* ShippedNer::pipeline_ = nullptr;

bool Has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

TEST_F(ShippedNer, PeoplePlacesNationalitiesTitles) {
  auto e = Entities(
      "Finnish Foreign Minister Elina Valtonen travelled to Warsaw on Monday. "
      "Valtonen told reporters that Poland and Germany would host the talks.");
  EXPECT_TRUE(Has(e, "PERSON Elina Valtonen"));
  EXPECT_TRUE(Has(e, "title: Finnish Foreign Minister"));
  EXPECT_TRUE(Has(e, "NORP Finnish"));
  EXPECT_TRUE(Has(e, "GPE Warsaw"));
  EXPECT_TRUE(Has(e, "PERSON Valtonen"));
  EXPECT_TRUE(Has(e, "GPE Poland"));
  EXPECT_TRUE(Has(e, "GPE Germany"));
}

TEST_F(ShippedNer, AffiliationsAndCredits) {
  auto e = Entities(
      "The bill was criticised by opposition lawmaker Tarmo Kask (Centre) on Tuesday.\n\n"
      "Photo: Postimees");
  EXPECT_TRUE(Has(e, "PERSON Tarmo Kask"));
  EXPECT_TRUE(Has(e, "title: opposition lawmaker"));
  EXPECT_TRUE(Has(e, "ORG Centre"));  // a French region by name, a party here
  EXPECT_TRUE(Has(e, "ORG Postimees"));
}

TEST_F(ShippedNer, NamesAgreeAcrossTheDocument) {
  auto e = Entities(
      "According to analyst Liis Rebane, the talks stalled. "
      "\"Nobody expected more,\" Liis Rebane said. Rebane added that a deal was unlikely.");
  EXPECT_EQ(std::count(e.begin(), e.end(), "PERSON Liis Rebane"), 2);
  EXPECT_TRUE(Has(e, "PERSON Rebane"));
  EXPECT_TRUE(Has(e, "title: analyst"));
}

}  // namespace
}  // namespace sitrep
