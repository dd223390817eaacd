// End to end: `opinion analyze` on the shipped demo corpus.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "io/file_util.h"
#include "text/opinion.h"
#include "text/sampling.h"

namespace talentflow::text {
namespace {
namespace fs = std::filesystem;

class AnalyzeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / fmt::format("tf_opinion_{}", ::getpid()));
    fs::remove_all(*dir_);
    for (const char* run : {"a", "b"}) {
      AnalyzeOptions o;
      o.posts_path = "data/opinion/demo_posts.jsonl";
      o.sample_fraction = 0.5;
      o.seed = 3;
      o.stratify = {"community"};
      o.topics = 4;
      o.seeds_path = "data/opinion/demo_seeds.toml";
      o.viewpoints_path = "data/opinion/demo_viewpoints.toml";
      o.label_field = "stance";  // the demo has no stance field: seed phrases only
      o.k = 5;
      o.lda_iterations = 100;
      o.out_dir = (*dir_ / run).string();
      Status s = RunAnalyze(o);
      ASSERT_TRUE(s.ok()) << s.message();
    }
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }
  static nlohmann::json Result() {
    return nlohmann::json::parse(*ReadFile(*dir_ / "a" / "opinion.json"));
  }
  static fs::path* dir_;
};
fs::path* AnalyzeTest::dir_ = nullptr;

TEST_F(AnalyzeTest, SameInputsSameBytes) {
  for (const char* f :
       {"opinion.json", "tables/top_topics.csv", "tables/viewpoint_shares.csv",
        "tables/communities_side_by_side.csv", "tables/topic_volume_by_community_month.csv"}) {
    EXPECT_EQ(*ReadFile(*dir_ / "a" / f), *ReadFile(*dir_ / "b" / f)) << f;
  }
}

TEST_F(AnalyzeTest, RowAccountingAndStratifiedSample) {
  nlohmann::json j = Result();
  EXPECT_EQ(j["rows"]["read"], 400);
  EXPECT_EQ(j["rows"]["quarantined"], 0);
  // Independent count of the demo's communities: half of each, rounded.
  auto set = ReadPosts("data/opinion/demo_posts.jsonl", PostFields::ForAnalysis());
  std::map<std::string, int> per;
  for (const auto& p : set->posts) ++per[p.community];
  int64_t expected = 0;
  for (const auto& [c, n] : per) {
    EXPECT_EQ(j["rows"]["sampled_by_community"][c], (n + 1) / 2) << c;
    expected += (n + 1) / 2;
  }
  EXPECT_EQ(j["rows"]["sampled"], expected);
}

TEST_F(AnalyzeTest, TopicsAndViewpointsRecoverThePlantedLabels) {
  // Each demo post carries the topic and viewpoint it was written for; the
  // seeded topics and the classifier trained from seed phrases must agree
  // with them for most sampled posts (assignments.csv lists the model's).
  auto set = ReadPosts("data/opinion/demo_posts.jsonl", PostFields::ForAnalysis());
  std::map<std::string, const Post*> by_id;
  for (const auto& p : set->posts) by_id[p.id] = &p;
  std::string csv = *ReadFile(*dir_ / "a" / "assignments.csv");
  int rows = 0, topic_ok = 0, view_ok = 0;
  size_t pos = csv.find('\n') + 1;  // skip the header
  while (pos < csv.size()) {
    size_t end = csv.find('\n', pos);
    std::vector<std::string> f;
    size_t start = pos;
    for (size_t c = pos; c <= end; ++c) {
      if (c == end || csv[c] == ',') {
        f.push_back(csv.substr(start, c - start));
        start = c + 1;
      }
    }
    pos = end + 1;
    ASSERT_EQ(f.size(), 5u);
    const Post* p = by_id.at(f[0]);
    ++rows;
    topic_ok += f[3] == p->topic;
    view_ok += f[4] == p->viewpoint;
  }
  nlohmann::json j = Result();
  EXPECT_EQ(rows, j["rows"]["sampled"].get<int>());
  EXPECT_GE(topic_ok, 0.75 * rows) << topic_ok << " of " << rows;
  EXPECT_GE(view_ok, 0.8 * rows) << view_ok << " of " << rows;
}

TEST_F(AnalyzeTest, DisclosureThresholdSuppressesSmallCounts) {
  nlohmann::json j = Result();
  int nulls = 0;
  for (const auto& row : j["tables"]["viewpoint_shares"]) {
    if (row["posts"].is_null()) {
      ++nulls;
      EXPECT_TRUE(row["share"].is_null()) << "a share of a suppressed count is suppressed";
    } else {
      EXPECT_GE(row["posts"].get<int>(), 5);
    }
  }
  for (const auto& row : j["tables"]["topic_volume_by_community_month"]) {
    if (!row["posts"].is_null()) {
      EXPECT_GE(row["posts"].get<int>(), 5);
    }
  }
  EXPECT_GT(nulls, 0) << "the demo has small cells";
  EXPECT_GE(j["suppressed"].size(), static_cast<size_t>(nulls));
  // Suppressed is empty in the CSV, never 0.
  std::string csv = *ReadFile(*dir_ / "a" / "tables" / "topic_volume_by_community_month.csv");
  EXPECT_EQ(csv.find(",0\n"), std::string::npos);
  EXPECT_NE(csv.find(",\n"), std::string::npos);
  EXPECT_TRUE(fs::exists(*dir_ / "a" / "tables" / "viewpoint_shares.meta.json"));
}

TEST_F(AnalyzeTest, ViewpointsFromSeedPhrases) {
  nlohmann::json j = Result();
  EXPECT_EQ(j["viewpoints"]["method"], "trained");
  EXPECT_EQ(j["viewpoints"]["classes"], nlohmann::json({"AGAINST", "FAVOR", "NONE"}));
  EXPECT_GT(j["viewpoints"]["training_examples"]["seed_phrase_matches"].get<int>(), 100);
}

// Post ids and community names are free text: assignments.csv quotes them
// as RFC 4180 asks. Before, a community with a quote was wrapped in quotes
// without doubling it, which broke the row for every CSV reader.
TEST(AnalyzeAssignmentsTest, QuotesIdsAndCommunitiesThatNeedIt) {
  fs::path dir = fs::temp_directory_path() / fmt::format("tf_opinion_quote_{}", ::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string posts = *ReadFile("data/opinion/demo_posts.jsonl");
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (size_t at = posts.find(from); at != std::string::npos;
         at = posts.find(from, at + to.size())) {
      posts.replace(at, from.size(), to);
    }
  };
  replace_all(R"("community":"hongkong")", R"("community":"hong kong, \"HK\"")");
  replace_all(R"("id":"p0000001")", R"("id":"p\"1,x")");
  replace_all(R"("id":"p0000002")", R"("id":"p\n2")");
  ASSERT_TRUE(WriteFileAtomic(dir / "posts.jsonl", posts).ok());
  AnalyzeOptions o;
  o.posts_path = (dir / "posts.jsonl").string();
  o.topics = 3;
  o.lda_iterations = 20;
  o.label_field = "stance";
  o.seeds_path = "data/opinion/demo_seeds.toml";
  o.viewpoints_path = "data/opinion/demo_viewpoints.toml";
  o.out_dir = (dir / "out").string();
  Status s = RunAnalyze(o);
  ASSERT_TRUE(s.ok()) << s.message();
  std::string csv = *ReadFile(dir / "out" / "assignments.csv");
  // Demo posts 1 and 2: Hong Kong, May and March 2023.
  EXPECT_NE(csv.find("\n\"p\"\"1,x\",\"hong kong, \"\"HK\"\"\",2023-05,"), std::string::npos)
      << csv.substr(0, 400);
  EXPECT_NE(csv.find("\n\"p\n2\",\"hong kong, \"\"HK\"\"\",2023-03,"), std::string::npos);
  EXPECT_EQ(csv.find("\"hong kong, \"HK\"\""), std::string::npos);
  fs::remove_all(dir);
}

TEST(AnalyzeErrorsTest, BadArgumentsAreErrors) {
  AnalyzeOptions o;
  o.posts_path = "data/opinion/demo_posts.jsonl";
  o.out_dir = "";
  EXPECT_EQ(RunAnalyze(o).code(), StatusCode::kInvalidArgument);
  o.out_dir = "/tmp/unused";
  o.sample_fraction = 2;
  EXPECT_EQ(RunAnalyze(o).code(), StatusCode::kInvalidArgument);
  o.sample_fraction = 1;
  // Checked before any post is read, each message naming the option and
  // the value given (a NaN share reached a cast to an integer, undefined
  // behaviour; a negative seed prior or an infinite alpha ran to garbage).
  auto message = [](AnalyzeOptions a) {
    Status s = RunAnalyze(a);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.message();
    return std::string(s.message());
  };
  AnalyzeOptions a = o;
  a.topics = -3;
  EXPECT_EQ(message(a), "--topics -3: expected 1-1000");
  a = o;
  a.alpha = std::numeric_limits<double>::infinity();
  EXPECT_EQ(message(a), "--alpha inf: expected a finite number > 0");
  a = o;
  a.seed_prior = -1;
  EXPECT_EQ(message(a), "--seed-prior -1: expected a finite number >= 0");
  a = o;
  a.max_doc_share = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(message(a), "--max-doc-share nan: expected a share in (0, 1]");
  a.max_doc_share = 0;
  EXPECT_EQ(message(a), "--max-doc-share 0: expected a share in (0, 1]");
  o.posts_path = "tests/opinion/missing.jsonl";
  EXPECT_EQ(RunAnalyze(o).code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace talentflow::text

namespace talentflow::text {
namespace {

TEST(AnalyzeErrorsTest, BadRowsAreQuarantinedWithReasonAndLine) {
  fs::path dir = fs::temp_directory_path() / fmt::format("tf_opinion_bad_{}", ::getpid());
  AnalyzeOptions o;
  o.posts_path = "tests/opinion/bad_posts.jsonl";
  o.out_dir = dir.string();
  // Two usable posts are too few for topics: the run stops with a data
  // error, but the quarantine is written.
  Status s = RunAnalyze(o);
  EXPECT_EQ(s.code(), StatusCode::kDataError);
  std::string q = *ReadFile(dir / "quarantine.csv");
  EXPECT_NE(q.find("tests/opinion/bad_posts.jsonl,2,bad_date,"), std::string::npos) << q;
  EXPECT_NE(q.find("tests/opinion/bad_posts.jsonl,3,malformed_row,not valid JSON"),
            std::string::npos);
  EXPECT_NE(q.find("tests/opinion/bad_posts.jsonl,4,missing_key,missing or empty: community"),
            std::string::npos);
  fs::remove_all(dir);
}

TEST(LearnCommandsTest, TrainThenEvalOnTheDemoLabels) {
  fs::path dir = fs::temp_directory_path() / fmt::format("tf_opinion_learn_{}", ::getpid());
  TrainCommandOptions t;
  t.input_path = "data/opinion/demo_posts.jsonl";
  t.label_field = "viewpoint";
  t.learn.features.hash_bits = 16;
  t.out_path = (dir / "model.json").string();
  ASSERT_TRUE(RunTrain(t).ok());
  EvalCommandOptions e;
  e.model_path = t.out_path;
  e.input_path = "data/opinion/demo_posts.jsonl";
  e.out_dir = dir.string();
  ASSERT_TRUE(RunEval(e).ok());
  nlohmann::json j = nlohmann::json::parse(*ReadFile(dir / "eval.json"));
  EXPECT_EQ(j["overall"]["examples"], 400);
  // Training-set accuracy of a linear model on 400 separable posts.
  EXPECT_GT(j["overall"]["f_avg"].get<double>(), 0.95);
  EXPECT_EQ(j["per_topic"].size(), 4u);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace talentflow::text
