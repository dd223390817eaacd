// Small strict RFC 4180 reader for the project's own reference-data files
// (title patterns), which are tiny and read once. Not for dataset tables:
// those go through ingest with quarantine and row accounting.
//
// Example:
//   TF_ASSIGN_OR_RETURN(auto rows, ReadCsvFile("data/titles/title_patterns.csv"));
//   // rows[0] is the header.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace talentflow {

// Parses `text` into rows of fields. Errors name `origin`, the line and what
// was expected. Every row must have as many fields as the first.
StatusOr<std::vector<std::vector<std::string>>> ParseCsvText(std::string_view text,
                                                             std::string_view origin);

StatusOr<std::vector<std::vector<std::string>>> ReadCsvFile(const std::filesystem::path& path);

}  // namespace talentflow
