// Strict reader for the project's small reference-data CSV files (gazetteer,
// rankings, aliases): RFC 4180 quoting, UTF-8, one header row whose column
// set must be exactly the expected one (any order). Errors name the file, the
// 1-based line and the column, so a curator can fix the row at once.
//
// Used only by the panel module's loaders; stateless and thread-safe.
//
// Example:
//   TF_ASSIGN_OR_RETURN(RefCsv csv, ReadRefCsv(path, {"alias", "institution"}));
//   for (size_t r = 0; r < csv.rows.size(); ++r) Use(csv.Get(r, "alias"));
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace talentflow::panel_internal {

struct RefCsv {
  std::string file;                            // the path as given, for messages
  std::vector<std::string> columns;            // expected column names, in the caller's order
  std::vector<std::vector<std::string>> rows;  // fields in `columns` order
  std::vector<int> lines;                      // 1-based line on which each row starts

  // REQUIRES: row < rows.size(), column_idx < columns.size()
  const std::string& Get(size_t row, size_t column_idx) const { return rows[row][column_idx]; }
  // "places.csv line 12 column country" prefix for a message about a field.
  Status Error(size_t row, size_t column_idx, std::string_view what) const;
};

// Reads `path`. Blank lines are skipped. The header must hold exactly the
// names in `columns` (order free), or at least them when
// `allow_other_columns` (other columns are then dropped); every row must have
// as many fields as the header. A column named in `optional_columns` may be
// absent; its fields are then empty. A UTF-8 byte-order mark is accepted and dropped; invalid UTF-8
// is an error.
StatusOr<RefCsv> ReadRefCsv(const std::filesystem::path& path,
                            const std::vector<std::string>& columns,
                            bool allow_other_columns = false,
                            const std::vector<std::string>& optional_columns = {});

// Splits a pipe-separated list, trimming each item and dropping empty ones.
std::vector<std::string> SplitPipeList(std::string_view list);

// Key for case- and space-insensitive comparison: ASCII letters lower-cased,
// runs of white space (including U+3000 ideographic space) collapsed to one
// space, ends trimmed. Other bytes are kept as they are.
std::string FoldSpaceCase(std::string_view text);

}  // namespace talentflow::panel_internal
