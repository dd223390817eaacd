// Fuzz target for the strict reference-data CSV reader (csv_lite.h
// ParseCsvText). Checks that an error names the origin, that every row has
// as many fields as the first, and that the rows written back out with
// AppendCsvField and EndCsvRecord (io/csv_reader.h) read back to the very
// same rows, so the reader and the writer agree on quoting. A difference
// traps.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/csv_reader.h"
#include "panel/csv_lite.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace talentflow;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto rows = ParseCsvText(text, "fuzz.csv");
  if (!rows.ok()) {
    if (rows.status().message().rfind("fuzz.csv line ", 0) != 0) __builtin_trap();
    return 0;
  }
  for (const auto& row : *rows) {
    if (row.size() != rows->front().size()) __builtin_trap();
  }
  // A leading byte-order mark is dropped on reading, so a first field that
  // starts with one cannot round-trip.
  if (!rows->empty() && rows->front()[0].rfind("\xEF\xBB\xBF", 0) == 0) return 0;
  std::string written;
  for (const auto& row : *rows) {
    const size_t record_begin = written.size();
    for (size_t field_idx = 0; field_idx < row.size(); ++field_idx) {
      if (field_idx > 0) written.push_back(',');
      AppendCsvField(written, row[field_idx]);
    }
    EndCsvRecord(written, record_begin);
  }
  auto again = ParseCsvText(written, "again.csv");
  if (!again.ok() || *again != *rows) __builtin_trap();
  return 0;
}
