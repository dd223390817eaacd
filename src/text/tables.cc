#include "text/tables.h"

#include <fmt/format.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "io/table.h"

namespace talentflow::text {

// The opinion engine builds its cells as text; the shared writer (io/table.h)
// owns the on-disk format, so every engine's tables read back the same way.
Status WriteTable(const std::filesystem::path& dir, const Table& t) {
  talentflow::Table out;
  out.name = t.name;
  out.title_en = t.title_en;
  out.title_zh = t.title_zh;
  out.source = "opinion";
  for (const Column& c : t.columns) {
    ColumnType type = c.type == "integer"  ? ColumnType::kInt
                      : c.type == "number" ? ColumnType::kDouble
                                           : ColumnType::kString;
    out.columns.push_back({c.name, c.label_en, c.label_zh, type});
  }
  for (const auto& row : t.rows) {
    if (row.size() != t.columns.size()) return Internal(fmt::format("table {}: row width", t.name));
    std::vector<talentflow::Cell> cells;
    for (size_t c = 0; c < row.size(); ++c) {
      ColumnType type = out.columns[c].type;
      if (!row[c]) {
        cells.emplace_back(Suppressed{});
      } else if (type == ColumnType::kString) {
        cells.emplace_back(*row[c]);
      } else if (row[c]->empty()) {
        cells.emplace_back(Missing{});
      } else if (type == ColumnType::kInt) {
        int64_t value = 0;
        auto r = std::from_chars(row[c]->data(), row[c]->data() + row[c]->size(), value);
        if (r.ec != std::errc()) {
          return Internal(fmt::format("table {} column {}: \"{}\" is not an integer", t.name,
                                      t.columns[c].name, *row[c]));
        }
        cells.emplace_back(value);
      } else {
        double value = 0;
        auto r = std::from_chars(row[c]->data(), row[c]->data() + row[c]->size(), value);
        if (r.ec != std::errc()) {
          return Internal(fmt::format("table {} column {}: \"{}\" is not a number", t.name,
                                      t.columns[c].name, *row[c]));
        }
        cells.emplace_back(value);
      }
    }
    out.rows.push_back(std::move(cells));
  }
  return talentflow::WriteTable(dir, out);
}

std::string TableRowsJson(const Table& t) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const auto& row : t.rows) {
    nlohmann::ordered_json r;
    for (size_t c = 0; c < row.size(); ++c) {
      const Column& col = t.columns[c];
      if (!row[c]) {
        r[col.name] = nullptr;
      } else if ((col.type == "integer" || col.type == "number") && !row[c]->empty()) {
        r[col.name] = nlohmann::ordered_json::parse(*row[c]);
      } else {
        r[col.name] = *row[c];
      }
    }
    rows.push_back(r);
  }
  return rows.dump();
}

}  // namespace talentflow::text
