// Output tables of the opinion engine: one CSV per table plus a sidecar
// <name>.meta.json with bilingual titles and column labels:
//   {"name", "title_en", "title_zh",
//    "columns": [{"name", "label_en", "label_zh", "type"}]}
// A cell is a value or suppressed (std::nullopt): suppressed cells are empty
// in the CSV and null in JSON, never zero. Plain values; not synchronised.
//
// Example:
//   Table t{"top_topics", "Top topics by volume", "热度最高的话题", {...}};
//   t.rows.push_back({"1", "housing", std::nullopt});
//   TF_RETURN_IF_ERROR(WriteTable(out_dir / "tables", t));
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace talentflow::text {

struct Column {
  std::string name;
  std::string label_en;
  std::string label_zh;
  std::string type;  // "string", "integer", "number", "month"
};

using Cell = std::optional<std::string>;

struct Table {
  std::string name;
  std::string title_en;
  std::string title_zh;
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
};

// Writes dir/<name>.csv and dir/<name>.meta.json atomically.
Status WriteTable(const std::filesystem::path& dir, const Table& table);

// The table's rows as a JSON array of objects (numbers for integer and
// number columns, null for suppressed cells).
std::string TableRowsJson(const Table& table);

}  // namespace talentflow::text
