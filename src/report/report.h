// The report: turns a results directory (flows results.json and tables, and
// the schemes/opinion outputs when those engines ran) plus the official
// statistics and the study's published tables into
//   OUT_DIR/report.html   one self-contained bilingual page (no network)
//   OUT_DIR/tables.xlsx   every table, a sheet each, plus a notes sheet
//   OUT_DIR/stata/*.dta   every table as a Stata 118 file with labels
//   OUT_DIR/report.pdf    with --pdf, printed by headless Chromium
// The inputs are aggregates, so everything is held in memory. Functions are
// thread-compatible; outputs are byte-deterministic for the same inputs.
//
// Example:
//   ReportOptions options{.out_dir = "out/hk", .lang = Lang::kBoth};
//   TF_ASSIGN_OR_RETURN(ReportFiles files, WriteReport(options));
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "io/table.h"
#include "report/csv_file.h"
#include "report/html_util.h"
#include "report/official.h"

namespace talentflow::report {

struct ReportOptions {
  std::filesystem::path out_dir;
  Lang lang = Lang::kBoth;
  // Folders of official statistics; empty: TALENTFLOW_DATA_DIR/official.
  std::vector<std::filesystem::path> official_dirs;
  // The study's published tables; empty: TALENTFLOW_DATA_DIR/study.
  std::filesystem::path study_dir;
  bool pdf = false;
  // Chromium executable for --pdf; empty: $TALENTFLOW_CHROMIUM, then
  // chromium / chromium-browser / google-chrome on PATH.
  std::string chromium;
};

struct ReportFiles {
  std::filesystem::path html;
  std::filesystem::path xlsx;
  std::vector<std::filesystem::path> dta;
  std::optional<std::filesystem::path> pdf;
};

// A file the report read, for the provenance section.
struct InputFile {
  std::string path;
  uintmax_t bytes = 0;
  std::string sha256;
};

struct ReportInputs {
  std::filesystem::path out_dir;
  std::optional<nlohmann::ordered_json> results;       // results.json (flows)
  std::optional<nlohmann::ordered_json> schemes_pool;  // schemes_pool.json
  std::optional<nlohmann::ordered_json> opinion;       // opinion.json
  std::vector<Table> tables;                           // OUT_DIR/tables, by name
  OfficialData official;
  std::map<std::string, CsvFile> study;  // published tables by file stem
  std::vector<InputFile> files_read;     // every file above, with hash

  const Table* FindTable(const std::string& name) const;
};

// Reads everything the report needs. A results directory may hold any subset
// of the engines' outputs; a malformed file is an error naming it.
StatusOr<ReportInputs> LoadReportInputs(const std::filesystem::path& out_dir,
                                        const std::vector<std::filesystem::path>& official_dirs,
                                        const std::filesystem::path& study_dir);

// The whole HTML page.
std::string RenderReportHtml(const ReportInputs& inputs, Lang lang);

// Loads the inputs and writes report.html, tables.xlsx, stata/*.dta and,
// when asked, report.pdf.
StatusOr<ReportFiles> WriteReport(const ReportOptions& options);

// Parses "zh-Hant" | "en" | "both".
StatusOr<Lang> ParseLang(const std::string& text);

}  // namespace talentflow::report
