#include "panel/csv_lite.h"

#include <fmt/format.h>

#include "io/file_util.h"

namespace talentflow {

StatusOr<std::vector<std::vector<std::string>>> ParseCsvText(std::string_view text,
                                                             std::string_view origin) {
  std::vector<std::vector<std::string>> rows;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  size_t pos = 0;
  int line = 1;
  while (pos < text.size()) {
    std::vector<std::string> row;
    const int row_line = line;
    // Only a line with nothing on it is blank; `""` is a row of one empty
    // field (an error in a file of several columns, not a skipped line).
    const bool blank = text[pos] == '\n' || text[pos] == '\r';
    while (true) {
      std::string field;
      if (pos < text.size() && text[pos] == '"') {
        ++pos;
        while (true) {
          if (pos >= text.size()) {
            return DataError(
                fmt::format("{} line {}: unterminated quoted field", origin, row_line));
          }
          char c = text[pos++];
          if (c == '"') {
            if (pos < text.size() && text[pos] == '"') {
              field.push_back('"');
              ++pos;
            } else {
              break;
            }
          } else {
            if (c == '\n') ++line;
            field.push_back(c);
          }
        }
        if (pos < text.size() && text[pos] != ',' && text[pos] != '\n' && text[pos] != '\r') {
          return DataError(fmt::format("{} line {}: text after a closing quote", origin, line));
        }
      } else {
        while (pos < text.size() && text[pos] != ',' && text[pos] != '\n' && text[pos] != '\r') {
          if (text[pos] == '"') {
            return DataError(
                fmt::format("{} line {}: quote inside an unquoted field", origin, line));
          }
          field.push_back(text[pos++]);
        }
      }
      row.push_back(std::move(field));
      if (pos < text.size() && text[pos] == ',') {
        ++pos;
        continue;
      }
      break;
    }
    if (pos < text.size() && text[pos] == '\r') ++pos;
    if (pos < text.size() && text[pos] == '\n') ++pos;
    ++line;
    if (blank) continue;
    if (!rows.empty() && row.size() != rows[0].size()) {
      return DataError(fmt::format("{} line {}: {} fields, expected {} as in the header", origin,
                                   row_line, row.size(), rows[0].size()));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

StatusOr<std::vector<std::vector<std::string>>> ReadCsvFile(const std::filesystem::path& path) {
  TF_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseCsvText(text, path.string());
}

}  // namespace talentflow
