// Table: one published result table, written as a tidy CSV plus a sidecar
// metadata file, the common output format of every engine (flows, schemes,
// opinion) and the input of the report, Excel and Stata writers.
//
// On disk, under an output's `tables/` folder:
//   <name>.csv        header row of column names, then one row per record
//                     (RFC 4180 quoting, "\n" line ends, UTF-8, no BOM)
//   <name>.meta.json  {"name", "title_en", "title_zh", "source", "notes",
//                      "columns": [{"name", "label_en", "label_zh", "type"}],
//                      "suppressed": [{"row": i, "column": "..."}]}
// A cell is a value, missing (not computable, e.g. an sd of one value) or
// suppressed (disclosure control). Missing and suppressed cells are both
// empty in the CSV (so statistical packages read them as missing); the
// meta file lists the suppressed ones, so a suppressed cell is never shown
// as zero and never confused with a missing one.
//
// Doubles are written in the shortest form that reads back exactly, so the
// same numbers always give the same bytes.
//
// Example:
//   Table t{.name = "classes", .title_en = "Classes", .title_zh = "類別"};
//   t.columns = {{"class", "Class", "類別", ColumnType::kString},
//                {"count", "Persons", "人數", ColumnType::kInt}};
//   t.rows.push_back({std::string("stayer"), int64_t{255911}});
//   TF_RETURN_IF_ERROR(WriteTable(out_dir / "tables", t));
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include "common/status.h"

namespace talentflow {

enum class ColumnType { kString, kInt, kDouble };

struct Column {
  std::string name;  // snake_case; also the Stata variable name
  std::string label_en;
  std::string label_zh;
  ColumnType type = ColumnType::kString;
};

struct Missing {
  bool operator==(const Missing&) const = default;
};
struct Suppressed {
  bool operator==(const Suppressed&) const = default;
};
using Cell = std::variant<Missing, Suppressed, int64_t, double, std::string>;

struct Table {
  std::string name;  // file stem, snake_case
  std::string title_en;
  std::string title_zh;
  std::string source;  // the command that produced it, e.g. "flows"
  std::string notes;   // definitions or caveats a reader needs
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
};

// Writes <dir>/<name>.csv and <dir>/<name>.meta.json atomically.
// Fails (kInternal) if a row's width differs from the columns or a cell's
// type does not match its column: those are bugs, not input problems.
Status WriteTable(const std::filesystem::path& dir, const Table& table);

// Reads a table written by WriteTable back, with typed cells.
StatusOr<Table> ReadTable(const std::filesystem::path& dir, const std::string& name);

// Names of the tables in `dir` (stems of *.meta.json), sorted.
std::vector<std::string> ListTables(const std::filesystem::path& dir);

// Shortest round-trip decimal text of a finite double ("" for NaN/inf).
std::string FormatDouble(double value);

}  // namespace talentflow
