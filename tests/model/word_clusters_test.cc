// Word classes: on a small synthetic corpus, words used in the same contexts
// share a class and words of other contexts do not; rare words get none;
// the result is deterministic and survives a model file round trip.
#include "sitrep/word_clusters.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "sitrep/document.h"

namespace sitrep {
namespace {

uint64_t N(const std::string& w) { return NormId(NormalForm(w)); }

// Animals run and sleep after "the"; colours come between "a" and "car" or
// "house"; cities follow "in" and end the sentence. Members of a group are
// interchangeable, in a fixed pseudo-random rotation.
WordClusterCorpus Synthetic() {
  const std::vector<std::string> animals = {"cat", "dog", "cow", "horse", "goat"};
  const std::vector<std::string> colours = {"red", "blue", "green", "yellow", "black"};
  const std::vector<std::string> cities = {"Paris", "Tallinn", "Kyiv", "Riga", "Oslo"};
  WordClusterCorpus corpus;
  uint32_t x = 7;
  auto next = [&](size_t n) {
    x = x * 1103515245u + 12345u;
    return (x >> 16) % n;
  };
  for (int i = 0; i < 400; ++i) {
    std::vector<std::string> s;
    switch (i % 3) {
      case 0: s = {"the", animals[next(5)], i % 2 ? "ran" : "slept", "."}; break;
      case 1: s = {"we", "saw", "a", colours[next(5)], i % 2 ? "car" : "house", "."}; break;
      default: s = {"they", "live", "in", cities[next(5)]}; break;
    }
    if (i == 5) s.push_back("zebra");  // seen once: no class
    std::vector<uint64_t> norms;
    for (const std::string& w : s) norms.push_back(N(w));
    corpus.AddSentence(norms.data(), norms.size());
  }
  return corpus;
}

WordClusterOptions SmallOptions() {
  WordClusterOptions o;
  o.dims = 8;
  o.context_words = 50;
  o.levels = {4, 8};
  o.iterations = 20;
  return o;
}

TEST(WordClustersTest, SameContextsSameClass) {
  auto table = BuildWordClusters(Synthetic(), SmallOptions());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  auto wc = WordClusters::FromTable(*table);
  ASSERT_TRUE(wc.ok()) << wc.status().ToString();
  EXPECT_EQ(wc->num_levels(), 2);
  EXPECT_EQ(wc->level_size(0), 4u);
  EXPECT_EQ(wc->level_size(1), 8u);
  auto cls = [&](const char* w) { return WordClusters::Level(wc->Lookup(N(w)), 1); };
  for (const char* w : {"dog", "cow", "horse", "goat"}) EXPECT_EQ(cls(w), cls("cat")) << w;
  for (const char* w : {"blue", "green", "yellow", "black"}) EXPECT_EQ(cls(w), cls("red")) << w;
  for (const char* w : {"Tallinn", "Kyiv", "Riga", "Oslo"}) EXPECT_EQ(cls(w), cls("Paris")) << w;
  EXPECT_NE(cls("cat"), 0u);
  EXPECT_NE(cls("cat"), cls("red"));
  EXPECT_NE(cls("cat"), cls("Paris"));
  EXPECT_NE(cls("red"), cls("Paris"));
  // Lookup goes by the normalized form, as Token::norm has it.
  EXPECT_EQ(cls("PARIS"), cls("Paris"));
  EXPECT_EQ(wc->Lookup(N("zebra")), 0u);
  // Levels nest: words of one fine class share their coarse class.
  const char* all[] = {"cat", "dog", "red", "blue", "Paris", "Oslo", "the", "a", "in", "ran",
                       "slept", "car", "house", ".", "we", "they"};
  for (const char* a : all)
    for (const char* b : all) {
      if (cls(a) != cls(b)) continue;
      EXPECT_EQ(WordClusters::Level(wc->Lookup(N(a)), 0), WordClusters::Level(wc->Lookup(N(b)), 0))
          << a << " " << b;
    }
  EXPECT_EQ(wc->Lookup(N("never-seen")), 0u);
}

TEST(WordClustersTest, DeterministicAndRoundTrips) {
  WordClusterStats stats;
  auto a = BuildWordClusters(Synthetic(), SmallOptions(), &stats);
  auto b = BuildWordClusters(Synthetic(), SmallOptions());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(stats.clustered_words, 27u);  // 15 group words + 12 context words
  const std::string path =
      ::testing::TempDir() + "sitrep_clusters_test_" + std::to_string(::getpid());
  ASSERT_TRUE(TrainWordClusters(Synthetic(), SmallOptions(), path, "{}").ok());
  auto loaded = WordClusters::Load(path);
  std::remove(path.c_str());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->Table(), *a);
  EXPECT_EQ((*loaded)->Lookup(N("cat")), WordClusters::FromTable(*a)->Lookup(N("cat")));
}

TEST(WordClustersTest, RejectsBadTables) {
  EXPECT_FALSE(WordClusters::FromTable("").ok());
  std::string table = BuildWordClusters(Synthetic(), SmallOptions()).value();
  std::string bad = table;
  bad[0] = 5;  // mask no longer 2^k - 1
  EXPECT_FALSE(WordClusters::FromTable(bad).ok());
  WordClusterOptions o = SmallOptions();
  o.levels = {};
  EXPECT_FALSE(BuildWordClusters(Synthetic(), o).ok());
}

}  // namespace
}  // namespace sitrep
