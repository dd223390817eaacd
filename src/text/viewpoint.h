// Viewpoint workflows on labelled posts: training a model from a file,
// evaluating it, and k-fold cross-validation, each reporting per-class
// precision/recall/F1, macro F1 and F_avg overall and per topic (NLPCC 2016
// "target").
//
// Cross-validation folds are stratified by (topic, label): within each
// group the posts are ordered by SampleKey(seed, id) and dealt to folds in
// turn, so folds are reproducible and balanced. Overall metrics pool the
// held-out predictions of all folds (as NLPCC scored its pooled test set).
//
// Example:
//   TF_ASSIGN_OR_RETURN(CvReport r, CrossValidate(posts, "stance", proc, {.folds = 5}));
//   r.overall.f_avg
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "text/classifier.h"
#include "text/posts.h"
#include "text/text_processor.h"

namespace talentflow::text {

struct LearnOptions {
  FeatureOptions features;
  TrainOptions train;
  int threads = 2;
};

// Features for `posts` (topic conjunction uses post.topic).
std::vector<SparseVector> FeaturizePosts(const std::vector<Post>& posts, const TextProcessor& proc,
                                         const FeatureOptions& f, int threads);

StatusOr<ViewpointModel> TrainOnPosts(const std::vector<Post>& posts,
                                      const std::string& label_field, const TextProcessor& proc,
                                      const LearnOptions& options);

struct EvalReport {
  Metrics overall;
  std::map<std::string, Metrics> per_topic;
  std::vector<std::string> predictions;  // per post
};

EvalReport EvaluateOnPosts(const ViewpointModel& model, const std::vector<Post>& posts,
                           const TextProcessor& proc, int threads);

struct CvOptions {
  int folds = 5;
  uint64_t seed = 1;
  LearnOptions learn;
};

StatusOr<EvalReport> CrossValidate(const std::vector<Post>& posts, const std::string& label_field,
                                   const TextProcessor& proc, const CvOptions& options);

// Fold of each post (0..folds-1) as described above.
std::vector<int> AssignFolds(const std::vector<Post>& posts, const std::string& label_field,
                             int folds, uint64_t seed);

// JSON text of a metrics report (fixed 4-decimal formatting).
std::string MetricsJson(const Metrics& m, int indent);

}  // namespace talentflow::text
