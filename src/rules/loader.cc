// Strict TOML loader for scheme and list files (format: docs/schemes.md).
#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <functional>
#include <set>

#include "io/file_util.h"
#include "rules/person.h"
#include "rules/scheme.h"

namespace talentflow::rules {
namespace {

namespace fs = std::filesystem;

// Where we are in a file, for messages: "hk/ttps.toml line 12: key "x": ...".
struct Where {
  const std::string& file;
  Status Error(const toml::node& node, std::string_view key, std::string_view what) const {
    return DataError(
        fmt::format("{} line {}: key \"{}\": {}", file, node.source().begin.line, key, what));
  }
  Status Error(int line, std::string_view key, std::string_view what) const {
    return DataError(fmt::format("{} line {}: key \"{}\": {}", file, line, key, what));
  }
};

std::string JoinNames(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::string_view name : names) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

Status CheckKeys(const toml::table& table, const std::vector<std::string_view>& allowed,
                 const Where& where, std::string_view prefix) {
  for (auto&& [key, node] : table) {
    if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
      return where.Error(node, fmt::format("{}{}", prefix, key.str()),
                         fmt::format("unknown key; allowed: {}", JoinNames(allowed)));
    }
  }
  return Status::Ok();
}

Status Require(const toml::table& table, std::string_view key, const Where& where,
               std::string_view prefix) {
  if (!table.contains(key)) {
    return DataError(fmt::format("{} line {}: key \"{}{}\": required", where.file,
                                 table.source().begin.line, prefix, key));
  }
  return Status::Ok();
}

StatusOr<std::string> GetString(const toml::node& node, const Where& where, std::string_view key) {
  if (!node.is_string()) return where.Error(node, key, "expected a string");
  return std::string(node.as_string()->get());
}

StatusOr<bool> GetBool(const toml::node& node, const Where& where, std::string_view key) {
  if (!node.is_boolean()) return where.Error(node, key, "expected true or false");
  return node.as_boolean()->get();
}

StatusOr<double> GetNumber(const toml::node& node, const Where& where, std::string_view key) {
  if (node.is_integer()) return static_cast<double>(node.as_integer()->get());
  if (node.is_floating_point()) return node.as_floating_point()->get();
  return where.Error(node, key, "expected a number");
}

StatusOr<Date> GetDate(const toml::node& node, const Where& where, std::string_view key) {
  if (node.is_date()) {
    toml::date date = node.as_date()->get();
    if (!IsValidDay(date.year, date.month, date.day)) {
      return where.Error(node, key, "not a calendar day");
    }
    return MakeDate(date.year, date.month, date.day);
  }
  if (node.is_string()) {
    StatusOr<Date> date = ParseDate(node.as_string()->get());
    if (!date.ok()) return where.Error(node, key, date.status().message());
    return date;
  }
  return where.Error(node, key, "expected a date YYYY-MM-DD");
}

StatusOr<std::vector<std::string>> GetStrings(const toml::node& node, const Where& where,
                                              std::string_view key) {
  if (!node.is_array()) return where.Error(node, key, "expected an array of strings");
  std::vector<std::string> out;
  for (const toml::node& item : *node.as_array()) {
    TF_ASSIGN_OR_RETURN(std::string text, GetString(item, where, key));
    out.push_back(std::move(text));
  }
  return out;
}

StatusOr<Scalar> GetScalar(const toml::node& node, const Where& where, std::string_view key) {
  if (node.is_integer() || node.is_floating_point()) {
    TF_ASSIGN_OR_RETURN(double number, GetNumber(node, where, key));
    return Scalar(number);
  }
  if (node.is_boolean()) return Scalar(node.as_boolean()->get());
  if (node.is_string()) return Scalar(std::string(node.as_string()->get()));
  return where.Error(node, key, "expected a number, true/false or a string");
}

// A literal, or "$name" naming a parameter of the scheme.
StatusOr<Operand> GetOperand(const toml::node& node, const Where& where, std::string_view key) {
  Operand operand;
  if (node.is_string() && node.as_string()->get().rfind('$', 0) == 0) {
    operand.param = std::string(node.as_string()->get().substr(1));
    if (operand.param.empty()) return where.Error(node, key, "\"$\" must be followed by a name");
    return operand;
  }
  TF_ASSIGN_OR_RETURN(Scalar literal, GetScalar(node, where, key));
  operand.literal = std::move(literal);
  return operand;
}

// Reads from/until/reference of a dated table. `reference_required`: policy
// values must cite a source.
Status ReadDated(const toml::table& table, Dated& dated, const Where& where,
                 std::string_view prefix) {
  TF_RETURN_IF_ERROR(Require(table, "from", where, prefix));
  TF_ASSIGN_OR_RETURN(dated.from,
                      GetDate(*table.get("from"), where, fmt::format("{}from", prefix)));
  if (const toml::node* until = table.get("until")) {
    TF_ASSIGN_OR_RETURN(Date end, GetDate(*until, where, fmt::format("{}until", prefix)));
    if (end < dated.from) {
      return where.Error(
          *until, fmt::format("{}until", prefix),
          fmt::format("{} is before from {}", FormatDate(end), FormatDate(dated.from)));
    }
    dated.until = end;
  }
  TF_RETURN_IF_ERROR(Require(table, "reference", where, prefix));
  TF_ASSIGN_OR_RETURN(dated.reference, GetString(*table.get("reference"), where,
                                                 fmt::format("{}reference", prefix)));
  dated.line = static_cast<int>(table.source().begin.line);
  return Status::Ok();
}

// Effective ranges of one dated thing must not overlap. REQUIRES: sorted by from.
template <typename T>
Status CheckNoOverlap(const std::vector<T>& values, const Where& where, std::string_view key) {
  for (size_t idx = 1; idx < values.size(); ++idx) {
    const T& prev = values[idx - 1];
    const T& next = values[idx];
    if (!prev.until || *prev.until >= next.from) {
      return where.Error(next.line, key,
                         fmt::format("effective range {} overlaps {} (line {}); ranges must not "
                                     "overlap (end the earlier one with until = the day before)",
                                     FormatSpan(next), FormatSpan(prev), prev.line));
    }
  }
  return Status::Ok();
}

StatusOr<PointsRow> ReadRow(const toml::node& node, const Where& where, std::string_view key) {
  if (!node.is_table()) return where.Error(node, key, "expected a table { ... , points = N }");
  const toml::table& table = *node.as_table();
  TF_RETURN_IF_ERROR(CheckKeys(table, {"at_least", "below", "at_most", "equals", "if", "points"},
                               where, fmt::format("{}.", key)));
  TF_RETURN_IF_ERROR(Require(table, "points", where, fmt::format("{}.", key)));
  PointsRow row;
  for (auto&& [name, item] : table) {
    std::string path = fmt::format("{}.{}", key, name.str());
    if (name == "points") {
      TF_ASSIGN_OR_RETURN(row.points, GetNumber(item, where, path));
    } else if (name == "at_least") {
      TF_ASSIGN_OR_RETURN(double v, GetNumber(item, where, path));
      row.at_least = v;
    } else if (name == "below") {
      TF_ASSIGN_OR_RETURN(double v, GetNumber(item, where, path));
      row.below = v;
    } else if (name == "at_most") {
      TF_ASSIGN_OR_RETURN(double v, GetNumber(item, where, path));
      row.at_most = v;
    } else if (name == "equals") {
      TF_ASSIGN_OR_RETURN(Scalar v, GetScalar(item, where, path));
      row.equals = v;
    } else if (name == "if") {
      TF_ASSIGN_OR_RETURN(row.if_criterion, GetString(item, where, path));
    }
  }
  return row;
}

Status ReadParameters(const toml::table& params, Scheme& scheme, const Where& where) {
  for (auto&& [name, node] : params) {
    std::string key = fmt::format("parameters.{}", name.str());
    if (!node.is_array_of_tables()) {
      return where.Error(node, key, "expected an array of dated values [[parameters.NAME]]");
    }
    Parameter param;
    param.name = std::string(name.str());
    size_t idx = 0;
    for (const toml::node& item : *node.as_array()) {
      const toml::table& table = *item.as_table();
      std::string prefix = fmt::format("{}[{}].", key, idx++);
      TF_RETURN_IF_ERROR(CheckKeys(
          table, {"from", "until", "reference", "value", "rows", "unit", "note", "description"},
          where, prefix));
      ParamValue value;
      TF_RETURN_IF_ERROR(ReadDated(table, value, where, prefix));
      bool has_value = table.contains("value"), has_rows = table.contains("rows");
      if (has_value == has_rows) {
        return where.Error(item, prefix + "value",
                           "give exactly one of value (a scalar) or rows (a points table)");
      }
      if (idx > 1 && has_rows != param.is_table) {
        return where.Error(item, prefix + "rows", "all values of a parameter must be of one kind");
      }
      param.is_table = has_rows;
      if (has_value) {
        TF_ASSIGN_OR_RETURN(value.scalar, GetScalar(*table.get("value"), where, prefix + "value"));
      } else {
        const toml::node& rows = *table.get("rows");
        if (!rows.is_array()) return where.Error(rows, prefix + "rows", "expected an array");
        size_t row_idx = 0;
        for (const toml::node& row : *rows.as_array()) {
          TF_ASSIGN_OR_RETURN(PointsRow parsed,
                              ReadRow(row, where, fmt::format("{}rows[{}]", prefix, row_idx++)));
          value.rows.push_back(std::move(parsed));
        }
      }
      if (const toml::node* unit = table.get("unit")) {
        TF_ASSIGN_OR_RETURN(value.unit, GetString(*unit, where, prefix + "unit"));
      }
      if (const toml::node* note = table.get("note")) {
        TF_ASSIGN_OR_RETURN(value.note, GetString(*note, where, prefix + "note"));
      }
      if (const toml::node* desc = table.get("description")) {
        TF_ASSIGN_OR_RETURN(param.description, GetString(*desc, where, prefix + "description"));
      }
      param.values.push_back(std::move(value));
    }
    std::sort(param.values.begin(), param.values.end(),
              [](const ParamValue& a, const ParamValue& b) { return a.from < b.from; });
    TF_RETURN_IF_ERROR(CheckNoOverlap(param.values, where, key));
    scheme.parameters[param.name] = std::move(param);
  }
  return Status::Ok();
}

StatusOr<CriterionKind> KindFromName(std::string_view name) {
  static const CriterionKind kKinds[] = {
      CriterionKind::kCompare,    CriterionKind::kInList,      CriterionKind::kDegree,
      CriterionKind::kExperience, CriterionKind::kAll,         CriterionKind::kAny,
      CriterionKind::kAtLeast,    CriterionKind::kNot,         CriterionKind::kPoints,
      CriterionKind::kSum,        CriterionKind::kUndetermined};
  for (CriterionKind kind : kKinds) {
    if (CriterionKindName(kind) == name) return kind;
  }
  return DataError("");
}

// Keys each kind accepts besides kind, description, reference.
std::vector<std::string_view> KindKeys(CriterionKind kind) {
  switch (kind) {
    case CriterionKind::kCompare:
      return {"field", "op", "value"};
    case CriterionKind::kInList:
      return {"field", "list"};
    case CriterionKind::kDegree:
      return {"min_level",     "levels", "list",      "list_as_of", "within_years",
              "within_months", "stem",   "full_time", "countries",  "not_countries"};
    case CriterionKind::kExperience:
      return {"op",     "value",         "lookback_years", "after_graduation",
              "senior", "multinational", "international",  "sectors"};
    case CriterionKind::kAll:
    case CriterionKind::kAny:
    case CriterionKind::kNot:
      return {"of"};
    case CriterionKind::kAtLeast:
      return {"of", "n"};
    case CriterionKind::kPoints:
      return {"field", "table"};
    case CriterionKind::kSum:
      return {"of", "pass_mark", "cap"};
    case CriterionKind::kUndetermined:
      return {"reason"};
  }
  return {};
}

StatusOr<Criterion> ReadCriterion(std::string_view id, const toml::node& node, const Where& where) {
  std::string key = fmt::format("criteria.{}", id);
  if (!node.is_table()) return where.Error(node, key, "expected a table [criteria.NAME]");
  const toml::table& table = *node.as_table();
  std::string prefix = key + ".";
  TF_RETURN_IF_ERROR(Require(table, "kind", where, prefix));
  TF_ASSIGN_OR_RETURN(std::string kind_name, GetString(*table.get("kind"), where, prefix + "kind"));
  StatusOr<CriterionKind> kind = KindFromName(kind_name);
  if (!kind.ok()) {
    return where.Error(*table.get("kind"), prefix + "kind",
                       fmt::format("\"{}\": expected one of compare, in_list, degree, experience, "
                                   "all, any, at_least, not, points, sum, undetermined",
                                   kind_name));
  }
  Criterion crit;
  crit.id = std::string(id);
  crit.kind = *kind;
  crit.line = static_cast<int>(table.source().begin.line);
  std::vector<std::string_view> allowed = KindKeys(crit.kind);
  allowed.insert(allowed.begin(), {"kind", "description", "reference"});
  TF_RETURN_IF_ERROR(CheckKeys(table, allowed, where, prefix));
  TF_RETURN_IF_ERROR(Require(table, "description", where, prefix));
  for (auto&& [name_key, item] : table) {
    std::string_view name = name_key.str();
    std::string path = prefix + std::string(name);
    if (name == "kind") continue;
    if (name == "description") {
      TF_ASSIGN_OR_RETURN(crit.description, GetString(item, where, path));
    } else if (name == "reference") {
      TF_ASSIGN_OR_RETURN(crit.reference, GetString(item, where, path));
    } else if (name == "field") {
      TF_ASSIGN_OR_RETURN(crit.field, GetString(item, where, path));
    } else if (name == "op") {
      TF_ASSIGN_OR_RETURN(crit.op, GetString(item, where, path));
      static const std::set<std::string> kOps = {">=", ">", "<=", "<", "==", "!="};
      if (!kOps.count(crit.op)) {
        return where.Error(item, path,
                           fmt::format("\"{}\": expected one of >=, >, <=, <, ==, !=", crit.op));
      }
    } else if (name == "value") {
      TF_ASSIGN_OR_RETURN(crit.value, GetOperand(item, where, path));
    } else if (name == "list") {
      TF_ASSIGN_OR_RETURN(crit.list, GetString(item, where, path));
    } else if (name == "of") {
      TF_ASSIGN_OR_RETURN(crit.of, GetStrings(item, where, path));
      if (crit.of.empty()) return where.Error(item, path, "must name at least one criterion");
    } else if (name == "n") {
      TF_ASSIGN_OR_RETURN(crit.n, GetOperand(item, where, path));
    } else if (name == "table") {
      TF_ASSIGN_OR_RETURN(crit.table, GetString(item, where, path));
    } else if (name == "pass_mark") {
      TF_ASSIGN_OR_RETURN(crit.pass_mark, GetOperand(item, where, path));
    } else if (name == "cap") {
      TF_ASSIGN_OR_RETURN(crit.cap, GetOperand(item, where, path));
    } else if (name == "min_level") {
      TF_ASSIGN_OR_RETURN(crit.min_level, GetString(item, where, path));
      if (DegreeRank(crit.min_level) < 0) {
        return where.Error(item, path, "expected sub_degree, bachelor, master, mba or doctorate");
      }
    } else if (name == "levels") {
      TF_ASSIGN_OR_RETURN(crit.levels, GetStrings(item, where, path));
      for (const std::string& level : crit.levels) {
        if (DegreeRank(level) < 0) {
          return where.Error(item, path,
                             fmt::format("\"{}\": expected sub_degree, bachelor, master, mba or "
                                         "doctorate",
                                         level));
        }
      }
    } else if (name == "list_as_of") {
      TF_ASSIGN_OR_RETURN(crit.list_as_of, GetString(item, where, path));
      if (crit.list_as_of != "evaluation_date" && crit.list_as_of != "graduation_date") {
        return where.Error(item, path, "expected \"evaluation_date\" or \"graduation_date\"");
      }
    } else if (name == "within_years") {
      TF_ASSIGN_OR_RETURN(crit.within_years, GetOperand(item, where, path));
    } else if (name == "within_months") {
      TF_ASSIGN_OR_RETURN(crit.within_months, GetOperand(item, where, path));
    } else if (name == "stem") {
      TF_ASSIGN_OR_RETURN(bool v, GetBool(item, where, path));
      crit.stem = v;
    } else if (name == "full_time") {
      TF_ASSIGN_OR_RETURN(bool v, GetBool(item, where, path));
      crit.full_time = v;
    } else if (name == "countries") {
      TF_ASSIGN_OR_RETURN(crit.countries, GetStrings(item, where, path));
    } else if (name == "not_countries") {
      TF_ASSIGN_OR_RETURN(crit.not_countries, GetStrings(item, where, path));
    } else if (name == "lookback_years") {
      TF_ASSIGN_OR_RETURN(crit.lookback_years, GetOperand(item, where, path));
    } else if (name == "after_graduation") {
      TF_ASSIGN_OR_RETURN(crit.after_graduation, GetBool(item, where, path));
    } else if (name == "senior") {
      TF_ASSIGN_OR_RETURN(bool v, GetBool(item, where, path));
      crit.senior = v;
    } else if (name == "multinational") {
      TF_ASSIGN_OR_RETURN(bool v, GetBool(item, where, path));
      crit.multinational = v;
    } else if (name == "international") {
      TF_ASSIGN_OR_RETURN(bool v, GetBool(item, where, path));
      crit.international = v;
    } else if (name == "sectors") {
      TF_ASSIGN_OR_RETURN(crit.sectors, GetStrings(item, where, path));
    } else if (name == "reason") {
      TF_ASSIGN_OR_RETURN(crit.reason, GetString(item, where, path));
    }
  }
  // Keys each kind needs.
  auto need = [&](bool ok, std::string_view what) -> Status {
    if (ok) return Status::Ok();
    return where.Error(crit.line, key,
                       fmt::format("a {} criterion needs {}", CriterionKindName(crit.kind), what));
  };
  switch (crit.kind) {
    case CriterionKind::kCompare:
      TF_RETURN_IF_ERROR(need(!crit.field.empty() && !crit.op.empty() && crit.value.present(),
                              "field, op and value"));
      break;
    case CriterionKind::kInList:
      TF_RETURN_IF_ERROR(need(!crit.field.empty() && !crit.list.empty(), "field and list"));
      break;
    case CriterionKind::kExperience:
      TF_RETURN_IF_ERROR(need(!crit.op.empty() && crit.value.present(), "op and value (years)"));
      break;
    case CriterionKind::kNot:
      TF_RETURN_IF_ERROR(need(crit.of.size() == 1, "of = [exactly one criterion]"));
      break;
    case CriterionKind::kAll:
    case CriterionKind::kAny:
    case CriterionKind::kSum:
      TF_RETURN_IF_ERROR(need(!crit.of.empty(), "of = [criteria]"));
      break;
    case CriterionKind::kAtLeast:
      TF_RETURN_IF_ERROR(need(!crit.of.empty() && crit.n.present(), "of and n"));
      break;
    case CriterionKind::kPoints:
      TF_RETURN_IF_ERROR(need(!crit.table.empty(), "table (a points-table parameter)"));
      break;
    case CriterionKind::kUndetermined:
      TF_RETURN_IF_ERROR(need(!crit.reason.empty(), "reason"));
      break;
    case CriterionKind::kDegree:
      break;
  }
  return crit;
}

// Checks that an operand names an existing scalar parameter, or is a
// literal of the expected type.
Status CheckOperand(const Operand& operand, const Scheme& scheme, const Where& where, int line,
                    const std::string& key, bool want_number) {
  if (!operand.present()) return Status::Ok();
  if (!operand.param.empty()) {
    auto it = scheme.parameters.find(operand.param);
    if (it == scheme.parameters.end()) {
      std::vector<std::string_view> names;
      for (const auto& [name, unused] : scheme.parameters) names.push_back(name);
      return where.Error(line, key,
                         fmt::format("parameter \"{}\" is not defined; defined: {}", operand.param,
                                     JoinNames(names)));
    }
    if (it->second.is_table) {
      return where.Error(
          line, key,
          fmt::format("parameter \"{}\" is a points table, expected a scalar", operand.param));
    }
    if (want_number) {
      for (const ParamValue& value : it->second.values) {
        if (!std::holds_alternative<double>(*value.scalar)) {
          return where.Error(value.line, fmt::format("parameters.{}", operand.param),
                             "expected a number (used as a threshold)");
        }
      }
    }
  } else if (want_number && !std::holds_alternative<double>(*operand.literal)) {
    return where.Error(line, key, "expected a number");
  }
  return Status::Ok();
}

Status CheckReferences(const Scheme& scheme, const std::map<std::string, DatedList>& lists,
                       const Where& where) {
  auto criterion_names = [&]() {
    std::vector<std::string_view> names;
    for (const auto& [name, unused] : scheme.criteria) names.push_back(name);
    return JoinNames(names);
  };
  auto check_child = [&](const std::string& child, int line, const std::string& key, bool need_bool,
                         bool need_score) -> Status {
    auto it = scheme.criteria.find(child);
    if (it == scheme.criteria.end()) {
      return where.Error(
          line, key,
          fmt::format("criterion \"{}\" is not defined; defined: {}", child, criterion_names()));
    }
    if (need_bool && !it->second.IsBoolean()) {
      return where.Error(line, key,
                         fmt::format("criterion \"{}\" gives points, not yes/no (give a sum a "
                                     "pass_mark to make it yes/no)",
                                     child));
    }
    if (need_score && !it->second.IsScored()) {
      return where.Error(line, key, fmt::format("criterion \"{}\" gives no points", child));
    }
    return Status::Ok();
  };
  for (const auto& [id, crit] : scheme.criteria) {
    std::string key = fmt::format("criteria.{}", id);
    bool combinator = crit.kind == CriterionKind::kAll || crit.kind == CriterionKind::kAny ||
                      crit.kind == CriterionKind::kAtLeast || crit.kind == CriterionKind::kNot;
    for (const std::string& child : crit.of) {
      if (child == id)
        return where.Error(crit.line, key + ".of", "a criterion cannot contain itself");
      TF_RETURN_IF_ERROR(
          check_child(child, crit.line, key + ".of", combinator, crit.kind == CriterionKind::kSum));
    }
    if (!crit.field.empty()) {
      const FieldInfo* info = FindField(crit.field);
      if (info == nullptr) {
        return where.Error(
            crit.line, key + ".field",
            fmt::format("\"{}\" is not a person field (see docs/schemes.md)", crit.field));
      }
      if (crit.kind == CriterionKind::kInList && info->type != FieldType::kString) {
        return where.Error(crit.line, key + ".field", "in_list needs a string field");
      }
      if (crit.kind == CriterionKind::kCompare) {
        bool number = info->type == FieldType::kNumber;
        if (info->type == FieldType::kStringList) {
          return where.Error(crit.line, key + ".field", "cannot compare an array field");
        }
        if (!number && crit.op != "==" && crit.op != "!=") {
          return where.Error(crit.line, key + ".op",
                             fmt::format("{} field \"{}\" allows only == and !=",
                                         FieldTypeName(info->type), crit.field));
        }
        if (crit.value.literal) {
          bool ok = (number && std::holds_alternative<double>(*crit.value.literal)) ||
                    (info->type == FieldType::kBool &&
                     std::holds_alternative<bool>(*crit.value.literal)) ||
                    (info->type == FieldType::kString &&
                     std::holds_alternative<std::string>(*crit.value.literal));
          if (!ok) {
            return where.Error(crit.line, key + ".value",
                               fmt::format("expected a {} to match field \"{}\"",
                                           FieldTypeName(info->type), crit.field));
          }
        }
        TF_RETURN_IF_ERROR(
            CheckOperand(crit.value, scheme, where, crit.line, key + ".value", number));
      }
    }
    if (!crit.list.empty() && !lists.count(crit.list)) {
      std::vector<std::string_view> names;
      for (const auto& [name, unused] : lists) names.push_back(name);
      return where.Error(
          crit.line, key + ".list",
          fmt::format("list \"{}\" is not defined; lists: {}", crit.list, JoinNames(names)));
    }
    TF_RETURN_IF_ERROR(CheckOperand(crit.n, scheme, where, crit.line, key + ".n", true));
    TF_RETURN_IF_ERROR(
        CheckOperand(crit.pass_mark, scheme, where, crit.line, key + ".pass_mark", true));
    TF_RETURN_IF_ERROR(CheckOperand(crit.cap, scheme, where, crit.line, key + ".cap", true));
    TF_RETURN_IF_ERROR(
        CheckOperand(crit.within_years, scheme, where, crit.line, key + ".within_years", true));
    TF_RETURN_IF_ERROR(
        CheckOperand(crit.within_months, scheme, where, crit.line, key + ".within_months", true));
    TF_RETURN_IF_ERROR(
        CheckOperand(crit.lookback_years, scheme, where, crit.line, key + ".lookback_years", true));
    if (crit.kind == CriterionKind::kExperience) {
      TF_RETURN_IF_ERROR(CheckOperand(crit.value, scheme, where, crit.line, key + ".value", true));
    }
    if (crit.kind == CriterionKind::kPoints) {
      auto it = scheme.parameters.find(crit.table);
      if (it == scheme.parameters.end() || !it->second.is_table) {
        return where.Error(crit.line, key + ".table",
                           fmt::format("\"{}\" is not a points-table parameter", crit.table));
      }
      const FieldInfo* info = crit.field.empty() ? nullptr : FindField(crit.field);
      for (const ParamValue& value : it->second.values) {
        for (const PointsRow& row : value.rows) {
          std::string row_key = fmt::format("parameters.{}.rows", crit.table);
          if (!row.if_criterion.empty()) {
            TF_RETURN_IF_ERROR(
                check_child(row.if_criterion, value.line, row_key + ".if", true, false));
          }
          bool has_range = row.at_least || row.below || row.at_most;
          if ((has_range || row.equals) && info == nullptr) {
            return where.Error(
                value.line, row_key,
                fmt::format("rows test a value but criterion \"{}\" names no field", id));
          }
          if (has_range && info->type != FieldType::kNumber) {
            return where.Error(value.line, row_key, "at_least/below/at_most need a number field");
          }
        }
      }
    }
  }
  // Cycles: depth-first search over children and row conditions.
  std::map<std::string, int> state;  // 1 visiting, 2 done
  std::function<Status(const std::string&)> visit = [&](const std::string& id) -> Status {
    if (state[id] == 2) return Status::Ok();
    if (state[id] == 1) {
      return where.Error(scheme.criteria.at(id).line, "criteria." + id,
                         "criteria refer to each other in a cycle");
    }
    state[id] = 1;
    const Criterion& crit = scheme.criteria.at(id);
    std::vector<std::string> children = crit.of;
    if (crit.kind == CriterionKind::kPoints) {
      for (const ParamValue& value : scheme.parameters.at(crit.table).values) {
        for (const PointsRow& row : value.rows) {
          if (!row.if_criterion.empty()) children.push_back(row.if_criterion);
        }
      }
    }
    for (const std::string& child : children) TF_RETURN_IF_ERROR(visit(child));
    state[id] = 2;
    return Status::Ok();
  };
  for (const auto& [id, unused] : scheme.criteria) TF_RETURN_IF_ERROR(visit(id));
  for (const Rule& rule : scheme.rules) {
    if (rule.eligible.empty()) {
      if (!rule.score.empty()) {
        return where.Error(rule.line, "rules.score", "a rule without eligible cannot score");
      }
      continue;
    }
    TF_RETURN_IF_ERROR(check_child(rule.eligible, rule.line, "rules.eligible", true, false));
    if (!rule.score.empty()) {
      TF_RETURN_IF_ERROR(check_child(rule.score, rule.line, "rules.score", false, true));
    }
  }
  return Status::Ok();
}

StatusOr<toml::table> ParseToml(std::string_view text, const std::string& file) {
  try {
    return toml::parse(text, std::string_view(file));
  } catch (const toml::parse_error& error) {
    return DataError(fmt::format("{} line {} column {}: {}", file, error.source().begin.line,
                                 error.source().begin.column, error.description()));
  }
}

}  // namespace

StatusOr<Scheme> LoadSchemeText(std::string_view text, const std::string& file,
                                const std::string& id,
                                const std::map<std::string, DatedList>& lists) {
  TF_ASSIGN_OR_RETURN(toml::table root, ParseToml(text, file));
  Where where{file};
  TF_RETURN_IF_ERROR(
      CheckKeys(root, {"scheme", "comparison", "parameters", "criteria", "rules"}, where, ""));
  TF_RETURN_IF_ERROR(Require(root, "scheme", where, ""));
  TF_RETURN_IF_ERROR(Require(root, "rules", where, ""));
  Scheme scheme;
  scheme.id = id;
  scheme.file = file;
  scheme.jurisdiction = id.substr(0, id.find('/'));
  const toml::node& meta_node = *root.get("scheme");
  if (!meta_node.is_table()) return where.Error(meta_node, "scheme", "expected a table [scheme]");
  const toml::table& meta = *meta_node.as_table();
  TF_RETURN_IF_ERROR(CheckKeys(meta,
                               {"name_en", "name_zh", "jurisdiction_name", "launched", "closed",
                                "references", "source_note", "launched_text"},
                               where, "scheme."));
  for (std::string_view key :
       {"name_en", "name_zh", "jurisdiction_name", "launched", "references", "source_note"}) {
    TF_RETURN_IF_ERROR(Require(meta, key, where, "scheme."));
  }
  TF_ASSIGN_OR_RETURN(scheme.name_en, GetString(*meta.get("name_en"), where, "scheme.name_en"));
  TF_ASSIGN_OR_RETURN(scheme.name_zh, GetString(*meta.get("name_zh"), where, "scheme.name_zh"));
  TF_ASSIGN_OR_RETURN(scheme.jurisdiction_name,
                      GetString(*meta.get("jurisdiction_name"), where, "scheme.jurisdiction_name"));
  TF_ASSIGN_OR_RETURN(scheme.launched, GetDate(*meta.get("launched"), where, "scheme.launched"));
  if (const toml::node* closed = meta.get("closed")) {
    TF_ASSIGN_OR_RETURN(Date date, GetDate(*closed, where, "scheme.closed"));
    scheme.closed = date;
  }
  TF_ASSIGN_OR_RETURN(scheme.references,
                      GetStrings(*meta.get("references"), where, "scheme.references"));
  TF_ASSIGN_OR_RETURN(scheme.source_note,
                      GetString(*meta.get("source_note"), where, "scheme.source_note"));
  if (const toml::node* launched_text = meta.get("launched_text")) {
    TF_ASSIGN_OR_RETURN(scheme.launched_text,
                        GetString(*launched_text, where, "scheme.launched_text"));
  }

  if (const toml::node* comparison = root.get("comparison")) {
    if (!comparison->is_table()) {
      return where.Error(*comparison, "comparison", "expected a table [comparison]");
    }
    std::vector<std::string_view> items;
    for (const std::string& item : ComparisonItems()) {
      if (item != "visa" && item != "launched") items.push_back(item);
    }
    TF_RETURN_IF_ERROR(CheckKeys(*comparison->as_table(), items, where, "comparison."));
    for (auto&& [item, node] : *comparison->as_table()) {
      std::string key = fmt::format("comparison.{}", item.str());
      if (!node.is_array_of_tables()) {
        return where.Error(node, key,
                           "expected dated texts [{ from = ..., text = ..., reference = ... }]");
      }
      std::vector<DatedText> texts;
      size_t idx = 0;
      for (const toml::node& entry : *node.as_array()) {
        std::string prefix = fmt::format("{}[{}].", key, idx++);
        const toml::table& table = *entry.as_table();
        TF_RETURN_IF_ERROR(CheckKeys(table, {"from", "until", "reference", "text"}, where, prefix));
        DatedText text;
        TF_RETURN_IF_ERROR(ReadDated(table, text, where, prefix));
        TF_RETURN_IF_ERROR(Require(table, "text", where, prefix));
        TF_ASSIGN_OR_RETURN(text.text, GetString(*table.get("text"), where, prefix + "text"));
        texts.push_back(std::move(text));
      }
      std::sort(texts.begin(), texts.end(),
                [](const DatedText& a, const DatedText& b) { return a.from < b.from; });
      TF_RETURN_IF_ERROR(CheckNoOverlap(texts, where, key));
      scheme.comparison[std::string(item.str())] = std::move(texts);
    }
  }

  if (const toml::node* params = root.get("parameters")) {
    if (!params->is_table()) return where.Error(*params, "parameters", "expected a table");
    TF_RETURN_IF_ERROR(ReadParameters(*params->as_table(), scheme, where));
  }
  if (const toml::node* criteria = root.get("criteria")) {
    if (!criteria->is_table()) return where.Error(*criteria, "criteria", "expected a table");
    for (auto&& [name, node] : *criteria->as_table()) {
      TF_ASSIGN_OR_RETURN(Criterion crit, ReadCriterion(name.str(), node, where));
      scheme.criteria[crit.id] = std::move(crit);
    }
  }
  const toml::node& rules = *root.get("rules");
  if (!rules.is_array_of_tables()) {
    return where.Error(rules, "rules", "expected an array of tables [[rules]]");
  }
  size_t idx = 0;
  for (const toml::node& node : *rules.as_array()) {
    std::string prefix = fmt::format("rules[{}].", idx++);
    const toml::table& table = *node.as_table();
    TF_RETURN_IF_ERROR(
        CheckKeys(table, {"category", "from", "until", "reference", "eligible", "score", "note"},
                  where, prefix));
    Rule rule;
    TF_RETURN_IF_ERROR(ReadDated(table, rule, where, prefix));
    if (const toml::node* v = table.get("eligible")) {
      TF_ASSIGN_OR_RETURN(rule.eligible, GetString(*v, where, prefix + "eligible"));
    } else if (!table.contains("note")) {
      return where.Error(rule.line, prefix + "eligible",
                         "required (or omit it and give a note saying the rules in force then "
                         "are not encoded)");
    }
    if (const toml::node* v = table.get("category")) {
      TF_ASSIGN_OR_RETURN(rule.category, GetString(*v, where, prefix + "category"));
    }
    if (const toml::node* v = table.get("score")) {
      TF_ASSIGN_OR_RETURN(rule.score, GetString(*v, where, prefix + "score"));
    }
    if (const toml::node* v = table.get("note")) {
      TF_ASSIGN_OR_RETURN(rule.note, GetString(*v, where, prefix + "note"));
    }
    if (rule.from < scheme.launched) {
      return where.Error(rule.line, prefix + "from",
                         fmt::format("{} is before the scheme's launch {}", FormatDate(rule.from),
                                     FormatDate(scheme.launched)));
    }
    scheme.rules.push_back(std::move(rule));
  }
  std::stable_sort(scheme.rules.begin(), scheme.rules.end(), [](const Rule& a, const Rule& b) {
    return a.category != b.category ? a.category < b.category : a.from < b.from;
  });
  for (const std::string& category : scheme.Categories()) {
    std::vector<Rule> same;
    for (const Rule& rule : scheme.rules) {
      if (rule.category == category) same.push_back(rule);
    }
    TF_RETURN_IF_ERROR(
        CheckNoOverlap(same, where, fmt::format("rules (category \"{}\")", category)));
  }
  TF_RETURN_IF_ERROR(CheckReferences(scheme, lists, where));
  return scheme;
}

StatusOr<DatedList> LoadListText(std::string_view text, const std::string& file,
                                 const std::string& id) {
  TF_ASSIGN_OR_RETURN(toml::table root, ParseToml(text, file));
  Where where{file};
  TF_RETURN_IF_ERROR(
      CheckKeys(root, {"title", "rule", "source", "as_of", "complete", "entries"}, where, ""));
  for (std::string_view key : {"title", "source", "as_of", "complete", "entries"}) {
    TF_RETURN_IF_ERROR(Require(root, key, where, ""));
  }
  DatedList list;
  list.id = id;
  list.file = file;
  TF_ASSIGN_OR_RETURN(list.title, GetString(*root.get("title"), where, "title"));
  TF_ASSIGN_OR_RETURN(list.source, GetString(*root.get("source"), where, "source"));
  TF_ASSIGN_OR_RETURN(list.as_of, GetString(*root.get("as_of"), where, "as_of"));
  TF_ASSIGN_OR_RETURN(list.complete, GetBool(*root.get("complete"), where, "complete"));
  if (const toml::node* rule = root.get("rule")) {
    TF_ASSIGN_OR_RETURN(list.rule, GetString(*rule, where, "rule"));
  }
  const toml::node& entries = *root.get("entries");
  if (!entries.is_array_of_tables()) {
    return where.Error(entries, "entries", "expected an array of tables [[entries]]");
  }
  size_t idx = 0;
  for (const toml::node& node : *entries.as_array()) {
    std::string prefix = fmt::format("entries[{}].", idx++);
    const toml::table& table = *node.as_table();
    TF_RETURN_IF_ERROR(
        CheckKeys(table, {"name", "aliases", "from", "until", "reference"}, where, prefix));
    ListEntry entry;
    TF_RETURN_IF_ERROR(ReadDated(table, entry, where, prefix));
    TF_RETURN_IF_ERROR(Require(table, "name", where, prefix));
    TF_ASSIGN_OR_RETURN(entry.name, GetString(*table.get("name"), where, prefix + "name"));
    if (const toml::node* aliases = table.get("aliases")) {
      TF_ASSIGN_OR_RETURN(entry.aliases, GetStrings(*aliases, where, prefix + "aliases"));
    }
    list.entries.push_back(std::move(entry));
  }
  for (size_t entry_idx = 0; entry_idx < list.entries.size(); ++entry_idx) {
    const ListEntry& entry = list.entries[entry_idx];
    std::set<std::string> keys = {NormalizeName(entry.name)};
    for (const std::string& alias : entry.aliases) keys.insert(NormalizeName(alias));
    for (const std::string& key : keys) list.index[key].push_back(entry_idx);
  }
  // One name must not be listed twice for the same day.
  for (const auto& [key, positions] : list.index) {
    std::vector<ListEntry> spans;
    for (size_t pos : positions) spans.push_back(list.entries[pos]);
    std::sort(spans.begin(), spans.end(),
              [](const ListEntry& a, const ListEntry& b) { return a.from < b.from; });
    TF_RETURN_IF_ERROR(CheckNoOverlap(spans, where, fmt::format("entries \"{}\"", spans[0].name)));
  }
  return list;
}

StatusOr<Registry> LoadRegistry(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return NotFound(fmt::format("{}: scheme directory not found", dir.string()));
  }
  Registry registry;
  registry.dir = dir.string();
  auto sorted_files = [](const fs::path& folder) {
    std::vector<fs::path> files;
    std::error_code err;
    for (const auto& entry : fs::directory_iterator(folder, err)) {
      if (entry.is_regular_file() && entry.path().extension() == ".toml") {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    return files;
  };
  fs::path lists_dir = dir / "lists";
  if (fs::is_directory(lists_dir, ec)) {
    for (const fs::path& path : sorted_files(lists_dir)) {
      TF_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
      std::string id = path.stem().string();
      TF_ASSIGN_OR_RETURN(DatedList list, LoadListText(text, path.string(), id));
      registry.lists[id] = std::move(list);
    }
  }
  std::vector<fs::path> folders;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_directory() && entry.path().filename() != "lists") folders.push_back(entry.path());
  }
  std::sort(folders.begin(), folders.end());
  for (const fs::path& folder : folders) {
    for (const fs::path& path : sorted_files(folder)) {
      std::string name = path.filename().string();
      if (name.size() > 11 && name.substr(name.size() - 11) == ".tests.toml") continue;
      TF_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
      std::string id = folder.filename().string() + "/" + path.stem().string();
      TF_ASSIGN_OR_RETURN(Scheme scheme, LoadSchemeText(text, path.string(), id, registry.lists));
      registry.schemes[id] = std::move(scheme);
    }
  }
  if (registry.schemes.empty()) {
    return NotFound(
        fmt::format("{}: no scheme files (<jurisdiction>/<scheme>.toml)", dir.string()));
  }
  return registry;
}

}  // namespace talentflow::rules
