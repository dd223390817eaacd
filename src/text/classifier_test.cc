#include "text/classifier.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace talentflow::text {
namespace {

// A fixed split of 10 test posts, scored by hand:
//   gold: F F F A A A A N N N      pred: F F A A A N F N N A
// FAVOR:   tp=2, predicted 3 (posts 1,2,7), support 3 -> P=2/3, R=2/3, F1=2/3
// AGAINST: tp=2, predicted 4 (posts 3,4,5,10), support 4 -> P=1/2, R=1/2, F1=1/2
// NONE:    tp=2, predicted 3 (posts 6,8,9), support 3 -> P=2/3, R=2/3, F1=2/3
// macro F1 = (2/3 + 1/2 + 2/3) / 3 = 11/18; F_avg = (2/3 + 1/2) / 2 = 7/12
// accuracy = 6/10
TEST(MetricsTest, FixedSplitByHand) {
  std::vector<std::string> gold = {"FAVOR",   "FAVOR",   "FAVOR", "AGAINST", "AGAINST",
                                   "AGAINST", "AGAINST", "NONE",  "NONE",    "NONE"};
  std::vector<std::string> pred = {"FAVOR", "FAVOR", "AGAINST", "AGAINST", "AGAINST",
                                   "NONE",  "FAVOR", "NONE",    "NONE",    "AGAINST"};
  Metrics m = ComputeMetrics(gold, pred, {});
  ASSERT_EQ(m.per_class.size(), 3u);
  EXPECT_EQ(m.per_class[0].label, "AGAINST");
  EXPECT_EQ(m.per_class[0].predicted, 4);
  EXPECT_DOUBLE_EQ(m.per_class[0].precision, 0.5);
  EXPECT_DOUBLE_EQ(m.per_class[0].recall, 0.5);
  EXPECT_NEAR(m.per_class[1].f1, 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(m.per_class[2].f1, 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(m.macro_f1, 11.0 / 18.0, 1e-12);
  ASSERT_TRUE(m.f_avg.has_value());
  EXPECT_NEAR(*m.f_avg, 7.0 / 12.0, 1e-12);
  EXPECT_DOUBLE_EQ(m.accuracy, 0.6);
}

TEST(MetricsTest, UndefinedRatiosAreZeroAndFavgNeedsBothClasses) {
  Metrics m = ComputeMetrics({"yes", "yes"}, {"no", "no"}, {"yes", "no"});
  EXPECT_EQ(m.per_class[0].label, "no");
  EXPECT_DOUBLE_EQ(m.per_class[0].precision, 0.0);  // predicted twice, never right
  EXPECT_DOUBLE_EQ(m.per_class[0].recall, 0.0);     // no gold example
  EXPECT_DOUBLE_EQ(m.per_class[1].precision, 0.0);  // never predicted
  EXPECT_FALSE(m.f_avg.has_value());
}

std::vector<Token> Words(std::initializer_list<const char*> words) {
  std::vector<Token> out;
  for (const char* w : words) out.push_back({TokenKind::kWord, w});
  return out;
}

TEST(ClassifierTest, FeaturesAreHashedNormalisedAndTopicConjoined) {
  FeatureOptions f;
  f.hash_bits = 16;
  SparseVector plain = FeaturesOf(f, "好事", Words({"好事"}), "");
  // chars 好, 事, 好事 + word 好事 = 4 distinct features (no collision here).
  EXPECT_EQ(plain.index.size(), 4u);
  EXPECT_FLOAT_EQ(plain.value[0], 0.5f);
  SparseVector topical = FeaturesOf(f, "好事", Words({"好事"}), "housing");
  EXPECT_EQ(topical.index.size(), 8u);
  EXPECT_TRUE(std::is_sorted(topical.index.begin(), topical.index.end()));
}

TEST(ClassifierTest, LearnsSeparableClassesAndRoundTripsThroughFile) {
  FeatureOptions f;
  f.hash_bits = 16;
  f.topic_features = false;
  std::vector<Example> train;
  const char* favor[] = {"支持 好事", "值得 支持", "好事 欢迎"};
  const char* against[] = {"反对 太贵", "太贵 离谱", "反对 抢人"};
  for (const char* t : favor) train.push_back({FeaturesOf(f, t, {}, ""), "FAVOR"});
  for (const char* t : against) train.push_back({FeaturesOf(f, t, {}, ""), "AGAINST"});
  auto m = TrainViewpointModel(train, f, {}, "stance");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->Predict(FeaturesOf(f, "好事 支持", {}, "")), "FAVOR");
  EXPECT_EQ(m->Predict(FeaturesOf(f, "太贵 反对", {}, "")), "AGAINST");
  std::string file = m->Serialize();
  auto back = ViewpointModel::Parse(file, "model.json");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->classes(), m->classes());
  EXPECT_EQ(back->Serialize(), file) << "the file format round-trips exactly";
  SparseVector x = FeaturesOf(f, "好事 离谱", {}, "");
  EXPECT_EQ(back->Predict(x), m->Predict(x));
  auto again = TrainViewpointModel(train, f, {}, "stance");
  EXPECT_EQ(again->Serialize(), file) << "same data and seed: byte-identical model";
}

TEST(ClassifierTest, BadModelFilesAndSingleClassAreErrors) {
  EXPECT_FALSE(ViewpointModel::Parse("not json", "m").ok());
  EXPECT_FALSE(ViewpointModel::Parse(R"({"format":"other","version":1})", "m").ok());
  EXPECT_FALSE(
      ViewpointModel::Parse(R"({"format":"talentflow-viewpoint-model","version":9})", "m").ok());
  EXPECT_FALSE(
      ViewpointModel::Parse(R"({"format":"talentflow-viewpoint-model","version":1})", "m").ok());
  FeatureOptions f;
  f.hash_bits = 12;
  std::vector<Example> one = {{FeaturesOf(f, "a", {}, ""), "X"}};
  EXPECT_FALSE(TrainViewpointModel(one, f, {}, "stance").ok());
}

}  // namespace
}  // namespace talentflow::text
