// RunTrain, RunEval and RunCrossValidation (see opinion.h).
#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "io/file_util.h"
#include "text/opinion.h"

namespace talentflow::text {
namespace {

std::string InputJson(const std::string& path) {
  nlohmann::ordered_json j;
  j["path"] = path;
  std::error_code ec;
  j["bytes"] = static_cast<int64_t>(std::filesystem::file_size(path, ec));
  auto sha = Sha256File(path);
  j["sha256"] = sha.ok() ? *sha : "";
  return j.dump();
}

std::string RowsJson(const RowAccounting& a) {
  nlohmann::ordered_json j;
  j["read"] = a.rows_read;
  j["accepted"] = a.rows_accepted;
  j["quarantined"] = a.rows_quarantined;
  nlohmann::ordered_json reasons = nlohmann::ordered_json::object();
  for (const auto& [r, n] : a.by_reason) reasons[r] = n;
  j["quarantine_reasons"] = reasons;
  return j.dump();
}

std::string ReportJson(const std::string& kind, const std::string& params_json,
                       const std::string& input_path, const PostSet& posts,
                       const EvalReport& report) {
  std::string out = "{\n";
  out += fmt::format("\"report\": \"{}\",\n", kind);
  out += fmt::format("\"params\": {},\n", params_json);
  out += fmt::format("\"inputs\": [{}],\n", InputJson(input_path));
  out += fmt::format("\"rows\": {},\n", RowsJson(posts.accounting));
  out += fmt::format("\"overall\": {},\n", MetricsJson(report.overall, -1));
  out += "\"per_topic\": {";
  bool first = true;
  for (const auto& [topic, m] : report.per_topic) {
    out += fmt::format("{}\n  {}: {}", first ? "" : ",", nlohmann::json(topic).dump(),
                       MetricsJson(m, -1));
    first = false;
  }
  out += "\n}\n}\n";
  return out;
}

void PrintSummary(const EvalReport& r) {
  auto line = [](const std::string& name, const Metrics& m) {
    fmt::print("{:<24} n={:<5} macro_F1={:.4f} F_avg={}\n", name, m.examples, m.macro_f1,
               m.f_avg ? fmt::format("{:.4f}", *m.f_avg) : "n/a");
  };
  for (const auto& [topic, m] : r.per_topic) line(topic, m);
  line("overall", r.overall);
}

}  // namespace

Status RunTrain(const TrainCommandOptions& o) {
  TF_RETURN_IF_ERROR(CheckFeatureOptions(o.learn.features));  // before the (long) reading
  TF_ASSIGN_OR_RETURN(PostSet posts,
                      ReadPosts(o.input_path, PostFields::ForTraining(o.label_field)));
  TextProcessor::Options po;
  po.data_dir = o.data_dir;
  TF_ASSIGN_OR_RETURN(auto proc, TextProcessor::Open(po));
  auto model = TrainOnPosts(posts.posts, o.label_field, *proc, o.learn);
  if (!model.ok()) return model.status().WithContext(o.input_path);
  TF_RETURN_IF_ERROR(WriteFileAtomic(o.out_path, model->Serialize()));
  fmt::print("trained on {} posts ({} quarantined); classes:", posts.accounting.rows_accepted,
             posts.accounting.rows_quarantined);
  for (const auto& c : model->classes()) fmt::print(" {}", c);
  fmt::print("\nmodel written to {}\n", o.out_path);
  return Status::Ok();
}

Status RunEval(const EvalCommandOptions& o) {
  TF_ASSIGN_OR_RETURN(std::string text, ReadFile(o.model_path));
  TF_ASSIGN_OR_RETURN(ViewpointModel model, ViewpointModel::Parse(text, o.model_path));
  TF_ASSIGN_OR_RETURN(PostSet posts,
                      ReadPosts(o.input_path, PostFields::ForTraining(model.label_field())));
  TextProcessor::Options po;
  po.data_dir = o.data_dir;
  TF_ASSIGN_OR_RETURN(auto proc, TextProcessor::Open(po));
  EvalReport r = EvaluateOnPosts(model, posts.posts, *proc, o.threads);
  nlohmann::ordered_json params;
  params["model"] = nlohmann::json::parse(InputJson(o.model_path));
  params["label_field"] = model.label_field();
  std::filesystem::path out(o.out_dir);
  TF_RETURN_IF_ERROR(WriteFileAtomic(out / "eval.json",
                                     ReportJson("eval", params.dump(), o.input_path, posts, r)));
  TF_RETURN_IF_ERROR(WriteFileAtomic(out / "quarantine.csv", QuarantineCsv(posts.quarantine)));
  PrintSummary(r);
  return Status::Ok();
}

Status RunCrossValidation(const CvCommandOptions& o) {
  TF_RETURN_IF_ERROR(CheckFeatureOptions(o.cv.learn.features));
  TF_ASSIGN_OR_RETURN(PostSet posts,
                      ReadPosts(o.input_path, PostFields::ForTraining(o.label_field)));
  TextProcessor::Options po;
  po.data_dir = o.data_dir;
  TF_ASSIGN_OR_RETURN(auto proc, TextProcessor::Open(po));
  CvOptions cv = o.cv;
  cv.learn.features.topic_features = !o.no_topic_features;
  TF_ASSIGN_OR_RETURN(EvalReport r, CrossValidate(posts.posts, o.label_field, *proc, cv));
  nlohmann::ordered_json params;
  params["label_field"] = o.label_field;
  params["folds"] = cv.folds;
  params["seed"] = cv.seed;
  params["c"] = cv.learn.train.c;
  params["hash_bits"] = cv.learn.features.hash_bits;
  params["char_ngrams"] = {cv.learn.features.char_min, cv.learn.features.char_max};
  params["word_ngrams"] = {1, cv.learn.features.word_max};
  params["topic_features"] = cv.learn.features.topic_features;
  std::filesystem::path out(o.out_dir);
  TF_RETURN_IF_ERROR(WriteFileAtomic(
      out / "cv.json", ReportJson("cross_validation", params.dump(), o.input_path, posts, r)));
  TF_RETURN_IF_ERROR(WriteFileAtomic(out / "quarantine.csv", QuarantineCsv(posts.quarantine)));
  PrintSummary(r);
  return Status::Ok();
}

}  // namespace talentflow::text
