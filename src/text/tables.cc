#include "text/tables.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "io/file_util.h"

namespace talentflow::text {
namespace {

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

Status WriteTable(const std::filesystem::path& dir, const Table& t) {
  std::string csv;
  for (size_t c = 0; c < t.columns.size(); ++c) csv += (c ? "," : "") + CsvField(t.columns[c].name);
  csv += '\n';
  for (const auto& row : t.rows) {
    if (row.size() != t.columns.size()) return Internal(fmt::format("table {}: row width", t.name));
    for (size_t c = 0; c < row.size(); ++c)
      csv += (c ? "," : "") + (row[c] ? CsvField(*row[c]) : "");
    csv += '\n';
  }
  nlohmann::ordered_json meta;
  meta["name"] = t.name;
  meta["title_en"] = t.title_en;
  meta["title_zh"] = t.title_zh;
  meta["columns"] = nlohmann::ordered_json::array();
  for (const auto& c : t.columns) {
    meta["columns"].push_back(
        {{"name", c.name}, {"label_en", c.label_en}, {"label_zh", c.label_zh}, {"type", c.type}});
  }
  TF_RETURN_IF_ERROR(WriteFileAtomic(dir / (t.name + ".csv"), csv));
  return WriteFileAtomic(dir / (t.name + ".meta.json"), meta.dump(2) + "\n");
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
