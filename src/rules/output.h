// Renderings of scheme results: the `check` report (text, or JSON as a
// stable interface) and the cross-jurisdiction comparison table (text, JSON,
// CSV). Pure functions of their inputs: same inputs, same bytes.
//
// Example:
//   std::string text = CheckToText(results, person, date);
//   TF_ASSIGN_OR_RETURN(ComparisonTable table, BuildComparison(registry, date, {}));
//   std::string csv = ComparisonToCsv(table);
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rules/evaluate.h"

namespace talentflow::rules {

std::string CheckToText(const std::vector<SchemeResult>& results, const Person& person, Date date);
nlohmann::json CheckToJson(const std::vector<SchemeResult>& results, const Person& person,
                           Date date);
nlohmann::json TraceToJson(const Trace& trace);

struct ComparisonTable {
  Date date;
  std::vector<std::string> schemes;                  // scheme ids, one column each
  std::vector<std::string> headers;                  // jurisdiction names
  std::vector<std::string> items;                    // row keys (ComparisonItems order)
  std::vector<std::vector<std::string>> cells;       // [item][column]
  std::vector<std::vector<std::string>> references;  // [item][column]
};

// Columns: `scheme_ids` in the order given, or when empty every scheme with
// a [comparison] section that exists on `date`, in id order. A cell is the
// text in force on `date` ("" when none). Error when a named scheme does not
// exist or has no comparison section.
StatusOr<ComparisonTable> BuildComparison(const Registry& registry, Date date,
                                          const std::vector<std::string>& scheme_ids);
std::string ComparisonToText(const ComparisonTable& table);
std::string ComparisonToCsv(const ComparisonTable& table);
nlohmann::json ComparisonToJson(const ComparisonTable& table);

// Display labels of the comparison items, as in the bulletin's first column.
std::string ComparisonItemLabel(const std::string& item);

}  // namespace talentflow::rules
