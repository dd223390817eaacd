// The scheme model: schemes, their dated parameters, criteria and rules, and
// the dated lists they look names up in, as loaded from data/schemes/.
//
// A Registry owns everything it loaded; criteria refer to each other and to
// parameters and lists by name, and the loader has checked that every name
// exists, so evaluation never meets a dangling reference. A loaded Registry
// is immutable and may be shared between threads. The file format is
// documented in docs/schemes.md.
//
// Example:
//   TF_ASSIGN_OR_RETURN(Registry registry, LoadRegistry("data/schemes"));
//   const Scheme& ttps = registry.schemes.at("hk/ttps");
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/status.h"
#include "rules/date.h"

namespace talentflow::rules {

using Scalar = std::variant<double, bool, std::string>;
std::string FormatScalar(const Scalar& value);

// A span of validity, both ends inclusive; until == nullopt means "still in
// force". Every dated value names where it comes from.
struct Dated {
  Date from;
  std::optional<Date> until;
  std::string reference;
  int line = 0;  // line in the file, for messages
  bool Covers(Date date) const { return from <= date && (!until || date <= *until); }
};
std::string FormatSpan(const Dated& dated);  // "2022-12-28 .. 2024-10-31" or "2022-12-28 .."

struct PointsRow {
  std::optional<double> at_least, below, at_most;
  std::optional<Scalar> equals;
  std::string if_criterion;  // "" when the row has no criterion condition
  double points = 0;
};

struct ParamValue : Dated {
  std::optional<Scalar> scalar;  // set for scalar parameters
  std::vector<PointsRow> rows;   // set for points tables
  std::string unit;
  std::string note;
};

struct Parameter {
  std::string name;
  std::string description;
  bool is_table = false;
  std::vector<ParamValue> values;  // sorted by from, non-overlapping
  const ParamValue* InForce(Date date) const;
};

// A literal or a reference to a parameter ("$name" in the file).
struct Operand {
  std::optional<Scalar> literal;
  std::string param;
  bool present() const { return literal.has_value() || !param.empty(); }
};

enum class CriterionKind {
  kCompare,      // field op value
  kInList,       // field's value is on a dated list
  kDegree,       // some degree satisfies all conditions
  kExperience,   // months of matching work, compared with a threshold in years
  kAll,          // every child yes
  kAny,          // some child yes
  kAtLeast,      // at least n children yes (also scores the count)
  kNot,          // negation of one child
  kPoints,       // points from a dated table
  kSum,          // sum of scored children, optional cap and pass mark
  kUndetermined  // the rule cannot be decided from data (reason given)
};
std::string_view CriterionKindName(CriterionKind kind);

struct Criterion {
  std::string id;
  CriterionKind kind = CriterionKind::kCompare;
  std::string description;
  std::string reference;
  int line = 0;
  // compare / in_list / points
  std::string field;
  std::string op;
  Operand value;
  std::string list;
  // combinators
  std::vector<std::string> of;
  Operand n;
  // points / sum
  std::string table;
  Operand pass_mark;
  Operand cap;
  // degree
  std::string min_level;
  std::vector<std::string> levels;
  std::string list_as_of = "evaluation_date";  // or "graduation_date"
  Operand within_years;                        // counted by year of graduation
  Operand within_months;                       // counted from the graduation date
  std::optional<bool> stem, full_time;
  std::vector<std::string> countries, not_countries;
  // experience
  Operand lookback_years;
  bool after_graduation = true;
  std::optional<bool> senior, multinational, international;
  std::vector<std::string> sectors;
  // undetermined
  std::string reason;

  bool IsBoolean() const;  // has a yes/no/cannot-tell outcome
  bool IsScored() const;   // has points
};

struct Rule : Dated {
  std::string category;  // "" when the scheme has a single route
  std::string eligible;  // criterion id; "" = in force but not encoded (note says why)
  std::string score;     // criterion id, "" when not scored
  std::string note;
};

struct DatedText : Dated {
  std::string text;
};

// The comparison-table rows, in the bulletin's order.
const std::vector<std::string>& ComparisonItems();

struct Scheme {
  std::string id;    // "<jurisdiction>/<file stem>", e.g. "hk/ttps"
  std::string file;  // path as given to the loader
  std::string name_en, name_zh;
  std::string jurisdiction;       // folder name, e.g. "hk"
  std::string jurisdiction_name;  // "Hong Kong"
  Date launched;
  std::optional<Date> closed;
  std::vector<std::string> references;
  std::string source_note;    // where the encoded values were taken from
  std::string launched_text;  // comparison override of the launch year
  std::map<std::string, std::vector<DatedText>> comparison;  // item -> dated texts
  std::map<std::string, Parameter> parameters;
  std::map<std::string, Criterion> criteria;
  std::vector<Rule> rules;  // sorted by category then from
  std::vector<std::string> Categories() const;

  // One category's rules as seen on a date: the rule in force (nullptr when
  // none) and the span the category's rules cover, from the earliest `from`
  // to the latest `until` (open-ended when a rule has no `until`).
  struct CategoryOnDate {
    const Rule* in_force = nullptr;
    std::optional<Date> first;
    std::optional<Date> last;
    bool open_ended = false;
  };
  CategoryOnDate OnDate(const std::string& category, Date date) const;
};

struct ListEntry : Dated {
  std::string name;
  std::vector<std::string> aliases;
};

struct DatedList {
  std::string id;  // file stem
  std::string file;
  std::string title;
  std::string rule;
  std::string source;
  std::string as_of;
  bool complete = false;  // false: a name not found gives "cannot tell"
  std::vector<ListEntry> entries;
  std::map<std::string, std::vector<size_t>> index;  // normalised name -> entries
  // The entry naming `name` in force on `date`, or nullptr.
  const ListEntry* Find(std::string_view name, Date date) const;
};

struct Registry {
  std::string dir;
  std::map<std::string, Scheme> schemes;
  std::map<std::string, DatedList> lists;
};

// Loads <dir>/lists/*.toml and <dir>/<jurisdiction>/<scheme>.toml (files
// named *.tests.toml are test cases, read by RunSchemeTests). Errors name the
// file, line, key and what was allowed.
StatusOr<Registry> LoadRegistry(const std::filesystem::path& dir);

// Loads one scheme from text (tests and tools). `id` is e.g. "hk/ttps".
StatusOr<Scheme> LoadSchemeText(std::string_view text, const std::string& file,
                                const std::string& id,
                                const std::map<std::string, DatedList>& lists);
StatusOr<DatedList> LoadListText(std::string_view text, const std::string& file,
                                 const std::string& id);

// The default data directory: $TALENTFLOW_DATA_DIR/schemes.
std::filesystem::path DefaultSchemesDir();

}  // namespace talentflow::rules
