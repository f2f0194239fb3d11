#include "sitrep/tagger.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>

namespace sitrep {
namespace {

// A tiny treebank we write ourselves: the tagger must learn it and the
// lemmatizer must learn its suffix rules and exceptions.
const char* kTreebank =
    "# text = Troops attacked the towns.\n"
    "1\tTroops\ttroop\tNOUN\tNNS\t_\t2\tnsubj\t_\t_\n"
    "2\tattacked\tattack\tVERB\tVBD\t_\t0\troot\t_\t_\n"
    "3\tthe\tthe\tDET\tDT\t_\t4\tdet\t_\t_\n"
    "4\ttowns\ttown\tNOUN\tNNS\t_\t2\tobj\t_\tSpaceAfter=No\n"
    "5\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n"
    "# text = Envoys met the ministers.\n"
    "1\tEnvoys\tenvoy\tNOUN\tNNS\t_\t2\tnsubj\t_\t_\n"
    "2\tmet\tmeet\tVERB\tVBD\t_\t0\troot\t_\t_\n"
    "3\tthe\tthe\tDET\tDT\t_\t4\tdet\t_\t_\n"
    "4\tministers\tminister\tNOUN\tNNS\t_\t2\tobj\t_\tSpaceAfter=No\n"
    "5\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n"
    "# text = Kyiv shelled the villages.\n"
    "1\tKyiv\tKyiv\tPROPN\tNNP\t_\t2\tnsubj\t_\t_\n"
    "2\tshelled\tshell\tVERB\tVBD\t_\t0\troot\t_\t_\n"
    "3\tthe\tthe\tDET\tDT\t_\t4\tdet\t_\t_\n"
    "4\tvillages\tvillage\tNOUN\tNNS\t_\t2\tobj\t_\tSpaceAfter=No\n"
    "5\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n";

TEST(Tagger, TrainsLoadsAndTags) {
  std::vector<ConlluSentence> gold;
  ASSERT_TRUE(ParseConllu(kTreebank, &gold).ok());
  // Repeat the data so that every tag pair is frequent enough to be a class.
  std::vector<ConlluSentence> train;
  for (int i = 0; i < 3; ++i) train.insert(train.end(), gold.begin(), gold.end());
  std::string path = ::testing::TempDir() + "sitrep_tagger_test_" + std::to_string(::getpid());
  TaggerTrainOptions o;
  o.epochs = 5;
  o.min_weight = 0.0f;
  ASSERT_TRUE(TrainTagger(train, o, path, "{}").ok());
  auto tagger = Tagger::Load(path);
  ASSERT_TRUE(tagger.ok()) << tagger.status().ToString();

  TaggerScores s = EvaluateTaggerGoldTokens(gold, **tagger);
  EXPECT_EQ(s.upos.matched, s.upos.gold);
  EXPECT_EQ(s.lemma.matched, s.lemma.gold);

  // Unseen words: suffix rules give the lemma.
  Document doc = DocumentFromWords({"Rebels", "captured", "the", "bridges", "."});
  (*tagger)->Tag(&doc);
  ASSERT_EQ(doc.tags().size(), 5u);
  EXPECT_EQ(doc.tags()[2].upos, Upos::kDET);
  EXPECT_EQ(doc.tags()[4].upos, Upos::kPUNCT);
  EXPECT_EQ(doc.lemma(3), "bridge");
  std::remove(path.c_str());
}

TEST(Tagger, MissingModelIsAnError) {
  auto t = Tagger::Load("/nonexistent/tagger.bin");
  EXPECT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace sitrep
