// CsvFile: a small UTF-8 CSV file (RFC 4180) read whole into memory, for the
// report's reference data (official statistics, published study tables).
// These files are hand-edited by users, so every error names the file and
// line. A CsvFile is an immutable value; it is safe to share between threads.
//
// Example:
//   TF_ASSIGN_OR_RETURN(CsvFile f, ReadCsvFile("data/official/scheme_totals.csv"));
//   int value_col = f.ColumnIndex("value");
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace talentflow::report {

struct CsvFile {
  std::string path;  // as given, for messages
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // every row has header.size() fields

  // Index of a column, or -1 when absent.
  int ColumnIndex(std::string_view name) const;
};

// Reads and splits a CSV file. Fails with kNotFound when the file is missing
// and kDataError (naming file and line) on bad quoting, invalid UTF-8, an
// empty header or a row whose field count differs from the header's. A UTF-8
// byte-order mark and "\r\n" line ends are accepted.
StatusOr<CsvFile> ReadCsvFile(const std::filesystem::path& path);

// Splits CSV text already in memory; `name` is used in messages.
StatusOr<CsvFile> ParseCsv(std::string_view text, const std::string& name);

}  // namespace talentflow::report
