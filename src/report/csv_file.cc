#include "report/csv_file.h"

#include <fmt/format.h>

#include "common/utf8.h"
#include "io/file_util.h"

namespace talentflow::report {

int CsvFile::ColumnIndex(std::string_view name) const {
  for (size_t col = 0; col < header.size(); ++col) {
    if (header[col] == name) return static_cast<int>(col);
  }
  return -1;
}

StatusOr<CsvFile> ParseCsv(std::string_view text, const std::string& name) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  // Checked by bit pattern only, as this reader always has: overlong forms and
  // surrogates pass (IsValidUtf8 would reject them).
  if (!IsLooseUtf8(text)) return DataError(fmt::format("{}: not valid UTF-8", name));
  CsvFile file;
  file.path = name;
  std::vector<std::vector<std::string>> records;
  std::vector<int> record_lines;
  std::vector<std::string> record;
  std::string field;
  bool in_quotes = false;
  bool after_quote = false;
  int line = 1;
  int record_line = 1;
  auto end_record = [&] {
    record.push_back(std::move(field));
    field.clear();
    bool blank = record.size() == 1 && record[0].empty();
    if (!blank) {
      records.push_back(std::move(record));
      record_lines.push_back(record_line);
    }
    record.clear();
    after_quote = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          in_quotes = false;
          after_quote = true;
        }
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      after_quote = false;
    } else if (c == '\n') {
      end_record();
      ++line;
      record_line = line;
    } else if (c == '\r') {
      continue;
    } else if (after_quote) {
      return DataError(fmt::format("{} line {}: text after a closing quote", name, line));
    } else if (c == '"') {
      if (!field.empty()) {
        return DataError(fmt::format("{} line {}: quote inside an unquoted field", name, line));
      }
      in_quotes = true;
    } else {
      field.push_back(c);
    }
  }
  if (in_quotes) return DataError(fmt::format("{} line {}: unterminated quoted field", name, line));
  if (!field.empty() || !record.empty() || after_quote) end_record();
  if (records.empty() || records[0].empty() || (records[0].size() == 1 && records[0][0].empty())) {
    return DataError(fmt::format("{}: no header row", name));
  }
  file.header = std::move(records[0]);
  for (size_t col = 0; col < file.header.size(); ++col) {
    if (file.header[col].empty()) {
      return DataError(fmt::format("{} line 1: column {} has no name", name, col + 1));
    }
  }
  for (size_t rec = 1; rec < records.size(); ++rec) {
    if (records[rec].size() != file.header.size()) {
      return DataError(fmt::format("{} line {}: expected {} fields, found {}", name,
                                   record_lines[rec], file.header.size(), records[rec].size()));
    }
    file.rows.push_back(std::move(records[rec]));
  }
  return file;
}

StatusOr<CsvFile> ReadCsvFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return NotFound(fmt::format("{}: no such file", path.string()));
  }
  TF_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseCsv(text, path.string());
}

}  // namespace talentflow::report
