#include "report/export_xlsx.h"

#include <fmt/format.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "common/utf8.h"

namespace talentflow::report {
namespace fs = std::filesystem;

namespace {

// 2024-01-01T00:00:00Z: a fixed creation date keeps the output reproducible.
constexpr time_t kFixedCreated = 1704067200;

std::string CutUtf8(const std::string& text, size_t max_chars) {
  size_t chars = 0;
  size_t i = 0;
  while (i < text.size() && chars < max_chars) {
    // A byte that cannot lead a sequence counts as the lead of a 4-byte one.
    size_t len = Utf8SequenceLength(static_cast<unsigned char>(text[i]));
    i += len == 0 ? 4 : len;
    ++chars;
  }
  return text.substr(0, std::min(i, text.size()));
}

}  // namespace

std::string ExcelCellText(const std::string& text) {
  if (CutUtf8(text, kExcelCellChars).size() == text.size()) return text;
  return CutUtf8(text, kExcelCellChars - 1) + "\u2026";  // "…"
}

namespace {

Status XlsxError(lxw_error error, const fs::path& path, std::string_view what) {
  if (error == LXW_NO_ERROR) return Status::Ok();
  return IoError(fmt::format("{}: {}: {}", path.string(), what, lxw_strerror(error)));
}

}  // namespace

std::vector<std::string> XlsxSheetNames(const std::vector<Table>& tables) {
  std::vector<std::string> names;
  std::set<std::string> used = {"notes"};
  for (const Table& table : tables) {
    std::string base;
    for (char c : table.name)
      base.push_back(std::string_view("[]:*?/\\").find(c) == std::string_view::npos ? c : '_');
    if (base.empty()) base = "table";
    std::string name = CutUtf8(base, 31);
    for (int n = 2; used.count(name); ++n) {
      std::string suffix = fmt::format("~{}", n);
      name = CutUtf8(base, 31 - suffix.size()) + suffix;
    }
    used.insert(name);
    names.push_back(name);
  }
  return names;
}

std::string XlsxHeader(const Column& column, Lang lang) {
  std::string en = column.label_en.empty() ? column.name : column.label_en;
  return BiText(lang, en, column.label_zh);
}

Status WriteTablesXlsx(const fs::path& path, const std::vector<Table>& tables, Lang lang) {
  fs::path tmp = path;
  tmp += fmt::format(".tmp{}", static_cast<long>(getpid()));
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  lxw_workbook* workbook = workbook_new(tmp.string().c_str());
  if (!workbook) return IoError(fmt::format("{}: cannot create workbook", tmp.string()));
  lxw_doc_properties properties = {};
  properties.title = const_cast<char*>("talentflow tables");
  properties.comments = const_cast<char*>("Written by talentflow " TALENTFLOW_VERSION);
  properties.created = kFixedCreated;
  workbook_set_properties(workbook, &properties);

  lxw_format* header = workbook_add_format(workbook);
  format_set_bold(header);
  format_set_text_wrap(header);
  format_set_bottom(header, LXW_BORDER_THIN);
  lxw_format* int_format = workbook_add_format(workbook);
  format_set_num_format(int_format, "#,##0");
  lxw_format* double_format = workbook_add_format(workbook);
  format_set_num_format(double_format, "#,##0.00");
  lxw_format* small_format = workbook_add_format(workbook);
  format_set_num_format(small_format, "0.0000");
  lxw_format* suppressed_format = workbook_add_format(workbook);
  format_set_italic(suppressed_format);
  format_set_font_color(suppressed_format, 0x595959);
  format_set_align(suppressed_format, LXW_ALIGN_RIGHT);

  // Every text cell goes through here: cut to what a cell holds, and the
  // first error kept (libxlsxwriter leaves a cell it refuses empty).
  lxw_error write_error = LXW_NO_ERROR;
  auto write_text = [&write_error](lxw_worksheet* sheet, lxw_row_t r, lxw_col_t c,
                                   const std::string& text, lxw_format* format) {
    lxw_error e = worksheet_write_string(sheet, r, c, ExcelCellText(text).c_str(), format);
    if (write_error == LXW_NO_ERROR) write_error = e;
  };

  std::vector<std::string> sheet_names = XlsxSheetNames(tables);
  for (size_t table_idx = 0; table_idx < tables.size(); ++table_idx) {
    const Table& table = tables[table_idx];
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, sheet_names[table_idx].c_str());
    if (!sheet) {
      workbook_close(workbook);
      fs::remove(tmp, ec);
      return Internal(fmt::format("xlsx: cannot add sheet \"{}\"", sheet_names[table_idx]));
    }
    worksheet_freeze_panes(sheet, 1, 0);
    worksheet_set_row(sheet, 0, 30, nullptr);
    for (size_t col = 0; col < table.columns.size(); ++col) {
      const Column& column = table.columns[col];
      write_text(sheet, 0, static_cast<lxw_col_t>(col), XlsxHeader(column, lang), header);
      // Columns of small shares (all |x| < 1) get four decimals, others two.
      bool small = column.type == ColumnType::kDouble;
      for (const auto& row : table.rows) {
        if (const auto* d = std::get_if<double>(&row[col]); d && std::fabs(*d) >= 1) small = false;
      }
      lxw_format* format = column.type == ColumnType::kInt ? int_format
                           : column.type == ColumnType::kDouble
                               ? (small ? small_format : double_format)
                               : nullptr;
      double width = column.type == ColumnType::kString ? 24 : 14;
      worksheet_set_column(sheet, static_cast<lxw_col_t>(col), static_cast<lxw_col_t>(col), width,
                           format);
      for (size_t row_idx = 0; row_idx < table.rows.size(); ++row_idx) {
        const Cell& cell = table.rows[row_idx][col];
        auto r = static_cast<lxw_row_t>(row_idx + 1);
        auto c = static_cast<lxw_col_t>(col);
        if (std::holds_alternative<Suppressed>(cell)) {
          worksheet_write_string(sheet, r, c, "suppressed", suppressed_format);
        } else if (const auto* i = std::get_if<int64_t>(&cell)) {
          worksheet_write_number(sheet, r, c, static_cast<double>(*i), format);
        } else if (const auto* d = std::get_if<double>(&cell)) {
          worksheet_write_number(sheet, r, c, *d, format);
        } else if (const auto* s = std::get_if<std::string>(&cell)) {
          if (!s->empty()) write_text(sheet, r, c, *s, nullptr);
        }
      }
    }
  }

  lxw_worksheet* notes = workbook_add_worksheet(workbook, "notes");
  const char* note_headers[] = {"sheet", "table",  "title_en", "title_zh", "source",
                                "notes", "column", "label_en", "label_zh", "type"};
  for (lxw_col_t col = 0; col < 10; ++col)
    worksheet_write_string(notes, 0, col, note_headers[col], header);
  worksheet_set_column(notes, 0, 9, 18, nullptr);
  lxw_row_t note_row = 1;
  worksheet_write_string(
      notes, note_row++, 0,
      "Cells reading \"suppressed\" are withheld by disclosure control (fewer than k "
      "persons); empty numeric cells are not computable.",
      nullptr);
  for (size_t table_idx = 0; table_idx < tables.size(); ++table_idx) {
    const Table& table = tables[table_idx];
    for (const Column& column : table.columns) {
      const std::string type = column.type == ColumnType::kInt      ? "int"
                               : column.type == ColumnType::kDouble ? "double"
                                                                    : "string";
      const std::string values[] = {
          sheet_names[table_idx], table.name,  table.title_en, table.title_zh,
          table.source,           table.notes, column.name,    column.label_en,
          column.label_zh,        type};
      for (lxw_col_t col = 0; col < 10; ++col) {
        if (!values[col].empty()) write_text(notes, note_row, col, values[col], nullptr);
      }
      ++note_row;
    }
  }
  lxw_error error = workbook_close(workbook);
  if (error == LXW_NO_ERROR) error = write_error;
  if (error != LXW_NO_ERROR) {
    fs::remove(tmp, ec);
    return XlsxError(error, path, "writing workbook");
  }
  fs::rename(tmp, path, ec);
  if (ec) return IoError(fmt::format("{}: rename: {}", path.string(), ec.message()));
  return Status::Ok();
}

}  // namespace talentflow::report
