// Fuzz target for the report's CSV reader (csv_file.h ParseCsv) and the
// official figures' number reader (official.h ParseNumber). A file that
// parses has a non-empty header and rows of exactly the header's width, and
// every column name is found by ColumnIndex at its first position; each
// field given to ParseNumber gives nothing or a finite number (the header
// promises numbers as written, "520000", "6.6", "-17", and nullopt for
// anything else). Any other outcome traps.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "report/csv_file.h"
#include "report/official.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace talentflow;
  using namespace talentflow::report;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  StatusOr<CsvFile> csv = ParseCsv(text, "fuzz.csv");
  if (!csv.ok()) {
    if (csv.status().message().empty()) __builtin_trap();
    return 0;
  }
  if (csv->header.empty()) __builtin_trap();
  for (size_t col = 0; col < csv->header.size(); ++col) {
    const int found = csv->ColumnIndex(csv->header[col]);
    if (found < 0 || static_cast<size_t>(found) > col || csv->header[found] != csv->header[col])
      __builtin_trap();
  }
  for (const auto& row : csv->rows) {
    if (row.size() != csv->header.size()) __builtin_trap();
    for (const std::string& field : row) {
      std::optional<double> number = ParseNumber(field);
      if (number && !std::isfinite(*number)) __builtin_trap();
    }
  }
  return 0;
}
