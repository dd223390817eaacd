// Official statistics: the figures the policy documents publish about the
// talent schemes (applications, approvals, arrivals, renewals, pay,
// dependants, ...), read from a folder of CSV files (data/official/ by
// default) so users can replace or extend them without touching code.
//
// Folder layout (docs/report.md):
//   <any>.csv     a figure file; every row carries its source (a `document`
//                 column, or `document` in _files.csv) and its date (the
//                 `date_column` named in _files.csv, or one of as_of, date,
//                 year, quarter, month; or a fixed `date` in _files.csv).
//   _files.csv    per figure file: bilingual title, source/date columns, an
//                 optional chart (category, series, value columns, filter, unit).
//   _rates.csv    derived rates: numerator / denominator x scale, computed
//                 for every row or (long files with measure,value) every key
//                 where both measures are present.
//   _labels.csv   English -> traditional Chinese labels for headers and values.
// Several folders may be given: their files are combined, a later folder's
// file replacing a same-named earlier one, and rows of _files/_rates/_labels
// replacing earlier rows with the same key. Loaded data is an immutable value.
//
// Example:
//   TF_ASSIGN_OR_RETURN(OfficialData data, LoadOfficialData({"data/official"}));
//   for (const DerivedRate& r : data.rates) fmt::print("{} {}\n", r.rate, r.value);
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "report/csv_file.h"

namespace talentflow::report {

struct OfficialChartSpec {
  std::vector<std::string> category_columns;  // joined with " " per row
  std::string series_column;                  // empty: one series per value column
  std::vector<std::string> value_columns;
  std::string filter_column;  // empty: every row
  std::vector<std::string> filter_values;
  std::string unit_en, unit_zh;
};

struct OfficialFile {
  std::string file;            // file name, e.g. "scheme_totals.csv"
  std::filesystem::path path;  // where it was read from
  std::string sha256;
  uintmax_t bytes = 0;
  CsvFile csv;
  std::string title_en, title_zh;  // file name when not in _files.csv
  std::string document;            // fixed source when the file has no document column
  std::string date_column;         // column holding each row's date, or empty
  std::string date;                // fixed date when date_column is empty
  std::optional<OfficialChartSpec> chart;
};

struct DerivedRate {
  std::string rate;  // id from _rates.csv
  std::string name_en, name_zh;
  std::string file;
  std::string key;       // the row's identifying values, e.g. "PB39 2025-08 TTPS"
  std::string document;  // source document(s)
  std::string date;
  std::string numerator_name, denominator_name;
  double numerator = 0, denominator = 0;
  double scale = 1;
  double value = 0;          // numerator / denominator * scale
  bool approximate = false;  // an input carried a qualifier ("about", "over", ...)
  std::string unit_en, unit_zh;
  std::optional<double> published;  // the document's own figure for this rate, if any
  std::string published_qualifier;
};

struct OfficialData {
  std::vector<std::filesystem::path> dirs;
  std::vector<OfficialFile> files;        // _files.csv order, then the others by name
  std::vector<DerivedRate> rates;         // _rates.csv order, then file row order
  std::map<std::string, std::string> zh;  // English -> Chinese labels
  // The Chinese label of an English header or value (the text itself when unknown).
  std::string Zh(const std::string& en) const;
};

// Loads and validates every figure file of `dirs` and computes the derived
// rates. Errors name the file, line and column: a figure file without a
// source or date, a _files/_rates row naming an unknown file or column, a
// non-numeric scale.
StatusOr<OfficialData> LoadOfficialData(const std::vector<std::filesystem::path>& dirs);

// Parses a number as written in the official files ("520000", "6.6",
// "-17"); nullopt for anything else (text, empty).
std::optional<double> ParseNumber(const std::string& text);

}  // namespace talentflow::report
