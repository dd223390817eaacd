// The opinion engine's commands as library calls (the CLI only parses
// arguments): analyze, train, eval, cv and generate. Each writes its
// outputs atomically; the same inputs and parameters give byte-identical
// outputs (no timestamps, sorted keys, fixed number formatting).
//
// analyze: read posts (quarantine bad rows) -> seeded sample -> OpenCC +
// segmentation -> seeded LDA topics (top words, labels, volumes per
// community and month, NPMI) -> viewpoints (a given model, or one trained
// on labelled posts and seed-phrase matches) -> OUT/opinion.json,
// OUT/quarantine.csv and OUT/tables/<name>.csv + <name>.meta.json, counts
// below the disclosure threshold k suppressed (empty in CSV, null in JSON,
// listed under "suppressed").
//
// Example:
//   AnalyzeOptions o; o.posts_path = "posts.jsonl"; o.out_dir = "out";
//   TF_RETURN_IF_ERROR(RunAnalyze(o));
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "text/viewpoint.h"

namespace talentflow::text {

struct AnalyzeOptions {
  std::string posts_path;
  double sample_fraction = 1.0;
  uint64_t seed = 1;
  std::vector<std::string> stratify;
  int topics = 8;
  std::string seeds_path;
  std::string viewpoints_path;
  std::string model_path;
  std::string label_field = "viewpoint";
  int64_t k = 10;
  int lda_iterations = 200;
  double seed_prior = 2.0;
  double alpha = 0.1;
  int threads = 2;
  int top_words = 10;
  int min_doc_freq = 3;
  double max_doc_share = 0.2;
  int64_t train_pool = 20000;  // posts searched for viewpoint training examples  // words in more
                               // posts than this share are dropped
  std::string data_dir = TALENTFLOW_DATA_DIR;
  std::string out_dir;
};
Status RunAnalyze(const AnalyzeOptions& options);

struct TrainCommandOptions {
  std::string input_path;
  std::string label_field = "stance";
  LearnOptions learn;
  std::string data_dir = TALENTFLOW_DATA_DIR;
  std::string out_path;
};
Status RunTrain(const TrainCommandOptions& options);

struct EvalCommandOptions {
  std::string model_path;
  std::string input_path;
  int threads = 2;
  std::string data_dir = TALENTFLOW_DATA_DIR;
  std::string out_dir;
};
Status RunEval(const EvalCommandOptions& options);

struct CvCommandOptions {
  std::string input_path;
  std::string label_field = "stance";
  CvOptions cv;
  bool no_topic_features = false;
  std::string data_dir = TALENTFLOW_DATA_DIR;
  std::string out_dir;
};
Status RunCrossValidation(const CvCommandOptions& options);

struct GenerateOptions {
  int64_t posts = 300;
  uint64_t seed = 1;
  std::string fragments_path;
  std::string out_path;
};
Status RunGenerate(const GenerateOptions& options);

}  // namespace talentflow::text
