// `talentflow schemes ...`: talent-admission schemes as dated rules.
// Thin: parses arguments, calls talentflow_rules, prints, sets the exit code.
#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "common/exit_codes.h"
#include "io/file_util.h"
#include "rules/case_runner.h"
#include "rules/evaluate.h"
#include "rules/output.h"
#include "rules/person.h"
#include "rules/scheme.h"

namespace talentflow::cli {
namespace {

using rules::Date;

struct SchemesOptions {
  std::string dir;
  std::string date;
  std::string format = "text";
  std::string person_file;
  std::string schemes;
};

StatusOr<Date> DateOption(const std::string& text) {
  if (text.empty()) {
    auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    return Date{static_cast<int>(today.time_since_epoch().count())};
  }
  StatusOr<Date> date = rules::ParseDate(text);
  if (!date.ok()) return InvalidArgument("--date " + date.status().message());
  return date;
}

StatusOr<rules::Registry> LoadSchemes(const std::string& dir) {
  return rules::LoadRegistry(dir.empty() ? rules::DefaultSchemesDir() : std::filesystem::path(dir));
}

Status RunCheck(const SchemesOptions& opts) {
  TF_ASSIGN_OR_RETURN(Date date, DateOption(opts.date));
  TF_ASSIGN_OR_RETURN(rules::Registry registry, LoadSchemes(opts.dir));
  TF_ASSIGN_OR_RETURN(std::string text, ReadFile(opts.person_file));
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    return DataError(fmt::format("{}: not valid JSON at byte {}", opts.person_file, error.byte));
  }
  TF_ASSIGN_OR_RETURN(rules::Person person, rules::ParsePersonJson(json, opts.person_file));
  std::vector<rules::SchemeResult> results = rules::CheckPerson(registry, person, date);
  if (opts.format == "json") {
    fmt::print("{}\n", rules::CheckToJson(results, person, date).dump(2));
  } else {
    fmt::print("{}", rules::CheckToText(results, person, date));
  }
  return Status::Ok();
}

Status RunCompare(const SchemesOptions& opts) {
  TF_ASSIGN_OR_RETURN(Date date, DateOption(opts.date));
  TF_ASSIGN_OR_RETURN(rules::Registry registry, LoadSchemes(opts.dir));
  std::vector<std::string> ids;
  size_t start = 0;
  while (start < opts.schemes.size()) {
    size_t comma = opts.schemes.find(',', start);
    if (comma == std::string::npos) comma = opts.schemes.size();
    if (comma > start) ids.push_back(opts.schemes.substr(start, comma - start));
    start = comma + 1;
  }
  TF_ASSIGN_OR_RETURN(rules::ComparisonTable table, rules::BuildComparison(registry, date, ids));
  if (opts.format == "json") {
    fmt::print("{}\n", rules::ComparisonToJson(table).dump(2));
  } else if (opts.format == "csv") {
    fmt::print("{}", rules::ComparisonToCsv(table));
  } else {
    fmt::print("{}", rules::ComparisonToText(table));
  }
  return Status::Ok();
}

Status RunTests(const SchemesOptions& opts, Context& ctx) {
  TF_ASSIGN_OR_RETURN(rules::Registry registry, LoadSchemes(opts.dir));
  TF_ASSIGN_OR_RETURN(rules::CaseReport report, rules::RunSchemeTests(registry));
  for (const std::string& line : report.lines) fmt::print("{}\n", line);
  fmt::print("{} case(s), {} failed, {} scheme(s)\n", report.cases, report.failed,
             registry.schemes.size());
  if (report.failed > 0) ctx.exit_code = kExitFailed;
  return Status::Ok();
}

void RunFields() {
  for (const rules::FieldInfo& info : rules::FieldCatalog()) {
    fmt::print("{}\t{}\t{}\t{}\n", info.name, rules::FieldTypeName(info.type),
               info.derived ? "derived" : "given", info.description);
  }
}

}  // namespace

void RegisterSchemesCommands(CLI::App& app, Context& ctx) {
  auto opts = std::make_shared<SchemesOptions>();
  CLI::App* schemes = app.add_subcommand(
      "schemes", "Talent admission schemes as dated rules: check a person, compare, run tests");
  schemes->require_subcommand(1);

  CLI::App* check = schemes->add_subcommand(
      "check",
      "Every scheme on a date for one person: eligible / not eligible / cannot tell, "
      "points, and a criterion-by-criterion trace with references");
  check->add_option("person", opts->person_file, "Person JSON file (schema: docs/schemes.md)")
      ->required();
  check->add_option("--date", opts->date, "Evaluation date YYYY-MM-DD (default: today, UTC)");
  check->add_option("--format", opts->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  check->add_option("--dir", opts->dir, "Scheme directory (default: bundled data/schemes)");
  check->callback([opts, &ctx] { Report(RunCheck(*opts), ctx); });

  CLI::App* compare = schemes->add_subcommand(
      "compare", "The cross-jurisdiction comparison table, from the scheme files' metadata");
  compare->add_option("--date", opts->date, "Date YYYY-MM-DD (default: today, UTC)");
  compare->add_option("--format", opts->format, "text, json or csv")
      ->check(CLI::IsMember({"text", "json", "csv"}));
  compare->add_option("--schemes", opts->schemes,
                      "Comma-separated scheme ids as columns, e.g. "
                      "sg/one_pass,jp/hsp,au/niv,hk/ttps (default: all with a comparison)");
  compare->add_option("--dir", opts->dir, "Scheme directory (default: bundled data/schemes)");
  compare->callback([opts, &ctx] { Report(RunCompare(*opts), ctx); });

  CLI::App* test = schemes->add_subcommand(
      "test", "Run the scheme files' own test cases (*.tests.toml); exit code 5 if any fails");
  test->add_option("--dir", opts->dir, "Scheme directory (default: bundled data/schemes)");
  test->callback([opts, &ctx] { Report(RunTests(*opts, ctx), ctx); });

  CLI::App* fields = schemes->add_subcommand("fields", "List the person fields rules may read");
  fields->callback([] { RunFields(); });
}

}  // namespace talentflow::cli
