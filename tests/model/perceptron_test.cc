#include "model/perceptron.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

namespace sitrep::model {
namespace {

// Learns a separable toy problem, then checks the serialized (pruned,
// quantized) model ranks classes as the trainer does.
TEST(Perceptron, LearnsAndSerializes) {
  PerceptronTrainer t(3);
  std::vector<std::vector<uint64_t>> xs = {{FeatureHash(1, 10), FeatureHash(2, 1)},
                                           {FeatureHash(1, 11), FeatureHash(2, 1)},
                                           {FeatureHash(1, 12), FeatureHash(2, 2)}};
  std::vector<int> ys = {0, 1, 2};
  for (int epoch = 0; epoch < 5; ++epoch) {
    for (size_t i = 0; i < xs.size(); ++i) {
      float s[3] = {0, 0, 0};
      t.Score(xs[i].data(), xs[i].size(), s);
      int guess = static_cast<int>(std::max_element(s, s + 3) - s);
      t.Step(xs[i].data(), xs[i].size(), ys[i], guess);
    }
  }
  auto ser = t.Serialize(0.0f);
  ASSERT_TRUE(ser.ok());
  std::string payload = *ser;
  std::vector<uint64_t> aligned((payload.size() + 7) / 8);
  std::memcpy(aligned.data(), payload.data(), payload.size());
  auto p = Perceptron::FromPayload(
      std::string_view(reinterpret_cast<const char*>(aligned.data()), payload.size()));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->num_classes(), 3);
  for (size_t i = 0; i < xs.size(); ++i) {
    float s[3] = {0, 0, 0};
    p->Score(xs[i].data(), xs[i].size(), s);
    EXPECT_EQ(std::max_element(s, s + 3) - s, ys[i]) << i;
  }
  // An unknown feature scores nothing.
  float s[3] = {0, 0, 0};
  uint64_t unknown = FeatureHash(9, 9);
  p->Score(&unknown, 1, s);
  EXPECT_EQ(s[0] + s[1] + s[2], 0.0f);
}

// Global updates are averaged over the clock Tick() advances: a weight set
// at time 0 counts for every step, one set at time 5 of 10 for half.
TEST(Perceptron, UpdatesAreAveragedOverTicks) {
  PerceptronTrainer t(2);
  const uint64_t f = FeatureHash(1, 1), g = FeatureHash(1, 2);
  t.Update(&f, 1, 0, 1.0f);
  t.Update(&g, 1, 1, -1.0f);
  for (int i = 0; i < 5; ++i) t.Tick();
  t.Update(&f, 1, 0, 1.0f);
  for (int i = 0; i < 5; ++i) t.Tick();
  std::string payload = t.Serialize(0.0f).value();
  std::vector<uint64_t> aligned((payload.size() + 7) / 8);
  std::memcpy(aligned.data(), payload.data(), payload.size());
  auto p = Perceptron::FromPayload(
      std::string_view(reinterpret_cast<const char*>(aligned.data()), payload.size()));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  float s[2] = {0, 0};
  p->Score(&f, 1, s);
  EXPECT_NEAR(s[0], 1.5f, 1e-3f);
  EXPECT_EQ(s[1], 0.0f);
  float r[2] = {0, 0};
  p->Score(&g, 1, r);
  EXPECT_NEAR(r[1], -1.0f, 1e-3f);
}

TEST(Perceptron, RejectsDamagedPayload) {
  EXPECT_FALSE(Perceptron::FromPayload("short").ok());
  PerceptronTrainer t(2);
  uint64_t f = FeatureHash(1, 1);
  t.Step(&f, 1, 0, 1);
  std::string payload = t.Serialize(0.0f).value();
  std::string bad = payload.substr(0, payload.size() - 2);
  std::vector<uint64_t> aligned((bad.size() + 7) / 8);
  std::memcpy(aligned.data(), bad.data(), bad.size());
  EXPECT_FALSE(
      Perceptron::FromPayload(std::string_view(reinterpret_cast<const char*>(aligned.data()), bad.size()))
          .ok());
}

// Scores as the payload format defines them, read straight from the bytes:
// for each feature in order, probe for its slot and add scale * weight to
// its classes one by one.
std::vector<float> ReferenceScores(const std::string& payload, const std::vector<uint64_t>& feats) {
  uint32_t n, slots_log2;
  float scale;
  std::memcpy(&n, payload.data(), 4);
  std::memcpy(&slots_log2, payload.data() + 4, 4);
  std::memcpy(&scale, payload.data() + 8, 4);
  const size_t slots = size_t{1} << slots_log2;
  auto u32 = [&](size_t at) {
    uint32_t v;
    std::memcpy(&v, payload.data() + at, 4);
    return v;
  };
  std::vector<float> s(n, 0.0f);
  for (uint64_t f : feats) {
    uint32_t fp = static_cast<uint32_t>(f >> 32);
    if (fp == 0) fp = 1;
    for (size_t i = f & (slots - 1);; i = (i + 1) & (slots - 1)) {
      if (u32(16 + 8 * i) == 0) break;
      if (u32(16 + 8 * i) != fp) continue;
      const uint32_t v = u32(16 + 8 * i + 4);
      for (uint32_t j = 0; j < (v & 0xFF); ++j) {
        uint16_t c, w;
        std::memcpy(&c, payload.data() + 16 + 8 * slots + 4 * ((v >> 8) + j), 2);
        std::memcpy(&w, payload.data() + 16 + 8 * slots + 4 * ((v >> 8) + j) + 2, 2);
        s[c] += scale * static_cast<float>(static_cast<int16_t>(w));
      }
      break;
    }
  }
  return s;
}

Result<Perceptron> Load(const std::string& payload, std::vector<uint64_t>* storage) {
  storage->assign((payload.size() + 7) / 8, 0);
  std::memcpy(storage->data(), payload.data(), payload.size());
  return Perceptron::FromPayload(
      std::string_view(reinterpret_cast<const char*>(storage->data()), payload.size()));
}

// Features with many weights are summed from dense rows, the others from
// their entries; either way every score must equal, bit for bit, the sum
// the file format defines, and Best() must pick what std::max_element picks.
TEST(Perceptron, ScoresAreTheFormatsSumsToTheLastBit) {
  constexpr int kClasses = 45;  // padded to 48
  PerceptronTrainer t(kClasses);
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> cls(0, kClasses - 1), word(0, 300);
  std::vector<std::vector<uint64_t>> xs;
  for (int i = 0; i < 3000; ++i) {
    // A bias and a few common features (dense rows), rare ones (sparse).
    xs.push_back({FeatureHash(0, 1), FeatureHash(1, word(rng) % 7), FeatureHash(2, word(rng)),
                  FeatureHash(3, word(rng), word(rng) % 3), FeatureHash(4, 99)});
  }
  std::vector<float> s(kClasses);
  for (int epoch = 0; epoch < 2; ++epoch) {
    for (const auto& x : xs) {
      std::fill(s.begin(), s.end(), 0.0f);
      t.Score(x.data(), x.size(), s.data());
      int guess = static_cast<int>(std::max_element(s.begin(), s.end()) - s.begin());
      t.Step(x.data(), x.size(), cls(rng), guess);
    }
  }
  std::string payload = t.Serialize(0.0f).value();
  std::vector<uint64_t> storage;
  auto p = Load(payload, &storage);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->padded_classes(), 48u);
  Perceptron::SumScratch scratch;
  std::vector<float> padded(p->padded_classes());
  int dense = 0, sparse = 0;
  for (size_t i = 0; i < 500; ++i) {
    std::vector<uint64_t> x = xs[i];
    x.push_back(FeatureHash(9, i));  // absent
    const std::vector<float> want = ReferenceScores(payload, x);
    std::vector<float> got(kClasses, 0.0f);
    p->Score(x.data(), x.size(), got.data());
    std::vector<Perceptron::Ref> refs;
    for (uint64_t f : x) {
      p->Prefetch(f);
      refs.push_back(p->Find(f));
      p->PrefetchWeights(refs.back());
      dense += refs.back() != 0 && (refs.back() & 0xFF) == 0;
      sparse += (refs.back() & 0xFF) != 0;
    }
    p->ClearScores(padded.data());
    p->Sum(refs.data(), refs.size(), padded.data(), &scratch);
    for (int c = 0; c < kClasses; ++c) {
      ASSERT_EQ(std::memcmp(&want[c], &got[c], 4), 0) << i << " " << c;
      ASSERT_EQ(std::memcmp(&want[c], &padded[c], 4), 0) << i << " " << c;
    }
    for (size_t c = kClasses; c < padded.size(); ++c) EXPECT_TRUE(std::isinf(padded[c]));
    EXPECT_EQ(p->Best(padded.data()), std::max_element(want.begin(), want.end()) - want.begin());
  }
  EXPECT_GT(dense, 0);
  EXPECT_GT(sparse, 0);
}

TEST(Perceptron, BestIsTheFirstHighest) {
  PerceptronTrainer t(21);  // padded to 24
  uint64_t f = FeatureHash(1, 1);
  t.Step(&f, 1, 0, 1);
  std::string payload = t.Serialize(0.0f).value();
  std::vector<uint64_t> storage;
  auto p = Load(payload, &storage);
  ASSERT_TRUE(p.ok());
  std::vector<float> s(p->padded_classes());
  auto best = [&](std::vector<std::pair<int, float>> set) {
    p->ClearScores(s.data());
    for (auto [c, v] : set) s[c] = v;
    return p->Best(s.data());
  };
  EXPECT_EQ(best({}), 0);                                 // all zero
  EXPECT_EQ(best({{3, 2.0f}, {11, 2.0f}}), 3);            // tie across lanes
  EXPECT_EQ(best({{17, 5.0f}, {9, 5.0f}, {1, 5.0f}}), 1);  // same lane, lowest first
  EXPECT_EQ(best({{20, 1.0f}}), 20);                      // the last class
  std::vector<std::pair<int, float>> negative;
  for (int c = 0; c < 21; ++c) negative.push_back({c, -1.0f - c});
  EXPECT_EQ(best(negative), 0);                           // padding (-inf) never wins
}

TEST(Perceptron, RejectsMalformedSlots) {
  // Two classes, two slots, two entries.
  auto payload = [](uint32_t fp0, uint32_t v0, uint32_t fp1, uint16_t c0, uint16_t c1) {
    std::string p(16 + 2 * 8 + 2 * 4, '\0');
    uint32_t head[4] = {2, 1, 0, 2};
    float scale = 1.0f;
    std::memcpy(&p[0], head, 16);
    std::memcpy(&p[8], &scale, 4);
    uint32_t slots[4] = {fp0, v0, fp1, 0};
    std::memcpy(&p[16], slots, 16);
    uint16_t entries[4] = {c0, 1, c1, 2};
    std::memcpy(&p[32], entries, 8);
    return p;
  };
  std::vector<uint64_t> storage;
  EXPECT_TRUE(Load(payload(5, 2, 0, 0, 1), &storage).ok());
  EXPECT_FALSE(Load(payload(5, 2, 0, 1, 1), &storage).ok());  // class 1 twice
  EXPECT_FALSE(Load(payload(5, 0, 0, 0, 1), &storage).ok());  // no weights
  EXPECT_FALSE(Load(payload(5, 2, 6, 0, 1), &storage).ok());  // no empty slot
}

TEST(Perceptron, RejectsFeaturesSharingWeights) {
  // Two classes, four slots (two features), two entries.
  auto payload = [](uint32_t v0, uint32_t v1) {
    std::string p(16 + 4 * 8 + 2 * 4, '\0');
    uint32_t head[4] = {2, 2, 0, 2};
    float scale = 1.0f;
    std::memcpy(&p[0], head, 16);
    std::memcpy(&p[8], &scale, 4);
    uint32_t slots[8] = {5, v0, 6, v1, 0, 0, 0, 0};
    std::memcpy(&p[16], slots, 32);
    uint16_t entries[4] = {0, 1, 1, 2};
    std::memcpy(&p[48], entries, 8);
    return p;
  };
  std::vector<uint64_t> storage;
  EXPECT_TRUE(Load(payload(0 << 8 | 1, 1 << 8 | 1), &storage).ok());
  EXPECT_FALSE(Load(payload(0 << 8 | 1, 0 << 8 | 1), &storage).ok());  // the same entry
  EXPECT_FALSE(Load(payload(0 << 8 | 2, 1 << 8 | 1), &storage).ok());  // overlapping
}

}  // namespace
}  // namespace sitrep::model
