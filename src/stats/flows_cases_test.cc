// End-to-end fixture cases of the flows command: each folder under
// tests/flows/cases/ holds a tiny dataset (CSV), an optional case.json with
// the parameters, and expected.json written by hand. expected.json is a
// fragment of results.json: objects match when every expected key matches
// (extra actual keys are ignored), arrays match element by element and must
// have the same length, numbers match to 1e-9. Keys starting with "_" are
// comments. "suppressed_includes" lists entries that must be in "suppressed";
// "absent_keys" lists keys the object must not have.
// A case may also hold variants: each case.NAME.json (parameters changed
// from case.json) with its expected.NAME.json is one more run of the same
// data, e.g. the same persons under the other move definition.
// Every run is also repeated with another thread count to check
// byte-identical output.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <tuple>

#include "io/file_util.h"
#include "stats/flows_run.h"

namespace talentflow {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

void ExpectMatches(const Json& expected, const Json& actual, const std::string& path) {
  if (expected.is_object()) {
    ASSERT_TRUE(actual.is_object()) << path << ": expected an object, got " << actual.dump();
    for (const auto& [key, value] : expected.items()) {
      if (!key.empty() && key[0] == '_') continue;
      if (key == "absent_keys") {
        for (const Json& name : value) {
          EXPECT_FALSE(actual.contains(name.get<std::string>()))
              << path << ": unexpected key " << name;
        }
        continue;
      }
      if (key == "suppressed_includes") {
        for (const Json& entry : value) {
          bool found = false;
          for (const Json& a : actual["suppressed"]) found = found || a == entry;
          EXPECT_TRUE(found) << path << ": suppressed lacks " << entry.dump();
        }
        continue;
      }
      ASSERT_TRUE(actual.contains(key)) << path << ": missing key " << key;
      ExpectMatches(value, actual[key], path + "." + key);
    }
  } else if (expected.is_array()) {
    ASSERT_TRUE(actual.is_array()) << path << ": expected an array, got " << actual.dump();
    ASSERT_EQ(expected.size(), actual.size()) << path << ": " << actual.dump();
    for (size_t i = 0; i < expected.size(); ++i) {
      ExpectMatches(expected[i], actual[i], path + "[" + std::to_string(i) + "]");
    }
  } else if (expected.is_number() && actual.is_number()) {
    EXPECT_NEAR(expected.get<double>(), actual.get<double>(), 1e-9) << path;
  } else {
    EXPECT_EQ(expected, actual) << path;
  }
}

struct CaseRun {
  std::string name;     // folder under tests/flows/cases
  std::string variant;  // "" for case.json + expected.json, else NAME
};

std::vector<CaseRun> CaseRuns() {
  std::vector<CaseRun> runs;
  for (const auto& e : fs::directory_iterator("tests/flows/cases")) {
    if (!e.is_directory()) continue;
    const std::string name = e.path().filename().string();
    runs.push_back({name, ""});
    for (const auto& f : fs::directory_iterator(e.path())) {
      const std::string file = f.path().filename().string();
      if (file.starts_with("case.") && file.ends_with(".json") && file != "case.json") {
        runs.push_back({name, file.substr(5, file.size() - 10)});
      }
    }
  }
  std::sort(runs.begin(), runs.end(), [](const CaseRun& a, const CaseRun& b) {
    return std::tie(a.name, a.variant) < std::tie(b.name, b.variant);
  });
  return runs;
}

void PrintTo(const CaseRun& run, std::ostream* os) {
  *os << run.name << (run.variant.empty() ? "" : "." + run.variant);
}

class FlowsCase : public ::testing::TestWithParam<CaseRun> {};

TEST_P(FlowsCase, MatchesHandWrittenExpectation) {
  const CaseRun& run_case = GetParam();
  const std::string label =
      run_case.name + (run_case.variant.empty() ? "" : "." + run_case.variant);
  const fs::path dir = fs::path("tests/flows/cases") / run_case.name;
  Json params = {{"place", "Hong Kong"},
                 {"before", "2019-12"},
                 {"after", "2023-06"},
                 {"cutoff", "2023-09"},
                 {"k", 0},
                 {"definition", "endpoint"},
                 {"persist_quarters", 2}};
  if (fs::exists(dir / "case.json")) params.update(Json::parse(*ReadFile(dir / "case.json")));
  std::string expected_file = "expected.json";
  if (!run_case.variant.empty()) {
    params.update(Json::parse(*ReadFile(dir / ("case." + run_case.variant + ".json"))));
    expected_file = "expected." + run_case.variant + ".json";
  }
  const fs::path out = fs::temp_directory_path() / ("talentflow_flows_case_" + label);
  fs::remove_all(out);
  FlowsRunOptions o;
  o.dataset_dir = dir;
  o.place = params["place"].get<std::string>();
  o.before = *ParseMonth(params["before"].get<std::string>());
  o.after = *ParseMonth(params["after"].get<std::string>());
  o.cutoff = *ParseMonth(params["cutoff"].get<std::string>());
  o.k = params["k"].get<int>();
  std::optional<MoveDefinition> definition =
      ParseMoveDefinition(params["definition"].get<std::string>());
  ASSERT_TRUE(definition) << label << ": unknown definition " << params["definition"];
  o.definition = *definition;
  o.persist_quarters = params["persist_quarters"].get<int>();
  o.out_dir = out;
  o.threads = 2;
  auto run = RunFlowsCommand(o);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  const std::string first = *ReadFile(out / "results.json");
  Json actual = Json::parse(first);
  ASSERT_TRUE(fs::exists(dir / expected_file)) << label << ": no " << expected_file;
  Json expected = Json::parse(*ReadFile(dir / expected_file));
  ExpectMatches(expected, actual, label);

  const std::string first_table = *ReadFile(out / "tables" / "flows_by_country.csv");
  o.threads = 1;
  ASSERT_TRUE(RunFlowsCommand(o).ok());
  EXPECT_EQ(first, *ReadFile(out / "results.json")) << "rerun not byte-identical";
  EXPECT_EQ(first_table, *ReadFile(out / "tables" / "flows_by_country.csv"));
  fs::remove_all(out);
}

INSTANTIATE_TEST_SUITE_P(Cases, FlowsCase, ::testing::ValuesIn(CaseRuns()), [](const auto& info) {
  return info.param.name + (info.param.variant.empty() ? "" : "_" + info.param.variant);
});

}  // namespace
}  // namespace talentflow
