#include "model/perceptron.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
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

}  // namespace
}  // namespace sitrep::model
