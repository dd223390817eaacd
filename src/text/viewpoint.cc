#include "text/viewpoint.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "text/sampling.h"

namespace talentflow::text {

std::vector<SparseVector> FeaturizePosts(const std::vector<Post>& posts, const TextProcessor& proc,
                                         const FeatureOptions& f, int threads) {
  std::vector<const std::string*> texts;
  texts.reserve(posts.size());
  for (const auto& p : posts) texts.push_back(&p.text);
  std::vector<ProcessedText> done = proc.Process(texts, threads);
  std::vector<SparseVector> xs(posts.size());
  for (size_t i = 0; i < posts.size(); ++i)
    xs[i] = FeaturesOf(f, done[i].unified, done[i].tokens, posts[i].topic);
  return xs;
}

StatusOr<ViewpointModel> TrainOnPosts(const std::vector<Post>& posts,
                                      const std::string& label_field, const TextProcessor& proc,
                                      const LearnOptions& options) {
  TF_RETURN_IF_ERROR(CheckFeatureOptions(options.features));
  std::vector<SparseVector> xs = FeaturizePosts(posts, proc, options.features, options.threads);
  std::vector<Example> examples;
  examples.reserve(posts.size());
  for (size_t i = 0; i < posts.size(); ++i) {
    const std::string& label = LabelOf(posts[i], label_field);
    if (label.empty()) continue;
    examples.push_back({std::move(xs[i]), label});
  }
  return TrainViewpointModel(examples, options.features, options.train, label_field);
}

namespace {

EvalReport Report(const std::vector<Post>& posts, const std::string& label_field,
                  std::vector<std::string> predictions, const std::vector<std::string>& classes) {
  EvalReport r;
  std::vector<std::string> gold;
  std::map<std::string, std::pair<std::vector<std::string>, std::vector<std::string>>> by_topic;
  for (size_t i = 0; i < posts.size(); ++i) {
    gold.push_back(LabelOf(posts[i], label_field));
    auto& [g, p] = by_topic[posts[i].topic];
    g.push_back(gold.back());
    p.push_back(predictions[i]);
  }
  r.overall = ComputeMetrics(gold, predictions, classes);
  if (by_topic.size() > 1 || (by_topic.size() == 1 && !by_topic.begin()->first.empty())) {
    for (auto& [topic, gp] : by_topic)
      r.per_topic[topic] = ComputeMetrics(gp.first, gp.second, classes);
  }
  r.predictions = std::move(predictions);
  return r;
}

}  // namespace

EvalReport EvaluateOnPosts(const ViewpointModel& model, const std::vector<Post>& posts,
                           const TextProcessor& proc, int threads) {
  std::vector<SparseVector> xs = FeaturizePosts(posts, proc, model.features(), threads);
  std::vector<std::string> pred;
  pred.reserve(posts.size());
  for (const auto& x : xs) pred.push_back(model.Predict(x));
  return Report(posts, model.label_field(), std::move(pred), model.classes());
}

std::vector<int> AssignFolds(const std::vector<Post>& posts, const std::string& label_field,
                             int folds, uint64_t seed) {
  std::map<std::pair<std::string, std::string>, std::vector<std::pair<uint64_t, size_t>>> groups;
  for (size_t i = 0; i < posts.size(); ++i) {
    groups[{posts[i].topic, LabelOf(posts[i], label_field)}].emplace_back(
        SampleKey(seed, posts[i].id), i);
  }
  std::vector<int> fold(posts.size(), 0);
  int next = 0;  // continue dealing across groups so fold sizes stay even
  for (auto& [key, members] : groups) {
    std::sort(members.begin(), members.end());
    for (const auto& [k, i] : members) {
      fold[i] = next;
      next = (next + 1) % folds;
    }
  }
  return fold;
}

StatusOr<EvalReport> CrossValidate(const std::vector<Post>& posts, const std::string& label_field,
                                   const TextProcessor& proc, const CvOptions& options) {
  if (options.folds < 2)
    return InvalidArgument(fmt::format("--folds {}: expected 2 or more", options.folds));
  if (posts.size() < static_cast<size_t>(options.folds))
    return InvalidArgument("fewer labelled posts than folds");
  TF_RETURN_IF_ERROR(CheckFeatureOptions(options.learn.features));
  std::vector<int> fold = AssignFolds(posts, label_field, options.folds, options.seed);
  std::vector<SparseVector> xs =
      FeaturizePosts(posts, proc, options.learn.features, options.learn.threads);
  std::vector<std::string> pred(posts.size());
  std::vector<std::string> classes;
  for (int f = 0; f < options.folds; ++f) {
    std::vector<Example> train;
    for (size_t i = 0; i < posts.size(); ++i)
      if (fold[i] != f) train.push_back({xs[i], LabelOf(posts[i], label_field)});
    auto model =
        TrainViewpointModel(train, options.learn.features, options.learn.train, label_field);
    if (!model.ok()) return model.status().WithContext(fmt::format("fold {}", f + 1));
    classes = model->classes();
    for (size_t i = 0; i < posts.size(); ++i)
      if (fold[i] == f) pred[i] = model->Predict(xs[i]);
  }
  return Report(posts, label_field, std::move(pred), classes);
}

std::string MetricsJson(const Metrics& m, int indent) {
  nlohmann::ordered_json j;
  j["examples"] = m.examples;
  auto fixed = [](double v) { return nlohmann::json::parse(fmt::format("{:.4f}", v)); };
  j["accuracy"] = fixed(m.accuracy);
  j["macro_f1"] = fixed(m.macro_f1);
  j["f_avg"] = m.f_avg ? fixed(*m.f_avg) : nlohmann::json(nullptr);
  nlohmann::ordered_json classes = nlohmann::ordered_json::array();
  for (const auto& c : m.per_class) {
    nlohmann::ordered_json cj;
    cj["label"] = c.label;
    cj["support"] = c.support;
    cj["predicted"] = c.predicted;
    cj["true_positive"] = c.true_positive;
    cj["precision"] = fixed(c.precision);
    cj["recall"] = fixed(c.recall);
    cj["f1"] = fixed(c.f1);
    classes.push_back(cj);
  }
  j["per_class"] = classes;
  return j.dump(indent);
}

}  // namespace talentflow::text
