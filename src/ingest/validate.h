// Validate: loads a dataset, writes OUT_DIR/results.json (params, inputs,
// rows, inventory) and OUT_DIR/quarantine/, and returns a readable summary.
// This is the library behind `talentflow validate`; tests call it directly.
//
// Example:
//   TF_ASSIGN_OR_RETURN(std::string summary, RunValidate(dir, kNoMonth, out, true));
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "common/month.h"
#include "common/status.h"
#include "ingest/dataset.h"

namespace talentflow {

// The `inventory` value of results.json: per table read, {"rows" (used rows),
// "columns_found", "missing_share" (known columns found -> share of used
// rows empty, 6 decimals), "distinct_users" (null when not applicable),
// "date_range" (date column -> {"min","max"}), and for the education table
// "degree_counts" (including "other" and "none")}.
nlohmann::ordered_json InventoryJson(const Dataset& dataset);

// Runs ingest with quarantine under out_dir/quarantine and writes
// out_dir/results.json atomically. Returns the human-readable summary.
StatusOr<std::string> RunValidate(const std::filesystem::path& dataset_dir, Month cutoff,
                                  const std::filesystem::path& out_dir, bool progress,
                                  int threads = 0);

}  // namespace talentflow
