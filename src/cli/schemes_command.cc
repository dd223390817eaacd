// `talentflow schemes ...`: talent-admission schemes as dated rules.
// Thin: parses arguments, calls talentflow_rules, prints, sets the exit code.
#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "cli/commands.h"
#include "common/exit_codes.h"
#include "ingest/ingest.h"
#include "io/file_util.h"
#include "panel/gazetteer.h"
#include "panel/title_rules.h"
#include "rules/case_runner.h"
#include "rules/evaluate.h"
#include "rules/output.h"
#include "rules/person.h"
#include "rules/pool.h"
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
  // pool
  std::string dataset_dir, place, before, after, out_dir;
  std::string flow_class = "all";
  bool assume_allowed_nationality = false;
  int threads = 0;
  int k = 10;
  bool timings = false;
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

// The gazetteer as the flow engine's place matcher.
class GazetteerMatcher : public PlaceMatcher {
 public:
  explicit GazetteerMatcher(const Gazetteer& gazetteer) : gazetteer_(gazetteer) {}
  void Match(std::string_view country, std::string_view metro_area, std::string_view city,
             std::vector<uint32_t>* out) const override {
    gazetteer_.Match(country, metro_area, city, out);
  }

 private:
  const Gazetteer& gazetteer_;
};

StatusOr<Month> MonthOption(const std::string& name, const std::string& text) {
  StatusOr<Month> month = ParseMonth(text);
  if (!month.ok()) return InvalidArgument(fmt::format("{} {}", name, month.status().message()));
  return month;
}

Status RunPoolCommand(const SchemesOptions& opts) {
  using Clock = std::chrono::steady_clock;
  auto seconds_since = [](Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  const Clock::time_point start = Clock::now();
  TF_ASSIGN_OR_RETURN(Month before, MonthOption("--before", opts.before));
  TF_ASSIGN_OR_RETURN(Month after, MonthOption("--after", opts.after));
  if (after <= before) return InvalidArgument("--after must be later than --before");
  Date date = rules::MakeDate(YearOf(after), MonthOfYear(after), 1);
  if (!opts.date.empty()) {
    TF_ASSIGN_OR_RETURN(date, DateOption(opts.date));
  }
  rules::PoolOptions pool;
  pool.date = date;
  if (opts.flow_class == "all") {
    pool.classes = {FlowClass::kStayer, FlowClass::kJoiner, FlowClass::kLeaver};
  } else if (opts.flow_class == "leaver") {
    pool.classes = {FlowClass::kLeaver};
  } else if (opts.flow_class == "joiner") {
    pool.classes = {FlowClass::kJoiner};
  } else {
    pool.classes = {FlowClass::kStayer};
  }
  pool.assume_allowed_nationality = opts.assume_allowed_nationality;
  pool.k = opts.k;
  pool.threads =
      opts.threads > 0 ? opts.threads : std::max(1u, std::thread::hardware_concurrency());
  pool.place = opts.place;
  pool.before = FormatMonth(before);
  pool.after = FormatMonth(after);
  pool.dataset = opts.dataset_dir;
  TF_ASSIGN_OR_RETURN(rules::Registry registry, LoadSchemes(opts.dir));
  if (!opts.schemes.empty()) {
    std::set<std::string> wanted;
    size_t start = 0;
    while (start <= opts.schemes.size()) {
      size_t comma = std::min(opts.schemes.find(',', start), opts.schemes.size());
      if (comma > start) wanted.insert(opts.schemes.substr(start, comma - start));
      start = comma + 1;
    }
    for (const std::string& id : wanted) {
      if (!registry.schemes.count(id)) {
        return InvalidArgument(fmt::format("--schemes: no scheme \"{}\"", id));
      }
    }
    std::erase_if(registry.schemes, [&](const auto& item) { return !wanted.count(item.first); });
  }
  TF_ASSIGN_OR_RETURN(Gazetteer gazetteer, Gazetteer::LoadDefault());
  std::optional<uint32_t> place = gazetteer.FindPlace(opts.place);
  if (!place)
    return InvalidArgument(fmt::format("--place \"{}\": not in the gazetteer", opts.place));
  TF_ASSIGN_OR_RETURN(TitleRules titles, TitleRules::LoadDefault());
  IngestOptions ingest;
  ingest.threads = pool.threads;
  TF_ASSIGN_OR_RETURN(Dataset dataset, LoadDataset(opts.dataset_dir, ingest));
  GazetteerMatcher matcher(gazetteer);
  FlowsParams params;
  params.target_place = *place;
  params.before = before;
  params.after = after;
  params.threads = pool.threads;
  const double load_seconds = seconds_since(start);
  const Clock::time_point flows_start = Clock::now();
  TF_ASSIGN_OR_RETURN(FlowsContext flows,
                      FlowsContext::Build(dataset, matcher, titles, nullptr, params));
  const double flows_seconds = seconds_since(flows_start);
  const Clock::time_point pool_start = Clock::now();
  TF_ASSIGN_OR_RETURN(rules::PoolResult result, rules::RunPool(registry, flows, pool));
  const double pool_seconds = seconds_since(pool_start);
  const Clock::time_point write_start = Clock::now();
  TF_RETURN_IF_ERROR(rules::WritePool(opts.out_dir, result, pool));
  fmt::print("wrote {}/schemes_pool.json and tables/scheme_pool.csv\n", opts.out_dir);
  if (opts.timings) {
    int64_t persons = 0;
    for (const auto& [cls, count] : result.persons) persons += count;
    fmt::print(stderr,
               "timings: load {:.2f} s, flows {:.2f} s, pool {:.2f} s ({:.2f} CPU-s over {} users, "
               "{} persons evaluated: {:.2f} us CPU per person, classification of every user "
               "included), write {:.2f} s\n",
               load_seconds, flows_seconds, pool_seconds, result.worker_cpu_seconds,
               dataset.users.size(), persons,
               persons > 0 ? result.worker_cpu_seconds * 1e6 / static_cast<double>(persons) : 0.0,
               seconds_since(write_start));
  }
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
  CLI::App* schemes = app.add_subcommand("schemes",
                                         "Talent admission schemes as dated rules: check a person, "
                                         "count a population, compare, run tests");
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

  CLI::App* pool = schemes->add_subcommand(
      "pool",
      "Counts, per scheme category and flow class, of the people who would qualify "
      "(eligible / not eligible / cannot tell), with inputs derived from profiles");
  pool->add_option("dataset", opts->dataset_dir, "Revelio-layout dataset directory")->required();
  pool->add_option("--place", opts->place, "Target place, e.g. \"Hong Kong\"")->required();
  pool->add_option("--before", opts->before, "Before snapshot month YYYY-MM")->required();
  pool->add_option("--after", opts->after, "After snapshot month YYYY-MM")->required();
  pool->add_option("--class", opts->flow_class, "leaver, joiner, stayer or all")
      ->check(CLI::IsMember({"leaver", "joiner", "stayer", "all"}));
  pool->add_option("--date", opts->date,
                   "Date the rules are applied on (default: first day of the after month)");
  pool->add_option("--out", opts->out_dir, "Output directory")->required();
  pool->add_option("--schemes", opts->schemes,
                   "Comma-separated scheme ids to evaluate (default: all), e.g. hk/ttps");
  pool->add_option("--threads", opts->threads,
                   "Worker threads (default or 0: all cores; at most 256)")
      ->check(CLI::Range(0, 256));
  pool->add_option("--k", opts->k,
                   "Disclosure threshold: counts below k are suppressed (0 disables)")
      ->default_val(10)
      ->check(CLI::NonNegativeNumber);
  pool->add_flag("--assume-allowed-nationality", opts->assume_allowed_nationality,
                 "Assume nobody holds an excluded nationality (profiles have none); recorded "
                 "in the metadata");
  pool->add_option("--dir", opts->dir, "Scheme directory (default: bundled data/schemes)");
  pool->add_flag("--timings", opts->timings,
                 "Print phase wall times and the pool's CPU per person evaluated to stderr");
  pool->callback([opts, &ctx] { Report(RunPoolCommand(*opts), ctx); });

  CLI::App* fields = schemes->add_subcommand("fields", "List the person fields rules may read");
  fields->callback([] { RunFields(); });
}

}  // namespace talentflow::cli
