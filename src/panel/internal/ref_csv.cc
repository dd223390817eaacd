#include "panel/internal/ref_csv.h"

#include <algorithm>
#include <string>

#include "common/utf8.h"
#include "io/file_util.h"

namespace talentflow::panel_internal {

Status RefCsv::Error(size_t row, size_t column_idx, std::string_view what) const {
  std::string msg = file + " line " + std::to_string(lines[row]) + " column " +
                    columns[column_idx] + ": " + std::string(what);
  return DataError(std::move(msg));
}

namespace {

// One parsed record with the line it started on.
struct Record {
  std::vector<std::string> fields;
  int line = 0;
};

// Parses the whole text into records; the error names the line and column
// number (1-based field index) where quoting went wrong.
Status ParseRecords(std::string_view text, const std::string& file, std::vector<Record>* out) {
  size_t pos = 0;
  int line = 1;
  while (pos < text.size()) {
    Record rec;
    rec.line = line;
    std::string field;
    bool record_done = false;
    bool any_content = false;
    while (!record_done) {
      field.clear();
      if (pos < text.size() && text[pos] == '"') {
        any_content = true;
        ++pos;
        bool closed = false;
        while (pos < text.size()) {
          const char ch = text[pos];
          if (ch == '"') {
            if (pos + 1 < text.size() && text[pos + 1] == '"') {
              field.push_back('"');
              pos += 2;
              continue;
            }
            ++pos;
            closed = true;
            break;
          }
          if (ch == '\n') ++line;
          field.push_back(ch);
          ++pos;
        }
        if (!closed) {
          return DataError(file + " line " + std::to_string(rec.line) + " column " +
                           std::to_string(rec.fields.size() + 1) +
                           ": quoted field is not closed before the end of the file");
        }
        if (pos < text.size() && text[pos] != ',' && text[pos] != '\n' && text[pos] != '\r') {
          return DataError(file + " line " + std::to_string(line) + " column " +
                           std::to_string(rec.fields.size() + 1) +
                           ": unexpected character after closing quote");
        }
      } else {
        while (pos < text.size() && text[pos] != ',' && text[pos] != '\n' && text[pos] != '\r') {
          if (text[pos] == '"') {
            return DataError(file + " line " + std::to_string(line) + " column " +
                             std::to_string(rec.fields.size() + 1) +
                             ": quote inside an unquoted field");
          }
          field.push_back(text[pos]);
          ++pos;
        }
        if (!field.empty()) any_content = true;
      }
      rec.fields.push_back(field);
      if (pos >= text.size()) {
        record_done = true;
      } else if (text[pos] == ',') {
        any_content = true;
        ++pos;
      } else {
        if (text[pos] == '\r') ++pos;
        if (pos < text.size() && text[pos] == '\n') ++pos;
        ++line;
        record_done = true;
      }
    }
    if (any_content) out->push_back(std::move(rec));
  }
  return Status::Ok();
}

}  // namespace

StatusOr<RefCsv> ReadRefCsv(const std::filesystem::path& path,
                            const std::vector<std::string>& columns, bool allow_other_columns,
                            const std::vector<std::string>& optional_columns) {
  const std::string file = path.string();
  TF_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  std::string_view view = text;
  if (view.substr(0, 3) == "\xEF\xBB\xBF") view.remove_prefix(3);
  if (!IsValidUtf8(view)) return DataError(file + ": not valid UTF-8");
  std::vector<Record> records;
  TF_RETURN_IF_ERROR(ParseRecords(view, file, &records));
  if (records.empty()) return DataError(file + ": empty file, expected a header row");

  RefCsv csv;
  csv.file = file;
  csv.columns = columns;
  // position_of[k] = index in the file's header of expected column k.
  std::vector<size_t> position_of(columns.size(), SIZE_MAX);
  const Record& header = records.front();
  for (size_t col = 0; col < header.fields.size(); ++col) {
    const std::string name = FoldSpaceCase(header.fields[col]);
    size_t found = SIZE_MAX;
    for (size_t k = 0; k < columns.size(); ++k) {
      if (FoldSpaceCase(columns[k]) == name) found = k;
    }
    if (found == SIZE_MAX) {
      if (allow_other_columns) continue;
      return DataError(file + " line " + std::to_string(header.line) + " column " +
                       std::to_string(col + 1) + ": unexpected column \"" + header.fields[col] +
                       "\"");
    }
    if (position_of[found] != SIZE_MAX) {
      return DataError(file + " line " + std::to_string(header.line) + " column " +
                       std::to_string(col + 1) + ": duplicate column \"" + name + "\"");
    }
    position_of[found] = col;
  }
  for (size_t k = 0; k < columns.size(); ++k) {
    const bool optional = std::find(optional_columns.begin(), optional_columns.end(), columns[k]) !=
                          optional_columns.end();
    if (position_of[k] == SIZE_MAX && !optional) {
      return DataError(file + " line " + std::to_string(header.line) + ": missing column \"" +
                       columns[k] + "\"");
    }
  }
  for (size_t rec_idx = 1; rec_idx < records.size(); ++rec_idx) {
    const Record& rec = records[rec_idx];
    if (rec.fields.size() != header.fields.size()) {
      return DataError(file + " line " + std::to_string(rec.line) + ": " +
                       std::to_string(rec.fields.size()) + " fields, expected " +
                       std::to_string(header.fields.size()));
    }
    std::vector<std::string> fields(columns.size());
    for (size_t k = 0; k < columns.size(); ++k) {
      if (position_of[k] != SIZE_MAX) fields[k] = rec.fields[position_of[k]];
    }
    csv.rows.push_back(std::move(fields));
    csv.lines.push_back(rec.line);
  }
  return csv;
}

std::vector<std::string> SplitPipeList(std::string_view list) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find('|', start);
    if (end == std::string_view::npos) end = list.size();
    std::string_view item = list.substr(start, end - start);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (!item.empty()) items.emplace_back(item);
    start = end + 1;
  }
  return items;
}

std::string FoldSpaceCase(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  size_t pos = 0;
  while (pos < text.size()) {
    const char ch = text[pos];
    bool is_space = ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
    size_t width = 1;
    // U+3000 IDEOGRAPHIC SPACE (E3 80 80) and U+00A0 NO-BREAK SPACE (C2 A0).
    if (text.substr(pos, 3) == "\xE3\x80\x80") {
      is_space = true;
      width = 3;
    } else if (text.substr(pos, 2) == "\xC2\xA0") {
      is_space = true;
      width = 2;
    }
    if (is_space) {
      pending_space = !out.empty();
    } else {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.push_back(ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch);
    }
    pos += width;
  }
  return out;
}

}  // namespace talentflow::panel_internal
