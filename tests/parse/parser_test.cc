#include "sitrep/parser.h"
#include "sitrep/tagger.h"

#include <gtest/gtest.h>

#include <functional>
#include <random>

namespace sitrep::parse_internal {
namespace {

// Random tree over words 1..n with exactly one root word; projective when
// built by recursive interval splitting.
std::vector<int> RandomProjectiveTree(int n, std::mt19937* rng) {
  std::vector<int> heads(n + 1, 0);
  std::function<void(int, int, int)> build = [&](int lo, int hi, int parent) {
    if (lo > hi) return;
    int r = std::uniform_int_distribution<int>(lo, hi)(*rng);
    heads[r] = parent;
    build(lo, r - 1, r);
    build(r + 1, hi, r);
  };
  build(1, n, 0);
  return heads;
}

std::vector<int> RandomTree(int n, std::mt19937* rng) {
  std::vector<int> order(n);
  for (int i = 0; i < n; ++i) order[i] = i + 1;
  std::shuffle(order.begin(), order.end(), *rng);
  std::vector<int> heads(n + 1, 0);
  for (int i = 1; i < n; ++i)
    heads[order[i]] = order[std::uniform_int_distribution<int>(0, i - 1)(*rng)];
  return heads;
}

TEST(ParserOracleTest, ReproducesProjectiveTrees) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 500; ++trial) {
    int n = 1 + trial % 15;
    std::vector<int> heads = RandomProjectiveTree(n, &rng);
    ASSERT_TRUE(IsProjective(heads));
    EXPECT_EQ(OracleParse(heads), heads) << "trial " << trial;
  }
}

TEST(ParserOracleTest, ProjectivizeMakesTreesProjectiveAndKeepsProjectiveOnes) {
  std::mt19937 rng(11);
  int changed = 0;
  for (int trial = 0; trial < 500; ++trial) {
    std::vector<int> heads = RandomTree(2 + trial % 12, &rng);
    std::vector<int> p = Projectivize(heads);
    EXPECT_TRUE(IsProjective(p));
    if (IsProjective(heads)) {
      EXPECT_EQ(p, heads);
    }
    changed += p != heads;
    // Still a tree with one root word.
    int roots = 0;
    for (size_t i = 1; i < p.size(); ++i) roots += p[i] == 0;
    EXPECT_EQ(roots, 1);
    EXPECT_EQ(OracleParse(p), p);
  }
  EXPECT_GT(changed, 50);
}

TEST(ParserOracleTest, KnownNonProjectiveTree) {
  // "A hearing is scheduled on the issue today": 1 A 2 hearing 3 is
  // 4 scheduled 5 on 6 the 7 issue 8 today; "on the issue" attaches to
  // "hearing" across "is scheduled".
  std::vector<int> heads = {0, 2, 4, 4, 0, 7, 7, 2, 4};
  EXPECT_FALSE(IsProjective(heads));
  std::vector<int> p = Projectivize(heads);
  EXPECT_TRUE(IsProjective(p));
  EXPECT_EQ(p[7], 4);  // lifted from "hearing" to its head "scheduled"
}

// Slow reference: the most gold arcs reachable from a configuration,
// by exhaustive search over transition sequences.
struct Config {
  int n, b;
  std::vector<int> stack, head;
};
void Apply(Config* c, int move) {
  if (move == 0) {
    c->stack.push_back(c->b++);
  } else if (move == 1) {
    c->head[c->stack.back()] = c->b;
    c->stack.pop_back();
  } else {
    int d = c->stack.back();
    c->stack.pop_back();
    c->head[d] = c->stack.back();
  }
}
bool Legal(const Config& c, int move) {
  if (move == 0) return c.b <= c.n;
  if (move == 1) return c.stack.size() >= 2 && c.b <= c.n;
  return c.stack.size() >= 2 &&
         (c.stack[c.stack.size() - 2] != 0 || (c.b > c.n && c.stack.size() == 2));
}
int BestReachable(const Config& c, const std::vector<int>& gold) {
  if (c.b > c.n && c.stack.size() == 1) {
    int correct = 0;
    for (int i = 1; i <= c.n; ++i) correct += c.head[i] == gold[i];
    return correct;
  }
  int best = -1;
  for (int m = 0; m < 3; ++m) {
    if (!Legal(c, m)) continue;
    Config next = c;
    Apply(&next, m);
    best = std::max(best, BestReachable(next, gold));
  }
  return best;
}

TEST(ParserOracleTest, DynamicOracleCostsMatchExhaustiveSearch) {
  std::mt19937 rng(3);
  int checked = 0;
  for (int trial = 0; trial < 400; ++trial) {
    int n = 2 + trial % 6;
    std::vector<int> gold = RandomProjectiveTree(n, &rng);
    // A random legal prefix of transitions.
    Config c{n, 1, {0}, std::vector<int>(n + 1, -1)};
    std::vector<int> prefix;
    int steps = std::uniform_int_distribution<int>(0, 2 * n - 1)(rng);
    for (int s = 0; s < steps; ++s) {
      std::vector<int> legal;
      for (int m = 0; m < 3; ++m)
        if (Legal(c, m)) legal.push_back(m);
      if (legal.empty()) break;
      int m = legal[std::uniform_int_distribution<size_t>(0, legal.size() - 1)(rng)];
      Apply(&c, m);
      prefix.push_back(m);
    }
    if (c.b > c.n && c.stack.size() == 1) continue;
    const int here = BestReachable(c, gold);
    std::vector<int> costs = OracleCosts(gold, prefix);
    for (int m = 0; m < 3; ++m) {
      if (!Legal(c, m)) {
        EXPECT_EQ(costs[m], -1);
        continue;
      }
      Config next = c;
      Apply(&next, m);
      EXPECT_EQ(costs[m], here - BestReachable(next, gold))
          << "trial " << trial << " move " << m;
      ++checked;
    }
  }
  EXPECT_GT(checked, 500);
}

// Features read a window around the stack top and buffer front: words far
// outside it do not change them; the words, tags and arc labels inside do.
TEST(ParserFeaturesTest, DependOnTheWindowOnly) {
  // 8 words; after SHIFT SHIFT the stack is [root 1 2] and the buffer 3..8.
  std::vector<uint64_t> norms = {0, 11, 12, 13, 14, 15, 16, 17, 18};
  std::vector<uint8_t> xpos = {0, 1, 2, 3, 4, 5, 6, 7, 8};
  const std::vector<int> moves = {0, 0};
  const std::vector<uint64_t> base = ConfigFeatures(norms, xpos, moves, 1);
  EXPECT_EQ(base.size(), 87u);
  EXPECT_EQ(ConfigFeatures(norms, xpos, moves, 1), base);  // deterministic
  auto changed = [&](std::vector<uint64_t> n, std::vector<uint8_t> x, std::vector<int> m, int l) {
    std::vector<uint64_t> f = ConfigFeatures(n, x, m, l);
    size_t diff = 0;
    for (size_t i = 0; i < f.size(); ++i) diff += f[i] != base[i];
    return diff;
  };
  auto with_word = [&](int i, uint64_t w) { auto n = norms; n[i] = w; return n; };
  auto with_tag = [&](int i, uint8_t t) { auto x = xpos; x[i] = t; return x; };
  EXPECT_EQ(changed(with_word(8, 99), xpos, moves, 1), 0u);  // b5: outside
  EXPECT_EQ(changed(norms, with_tag(7, 42), moves, 1), 0u);  // b4: outside
  EXPECT_GT(changed(with_word(2, 99), xpos, moves, 1), 10u);  // s0
  EXPECT_GT(changed(with_word(3, 99), xpos, moves, 1), 5u);   // b0
  EXPECT_GT(changed(norms, with_tag(1, 42), moves, 1), 5u);   // s1
  EXPECT_GT(changed(norms, with_tag(5, 42), moves, 1), 0u);   // b2
  // After SHIFT SHIFT LEFT (2 <- 3) the label of b0's left child counts.
  const std::vector<int> arcs = {0, 0, 1};
  EXPECT_NE(ConfigFeatures(norms, xpos, arcs, 1), ConfigFeatures(norms, xpos, arcs, 2));
}

}  // namespace
}  // namespace sitrep::parse_internal

namespace sitrep {
namespace {

// A sentence with given tags, lemmas and (0-based, -1 root) heads/relations.
Document Analysed(const std::vector<std::string>& words, const std::vector<const char*>& upos,
                  const std::vector<const char*>& xpos, const std::vector<int>& heads,
                  const std::vector<const char*>& rels) {
  Document doc = DocumentFromWords(words);
  doc.tags().resize(words.size());
  doc.deps().resize(words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    TokenTag& t = doc.tags()[i];
    t.upos = UposFromName(upos[i]);
    t.xpos = XposFromName(xpos[i]);
    std::string lemma = words[i] == "said" ? "say" : words[i];
    t.lemma_begin = static_cast<uint32_t>(doc.lemma_pool().size());
    t.lemma_len = static_cast<uint32_t>(lemma.size());
    doc.lemma_pool() += lemma;
    doc.deps()[i] = {heads[i], DeprelFromName(rels[i])};
  }
  return doc;
}

TEST(RepairReportingSubjectsTest, PhraseBeforeTheVerbBecomesItsSubject) {
  // "Talks stalled , security expert Mart Saar said ." with the phrase
  // attached as an apposition of "Talks" (the beam's typical error).
  Document doc = Analysed(
      {"Talks", "stalled", ",", "security", "expert", "Mart", "Saar", "said", "."},
      {"NOUN", "VERB", "PUNCT", "NOUN", "NOUN", "PROPN", "PROPN", "VERB", "PUNCT"},
      {"NNS", "VBD", ",", "NN", "NN", "NNP", "NNP", "VBD", "."},
      {1, 7, 1, 4, 0, 4, 5, -1, 7},
      {"nsubj", "ccomp", "punct", "compound", "appos", "appos", "flat", "root", "punct"});
  RepairReportingSubjects(&doc, doc.sentences()[0]);
  EXPECT_EQ(doc.deps()[4].head, 7);
  EXPECT_EQ(DeprelNames()[doc.deps()[4].deprel], "nsubj");
  EXPECT_EQ(doc.deps()[5].head, 4);  // inside the phrase: unchanged
}

TEST(RepairReportingSubjectsTest, LeavesVerbsWithSubjectsOrWithoutContentAlone) {
  // Already has a subject.
  Document a = Analysed({"Talks", "stalled", ",", "Saar", "said", "."},
                        {"NOUN", "VERB", "PUNCT", "PROPN", "VERB", "PUNCT"},
                        {"NNS", "VBD", ",", "NNP", "VBD", "."}, {1, 4, 1, 4, -1, 4},
                        {"nsubj", "ccomp", "punct", "nsubj", "root", "punct"});
  RepairReportingSubjects(&a, a.sentences()[0]);
  EXPECT_EQ(a.deps()[3].head, 4);
  // No content clause before the verb: "He met Saar , who said ." stays.
  Document b = Analysed({"He", "met", "Saar", ",", "officials", "said", "."},
                        {"PRON", "VERB", "PROPN", "PUNCT", "NOUN", "VERB", "PUNCT"},
                        {"PRP", "VBD", "NNP", ",", "NNS", "VBD", "."}, {1, -1, 1, 4, 1, 1, 1},
                        {"nsubj", "root", "obj", "punct", "conj", "conj", "punct"});
  RepairReportingSubjects(&b, b.sentences()[0]);
  EXPECT_EQ(b.deps()[4].head, 1);
}

}  // namespace
}  // namespace sitrep

namespace sitrep {
namespace {

TEST(RepairClauseRelationsTest, ConditionalsAreAdverbialUnlessTheVerbAsks) {
  // "Troops will respond if drones cross ." with the if-clause as ccomp.
  Document a = Analysed({"Troops", "will", "respond", "if", "drones", "cross", "."},
                        {"NOUN", "AUX", "VERB", "SCONJ", "NOUN", "VERB", "PUNCT"},
                        {"NNS", "MD", "VB", "IN", "NNS", "VBP", "."}, {2, 2, -1, 5, 5, 2, 2},
                        {"nsubj", "aux", "root", "mark", "nsubj", "ccomp", "punct"});
  RepairClauseRelations(&a, a.sentences()[0]);
  EXPECT_EQ(DeprelNames()[a.deps()[5].deprel], "advcl");
  // "They asked if drones crossed ." keeps its complement.
  Document b = Analysed({"They", "ask", "if", "drones", "crossed", "."},
                        {"PRON", "VERB", "SCONJ", "NOUN", "VERB", "PUNCT"},
                        {"PRP", "VBP", "IN", "NNS", "VBD", "."}, {1, -1, 4, 4, 1, 1},
                        {"nsubj", "root", "mark", "nsubj", "ccomp", "punct"});
  RepairClauseRelations(&b, b.sentences()[0]);
  EXPECT_EQ(DeprelNames()[b.deps()[4].deprel], "ccomp");
}

}  // namespace
}  // namespace sitrep
