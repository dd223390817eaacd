// `talentflow opinion ...`: topics and viewpoints of online posts. Thin:
// parses arguments and calls the text library (src/text/).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <memory>

#include "cli/commands.h"
#include "text/opinion.h"

namespace talentflow::cli {

void RegisterOpinionCommands(CLI::App& app, Context& ctx) {
  CLI::App* opinion = app.add_subcommand(
      "opinion", "Topics and viewpoints of online posts about talent schemes (offline, CPU only)");
  opinion->require_subcommand(1);

  // analyze
  auto analyze = std::make_shared<text::AnalyzeOptions>();
  CLI::App* an = opinion->add_subcommand(
      "analyze",
      "Sample posts, extract topics (seeded LDA) and viewpoints, write OUT/opinion.json and "
      "OUT/tables/*.csv with the disclosure threshold applied");
  an->add_option("posts", analyze->posts_path, "Posts file (.jsonl, .csv or .tsv)")->required();
  an->add_option("--sample", analyze->sample_fraction, "Fraction of posts to sample, in (0, 1]")
      ->default_val(1.0);
  an->add_option("--seed", analyze->seed, "Random seed (sampling, LDA, classifier)")
      ->default_val(1);
  an->add_option("--stratify", analyze->stratify,
                 "Sample within strata: comma-separated community, month, year, source")
      ->delimiter(',');
  an->add_option("--topics", analyze->topics, "Number of topics (at least the seeded topics)")
      ->default_val(8);
  an->add_option("--seeds", analyze->seeds_path, "TOML file of seed words per topic");
  an->add_option("--viewpoints", analyze->viewpoints_path,
                 "TOML file defining viewpoints by seed phrases (silver labels for training)");
  an->add_option("--model", analyze->model_path, "Viewpoint model from `opinion train`");
  an->add_option("--label-field", analyze->label_field,
                 "Post field holding viewpoint labels for training (viewpoint or stance)")
      ->default_val("viewpoint");
  an->add_option("--k", analyze->k, "Disclosure threshold: counts below k are suppressed")
      ->default_val(10);
  an->add_option("--iterations", analyze->lda_iterations, "Gibbs sweeps")->default_val(200);
  an->add_option("--seed-prior", analyze->seed_prior, "Extra Dirichlet prior on seed words")
      ->default_val(2.0);
  an->add_option("--alpha", analyze->alpha, "LDA document-topic prior")->default_val(0.1);
  an->add_option("--threads", analyze->threads,
                 "Threads; also the number of LDA shards, so part of the result's parameters")
      ->default_val(2);
  an->add_option("--max-doc-share", analyze->max_doc_share,
                 "Drop topic words found in more than this share of sampled posts")
      ->default_val(0.2);
  an->add_option("--train-pool", analyze->train_pool,
                 "Posts (a seeded random subset of the input) searched for labelled or "
                 "seed-phrase training examples")
      ->default_val(20000);
  an->add_option("--top-words", analyze->top_words, "Top words listed per topic")->default_val(10);
  an->add_option("--data-dir", analyze->data_dir, "Reference data directory")
      ->default_val(TALENTFLOW_DATA_DIR);
  an->add_option("--out", analyze->out_dir, "Output directory")->required();
  an->callback([analyze, &ctx] { Report(text::RunAnalyze(*analyze), ctx); });

  // train
  auto train = std::make_shared<text::TrainCommandOptions>();
  CLI::App* tr = opinion->add_subcommand(
      "train", "Train a viewpoint classifier from labelled posts and write the model file");
  tr->add_option("labelled", train->input_path, "Labelled posts (.tsv, .csv or .jsonl)")
      ->required();
  tr->add_option("--label-field", train->label_field, "stance, viewpoint or topic")
      ->default_val("stance");
  tr->add_option("--c", train->learn.train.c, "SVM cost C")->default_val(0.5);
  tr->add_option("--hash-bits", train->learn.features.hash_bits, "Feature hash size (bits)")
      ->default_val(20);
  tr->add_option("--seed", train->learn.train.seed, "Seed of the training order")->default_val(1);
  tr->add_option("--threads", train->learn.threads, "Threads for text processing (1-64)")
      ->default_val(2)
      ->check(CLI::Range(1, 64));
  tr->add_option("--data-dir", train->data_dir, "Reference data directory")
      ->default_val(TALENTFLOW_DATA_DIR);
  tr->add_option("--out", train->out_path, "Model file to write")->required();
  tr->callback([train, &ctx] { Report(text::RunTrain(*train), ctx); });

  // eval
  auto eval = std::make_shared<text::EvalCommandOptions>();
  CLI::App* ev = opinion->add_subcommand(
      "eval", "Evaluate a model on labelled posts: per-class P/R/F1, macro F1, F_avg");
  ev->add_option("model", eval->model_path, "Model file")->required();
  ev->add_option("labelled", eval->input_path, "Labelled posts (.tsv, .csv or .jsonl)")->required();
  ev->add_option("--threads", eval->threads, "Threads (1-64)")
      ->default_val(2)
      ->check(CLI::Range(1, 64));
  ev->add_option("--data-dir", eval->data_dir, "Reference data directory")
      ->default_val(TALENTFLOW_DATA_DIR);
  ev->add_option("--out", eval->out_dir, "Output directory (eval.json)")->required();
  ev->callback([eval, &ctx] { Report(text::RunEval(*eval), ctx); });

  // cv
  auto cv = std::make_shared<text::CvCommandOptions>();
  CLI::App* cvc = opinion->add_subcommand(
      "cv", "k-fold cross-validation of the viewpoint classifier, per topic and overall");
  cvc->add_option("labelled", cv->input_path, "Labelled posts (.tsv, .csv or .jsonl)")->required();
  cvc->add_option("--label-field", cv->label_field, "stance, viewpoint or topic")
      ->default_val("stance");
  cvc->add_option("--folds", cv->cv.folds, "Number of folds")->default_val(5);
  cvc->add_option("--seed", cv->cv.seed, "Seed of the fold assignment")->default_val(1);
  cvc->add_option("--c", cv->cv.learn.train.c, "SVM cost C")->default_val(0.5);
  cvc->add_option("--hash-bits", cv->cv.learn.features.hash_bits, "Feature hash size (bits)")
      ->default_val(20);
  cvc->add_option("--char-max", cv->cv.learn.features.char_max, "Longest character n-gram")
      ->default_val(3);
  cvc->add_option("--word-max", cv->cv.learn.features.word_max, "Longest word n-gram")
      ->default_val(2);
  cvc->add_flag("--no-topic-features", cv->no_topic_features,
                "Do not conjoin features with the topic");
  cvc->add_option("--threads", cv->cv.learn.threads, "Threads (1-64)")
      ->default_val(2)
      ->check(CLI::Range(1, 64));
  cvc->add_option("--data-dir", cv->data_dir, "Reference data directory")
      ->default_val(TALENTFLOW_DATA_DIR);
  cvc->add_option("--out", cv->out_dir, "Output directory (cv.json)")->required();
  cvc->callback([cv, &ctx] { Report(text::RunCrossValidation(*cv), ctx); });

  // generate
  auto gen = std::make_shared<text::GenerateOptions>();
  CLI::App* g = opinion->add_subcommand(
      "generate", "Generate synthetic labelled posts of both communities (demo and benchmark)");
  g->add_option("--posts", gen->posts, "Number of posts")->default_val(300);
  g->add_option("--seed", gen->seed, "Random seed")->default_val(1);
  g->add_option("--fragments", gen->fragments_path, "Fragments TOML")
      ->default_val(std::string(TALENTFLOW_DATA_DIR) + "/opinion/demo_fragments.toml");
  g->add_option("--out", gen->out_path, "Output .jsonl file")->required();
  g->callback([gen, &ctx] { Report(text::RunGenerate(*gen), ctx); });
}

}  // namespace talentflow::cli
