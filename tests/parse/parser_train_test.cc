// Train -> serialize -> load -> parse on a tiny treebank of our own.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>

#include "sitrep/parser.h"
#include "sitrep/tagger.h"

namespace sitrep {
namespace {

constexpr const char* kTreebank =
    "# text = Troops crossed the river.\n"
    "1\tTroops\ttroop\tNOUN\tNNS\t_\t2\tnsubj\t_\t_\n"
    "2\tcrossed\tcross\tVERB\tVBD\t_\t0\troot\t_\t_\n"
    "3\tthe\tthe\tDET\tDT\t_\t4\tdet\t_\t_\n"
    "4\triver\triver\tNOUN\tNN\t_\t2\tobj\t_\tSpaceAfter=No\n"
    "5\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n"
    "# text = The minister said talks failed.\n"
    "1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_\n"
    "2\tminister\tminister\tNOUN\tNN\t_\t3\tnsubj\t_\t_\n"
    "3\tsaid\tsay\tVERB\tVBD\t_\t0\troot\t_\t_\n"
    "4\ttalks\ttalk\tNOUN\tNNS\t_\t5\tnsubj\t_\t_\n"
    "5\tfailed\tfail\tVERB\tVBD\t_\t3\tccomp\t_\tSpaceAfter=No\n"
    "6\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n\n";

// The mini treebank (three times over) as training data, and paths for the
// models trained on it, removed afterwards.
class MiniTreebank : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ParseConllu(kTreebank, &gold).ok());
    for (int i = 0; i < 3; ++i) train.insert(train.end(), gold.begin(), gold.end());
    const std::string base = ::testing::TempDir() + "sitrep_parser_test_" +
                             ::testing::UnitTest::GetInstance()->current_test_info()->name() +
                             "_" + std::to_string(::getpid());
    tagger_path = base + ".tagger";
    parser_path = base + ".parser";
    TaggerTrainOptions to;
    to.epochs = 5;
    to.min_weight = 0.0f;
    ASSERT_TRUE(TrainTagger(train, to, tagger_path, "{}").ok());
  }
  void TearDown() override {
    std::remove(tagger_path.c_str());
    std::remove(parser_path.c_str());
  }
  // Trains a parser with `po` (10 epochs, no pruning) and loads both models.
  void TrainAndLoad(ParserTrainOptions po) {
    po.epochs = 10;
    po.min_weight = 0.0f;
    ASSERT_TRUE(TrainParser(train, {}, po, parser_path, "{}").ok());
    auto t = Tagger::Load(tagger_path);
    auto p = Parser::Load(parser_path);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    tagger = std::move(t.value());
    parser = std::move(p.value());
  }

  std::vector<ConlluSentence> gold, train;
  std::string tagger_path, parser_path;
  std::unique_ptr<Tagger> tagger;
  std::unique_ptr<Parser> parser;
};

TEST_F(MiniTreebank, TrainsLoadsAndParses) {
  TrainAndLoad(ParserTrainOptions());
  ASSERT_TRUE(parser);

  // The training trees are learned exactly.
  ParserScores s = EvaluateParserGoldTokens(gold, *tagger, *parser);
  EXPECT_EQ(s.uas.matched, s.uas.gold);
  EXPECT_EQ(s.las.matched, s.las.gold);

  // A damaged file is refused with the reason.
  {
    std::fstream f(parser_path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(-3, std::ios::end);
    f.put('\x5A');
  }
  auto damaged = Parser::Load(parser_path);
  EXPECT_FALSE(damaged.ok());
}

TEST_F(MiniTreebank, BeamTrainingLearnsTheTreesAndRecordsItsWidth) {
  ParserTrainOptions po;
  po.beam = 4;
  TrainAndLoad(po);
  ASSERT_TRUE(parser);
  EXPECT_EQ(parser->beam(), 4);
  ParserScores s = EvaluateParserGoldTokens(gold, *tagger, *parser);
  EXPECT_EQ(s.uas.matched, s.uas.gold);
  EXPECT_EQ(s.las.matched, s.las.gold);

  // Any width gives one tree per sentence: heads inside it, one root.
  Document doc = DocumentFromWords({"The", "minister", "said", "troops", "crossed", "the",
                                    "river", "and", "talks", "failed", "."});
  tagger->Tag(&doc);
  for (int width : {1, 2, 4, 16}) {
    parser->Parse(&doc, width);
    int roots = 0;
    for (const Dependency& d : doc.deps()) {
      roots += d.head < 0;
      EXPECT_LT(d.head, static_cast<int>(doc.tokens().size()));
    }
    EXPECT_EQ(roots, 1) << "width " << width;
  }
  po.beam = 0;
  EXPECT_FALSE(TrainParser(train, {}, po, parser_path, "{}").ok());
}

TEST(Parser, TrainingNeedsTrees) {
  std::vector<ConlluSentence> none;
  EXPECT_FALSE(TrainParser(none, {}, ParserTrainOptions(), "/nonexistent/x", "{}").ok());
}

}  // namespace
}  // namespace sitrep
