// Publish: turns the merged flow aggregates into the published tables of spec
// flows.md section 6 (as io/table.h Tables) and the matching sections of
// results.json (section 7), applying disclosure control.
//
// Disclosure control (--k): every cell counting persons that is below k is
// Suppressed{} (k = 0 disables). A value computed from a suppressed cell is
// suppressed too: rates, means, sds, differences, t, df, p of a group with
// n < k; net and turnover when either side is suppressed; base when stayers
// or leavers are; every share of a total that includes a suppressed cell; a
// rank when the ranked value is suppressed. Suppressed cells are null in JSON,
// empty in CSV, and listed (table, row key, column) under "suppressed" and in
// each table's meta. Counts of firms and of countries are not person counts
// and are not suppressed. The high-pay salary cut is never published (it is
// one person's salary).
//
// Pure function of its inputs; thread-compatible.
//
// Example:
//   Publication pub = Publish(ctx, result, {.k = 10, .places = names});
//   for (const Table& t : pub.tables) TF_RETURN_IF_ERROR(WriteTable(dir, t));
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "flows/flows.h"
#include "io/table.h"

namespace talentflow {

struct PlaceName {
  std::string name_en, name_zh;
};

struct PublishOptions {
  int k = 10;
  // Names of ctx.params.study_places, same order.
  std::vector<PlaceName> study_place_names;
};

struct Publication {
  std::vector<Table> tables;
  // Keys: classes, persistence (persistent definition only), age_bands,
  // joiners_vs_leavers, flows_by_country, same_company, multinationals,
  // city_human_capital, age_rules, university_match, location, suppressed.
  nlohmann::ordered_json results;
};

Publication Publish(const FlowsContext& ctx, const FlowsResult& result,
                    const PublishOptions& options);

// Growth bin of a firm present in the place at either snapshot (see
// docs/methodology.md): "new in place" when before == 0, else by growth_pct.
std::string_view GrowthBin(int64_t before, int64_t after);

}  // namespace talentflow
