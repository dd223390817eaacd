#include "report/export_dta.h"

#include <fmt/format.h>
#include <readstat.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "common/utf8.h"
#include "io/file_util.h"

namespace talentflow::report {

namespace {

// Stata's long holds -2,147,483,647 .. 2,147,483,620; larger values are
// reserved for missing codes.
constexpr int64_t kStataLongMin = -2147483647;
constexpr int64_t kStataLongMax = 2147483620;
// 2024-01-01T12:00:00Z: noon keeps the printed day the same in every zone.
constexpr time_t kFixedTimestamp = 1704110400;
// The longest value of a str# column in format 118 (bytes); longer ones need strL.
constexpr size_t kStataStrMax = 2045;

ssize_t AppendBytes(const void* bytes, size_t len, void* ctx) {
  static_cast<std::string*>(ctx)->append(static_cast<const char*>(bytes), len);
  return static_cast<ssize_t>(len);
}

std::string CutBytesUtf8(const std::string& text, size_t max_bytes) {
  return text.substr(0, Utf8PrefixLength(text, max_bytes));
}

// Stata variable names: a letter or _, then letters, digits or _, at most
// 32 characters, and not one of Stata's reserved words.
bool IsValidStataName(const std::string& name) {
  static const char* const kReserved[] = {
      "_all", "_b", "byte", "_coef", "_cons", "double", "float", "if",   "in",    "int",
      "long", "_n", "_N",   "_pi",   "_pred", "_rc",    "_skip", "strL", "using", "with"};
  if (name.empty() || name.size() > 32) return false;
  if (!(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  for (const char* reserved : kReserved) {
    if (name == reserved) return false;
  }
  if (name.starts_with("str") && name.size() > 3 &&
      name.find_first_not_of("0123456789", 3) == std::string::npos) {
    return false;
  }
  return true;
}

// `name` made a valid Stata name: every run of other bytes (spaces, Chinese
// characters, punctuation) and of "_" becomes one "_", none at either end;
// the result is cut to 32 characters, with "v_" in front when it does not
// start with a letter or is reserved ("v" when nothing is left).
std::string SanitizedStataName(const std::string& name) {
  std::string out;
  for (char c : name) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) != 0;
    if (keep) {
      out.push_back(c);
    } else if (!out.empty() && out.back() != '_') {
      out.push_back('_');
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.empty()) return "v";
  if (out.size() > 32) out.resize(32);
  if (!IsValidStataName(out)) out = ("v_" + out).substr(0, 32);
  while (out.back() == '_') out.pop_back();  // a cut may end on one
  return out;
}

Status Check(readstat_error_t error, const Table& table, std::string_view what) {
  if (error == READSTAT_OK) return Status::Ok();
  return Internal(fmt::format("stata export of table {}: {}: {}", table.name, what,
                              readstat_error_message(error)));
}

}  // namespace

std::vector<std::string> StataVariableNames(const std::vector<Column>& columns) {
  std::vector<std::string> names(columns.size());
  std::set<std::string> used;
  // Valid names first, so that a changed name never takes a valid one's.
  for (size_t col = 0; col < columns.size(); ++col) {
    if (IsValidStataName(columns[col].name) && used.insert(columns[col].name).second)
      names[col] = columns[col].name;
  }
  for (size_t col = 0; col < columns.size(); ++col) {
    if (!names[col].empty()) continue;
    const std::string base = SanitizedStataName(columns[col].name);
    std::string name = base;
    for (int n = 2; !used.insert(name).second; ++n) {
      const std::string suffix = fmt::format("_{}", n);
      name = base.substr(0, 32 - suffix.size()) + suffix;
    }
    names[col] = name;
  }
  return names;
}

Status WriteTableDta(const std::filesystem::path& path, const Table& table) {
  std::string bytes;
  readstat_writer_t* writer = readstat_writer_init();
  if (!writer) return Internal("stata export: cannot create a ReadStat writer");
  struct Cleanup {
    readstat_writer_t* w;
    ~Cleanup() { readstat_writer_free(w); }
  } cleanup{writer};
  readstat_set_data_writer(writer, &AppendBytes);
  readstat_writer_set_file_format_version(writer, 118);
  readstat_writer_set_file_timestamp(writer, kFixedTimestamp);
  std::string file_label = CutBytesUtf8(table.title_en.empty() ? table.name : table.title_en, 80);
  readstat_writer_set_file_label(writer, file_label.c_str());

  const std::vector<std::string> names = StataVariableNames(table.columns);
  std::vector<readstat_variable_t*> variables;
  std::vector<bool> as_long;
  // Strings longer than a str# column holds go to strL columns, whose values
  // are references added up front ([col][row]; empty for other columns).
  std::vector<std::vector<readstat_string_ref_t*>> refs(table.columns.size());
  for (size_t col = 0; col < table.columns.size(); ++col) {
    const Column& column = table.columns[col];
    readstat_variable_t* variable = nullptr;
    bool is_long = false;
    if (column.type == ColumnType::kString) {
      size_t width = 1;
      for (const auto& row : table.rows) {
        if (const auto* s = std::get_if<std::string>(&row[col])) width = std::max(width, s->size());
      }
      if (width <= kStataStrMax) {
        variable = readstat_add_variable(writer, names[col].c_str(), READSTAT_TYPE_STRING, width);
      } else {
        variable = readstat_add_variable(writer, names[col].c_str(), READSTAT_TYPE_STRING_REF, 0);
        for (const auto& row : table.rows) {
          const auto* s = std::get_if<std::string>(&row[col]);
          refs[col].push_back(readstat_add_string_ref(writer, s ? s->c_str() : ""));
        }
      }
    } else {
      is_long = column.type == ColumnType::kInt;
      for (const auto& row : table.rows) {
        if (const auto* i = std::get_if<int64_t>(&row[col])) {
          if (*i < kStataLongMin || *i > kStataLongMax) is_long = false;
        }
      }
      variable = readstat_add_variable(writer, names[col].c_str(),
                                       is_long ? READSTAT_TYPE_INT32 : READSTAT_TYPE_DOUBLE, 0);
    }
    std::string label = CutBytesUtf8(column.label_en.empty() ? column.name : column.label_en, 80);
    readstat_variable_set_label(variable, label.c_str());
    variables.push_back(variable);
    as_long.push_back(is_long);
  }
  TF_RETURN_IF_ERROR(
      Check(readstat_begin_writing_dta(writer, &bytes, static_cast<long>(table.rows.size())), table,
            "header"));
  for (size_t row_idx = 0; row_idx < table.rows.size(); ++row_idx) {
    const auto& row = table.rows[row_idx];
    TF_RETURN_IF_ERROR(Check(readstat_begin_row(writer), table, "row"));
    for (size_t col = 0; col < row.size(); ++col) {
      readstat_variable_t* variable = variables[col];
      const Cell& cell = row[col];
      readstat_error_t error = READSTAT_OK;
      if (table.columns[col].type == ColumnType::kString) {
        const auto* s = std::get_if<std::string>(&cell);
        error = refs[col].empty()
                    ? readstat_insert_string_value(writer, variable, s ? s->c_str() : "")
                    : readstat_insert_string_ref(writer, variable, refs[col][row_idx]);
      } else if (std::holds_alternative<Suppressed>(cell)) {
        error = readstat_insert_tagged_missing_value(writer, variable, 's');
      } else if (const auto* i = std::get_if<int64_t>(&cell)) {
        error = as_long[col]
                    ? readstat_insert_int32_value(writer, variable, static_cast<int32_t>(*i))
                    : readstat_insert_double_value(writer, variable, static_cast<double>(*i));
      } else if (const auto* d = std::get_if<double>(&cell)) {
        error = readstat_insert_double_value(writer, variable, *d);
      } else {
        error = readstat_insert_missing_value(writer, variable);
      }
      TF_RETURN_IF_ERROR(
          Check(error, table, fmt::format("column \"{}\"", table.columns[col].name)));
    }
    TF_RETURN_IF_ERROR(Check(readstat_end_row(writer), table, "row"));
  }
  TF_RETURN_IF_ERROR(Check(readstat_end_writing(writer), table, "finishing"));
  // ReadStat prints the timestamp in the local time zone; rewrite it so the
  // file is the same in every zone.
  constexpr std::string_view kTag = "<timestamp>";
  constexpr std::string_view kFixed = "01 Jan 2024 12:00";
  if (size_t pos = bytes.find(kTag);
      pos != std::string::npos && pos + kTag.size() + 1 + kFixed.size() <= bytes.size() &&
      static_cast<unsigned char>(bytes[pos + kTag.size()]) == kFixed.size()) {
    bytes.replace(pos + kTag.size() + 1, kFixed.size(), kFixed);
  }
  return WriteFileAtomic(path, bytes);
}

}  // namespace talentflow::report
