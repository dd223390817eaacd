// End-to-end fixture cases of the flows command: each folder under
// tests/flows/cases/ holds a tiny dataset (CSV), an optional case.json with
// the parameters, and expected.json written by hand. expected.json is a
// fragment of results.json: objects match when every expected key matches
// (extra actual keys are ignored), arrays match element by element and must
// have the same length, numbers match to 1e-9. Keys starting with "_" are
// comments. "suppressed_includes" lists entries that must be in "suppressed".
// The run is also repeated to check byte-identical output.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

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

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator("tests/flows/cases")) {
    if (e.is_directory()) names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class FlowsCase : public ::testing::TestWithParam<std::string> {};

TEST_P(FlowsCase, MatchesHandWrittenExpectation) {
  const fs::path dir = fs::path("tests/flows/cases") / GetParam();
  Json params = {{"place", "Hong Kong"},
                 {"before", "2019-12"},
                 {"after", "2023-06"},
                 {"cutoff", "2023-09"},
                 {"k", 0}};
  if (fs::exists(dir / "case.json")) params.update(Json::parse(*ReadFile(dir / "case.json")));
  const fs::path out = fs::temp_directory_path() / ("talentflow_flows_case_" + GetParam());
  fs::remove_all(out);
  FlowsRunOptions o;
  o.dataset_dir = dir;
  o.place = params["place"].get<std::string>();
  o.before = *ParseMonth(params["before"].get<std::string>());
  o.after = *ParseMonth(params["after"].get<std::string>());
  o.cutoff = *ParseMonth(params["cutoff"].get<std::string>());
  o.k = params["k"].get<int>();
  o.out_dir = out;
  o.threads = 2;
  auto run = RunFlowsCommand(o);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  const std::string first = *ReadFile(out / "results.json");
  Json actual = Json::parse(first);
  Json expected = Json::parse(*ReadFile(dir / "expected.json"));
  ExpectMatches(expected, actual, GetParam());

  const std::string first_table = *ReadFile(out / "tables" / "flows_by_country.csv");
  o.threads = 1;
  ASSERT_TRUE(RunFlowsCommand(o).ok());
  EXPECT_EQ(first, *ReadFile(out / "results.json")) << "rerun not byte-identical";
  EXPECT_EQ(first_table, *ReadFile(out / "tables" / "flows_by_country.csv"));
  fs::remove_all(out);
}

INSTANTIATE_TEST_SUITE_P(Cases, FlowsCase, ::testing::ValuesIn(CaseNames()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace talentflow
