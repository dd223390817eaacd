#include "rules/output.h"

#include <fmt/format.h>

#include "io/csv_reader.h"

namespace talentflow::rules {

namespace {

using nlohmann::json;

std::string Points(double low, double high) {
  if (low == high) return FormatNumber(low);
  return fmt::format("{}..{}", FormatNumber(low), FormatNumber(high));
}

void TraceText(const Trace& trace, int depth, std::string& out) {
  std::string pad(depth * 2, ' ');
  std::string outcome;
  if (trace.boolean) outcome = std::string(TriName(trace.outcome));
  if (trace.scored) {
    outcome += fmt::format("{}{} point(s)", outcome.empty() ? "" : ", ",
                           Points(trace.points_min, trace.points_max));
  }
  out +=
      fmt::format("{}- {} [{}]: {} -> {}\n", pad, trace.id, trace.kind, trace.description, outcome);
  for (const FieldRead& read : trace.reads) {
    out += fmt::format("{}    read {} = {} ({})\n", pad, read.field, read.value, read.derivation);
  }
  for (const ParamUse& param : trace.params) {
    out += fmt::format("{}    uses {} = {} [in force {}] {}\n", pad, param.name, param.value,
                       param.span, param.reference);
  }
  if (!trace.note.empty()) out += fmt::format("{}    note: {}\n", pad, trace.note);
  if (!trace.missing.empty()) {
    std::string list;
    for (const std::string& field : trace.missing) list += (list.empty() ? "" : ", ") + field;
    out += fmt::format("{}    missing: {}\n", pad, list);
  }
  if (!trace.reference.empty()) out += fmt::format("{}    ref: {}\n", pad, trace.reference);
  for (const Trace& child : trace.children) TraceText(child, depth + 1, out);
}

std::string Title(const SchemeResult& result) {
  std::string title = fmt::format("{} {} ({})", result.scheme, result.name_en, result.name_zh);
  if (!result.category.empty()) title += fmt::format(", category {}", result.category);
  return title;
}

}  // namespace

json TraceToJson(const Trace& trace) {
  json out;
  out["id"] = trace.id;
  out["kind"] = trace.kind;
  out["description"] = trace.description;
  out["reference"] = trace.reference;
  if (trace.boolean) {
    out["outcome"] = trace.outcome == Tri::kYes  ? "met"
                     : trace.outcome == Tri::kNo ? "not_met"
                                                 : "cannot_tell";
  }
  if (trace.scored) {
    out["points"] = {{"min", trace.points_min}, {"max", trace.points_max}};
    if (trace.pass_mark) out["pass_mark"] = *trace.pass_mark;
  }
  out["reads"] = json::array();
  for (const FieldRead& read : trace.reads) {
    out["reads"].push_back(
        {{"field", read.field}, {"value", read.value}, {"derivation", read.derivation}});
  }
  out["parameters"] = json::array();
  for (const ParamUse& param : trace.params) {
    out["parameters"].push_back({{"name", param.name},
                                 {"value", param.value},
                                 {"in_force", param.span},
                                 {"reference", param.reference}});
  }
  out["missing"] = trace.missing;
  out["note"] = trace.note;
  out["children"] = json::array();
  for (const Trace& child : trace.children) out["children"].push_back(TraceToJson(child));
  return out;
}

std::string CheckToText(const std::vector<SchemeResult>& results, const Person& person, Date date) {
  std::string out =
      fmt::format("Schemes for {} on {}\n\n", person.id.empty() ? "(unnamed person)" : person.id,
                  FormatDate(date));
  for (const SchemeResult& result : results) {
    out += fmt::format("{}: {}\n", Title(result), VerdictName(result.verdict));
    if (!result.note.empty()) out += fmt::format("  {}\n", result.note);
    if (result.scored) {
      out += fmt::format("  points: {}", Points(result.points_min, result.points_max));
      if (result.pass_mark) out += fmt::format(" (pass mark {})", FormatNumber(*result.pass_mark));
      out += "\n";
    }
    if (!result.missing.empty()) {
      std::string list;
      for (const std::string& field : result.missing) list += (list.empty() ? "" : ", ") + field;
      out += fmt::format("  cannot tell without: {}\n", list);
    }
    if (!result.rule_span.empty()) {
      out += fmt::format("  rule in force {} {}\n", result.rule_span, result.rule_reference);
      if (!result.rule_note.empty()) out += fmt::format("  {}\n", result.rule_note);
    }
    if (result.eligibility) TraceText(*result.eligibility, 1, out);
    if (result.score) TraceText(*result.score, 1, out);
    out += "\n";
  }
  return out;
}

json CheckToJson(const std::vector<SchemeResult>& results, const Person& person, Date date) {
  json out;
  out["format"] = "talentflow.schemes.check/1";
  out["person"] = person.id;
  out["date"] = FormatDate(date);
  out["results"] = json::array();
  for (const SchemeResult& result : results) {
    json item;
    item["scheme"] = result.scheme;
    item["category"] = result.category;
    item["name_en"] = result.name_en;
    item["name_zh"] = result.name_zh;
    item["jurisdiction"] = result.jurisdiction_name;
    item["outcome"] = VerdictName(result.verdict);
    item["note"] = result.note;
    item["missing"] = result.missing;
    if (result.scored) {
      item["points"] = {{"min", result.points_min}, {"max", result.points_max}};
      item["pass_mark"] = result.pass_mark ? json(*result.pass_mark) : json(nullptr);
    }
    if (!result.rule_span.empty()) {
      item["rule"] = {{"in_force", result.rule_span},
                      {"reference", result.rule_reference},
                      {"note", result.rule_note}};
    }
    if (result.eligibility) item["trace"] = TraceToJson(*result.eligibility);
    if (result.score) item["score_trace"] = TraceToJson(*result.score);
    out["results"].push_back(std::move(item));
  }
  return out;
}

std::string ComparisonItemLabel(const std::string& item) {
  static const std::map<std::string, std::string> labels = {
      {"visa", "visa"},
      {"launched", "launched"},
      {"target_group", "target group"},
      {"mechanism", "mechanism"},
      {"job_offer", "job offer required"},
      {"income_requirement", "income requirement"},
      {"first_stay", "first stay"},
      {"path_to_pr", "path to permanent residence"},
      {"family", "family"},
      {"children_education", "children's education"},
      {"social_welfare", "social welfare"},
      {"flexibility", "distinctive flexibility"},
      {"holders", "holders"}};
  auto it = labels.find(item);
  return it == labels.end() ? item : it->second;
}

StatusOr<ComparisonTable> BuildComparison(const Registry& registry, Date date,
                                          const std::vector<std::string>& scheme_ids) {
  ComparisonTable table;
  table.date = date;
  table.items = ComparisonItems();
  std::vector<const Scheme*> columns;
  if (scheme_ids.empty()) {
    for (const auto& [id, scheme] : registry.schemes) {
      if (!scheme.comparison.empty() && scheme.launched <= date) columns.push_back(&scheme);
    }
  } else {
    for (const std::string& id : scheme_ids) {
      auto it = registry.schemes.find(id);
      if (it == registry.schemes.end()) {
        return InvalidArgument(fmt::format("--schemes: no scheme \"{}\"", id));
      }
      if (it->second.comparison.empty()) {
        return InvalidArgument(
            fmt::format("--schemes: scheme \"{}\" has no [comparison] section "
                        "in {}",
                        id, it->second.file));
      }
      columns.push_back(&it->second);
    }
  }
  for (const Scheme* scheme : columns) {
    table.schemes.push_back(scheme->id);
    table.headers.push_back(scheme->jurisdiction_name);
  }
  for (const std::string& item : table.items) {
    std::vector<std::string> row, refs;
    for (const Scheme* scheme : columns) {
      std::string text, ref;
      if (item == "visa") {
        text = scheme->name_en;
        ref = scheme->references.empty() ? "" : scheme->references.front();
      } else if (item == "launched") {
        text = scheme->launched_text.empty() ? std::to_string(YearOf(scheme->launched))
                                             : scheme->launched_text;
        ref = scheme->references.empty() ? "" : scheme->references.front();
      } else if (auto it = scheme->comparison.find(item); it != scheme->comparison.end()) {
        for (const DatedText& dated : it->second) {
          if (dated.Covers(date)) {
            text = dated.text;
            ref = dated.reference;
          }
        }
      }
      row.push_back(text);
      refs.push_back(ref);
    }
    table.cells.push_back(std::move(row));
    table.references.push_back(std::move(refs));
  }
  return table;
}

std::string ComparisonToText(const ComparisonTable& table) {
  std::string out = fmt::format("Talent schemes compared on {}\n", FormatDate(table.date));
  for (size_t col = 0; col < table.schemes.size(); ++col) {
    out += fmt::format("\n== {} ({})\n", table.headers[col], table.schemes[col]);
    for (size_t row = 0; row < table.items.size(); ++row) {
      out += fmt::format("  {}: {}\n", ComparisonItemLabel(table.items[row]),
                         table.cells[row][col].empty() ? "-" : table.cells[row][col]);
    }
  }
  return out;
}

std::string ComparisonToCsv(const ComparisonTable& table) {
  std::string out = "item";
  for (const std::string& header : table.headers) {
    out += ',';
    AppendCsvField(out, header);
  }
  out += '\n';
  for (size_t row = 0; row < table.items.size(); ++row) {
    AppendCsvField(out, ComparisonItemLabel(table.items[row]));
    for (const std::string& cell : table.cells[row]) {
      out += ',';
      AppendCsvField(out, cell);
    }
    out += '\n';
  }
  return out;
}

json ComparisonToJson(const ComparisonTable& table) {
  json out;
  out["format"] = "talentflow.schemes.compare/1";
  out["date"] = FormatDate(table.date);
  out["columns"] = json::array();
  for (size_t col = 0; col < table.schemes.size(); ++col) {
    json column;
    column["scheme"] = table.schemes[col];
    column["jurisdiction"] = table.headers[col];
    for (size_t row = 0; row < table.items.size(); ++row) {
      column["items"][table.items[row]] = {{"text", table.cells[row][col]},
                                           {"reference", table.references[row][col]}};
    }
    out["columns"].push_back(std::move(column));
  }
  return out;
}

}  // namespace talentflow::rules
