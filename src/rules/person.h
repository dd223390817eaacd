// Person: what the scheme engine knows about one applicant, and the field
// catalog that rules may read.
//
// A Person is filled either from a person JSON file (ParsePersonJson; schema
// in docs/schemes.md) or, in population mode, from a profile by the flow
// engine's person attributes. Everything is optional: a rule that needs a
// missing value answers "cannot tell" and names the field, never guesses.
// Numbers are ranges [lo, hi] so that estimates (an age known only from the
// year of birth) stay honest: a comparison is decided only when the whole
// range agrees. Plain values; thread-compatible.
//
// Example:
//   TF_ASSIGN_OR_RETURN(Person p, ParsePersonJson(json, "alice.json"));
//   FieldSet fields = ResolveFields(p, date);  // age etc. on that date
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/month.h"
#include "common/status.h"
#include "rules/date.h"

namespace talentflow::rules {

// A closed range of possible values; lo == hi when the value is exact.
struct NumRange {
  double lo = 0;
  double hi = 0;
  bool operator==(const NumRange&) const = default;
};

enum class FieldType { kNumber, kBool, kString, kStringList };
using FieldValue = std::variant<NumRange, bool, std::string, std::vector<std::string>>;

std::string_view FieldTypeName(FieldType type);
std::string FormatFieldValue(const FieldValue& value);
// A number as traces print it: whole numbers without decimals, others with
// two ("12", "-3", "2.50").
std::string FormatNumber(double value);

struct FieldInfo {
  std::string name;
  FieldType type;
  bool derived;  // computed from other inputs; may not be given in the JSON
  std::string description;
};

// Every scalar field a rule may read, in name order (the JSON keys `id`,
// `birth_date`, `birth_year`, `degrees` and `jobs` are structured inputs
// described in docs/schemes.md and read by dedicated criteria).
const std::vector<FieldInfo>& FieldCatalog();
const FieldInfo* FindField(std::string_view name);

// Degree levels in increasing order; "mba" ranks with "master".
// sub_degree < bachelor < master (= mba) < doctorate.
int DegreeRank(std::string_view level);  // -1 if unknown level

struct Degree {
  std::string level;        // one of sub_degree, bachelor, master, mba, doctorate
  std::string institution;  // as written; matched against lists after normalisation
  std::string country;      // ISO 3166-1 alpha-2 of where it was studied ("" unknown)
  std::optional<Date> graduation_date;
  std::optional<int> graduation_year;  // set from graduation_date when that is given
  std::optional<bool> stem;
  std::optional<bool> full_time;
  bool honorary = false;
};

struct Job {
  Month start = kNoMonth;
  std::optional<Month> end;  // nullopt: ongoing
  std::string employer;
  std::string country;            // ISO alpha-2, "" unknown
  std::string sector;             // free label matched against rule lists, "" unknown
  std::optional<bool> full_time;  // missing means full-time unless said otherwise
  std::optional<bool> senior;
  std::optional<bool> multinational;
  std::optional<bool> international;  // explicit; otherwise country != nationality
};

struct Person {
  std::string id;
  std::optional<Date> birth_date;
  std::optional<int> birth_year;
  std::optional<std::vector<Degree>> degrees;  // nullopt: unknown; empty: none
  std::optional<std::vector<Job>> jobs;        // nullopt: unknown; empty: never worked
  std::map<std::string, FieldValue> facts;     // catalog fields given directly
};

// Strictly parses one person. `source` names the file in messages, e.g.
// `people/ann.json: field "degrees[0].graduation_date": "2019-02-30": day 30
// does not exist in 2019-02`. Unknown keys, wrong types and impossible dates
// are errors.
StatusOr<Person> ParsePersonJson(const nlohmann::json& json, std::string_view source);

// The value of a field on a date and how it was obtained (shown in traces).
struct ResolvedField {
  std::optional<FieldValue> value;  // nullopt: missing
  std::string derivation;
};
using FieldSet = std::map<std::string, ResolvedField, std::less<>>;

// Resolves every catalog field of `person` on `date`: given facts, plus the
// derived fields (age, highest_degree, degree counts, language flags).
FieldSet ResolveFields(const Person& person, Date date);

// Canonical form used to match institution and list names: lower case,
// letters and digits only, "&" read as "and", a leading "the" dropped.
std::string NormalizeName(std::string_view name);

}  // namespace talentflow::rules
