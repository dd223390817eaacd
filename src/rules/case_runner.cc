#include "rules/case_runner.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cmath>

#include "io/file_util.h"
#include "rules/evaluate.h"
#include "rules/person.h"

namespace talentflow::rules {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json NodeToJson(const toml::node& node) {
  if (const auto* table = node.as_table()) {
    json out = json::object();
    for (auto&& [key, value] : *table) out[std::string(key.str())] = NodeToJson(value);
    return out;
  }
  if (const auto* array = node.as_array()) {
    json out = json::array();
    for (const toml::node& value : *array) out.push_back(NodeToJson(value));
    return out;
  }
  if (node.is_string()) return std::string(node.as_string()->get());
  if (node.is_integer()) return node.as_integer()->get();
  if (node.is_floating_point()) return node.as_floating_point()->get();
  if (node.is_boolean()) return node.as_boolean()->get();
  if (node.is_date()) {
    toml::date date = node.as_date()->get();
    return fmt::format("{:04d}-{:02d}-{:02d}", date.year, date.month, date.day);
  }
  return fmt::format("<unsupported TOML value at line {}>", node.source().begin.line);
}

// Runs one case; returns "" when it passes, else why it failed.
std::string RunCase(const Registry& registry, const Scheme& scheme, const toml::table& table,
                    const std::string& where) {
  static const std::vector<std::string_view> kKeys = {"name",   "date",    "category", "expect",
                                                      "points", "missing", "person"};
  for (auto&& [key, unused] : table) {
    if (std::find(kKeys.begin(), kKeys.end(), key.str()) == kKeys.end()) {
      return fmt::format(
          "unknown key \"{}\"; allowed: name, date, category, expect, points, "
          "missing, person",
          key.str());
    }
  }
  for (const char* key : {"date", "expect", "person"}) {
    if (!table.contains(key)) return fmt::format("key \"{}\" required", key);
  }
  Date date;
  if (const auto* d = table.get("date")->as_date()) {
    toml::date value = d->get();
    date = MakeDate(value.year, value.month, value.day);
  } else {
    return "date: expected a TOML date YYYY-MM-DD";
  }
  std::string category = table["category"].value_or(std::string());
  StatusOr<Verdict> expect = ParseVerdict(table["expect"].value_or(std::string()));
  if (!expect.ok()) return "expect: " + expect.status().message();
  StatusOr<Person> person = ParsePersonJson(NodeToJson(*table.get("person")), where + " person");
  if (!person.ok()) return person.status().message();
  std::vector<SchemeResult> results = CheckScheme(registry, scheme, *person, date);
  const SchemeResult* found = nullptr;
  for (const SchemeResult& result : results) {
    if (result.category == category || (results.size() == 1 && result.category.empty())) {
      found = &result;
    }
  }
  if (found == nullptr) {
    return fmt::format("category \"{}\" not in scheme (categories: {})", category,
                       fmt::join(scheme.Categories(), ", "));
  }
  std::vector<std::string> problems;
  if (found->verdict != *expect) {
    problems.push_back(fmt::format(
        "expected {}, got {}{}", VerdictName(*expect), VerdictName(found->verdict),
        found->missing.empty() ? ""
                               : fmt::format(" (missing: {})", fmt::join(found->missing, ", "))));
  }
  if (const toml::node* points = table.get("points")) {
    std::optional<double> want = points->value<double>();
    if (!want) return "points: expected a number";
    if (!found->scored) {
      problems.push_back("expected points but the scheme scored nothing");
    } else if (std::fabs(found->points_min - *want) > 1e-9 ||
               std::fabs(found->points_max - *want) > 1e-9) {
      problems.push_back(fmt::format("expected {} points, got {}..{}", FormatNumber(*want),
                                     FormatNumber(found->points_min),
                                     FormatNumber(found->points_max)));
    }
  }
  if (const toml::node* missing = table.get("missing")) {
    if (!missing->is_array()) return "missing: expected an array of field names";
    for (const toml::node& item : *missing->as_array()) {
      std::string field = item.value_or(std::string());
      if (std::find(found->missing.begin(), found->missing.end(), field) == found->missing.end()) {
        problems.push_back(fmt::format("expected missing field \"{}\", got [{}]", field,
                                       fmt::join(found->missing, ", ")));
      }
    }
  }
  return problems.empty() ? "" : fmt::format("{}", fmt::join(problems, "; "));
}

}  // namespace

StatusOr<json> TomlPersonToJson(std::string_view toml_text, const std::string& file) {
  try {
    toml::table table = toml::parse(toml_text, std::string_view(file));
    return NodeToJson(table);
  } catch (const toml::parse_error& error) {
    return DataError(
        fmt::format("{} line {}: {}", file, error.source().begin.line, error.description()));
  }
}

StatusOr<CaseReport> RunSchemeTests(const Registry& registry) {
  CaseReport report;
  for (const auto& [id, scheme] : registry.schemes) {
    fs::path path = fs::path(scheme.file);
    path.replace_extension(".tests.toml");
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      ++report.failed;
      report.lines.push_back(fmt::format("FAIL {}: no test file {}", id, path.string()));
      continue;
    }
    TF_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    toml::table root;
    try {
      root = toml::parse(text, std::string_view(path.string()));
    } catch (const toml::parse_error& error) {
      ++report.failed;
      report.lines.push_back(fmt::format("FAIL {}: {} line {}: {}", id, path.string(),
                                         error.source().begin.line, error.description()));
      continue;
    }
    const toml::array* cases = root["cases"].as_array();
    if (cases == nullptr || cases->empty() || root.size() != 1) {
      ++report.failed;
      report.lines.push_back(
          fmt::format("FAIL {}: {}: expected only [[cases]] tables", id, path.string()));
      continue;
    }
    for (const toml::node& node : *cases) {
      ++report.cases;
      const toml::table* table = node.as_table();
      std::string name = table ? (*table)["name"].value_or(std::string("(unnamed)")) : "(bad)";
      std::string where = fmt::format("{} line {}", path.string(), node.source().begin.line);
      std::string why = table ? RunCase(registry, scheme, *table, where) : "expected a table";
      if (why.empty()) {
        report.lines.push_back(fmt::format("PASS {}: {}", id, name));
      } else {
        ++report.failed;
        report.lines.push_back(fmt::format("FAIL {}: {} ({}): {}", id, name, where, why));
      }
    }
  }
  return report;
}

}  // namespace talentflow::rules
