#include "io/table.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "io/csv_reader.h"
#include "io/file_util.h"

namespace talentflow {
namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

std::string_view TypeName(ColumnType type) {
  switch (type) {
    case ColumnType::kString:
      return "string";
    case ColumnType::kInt:
      return "int";
    case ColumnType::kDouble:
      return "double";
  }
  return "string";
}

StatusOr<ColumnType> ParseTypeName(std::string_view name) {
  if (name == "string") return ColumnType::kString;
  if (name == "int") return ColumnType::kInt;
  if (name == "double") return ColumnType::kDouble;
  return DataError(fmt::format("column type \"{}\": expected string, int or double", name));
}

// Splits our own CSV output (RFC 4180) into records of fields.
StatusOr<std::vector<std::vector<std::string>>> SplitCsv(std::string_view text,
                                                         const std::string& file) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool in_quotes = false;
  bool field_started = false;
  int line = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
    } else if (c == '"' && !field_started) {
      in_quotes = true;
      field_started = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      field_started = false;
    } else if (c == '\n') {
      record.push_back(std::move(field));
      records.push_back(std::move(record));
      record.clear();
      field.clear();
      field_started = false;
      ++line;
    } else if (c == '\r') {
      continue;
    } else {
      field.push_back(c);
      field_started = true;
    }
  }
  if (in_quotes) return DataError(fmt::format("{} line {}: unterminated quoted field", file, line));
  if (field_started || !record.empty()) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace

std::string FormatDouble(double value) {
  if (!std::isfinite(value)) return "";
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

Status WriteTable(const fs::path& dir, const Table& table) {
  std::string csv;
  for (size_t col = 0; col < table.columns.size(); ++col) {
    if (col > 0) csv.push_back(',');
    AppendCsvField(csv, table.columns[col].name);
  }
  EndCsvRecord(csv, 0);
  Json suppressed = Json::array();
  for (size_t row_idx = 0; row_idx < table.rows.size(); ++row_idx) {
    const auto& row = table.rows[row_idx];
    const size_t record_begin = csv.size();
    if (row.size() != table.columns.size()) {
      return Internal(fmt::format("table {} row {}: {} cells for {} columns", table.name, row_idx,
                                  row.size(), table.columns.size()));
    }
    for (size_t col = 0; col < row.size(); ++col) {
      if (col > 0) csv.push_back(',');
      const Cell& cell = row[col];
      ColumnType type = table.columns[col].type;
      if (std::holds_alternative<Suppressed>(cell)) {
        suppressed.push_back({{"row", row_idx}, {"column", table.columns[col].name}});
      } else if (const auto* i = std::get_if<int64_t>(&cell)) {
        if (type == ColumnType::kString) {
          return Internal(fmt::format("table {} column {}: int in a string column", table.name,
                                      table.columns[col].name));
        }
        fmt::format_to(std::back_inserter(csv), "{}", *i);
      } else if (const auto* d = std::get_if<double>(&cell)) {
        if (type != ColumnType::kDouble) {
          return Internal(fmt::format("table {} column {}: double in a non-double column",
                                      table.name, table.columns[col].name));
        }
        csv += FormatDouble(*d);
      } else if (const auto* s = std::get_if<std::string>(&cell)) {
        if (type != ColumnType::kString) {
          return Internal(fmt::format("table {} column {}: string in a numeric column", table.name,
                                      table.columns[col].name));
        }
        AppendCsvField(csv, *s);
      }
    }
    EndCsvRecord(csv, record_begin);
  }
  Json meta;
  meta["name"] = table.name;
  meta["title_en"] = table.title_en;
  meta["title_zh"] = table.title_zh;
  meta["source"] = table.source;
  meta["notes"] = table.notes;
  Json columns = Json::array();
  for (const Column& column : table.columns) {
    columns.push_back({{"name", column.name},
                       {"label_en", column.label_en},
                       {"label_zh", column.label_zh},
                       {"type", TypeName(column.type)}});
  }
  meta["columns"] = std::move(columns);
  meta["suppressed"] = std::move(suppressed);
  TF_RETURN_IF_ERROR(WriteFileAtomic(dir / (table.name + ".csv"), csv));
  return WriteFileAtomic(dir / (table.name + ".meta.json"), meta.dump(2) + "\n");
}

StatusOr<Table> ReadTable(const fs::path& dir, const std::string& name) {
  fs::path meta_path = dir / (name + ".meta.json");
  fs::path csv_path = dir / (name + ".csv");
  TF_ASSIGN_OR_RETURN(std::string meta_text, ReadFile(meta_path));
  Json meta = Json::parse(meta_text, nullptr, /*allow_exceptions=*/false);
  if (meta.is_discarded() || !meta.is_object() || !meta.contains("columns")) {
    return DataError(fmt::format("{}: not a table metadata file", meta_path.string()));
  }
  Table table;
  table.name = meta.value("name", name);
  table.title_en = meta.value("title_en", "");
  table.title_zh = meta.value("title_zh", "");
  table.source = meta.value("source", "");
  table.notes = meta.value("notes", "");
  for (const auto& column : meta["columns"]) {
    TF_ASSIGN_OR_RETURN(ColumnType type, ParseTypeName(column.value("type", "")));
    table.columns.push_back({column.value("name", ""), column.value("label_en", ""),
                             column.value("label_zh", ""), type});
  }
  TF_ASSIGN_OR_RETURN(std::string csv_text, ReadFile(csv_path));
  TF_ASSIGN_OR_RETURN(auto records, SplitCsv(csv_text, csv_path.string()));
  if (records.empty()) return DataError(fmt::format("{}: no header row", csv_path.string()));
  for (size_t row_idx = 1; row_idx < records.size(); ++row_idx) {
    const auto& record = records[row_idx];
    if (record.size() != table.columns.size()) {
      return DataError(fmt::format("{} line {}: expected {} fields, found {}", csv_path.string(),
                                   row_idx + 1, table.columns.size(), record.size()));
    }
    std::vector<Cell> row;
    for (size_t col = 0; col < record.size(); ++col) {
      const std::string& text = record[col];
      ColumnType type = table.columns[col].type;
      if (type == ColumnType::kString) {
        row.emplace_back(text);
        continue;
      }
      if (text.empty()) {
        row.emplace_back(Missing{});
        continue;
      }
      if (type == ColumnType::kInt) {
        int64_t value = 0;
        auto r = std::from_chars(text.data(), text.data() + text.size(), value);
        if (r.ec != std::errc() || r.ptr != text.data() + text.size()) {
          return DataError(fmt::format("{} line {} column {}: \"{}\" is not an integer",
                                       csv_path.string(), row_idx + 1, table.columns[col].name,
                                       text));
        }
        row.emplace_back(value);
      } else {
        double value = 0;
        auto r = std::from_chars(text.data(), text.data() + text.size(), value);
        if (r.ec != std::errc() || r.ptr != text.data() + text.size()) {
          return DataError(fmt::format("{} line {} column {}: \"{}\" is not a number",
                                       csv_path.string(), row_idx + 1, table.columns[col].name,
                                       text));
        }
        row.emplace_back(value);
      }
    }
    table.rows.push_back(std::move(row));
  }
  for (const auto& entry : meta.value("suppressed", Json::array())) {
    size_t row_idx = entry.value("row", size_t{0});
    std::string column = entry.value("column", "");
    auto it = std::find_if(table.columns.begin(), table.columns.end(),
                           [&](const Column& c) { return c.name == column; });
    if (row_idx >= table.rows.size() || it == table.columns.end()) {
      return DataError(fmt::format("{}: suppressed cell row {} column \"{}\" does not exist",
                                   meta_path.string(), row_idx, column));
    }
    table.rows[row_idx][static_cast<size_t>(it - table.columns.begin())] = Suppressed{};
  }
  return table;
}

std::vector<std::string> ListTables(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string file = entry.path().filename().string();
    constexpr std::string_view kSuffix = ".meta.json";
    if (file.size() > kSuffix.size() && file.ends_with(kSuffix)) {
      names.push_back(file.substr(0, file.size() - kSuffix.size()));
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace talentflow
