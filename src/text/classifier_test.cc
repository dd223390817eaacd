#include "text/classifier.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <string>
#include <utility>
#include <vector>

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

// A valid model file with `replace` applied to it: each pair's first text
// replaced by its second.
std::string ModelText(const std::vector<std::pair<std::string, std::string>>& replace) {
  std::string text = R"({"format": "talentflow-viewpoint-model", "version": 1,
"label_field": "stance", "classes": ["AGAINST", "FAVOR"],
"features": {"hash_bits": 8, "char_ngrams": [1, 3], "word_ngrams": [1, 2],
 "topic_features": false, "hash": "fnv1a64"},
"training": {"examples": 6, "learner": "ovr-l2-svm-dual-cd", "c": 0.5, "max_epochs": 60,
 "tolerance": 0.05, "seed": 1},
"weights": {"AGAINST": {"bias": -0.25, "buckets": [[3,0.5],[200,-1.5]]},
 "FAVOR": {"bias": 0.25, "buckets": [[255,2]]}}})";
  for (const auto& [from, to] : replace) {
    size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
  }
  return text;
}

std::string ParseError(const std::string& text) {
  StatusOr<ViewpointModel> m = ViewpointModel::Parse(text, "m.json");
  if (m.ok()) return "(parsed)";
  EXPECT_EQ(m.status().code(), StatusCode::kDataError);
  return std::string(m.status().message());
}

// Every value of a model file is checked for its type and range before it is
// used: a number cast out of its type's range is undefined behaviour, a
// non-string "format" threw out of Parse, and a huge model was allocated.
TEST(ClassifierTest, ModelFileValuesAreCheckedBeforeUse) {
  StatusOr<ViewpointModel> good = ViewpointModel::Parse(ModelText({}), "m.json");
  ASSERT_TRUE(good.ok()) << good.status().message();
  EXPECT_EQ(good->features().hash_bits, 8);
  SparseVector x;
  x.index = {3, 255};
  x.value = {1.0f, 1.0f};
  // AGAINST: 0.5 - 0.25; FAVOR: 2 + 0.25 (the bias feature is implicit).
  std::vector<double> scores = good->Scores(x);
  ASSERT_EQ(scores.size(), 2u);
  EXPECT_DOUBLE_EQ(scores[0], 0.25);
  EXPECT_DOUBLE_EQ(scores[1], 2.25);

  EXPECT_EQ(ParseError(ModelText({{R"("talentflow-viewpoint-model")", "5"}})),
            "m.json: \"format\" is not talentflow-viewpoint-model");
  EXPECT_EQ(ParseError(ModelText({{R"("version": 1)", R"("version": "1")"}})),
            "m.json: model version \"1\" is not supported (expected 1)");
  EXPECT_EQ(ParseError(ModelText({{R"("hash_bits": 8)", R"("hash_bits": 1e20)"}})),
            "m.json: malformed model: \"hash_bits\" must be a whole number");
  EXPECT_EQ(ParseError(ModelText({{R"("hash_bits": 8)", R"("hash_bits": 27)"}})),
            "m.json: hash bits 27: expected 8-26");
  EXPECT_EQ(ParseError(ModelText({{"[1, 3]", "[0, 3]"}})),
            "m.json: character n-grams 0-3: expected 1 <= shortest <= longest <= 8");
  EXPECT_EQ(ParseError(ModelText({{"[1, 3]", "[1, 4000000000]"}})),
            "m.json: malformed model: \"char_ngrams\" must be -1048576 to 1048576");
  EXPECT_EQ(ParseError(ModelText({{"[1, 2]", "[1, 5]"}})),
            "m.json: longest word n-gram 5: expected 1-4");
  EXPECT_EQ(ParseError(ModelText({{"[1, 2]", "[2, 2]"}})),
            "m.json: malformed model: \"word_ngrams[0]\" must be 1 to 1");
  EXPECT_EQ(ParseError(ModelText({{"[3,0.5]", "[3,1e300]"}})),
            "m.json: malformed model: weight 1e+300 is beyond the range of a float");
  EXPECT_EQ(ParseError(ModelText({{"[3,0.5]", "[-1,0.5]"}})),
            "m.json: malformed model: \"bucket\" must be 0 to 255");
  EXPECT_EQ(ParseError(ModelText({{"[3,0.5]", "[256,0.5]"}})),
            "m.json: malformed model: \"bucket\" must be 0 to 255");
  EXPECT_EQ(ParseError(ModelText({{"[3,0.5]", "[3.5,0.5]"}})),
            "m.json: malformed model: \"bucket\" must be a whole number");
  EXPECT_EQ(ParseError(ModelText({{R"("seed": 1)", R"("seed": -1)"}})),
            "m.json: malformed model: \"seed\" must be a whole number >= 0");
  EXPECT_EQ(ParseError(ModelText({{R"(["AGAINST", "FAVOR"])", R"(["FAVOR", "FAVOR"])"}})),
            "m.json: \"classes\" lists a class twice");
  std::string many = "[\"c0\"";
  for (int c = 1; c < 40; ++c) many += ",\"c" + std::to_string(c) + "\"";
  many += "]";
  EXPECT_EQ(ParseError(ModelText(
                {{R"(["AGAINST", "FAVOR"])", many}, {R"("hash_bits": 8)", R"("hash_bits": 26)"}})),
            "m.json: 40 classes with hash_bits 26 need 10.0 GiB of weights; the limit is 2 GiB "
            "(use fewer hash bits)");
  EXPECT_NE(ParseError(ModelText({{R"("FAVOR": {"bias")", R"("OTHER": {"bias")"}}))
                .find("malformed model"),
            std::string::npos);
}

TEST(ClassifierTest, FeatureOptionsOutOfRangeAreErrors) {
  FeatureOptions f;
  EXPECT_TRUE(CheckFeatureOptions(f).ok());
  f.char_max = 9;
  EXPECT_EQ(CheckFeatureOptions(f).message(),
            "character n-grams 1-9: expected 1 <= shortest <= longest <= 8");
  f = {};
  f.word_max = 0;
  EXPECT_EQ(CheckFeatureOptions(f).message(), "longest word n-gram 0: expected 1-4");
  f = {};
  f.hash_bits = 99;  // a shift by 99 bits would be undefined behaviour
  EXPECT_EQ(CheckFeatureOptions(f).message(), "hash bits 99: expected 8-26");
  std::vector<Example> two = {{FeaturesOf({}, "a", {}, ""), "X"},
                              {FeaturesOf({}, "b", {}, ""), "Y"}};
  EXPECT_EQ(TrainViewpointModel(two, f, {}, "stance").status().message(),
            "hash bits 99: expected 8-26");
  TrainOptions infinite;
  infinite.c = std::numeric_limits<double>::infinity();
  EXPECT_EQ(TrainViewpointModel(two, {}, infinite, "stance").status().message(),
            "the SVM cost C must be a finite number > 0");
}

}  // namespace
}  // namespace talentflow::text
