// The engine recovers what the synthetic generator planted (truth.json),
// exactly: classes with the unclassified by reason, same-company counts,
// flows by country (values and order), profile fallbacks, the age rule per
// class, multinationals, and the joiners/leavers means and sds. The truth is
// computed by the generator from the rows it wrote, never by engine code.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "io/file_util.h"
#include "stats/flows_run.h"
#include "synth/synth.h"

namespace talentflow {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

struct SynthCase {
  int64_t users;
  uint64_t seed;
  bool gzip;
  int parts;
  const char* place;
};

class FlowsSynth : public ::testing::TestWithParam<SynthCase> {};

TEST_P(FlowsSynth, RecoversPlantedTruth) {
  const SynthCase c = GetParam();
  const fs::path root =
      fs::temp_directory_path() /
      ("talentflow_flows_synth_" + std::to_string(c.users) + "_" + std::to_string(c.seed));
  fs::remove_all(root);
  synth::SynthOptions so;
  so.params.users = c.users;
  so.params.seed = c.seed;
  so.params.place = c.place;
  so.out_dir = root / "data";
  so.gzip = c.gzip;
  so.parts = c.parts;
  so.threads = 2;
  so.progress = false;
  auto s = synth::RunSynth(so);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  const Json truth = Json::parse(*ReadFile(root / "data" / "truth.json"));

  FlowsRunOptions o;
  o.dataset_dir = root / "data";
  o.place = c.place;
  o.before = so.params.before;
  o.after = so.params.after;
  o.cutoff = so.params.cutoff;
  o.k = 0;
  o.out_dir = root / "out";
  o.threads = 2;
  auto run = RunFlowsCommand(o);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  const Json r = Json::parse(*ReadFile(root / "out" / "results.json"));

  EXPECT_EQ(r["classes"], truth["classes"]);
  for (const char* cls : {"leaver", "joiner", "stayer"}) {
    EXPECT_EQ(r["same_company"][cls], truth["same_company"][cls]) << cls;
  }
  ASSERT_EQ(r["flows_by_country"].size(), truth["flows_by_country"].size());
  for (size_t i = 0; i < truth["flows_by_country"].size(); ++i) {
    const Json& t = truth["flows_by_country"][i];
    const Json& a = r["flows_by_country"][i];
    for (const char* f : {"country", "leave", "join", "net", "turnover"}) {
      EXPECT_EQ(a[f], t[f]) << "flows_by_country[" << i << "]." << f;
    }
  }
  EXPECT_EQ(r["location"]["profile_fallback"], truth["location_fallback"]);
  // Age rules: our table covers stayers, joiners and leavers.
  for (const Json& row : r["age_rules"]) {
    const std::string rule = row["rule"];
    int64_t expected = 0;
    for (const char* cls : {"stayer", "joiner", "leaver"}) {
      expected += truth["age_rule"][cls][rule].get<int64_t>();
    }
    EXPECT_EQ(row["persons"], expected) << rule;
  }
  // Multinationals: the same firms with the same counts.
  std::map<std::string, Json> firms;
  for (const Json& f : r["multinationals"]["firms"]) firms[f["parent"]] = f;
  ASSERT_EQ(firms.size(), truth["multinationals"]["firms"].size());
  for (const Json& t : truth["multinationals"]["firms"]) {
    const Json& a = firms[t["ultimate_parent_rcid"]];
    EXPECT_EQ(a["countries_before"], t["countries_before"]);
    EXPECT_EQ(a["headcount_before"], t["before"]);
    EXPECT_EQ(a["headcount_after"], t["after"]);
  }
  EXPECT_EQ(r["multinationals"]["totals"]["headcount_before"],
            truth["multinationals"]["totals"]["before"]);
  EXPECT_EQ(r["multinationals"]["totals"]["headcount_after"],
            truth["multinationals"]["totals"]["after"]);
  // Joiners versus leavers: n exactly, means and sds to 1e-9 relative.
  std::map<std::string, Json> jvl;
  for (const Json& v : r["joiners_vs_leavers"]) jvl[v["variable"]] = v;
  for (const Json& t : truth["joiners_vs_leavers"]) {
    const Json& a = jvl.at(t["variable"]);
    for (const char* g : {"joiner", "leaver"}) {
      EXPECT_EQ(a[g]["n"], t[g]["n"]) << t["variable"] << " " << g;
      for (const char* m : {"mean", "sd"}) {
        const double want = t[g][m], got = a[g][m];
        EXPECT_NEAR(got, want, 1e-9 * std::max(1.0, std::fabs(want)))
            << t["variable"] << " " << g << " " << m;
      }
    }
  }
  fs::remove_all(root);
}

INSTANTIATE_TEST_SUITE_P(Seeds, FlowsSynth,
                         ::testing::Values(SynthCase{3000, 1, false, 1, "Hong Kong"},
                                           SynthCase{20000, 7, false, 1, "Hong Kong"},
                                           SynthCase{8000, 42, true, 3, "Hong Kong"},
                                           SynthCase{5000, 11, false, 2, "Singapore"}),
                         [](const auto& info) {
                           return "users" + std::to_string(info.param.users) + "_seed" +
                                  std::to_string(info.param.seed) +
                                  (info.param.gzip ? "_gzip" : "") + "_parts" +
                                  std::to_string(info.param.parts);
                         });

// The persistent definition on synthetic data: with K = 1 every table equals
// the endpoint definition's byte for byte (only the classes notes and the
// persistence sections differ), and with K = 2 the output does not depend on
// the thread count.
std::string FileText(const fs::path& path) {
  StatusOr<std::string> text = ReadFile(path);
  return text.ok() ? *text : "(missing " + path.string() + ")";
}

TEST(FlowsSynthPersistence, OneQuarterIsEndpointAndThreadsDoNotMatter) {
  const fs::path root = fs::temp_directory_path() / "talentflow_flows_synth_persistence";
  fs::remove_all(root);
  synth::SynthOptions so;
  so.params.users = 20000;
  so.params.seed = 5;
  so.out_dir = root / "data";
  so.threads = 2;
  so.progress = false;
  ASSERT_TRUE(synth::RunSynth(so).ok());
  auto run = [&](const std::string& name, MoveDefinition definition, int quarters, int threads) {
    FlowsRunOptions o;
    o.dataset_dir = root / "data";
    o.place = "Hong Kong";
    o.before = so.params.before;
    o.after = so.params.after;
    o.cutoff = so.params.cutoff;
    o.k = 0;
    o.definition = definition;
    o.persist_quarters = quarters;
    o.out_dir = root / name;
    o.threads = threads;
    auto s = RunFlowsCommand(o);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return root / name;
  };
  const fs::path endpoint = run("endpoint", MoveDefinition::kEndpoint, 2, 2);
  const fs::path one = run("k1", MoveDefinition::kPersistent, 1, 2);
  const fs::path two = run("k2", MoveDefinition::kPersistent, 2, 2);
  const fs::path two_single = run("k2_single", MoveDefinition::kPersistent, 2, 1);

  int tables = 0;
  for (const auto& e : fs::directory_iterator(endpoint / "tables")) {
    const std::string file = e.path().filename().string();
    if (file == "classes.meta.json") continue;  // notes name the definition
    EXPECT_EQ(FileText(e.path()), FileText(one / "tables" / file)) << file;
    ++tables;
  }
  EXPECT_EQ(tables, 17);  // 9 tables, CSV and meta, less classes.meta.json
  Json a = Json::parse(FileText(endpoint / "results.json"));
  Json b = Json::parse(FileText(one / "results.json"));
  EXPECT_EQ(b["params"]["definition"], "persistent");
  EXPECT_EQ(b["params"]["persist_quarters"], 1);
  const Json& events = b["persistence"]["events"];
  EXPECT_GT(events["confirmed_moves"].get<int64_t>(), 0);
  for (const char* e : {"excursions", "changes_across_gap", "unconfirmed_at_cutoff"}) {
    EXPECT_EQ(events[e], 0) << e;
  }
  for (auto& [from, row] : b["persistence"]["endpoint_to_persistent"].items()) {
    for (auto& [to, n] : row.items()) {
      if (from != to) {
        EXPECT_EQ(n, 0) << from << " -> " << to;
      }
    }
  }
  for (Json* j : {&a, &b}) {
    j->erase("params");
    j->erase("persistence");
  }
  EXPECT_EQ(a, b);

  const Json k2 = Json::parse(FileText(two / "results.json"));
  EXPECT_NE(k2["classes"], a["classes"]);  // K = 2 does reclassify someone
  EXPECT_GT(k2["persistence"]["events"]["excursions"].get<int64_t>(), 0);
  EXPECT_EQ(FileText(two / "results.json"), FileText(two_single / "results.json"));
  for (const auto& e : fs::directory_iterator(two / "tables")) {
    const std::string file = e.path().filename().string();
    EXPECT_EQ(FileText(e.path()), FileText(two_single / "tables" / file)) << file;
  }
  fs::remove_all(root);
}

}  // namespace
}  // namespace talentflow
