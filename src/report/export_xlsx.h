// Excel export: every table in one workbook, a sheet per table (header row
// of labels, typed cells with number formats, suppressed cells as the text
// "suppressed", missing cells empty) plus a "notes" sheet that lists, for
// every sheet, the table's name, title, source, notes and each column's
// name, labels and type. Written with libxlsxwriter to a temporary file
// beside the destination, then renamed. The workbook's creation date is
// fixed so the same tables give the same bytes.
//
// Example:
//   TF_RETURN_IF_ERROR(WriteTablesXlsx(out_dir / "tables.xlsx", tables, Lang::kBoth));
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/status.h"
#include "io/table.h"
#include "report/html_util.h"

namespace talentflow::report {

// Sheet name of each table, in order: the table name cut to Excel's 31
// characters, made unique with a "~N" suffix.
std::vector<std::string> XlsxSheetNames(const std::vector<Table>& tables);

// A cell holds at most 32,767 characters (Excel's limit, which libxlsxwriter
// enforces by leaving the cell empty). Longer text is cut to 32,766 and
// ends with "…"; the CSV and Stata files keep it whole.
inline constexpr size_t kExcelCellChars = 32767;
std::string ExcelCellText(const std::string& text);

// The header text of a column in the chosen language (label, else name).
std::string XlsxHeader(const Column& column, Lang lang);

Status WriteTablesXlsx(const std::filesystem::path& path, const std::vector<Table>& tables,
                       Lang lang);

}  // namespace talentflow::report
