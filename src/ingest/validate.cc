#include "ingest/validate.h"

#include <fmt/format.h>

#include <cmath>

#include "ingest/ingest.h"
#include "io/file_util.h"

namespace talentflow {

namespace {
double Round6(double x) { return std::round(x * 1e6) / 1e6; }
}  // namespace

nlohmann::ordered_json InventoryJson(const Dataset& dataset) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& [table, inv] : dataset.tables) {
    nlohmann::ordered_json j;
    auto rows_it = dataset.rows.find(table);
    int64_t used = rows_it == dataset.rows.end() ? 0 : rows_it->second.used;
    j["rows"] = used;
    j["columns_found"] = inv.columns_found;
    nlohmann::ordered_json missing = nlohmann::ordered_json::object();
    for (const auto& [column, n] : inv.missing)
      missing[column] =
          used == 0 ? 0.0 : Round6(static_cast<double>(n) / static_cast<double>(used));
    j["missing_share"] = std::move(missing);
    if (inv.distinct_users >= 0) {
      j["distinct_users"] = inv.distinct_users;
    } else {
      j["distinct_users"] = nullptr;
    }
    nlohmann::ordered_json ranges = nlohmann::ordered_json::object();
    for (const auto& [column, range] : inv.date_range) {
      nlohmann::ordered_json r;
      if (range.first == kNoMonth) {
        r["min"] = nullptr;
        r["max"] = nullptr;
      } else {
        r["min"] = FormatMonth(range.first);
        r["max"] = FormatMonth(range.second);
      }
      ranges[column] = std::move(r);
    }
    j["date_range"] = std::move(ranges);
    if (!inv.degree_counts.empty()) {
      nlohmann::ordered_json d = nlohmann::ordered_json::object();
      for (const auto& [name, n] : inv.degree_counts) d[name] = n;
      j["degree_counts"] = std::move(d);
    }
    out[table] = std::move(j);
  }
  return out;
}

StatusOr<std::string> RunValidate(const std::filesystem::path& dataset_dir, Month cutoff,
                                  const std::filesystem::path& out_dir, bool progress,
                                  int threads) {
  IngestOptions options;
  options.cutoff = cutoff;
  options.quarantine_dir = out_dir / "quarantine";
  options.progress = progress;
  options.threads = threads;
  TF_RETURN_IF_ERROR(EnsureDirectory(out_dir));
  TF_ASSIGN_OR_RETURN(Dataset data, LoadDataset(dataset_dir, options));

  nlohmann::ordered_json results;
  nlohmann::ordered_json params;
  params["dataset"] = dataset_dir.string();
  params["cutoff"] = FormatMonth(data.cutoff);
  params["cutoff_source"] = cutoff != kNoMonth ? "option" : "latest_updated_dt";
  results["params"] = std::move(params);
  results["inputs"] = InputsJson(data);
  results["rows"] = RowsJson(data);
  results["inventory"] = InventoryJson(data);
  TF_RETURN_IF_ERROR(WriteFileAtomic(out_dir / "results.json", results.dump(2) + "\n"));

  std::string s =
      fmt::format("Dataset {} (cutoff {}{})\n", dataset_dir.string(), FormatMonth(data.cutoff),
                  cutoff != kNoMonth ? ", from --cutoff" : ", latest updated_dt");
  s += fmt::format("{:<28} {:>12} {:>12} {:>12} {:>12}\n", "table", "read", "used", "collapsed",
                   "quarantined");
  for (const auto& [table, rows] : data.rows) {
    s += fmt::format("{:<28} {:>12} {:>12} {:>12} {:>12}\n", table, rows.read, rows.used,
                     rows.exact_duplicates_collapsed, rows.quarantined_total());
    for (const auto& [reason, n] : rows.quarantined)
      s += fmt::format("    {:<24} {:>12}\n", reason, n);
  }
  s += fmt::format("Users: {}, positions: {}, education rows: {}\n", data.users.size(),
                   data.positions.size(), data.education.size());
  s += fmt::format("Wrote {} and {}/\n", (out_dir / "results.json").string(),
                   (out_dir / "quarantine").string());
  return s;
}

}  // namespace talentflow
