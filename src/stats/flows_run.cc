#include "stats/flows_run.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <utility>

#include "ingest/ingest.h"
#include "io/file_util.h"
#include "io/table.h"
#include "stats/publish.h"

namespace talentflow {

namespace {

using Json = nlohmann::ordered_json;

std::string CountText(const Json& j) { return j.is_null() ? "suppressed" : j.dump(); }

Json PathJson(const std::string& what, const std::filesystem::path& path) {
  Json j{{"name", what}, {"path", path.string()}};
  StatusOr<std::string> sha = Sha256File(path);
  j["sha256"] = sha.ok() ? Json(*sha) : Json();
  return j;
}

}  // namespace

StatusOr<FlowsRunSummary> RunFlowsCommand(const FlowsRunOptions& options) {
  if (options.before == kNoMonth || options.after == kNoMonth) {
    return InvalidArgument("--before and --after are required (YYYY-MM)");
  }
  if (options.before >= options.after) {
    return InvalidArgument(fmt::format("--before {} must be earlier than --after {}",
                                       FormatMonth(options.before), FormatMonth(options.after)));
  }
  if (options.k < 0) return InvalidArgument("--k must be 0 (no suppression) or more");
  if (options.out_dir.empty()) return InvalidArgument("--out is required");
  {
    // Fail before the (long) load when the definition's parameters are wrong.
    FlowsParams check;
    check.before = options.before;
    check.after = options.after;
    check.definition = options.definition;
    check.persist_quarters = options.persist_quarters;
    TF_RETURN_IF_ERROR(CheckMoveDefinition(check));
  }

  const std::filesystem::path data_dir(TALENTFLOW_DATA_DIR);
  const std::filesystem::path gazetteer_path =
      options.gazetteer.empty() ? data_dir / "gazetteer" / "places.csv" : options.gazetteer;
  const std::filesystem::path rankings_path =
      options.rankings.empty() ? data_dir / "rankings" : options.rankings;
  const std::filesystem::path titles_path =
      options.titles.empty() ? data_dir / "titles" / "title_patterns.csv" : options.titles;

  using Clock = std::chrono::steady_clock;
  auto seconds_since = [](Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
  };
  const auto t_load = Clock::now();
  TF_ASSIGN_OR_RETURN(Gazetteer gazetteer, Gazetteer::Load(gazetteer_path));
  std::optional<uint32_t> target = gazetteer.FindPlace(options.place);
  if (!target) {
    return InvalidArgument(fmt::format(
        "--place \"{}\": not in the gazetteer {} (give an English or Chinese name or alias)",
        options.place, gazetteer_path.string()));
  }
  // The rankings and title patterns are read beside the ingest (they are
  // needed only after it). A missing file is reported before the ingest
  // starts; a malformed one when the ingest is done.
  for (const std::filesystem::path& p : {rankings_path, titles_path}) {
    std::error_code ec;
    if (!std::filesystem::exists(p, ec))
      return NotFound(fmt::format("{}: no such file or directory", p.string()));
  }
  using Reference = std::pair<UniversityRanks, TitleRules>;
  std::future<StatusOr<Reference>> reference =
      std::async(std::launch::async, [&]() -> StatusOr<Reference> {
        TF_ASSIGN_OR_RETURN(UniversityRanks r, UniversityRanks::Load(rankings_path));
        TF_ASSIGN_OR_RETURN(TitleRules t, TitleRules::Load(titles_path));
        return Reference(std::move(r), std::move(t));
      });

  IngestOptions ingest;
  ingest.cutoff = options.cutoff;
  ingest.quarantine_dir = options.out_dir / "quarantine";
  ingest.threads = options.threads;
  ingest.progress = options.progress;
  StatusOr<Dataset> loaded = LoadDataset(options.dataset_dir, ingest);
  StatusOr<Reference> reference_data = reference.get();
  TF_RETURN_IF_ERROR(reference_data.status());
  TF_ASSIGN_OR_RETURN(Dataset dataset, std::move(loaded));
  const UniversityRanks& ranks = reference_data->first;
  const TitleRules& titles = reference_data->second;
  // A misspelt ranking would leave every degree unranked, silently.
  if (std::find(ranks.rankings().begin(), ranks.rankings().end(), options.ranking) ==
      ranks.rankings().end()) {
    return InvalidArgument(fmt::format("--ranking \"{}\": not in {} (it has {})", options.ranking,
                                       rankings_path.string(), fmt::join(ranks.rankings(), ", ")));
  }
  if (options.after > dataset.cutoff) {
    return InvalidArgument(fmt::format(
        "--after {} is later than the cutoff {}: every open spell ends at the cutoff, so no one "
        "could be located then",
        FormatMonth(options.after), FormatMonth(dataset.cutoff)));
  }

  const double load_seconds = seconds_since(t_load);
  const auto t_engine = Clock::now();
  FlowsParams params;
  params.target_place = *target;
  params.before = options.before;
  params.after = options.after;
  params.threads = options.threads;
  params.definition = options.definition;
  params.persist_quarters = options.persist_quarters;
  std::vector<std::pair<int, uint32_t>> study;
  for (uint32_t i = 0; i < gazetteer.size(); ++i) {
    if (gazetteer.place(i).study_order > 0) study.emplace_back(gazetteer.place(i).study_order, i);
  }
  std::sort(study.begin(), study.end());
  PublishOptions publish;
  publish.k = options.k;
  for (const auto& [order, idx] : study) {
    params.study_places.push_back(idx);
    publish.study_place_names.push_back(
        {gazetteer.place(idx).name_en, gazetteer.place(idx).name_zh});
  }

  GazetteerMatcher matcher(&gazetteer);
  RanksLookup ranker(&ranks, options.ranking);
  TF_ASSIGN_OR_RETURN(FlowsContext ctx,
                      FlowsContext::Build(dataset, matcher, titles, &ranker, params));
  FlowsResult result = RunFlows(ctx);
  Publication pub = Publish(ctx, result, publish);
  const double engine_seconds = seconds_since(t_engine);
  const auto t_write = Clock::now();

  Json root;
  root["program"] =
      Json{{"name", "talentflow"}, {"version", TALENTFLOW_VERSION}, {"command", "flows"}};
  Json run_params{{"place", gazetteer.place(*target).name_en},
                  {"place_zh", gazetteer.place(*target).name_zh},
                  {"place_query", options.place},
                  {"before", FormatMonth(options.before)},
                  {"after", FormatMonth(options.after)},
                  {"cutoff", FormatMonth(dataset.cutoff)},
                  {"cutoff_source", options.cutoff == kNoMonth ? "latest updated_dt" : "--cutoff"},
                  {"k", options.k},
                  {"definition", std::string(MoveDefinitionName(options.definition))}};
  if (options.definition == MoveDefinition::kPersistent) {
    run_params["persist_quarters"] = options.persist_quarters;
  }
  run_params["ranking"] = options.ranking;
  run_params["ranking_year"] = YearOf(options.after);
  root["params"] = std::move(run_params);
  root["reference_data"] =
      Json::array({PathJson("gazetteer", gazetteer_path), PathJson("titles", titles_path)});
  if (std::filesystem::is_directory(rankings_path)) {
    root["reference_data"].push_back(PathJson("rankings", rankings_path / "university_ranks.csv"));
    if (std::filesystem::exists(rankings_path / "aliases.csv")) {
      root["reference_data"].push_back(PathJson("rankings_aliases", rankings_path / "aliases.csv"));
    }
  } else {
    root["reference_data"].push_back(PathJson("rankings", rankings_path));
  }
  root["inputs"] = InputsJson(dataset);
  root["rows"] = RowsJson(dataset);
  for (auto& [key, value] : pub.results.items()) root[key] = value;

  const std::filesystem::path tables_dir = options.out_dir / "tables";
  for (const Table& t : pub.tables) TF_RETURN_IF_ERROR(WriteTable(tables_dir, t));
  TF_RETURN_IF_ERROR(WriteFileAtomic(options.out_dir / "results.json", root.dump(2) + "\n"));

  const Json& c = root["classes"];
  std::string net = "suppressed";
  if (!c["joiner"].is_null() && !c["leaver"].is_null()) {
    net = fmt::format("{:+d}", c["joiner"].get<int64_t>() - c["leaver"].get<int64_t>());
  }
  FlowsRunSummary summary;
  summary.load_seconds = load_seconds;
  summary.engine_seconds = engine_seconds;
  summary.write_seconds = seconds_since(t_write);
  const std::string definition = options.definition == MoveDefinition::kPersistent
                                     ? fmt::format(", persistent K = {}", options.persist_quarters)
                                     : std::string();
  summary.headline = fmt::format(
      "{} {} -> {} (k = {}{}): stayers {}, joiners {}, leavers {}, net {}\nwrote {}\n",
      gazetteer.place(*target).name_en, FormatMonth(options.before), FormatMonth(options.after),
      options.k, definition, CountText(c["stayer"]), CountText(c["joiner"]), CountText(c["leaver"]),
      net, (options.out_dir / "results.json").string());
  return summary;
}

}  // namespace talentflow
