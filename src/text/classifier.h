// Viewpoint classifier: a linear model over hashed word and character
// n-grams, trained locally, and the evaluation metrics of NLPCC 2016.
//
// Features of a post (text unified by OpenCC, then tokenised): character
// n-grams (default 1-3) of the text with URLs and mentions removed, word
// unigrams and bigrams, each hashed (FNV-1a, 64-bit) into 2^hash_bits
// buckets; binary values, L2-normalised, plus a bias feature. With
// topic_features, every feature is also emitted conjoined with the post's
// topic, so one model learns shared cues and per-topic cues ("frustratingly
// easy" domain adaptation, Daumé 2007); this is how the model is usable per
// topic.
// Learner: one-vs-rest L2-regularised L2-loss linear SVM, trained by dual
// coordinate descent (Hsieh et al., ICML 2008); the class with the highest
// score wins. Training visits examples in an order drawn from the seed, so
// it is reproducible.
//
// A ViewpointModel is immutable after training or loading; Score/Predict are
// const and thread-safe.
//
// Example:
//   TF_ASSIGN_OR_RETURN(ViewpointModel m, TrainViewpointModel(examples, {}));
//   std::string label = m.Predict(FeaturesOf(m.features(), text, tokens, topic));
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "text/tokenizer.h"

namespace talentflow::text {

struct FeatureOptions {
  int hash_bits = 20;
  int char_min = 1;
  int char_max = 3;
  int word_max = 2;  // word n-grams 1..word_max
  bool topic_features = true;
};

// The ranges a model may use: hash_bits 8-26, character n-grams
// 1 <= char_min <= char_max <= 8, word n-grams 1..word_max with
// 1 <= word_max <= 4. InvalidArgument naming the option otherwise.
Status CheckFeatureOptions(const FeatureOptions& options);

// The weights of a model take classes x (2^hash_bits + 1) floats; a model
// over this size is refused when trained or loaded.
inline constexpr uint64_t kMaxModelBytes = uint64_t{2} << 30;

struct SparseVector {
  std::vector<uint32_t> index;  // ascending, unique
  std::vector<float> value;
};

// Features of one post. `text` is the OpenCC-unified text; `tokens` its
// tokens; `topic` may be empty.
// REQUIRES: CheckFeatureOptions(options) is OK.
SparseVector FeaturesOf(const FeatureOptions& options, std::string_view text,
                        const std::vector<Token>& tokens, const std::string& topic);

struct TrainOptions {
  double c = 0.5;       // SVM cost (inverse regularisation strength)
  int max_epochs = 60;  // passes of dual coordinate descent
  double tolerance = 0.05;
  uint64_t seed = 1;
};

struct Example {
  SparseVector x;
  std::string label;
};

class ViewpointModel {
 public:
  const std::vector<std::string>& classes() const { return classes_; }
  const FeatureOptions& features() const { return features_; }
  const std::string& label_field() const { return label_field_; }
  int64_t training_examples() const { return training_examples_; }
  const TrainOptions& train_options() const { return train_options_; }

  // One score per class, in classes() order.
  std::vector<double> Scores(const SparseVector& x) const;
  // The best class (ties: first in classes() order).
  const std::string& Predict(const SparseVector& x) const;

  // The documented model file (docs/opinion.md, "Model file"): JSON with
  // format "talentflow-viewpoint-model", version 1.
  std::string Serialize() const;
  static StatusOr<ViewpointModel> Parse(std::string_view json, const std::string& path);

 private:
  friend StatusOr<ViewpointModel> TrainViewpointModel(const std::vector<Example>&,
                                                      const FeatureOptions&, const TrainOptions&,
                                                      const std::string&);
  std::vector<std::string> classes_;  // sorted
  FeatureOptions features_;
  TrainOptions train_options_;
  std::string label_field_;
  int64_t training_examples_ = 0;
  std::vector<std::vector<float>> weights_;  // [class][bucket]; bucket 2^bits is the bias
};

// REQUIRES: every example's x was made with `features`.
StatusOr<ViewpointModel> TrainViewpointModel(const std::vector<Example>& examples,
                                             const FeatureOptions& features,
                                             const TrainOptions& options,
                                             const std::string& label_field);

struct ClassMetrics {
  std::string label;
  int64_t support = 0;    // gold count
  int64_t predicted = 0;  // predicted count
  int64_t true_positive = 0;
  double precision = 0;  // 0 when nothing was predicted as the class
  double recall = 0;     // 0 when the class has no gold example
  double f1 = 0;         // 0 when precision + recall = 0
};

struct Metrics {
  int64_t examples = 0;
  double accuracy = 0;
  std::vector<ClassMetrics> per_class;  // sorted by label
  double macro_f1 = 0;                  // mean F1 over per_class
  std::optional<double> f_avg;          // mean F1 of FAVOR and AGAINST, if both are classes
};

// `classes`: the label set (union of gold and predicted labels is added).
Metrics ComputeMetrics(const std::vector<std::string>& gold, const std::vector<std::string>& pred,
                       std::vector<std::string> classes);

}  // namespace talentflow::text
