// Runs the scheme files' own test cases (<jurisdiction>/<scheme>.tests.toml):
// named cases, each a person, a date, a category, the expected outcome and,
// where the scheme scores, the expected points. Used by `talentflow schemes
// test` and by ctest. Single-threaded; reads files, writes nothing.
//
// Example:
//   TF_ASSIGN_OR_RETURN(CaseReport report, RunSchemeTests(registry));
//   if (report.failed > 0) ...
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rules/scheme.h"

namespace talentflow::rules {

struct CaseReport {
  int cases = 0;
  int failed = 0;
  std::vector<std::string> lines;  // one per case: "PASS hk/ttps: name" or "FAIL ...: why"
};

// Runs every *.tests.toml under registry.dir. A scheme without a tests file
// counts as a failure; so does a malformed case (reported, not fatal). An
// unreadable directory is an error.
StatusOr<CaseReport> RunSchemeTests(const Registry& registry);

// Converts a TOML person table (as in test files) to the person JSON form;
// TOML dates become "YYYY-MM-DD" strings.
StatusOr<nlohmann::json> TomlPersonToJson(std::string_view toml_text, const std::string& file);

}  // namespace talentflow::rules
