// Stata export: one <table>.dta (format 118, UTF-8) per table through
// ReadStat's writer. Variables are the table's column names, with the
// English label (cut to Stata's 80 bytes) as the variable label and the
// title as the dataset label. Int columns become long when every value fits
// Stata's long range, else double. A suppressed numeric cell is the tagged
// missing value .s, a missing one the system missing value "."; suppressed
// or missing strings are "". The file timestamp is fixed so the same table
// gives the same bytes.
//
// Example:
//   TF_RETURN_IF_ERROR(WriteTableDta(out_dir / "stata" / "classes.dta", table));
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/status.h"
#include "io/table.h"

namespace talentflow::report {

Status WriteTableDta(const std::filesystem::path& path, const Table& table);

// The variable names of a table's columns: a column's name when it is a
// valid Stata name (a letter or _, then letters, digits or _; at most 32
// characters; not reserved), else a valid name made from it (other bytes
// become "_", "v_" in front when needed, cut to 32), made unique with "_2",
// "_3", ... Opinion tables have columns named after free-text communities.
std::vector<std::string> StataVariableNames(const std::vector<Column>& columns);

}  // namespace talentflow::report
