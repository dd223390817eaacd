#include "rules/person.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace talentflow::rules {
namespace {

using nlohmann::json;

std::vector<FieldInfo> BuildCatalog() {
  using T = FieldType;
  std::vector<FieldInfo> fields = {
      // Derived on the evaluation date.
      {"age", T::kNumber, true,
       "completed years on the date, from birth_date (exact) or birth_year (a two-year range)"},
      {"highest_degree", T::kString, true,
       "highest non-honorary level in degrees: sub_degree, bachelor, master, doctorate"},
      {"doctorate_count", T::kNumber, true, "non-honorary doctorates in degrees"},
      {"master_count", T::kNumber, true, "non-honorary master's degrees (incl. MBA) in degrees"},
      {"bachelor_count", T::kNumber, true, "non-honorary bachelor's degrees in degrees"},
      {"degree_count", T::kNumber, true,
       "non-honorary degrees at bachelor level or above in degrees"},
      {"english_good", T::kBool, true, "\"english\" is in languages_good"},
      {"chinese_good", T::kBool, true, "\"chinese\" is in languages_good"},
      {"languages_good_count", T::kNumber, true, "number of entries in languages_good"},
      {"japanese_university_graduate", T::kBool, true,
       "a non-honorary degree in degrees was studied in Japan (country JP)"},
      // Given.
      {"nationality", T::kString, false, "ISO 3166-1 alpha-2 code of the passport, e.g. \"GB\""},
      {"mainland_resident", T::kBool, false, "a resident of the Chinese Mainland (ASMTP vs GEP)"},
      {"foreign_permanent_residence", T::kBool, false,
       "holds permanent residence outside the person's country of nationality"},
      {"annual_income_hkd", T::kNumber, false,
       "taxable employment or business income in the year before the date, in HK$"},
      {"monthly_salary_sgd", T::kNumber, false, "fixed monthly salary, in S$"},
      {"annual_income_jpy", T::kNumber, false, "annual salary offered in Japan, in yen"},
      {"business_profit_hkd", T::kNumber, false,
       "profit of a business owned by the person in the year before the date, in HK$"},
      {"owns_listed_company", T::kBool, false, "owns a company listed on a stock exchange"},
      {"net_assets_hkd", T::kNumber, false,
       "net assets held throughout the period the scheme requires, in HK$"},
      {"languages_good", T::kStringList, false,
       "languages spoken and written well, lower case: \"english\", \"chinese\", \"japanese\", "
       "..."},
      {"english_cefr_b2", T::kBool, false,
       "has English at CEFR level B2 or above (approved test or exemption)"},
      {"jlpt_level", T::kString, false, "Japanese-Language Proficiency Test level N1-N5"},
      {"talent_list_profession", T::kString, false,
       "profession on the Hong Kong Talent List the person practises (as named in the list)"},
      {"spouse_degree", T::kBool, false, "accompanying spouse holds a degree"},
      {"children_under_18", T::kNumber, false, "unmarried dependent children under 18"},
      {"hk_family_member", T::kBool, false,
       "a parent, sibling, spouse or child is a Hong Kong permanent resident living in Hong Kong"},
      {"born_overseas", T::kBool, false, "born outside China (Mainland, HK, Macao, Taiwan)"},
      {"parent_hkpr_chinese_settled_overseas", T::kBool, false,
       "a parent holds a HK permanent identity card and was a Chinese national settled overseas "
       "at the person's birth"},
      {"non_local_student_hk", T::kBool, false,
       "entered Hong Kong to study on a student visa (a non-local student)"},
      {"major_award", T::kBool, false,
       "received an award of exceptional achievement (Olympic medal, Nobel Prize, national or "
       "international award)"},
      {"peer_recognised_achievement", T::kBool, false,
       "work recognised by peers or a significant contribution to the field"},
      {"exceptional_achievement", T::kBool, false,
       "internationally recognised record of exceptional and outstanding achievement"},
      {"australian_nominator", T::kBool, false,
       "nominated by an Australian citizen, permanent resident or organisation of national "
       "reputation"},
      {"outstanding_achievement", T::kBool, false,
       "outstanding achievements in arts and culture, sports, science, or academia"},
      {"established_company_experience", T::kBool, false,
       "worked at least a year at, or is joining, a company with market capitalisation >= "
       "US$500M or revenue >= US$200M"},
      {"job_offer_hk", T::kBool, false, "holds an offer of employment in Hong Kong"},
      {"job_offer_sg", T::kBool, false, "holds an offer of employment in Singapore"},
      {"job_offer_jp", T::kBool, false,
       "holds an offer of employment (or contract) with an organisation in Japan"},
      {"job_offer_market_pay", T::kBool, false, "the offered pay is at market level"},
      {"job_offer_degree_level", T::kBool, false, "the offered job is at degree level"},
      {"job_offer_not_filled_locally", T::kBool, false,
       "the vacancy cannot readily be filled locally (genuine vacancy)"},
      {"job_offer_rd", T::kBool, false, "the offered job is principally research and development"},
      {"job_offer_trade", T::kString, false,
       "trade of the offered job, as named in the Technical Professionals List"},
      {"job_offer_contract_months", T::kNumber, false, "length of the offered contract, months"},
      {"employer_techtas_quota", T::kBool, false, "the employer holds a TechTAS quota"},
      {"qmas_renowned_institution", T::kBool, false,
       "a degree is from an institution the QMAS General Points Test counted as renowned"},
      {"research_or_engineering_role", T::kBool, false,
       "the job in Japan is research or engineering (J-Skip researcher/engineer stream)"},
      {"management_years", T::kNumber, false, "years of business management experience"},
      {"research_achievements", T::kNumber, false,
       "research achievements counted by the HSP point sheet (patents, grants, papers)"},
      {"japanese_licences", T::kNumber, false, "Japanese national licences held"},
      {"hsp_employer_points", T::kNumber, false,
       "HSP bonus points of the employer (innovation support, SME, R&D share), 0-30"},
      {"hsp_university_bonus", T::kBool, false,
       "a degree qualifies for the HSP university bonus (ranked, Top Global University, ...)"},
      {"growth_field_project", T::kBool, false, "works on a project in a growth field (HSP)"},
      {"foreign_qualification", T::kBool, false,
       "holds a foreign qualification recognised by the HSP point sheet"},
      {"compass_salary_percentile", T::kNumber, false,
       "salary percentile among local PMETs of the same sector and age (COMPASS C1)"},
      {"compass_qualification", T::kString, false,
       "COMPASS C2: \"top_tier\", \"degree\" or \"none\""},
      {"compass_nationality_share_pct", T::kNumber, false,
       "share (%) of the candidate's nationality among the firm's PMETs (COMPASS C3)"},
      {"compass_local_pmet_percentile", T::kNumber, false,
       "firm's local PMET share percentile among sub-sector peers (COMPASS C4)"},
      {"firm_pmets", T::kNumber, false, "number of PMETs of the employer (COMPASS)"},
      {"compass_shortage_occupation", T::kBool, false, "job is on the Shortage Occupation List"},
      {"compass_strategic_priority", T::kBool, false,
       "firm is in the Strategic Economic Priorities programme"},
  };
  std::sort(fields.begin(), fields.end(),
            [](const FieldInfo& a, const FieldInfo& b) { return a.name < b.name; });
  return fields;
}

std::string TypeOfJson(const json& value) {
  if (value.is_null()) return "null";
  if (value.is_boolean()) return "boolean";
  if (value.is_number()) return "number";
  if (value.is_string()) return "string";
  if (value.is_array()) return "array";
  return "object";
}

Status FieldError(std::string_view source, std::string_view field, std::string_view what) {
  return DataError(fmt::format("{}: field \"{}\": {}", source, field, what));
}

StatusOr<Date> ReadDate(const json& value, std::string_view source, std::string_view field) {
  if (!value.is_string()) {
    return FieldError(source, field,
                      fmt::format("expected a date string YYYY-MM-DD, got {}", TypeOfJson(value)));
  }
  StatusOr<Date> date = ParseDate(value.get<std::string>());
  if (!date.ok()) return FieldError(source, field, date.status().message());
  return date;
}

StatusOr<Month> ReadMonth(const json& value, std::string_view source, std::string_view field) {
  if (!value.is_string()) {
    return FieldError(source, field,
                      fmt::format("expected YYYY-MM or YYYY-MM-DD, got {}", TypeOfJson(value)));
  }
  std::string text = value.get<std::string>();
  if (text.size() == 10) {
    StatusOr<Date> date = ParseDate(text);
    if (!date.ok()) return FieldError(source, field, date.status().message());
    return MonthContaining(*date);
  }
  StatusOr<Month> month = ParseMonth(text);
  if (!month.ok() || text.size() != 7) {
    return FieldError(source, field, fmt::format("\"{}\": expected YYYY-MM or YYYY-MM-DD", text));
  }
  return month;
}

StatusOr<std::optional<bool>> ReadBool(const json& value, std::string_view source,
                                       std::string_view field) {
  if (value.is_null()) return std::optional<bool>();
  if (!value.is_boolean()) {
    return FieldError(source, field,
                      fmt::format("expected true or false, got {}", TypeOfJson(value)));
  }
  return std::optional<bool>(value.get<bool>());
}

StatusOr<std::string> ReadString(const json& value, std::string_view source,
                                 std::string_view field) {
  if (!value.is_string()) {
    return FieldError(source, field, fmt::format("expected a string, got {}", TypeOfJson(value)));
  }
  return value.get<std::string>();
}

Status CheckKeys(const json& object, const std::vector<std::string_view>& allowed,
                 std::string_view source, std::string_view prefix) {
  for (const auto& [key, unused] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string list;
      for (std::string_view name : allowed) list += (list.empty() ? "" : ", ") + std::string(name);
      return FieldError(source, fmt::format("{}{}", prefix, key),
                        fmt::format("unknown field; allowed here: {}", list));
    }
  }
  return Status::Ok();
}

StatusOr<Degree> ReadDegree(const json& value, std::string_view source, std::string_view path) {
  if (!value.is_object()) {
    return FieldError(source, path, fmt::format("expected an object, got {}", TypeOfJson(value)));
  }
  TF_RETURN_IF_ERROR(CheckKeys(value,
                               {"level", "institution", "country", "graduation_date",
                                "graduation_year", "stem", "full_time", "honorary"},
                               source, fmt::format("{}.", path)));
  Degree degree;
  if (!value.contains("level"))
    return FieldError(source, fmt::format("{}.level", path), "required");
  TF_ASSIGN_OR_RETURN(degree.level,
                      ReadString(value["level"], source, fmt::format("{}.level", path)));
  if (DegreeRank(degree.level) < 0) {
    return FieldError(source, fmt::format("{}.level", path),
                      fmt::format("\"{}\": expected one of sub_degree, bachelor, master, mba, "
                                  "doctorate",
                                  degree.level));
  }
  for (const auto& [key, item] : value.items()) {
    std::string field = fmt::format("{}.{}", path, key);
    if (key == "institution") {
      TF_ASSIGN_OR_RETURN(degree.institution, ReadString(item, source, field));
    } else if (key == "country") {
      TF_ASSIGN_OR_RETURN(degree.country, ReadString(item, source, field));
    } else if (key == "graduation_date") {
      TF_ASSIGN_OR_RETURN(Date date, ReadDate(item, source, field));
      degree.graduation_date = date;
    } else if (key == "graduation_year") {
      if (!item.is_number_integer() || item.get<int64_t>() < 1900 || item.get<int64_t>() > 2100) {
        return FieldError(source, field, "expected an integer year 1900-2100");
      }
      degree.graduation_year = static_cast<int>(item.get<int64_t>());
    } else if (key == "stem") {
      TF_ASSIGN_OR_RETURN(degree.stem, ReadBool(item, source, field));
    } else if (key == "full_time") {
      TF_ASSIGN_OR_RETURN(degree.full_time, ReadBool(item, source, field));
    } else if (key == "honorary") {
      TF_ASSIGN_OR_RETURN(std::optional<bool> flag, ReadBool(item, source, field));
      degree.honorary = flag.value_or(false);
    }
  }
  if (degree.graduation_date) {
    int year = YearOf(*degree.graduation_date);
    if (degree.graduation_year && *degree.graduation_year != year) {
      return FieldError(source, fmt::format("{}.graduation_year", path),
                        fmt::format("{} disagrees with graduation_date {}", *degree.graduation_year,
                                    FormatDate(*degree.graduation_date)));
    }
    degree.graduation_year = year;
  }
  return degree;
}

StatusOr<Job> ReadJob(const json& value, std::string_view source, std::string_view path) {
  if (!value.is_object()) {
    return FieldError(source, path, fmt::format("expected an object, got {}", TypeOfJson(value)));
  }
  TF_RETURN_IF_ERROR(CheckKeys(value,
                               {"start", "end", "employer", "country", "sector", "full_time",
                                "senior", "multinational", "international"},
                               source, fmt::format("{}.", path)));
  Job job;
  if (!value.contains("start"))
    return FieldError(source, fmt::format("{}.start", path), "required");
  for (const auto& [key, item] : value.items()) {
    std::string field = fmt::format("{}.{}", path, key);
    if (key == "start") {
      TF_ASSIGN_OR_RETURN(job.start, ReadMonth(item, source, field));
    } else if (key == "end") {
      if (!item.is_null()) {
        TF_ASSIGN_OR_RETURN(Month end, ReadMonth(item, source, field));
        job.end = end;
      }
    } else if (key == "employer") {
      TF_ASSIGN_OR_RETURN(job.employer, ReadString(item, source, field));
    } else if (key == "country") {
      TF_ASSIGN_OR_RETURN(job.country, ReadString(item, source, field));
    } else if (key == "sector") {
      TF_ASSIGN_OR_RETURN(job.sector, ReadString(item, source, field));
    } else if (key == "full_time") {
      TF_ASSIGN_OR_RETURN(job.full_time, ReadBool(item, source, field));
    } else if (key == "senior") {
      TF_ASSIGN_OR_RETURN(job.senior, ReadBool(item, source, field));
    } else if (key == "multinational") {
      TF_ASSIGN_OR_RETURN(job.multinational, ReadBool(item, source, field));
    } else if (key == "international") {
      TF_ASSIGN_OR_RETURN(job.international, ReadBool(item, source, field));
    }
  }
  if (job.end && *job.end < job.start) {
    return FieldError(
        source, fmt::format("{}.end", path),
        fmt::format("{} is before start {}", FormatMonth(*job.end), FormatMonth(job.start)));
  }
  return job;
}

StatusOr<FieldValue> ReadFact(const FieldInfo& info, const json& value, std::string_view source) {
  switch (info.type) {
    case FieldType::kNumber: {
      if (!value.is_number()) {
        return FieldError(source, info.name,
                          fmt::format("expected a number, got {}", TypeOfJson(value)));
      }
      double number = value.get<double>();
      if (number < 0) return FieldError(source, info.name, "must not be negative");
      return FieldValue(NumRange{number, number});
    }
    case FieldType::kBool:
      if (!value.is_boolean()) {
        return FieldError(source, info.name,
                          fmt::format("expected true or false, got {}", TypeOfJson(value)));
      }
      return FieldValue(value.get<bool>());
    case FieldType::kString:
      if (!value.is_string()) {
        return FieldError(source, info.name,
                          fmt::format("expected a string, got {}", TypeOfJson(value)));
      }
      return FieldValue(value.get<std::string>());
    case FieldType::kStringList: {
      if (!value.is_array()) {
        return FieldError(source, info.name,
                          fmt::format("expected an array of strings, got {}", TypeOfJson(value)));
      }
      std::vector<std::string> items;
      for (size_t idx = 0; idx < value.size(); ++idx) {
        if (!value[idx].is_string()) {
          return FieldError(source, fmt::format("{}[{}]", info.name, idx), "expected a string");
        }
        items.push_back(value[idx].get<std::string>());
      }
      std::sort(items.begin(), items.end());
      return FieldValue(items);
    }
  }
  return Internal("unhandled field type");
}

}  // namespace

std::string_view FieldTypeName(FieldType type) {
  switch (type) {
    case FieldType::kNumber:
      return "number";
    case FieldType::kBool:
      return "boolean";
    case FieldType::kString:
      return "string";
    case FieldType::kStringList:
      return "array of strings";
  }
  return "?";
}

std::string FormatNumber(double value) {
  // The cast to an integer is defined only within its range: a person file
  // may hold any finite number (the fuzzer gave an income of 4.4e79).
  if (std::isfinite(value) && value == std::trunc(value)) {
    if (std::fabs(value) < 9.0e18) return fmt::format("{}", static_cast<long long>(value));
    return fmt::format("{:.0f}", value);
  }
  return fmt::format("{:.2f}", value);
}

std::string FormatFieldValue(const FieldValue& value) {
  if (const auto* range = std::get_if<NumRange>(&value)) {
    if (range->lo == range->hi) return FormatNumber(range->lo);
    return fmt::format("{}..{}", FormatNumber(range->lo), FormatNumber(range->hi));
  }
  if (const auto* flag = std::get_if<bool>(&value)) return *flag ? "true" : "false";
  if (const auto* text = std::get_if<std::string>(&value)) return fmt::format("\"{}\"", *text);
  const auto& items = std::get<std::vector<std::string>>(value);
  std::string out = "[";
  for (size_t idx = 0; idx < items.size(); ++idx) {
    out += (idx ? ", \"" : "\"") + items[idx] + "\"";
  }
  return out + "]";
}

const std::vector<FieldInfo>& FieldCatalog() {
  static const std::vector<FieldInfo> catalog = BuildCatalog();
  return catalog;
}

const FieldInfo* FindField(std::string_view name) {
  for (const FieldInfo& info : FieldCatalog()) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

int DegreeRank(std::string_view level) {
  if (level == "sub_degree") return 0;
  if (level == "bachelor") return 1;
  if (level == "master" || level == "mba") return 2;
  if (level == "doctorate") return 3;
  return -1;
}

StatusOr<Person> ParsePersonJson(const json& value, std::string_view source) {
  if (!value.is_object()) {
    return DataError(fmt::format("{}: expected a JSON object, got {}", source, TypeOfJson(value)));
  }
  Person person;
  for (const auto& [key, item] : value.items()) {
    if (key == "id") {
      TF_ASSIGN_OR_RETURN(person.id, ReadString(item, source, key));
    } else if (key == "birth_date") {
      TF_ASSIGN_OR_RETURN(Date date, ReadDate(item, source, key));
      person.birth_date = date;
    } else if (key == "birth_year") {
      if (!item.is_number_integer() || item.get<int64_t>() < 1900 || item.get<int64_t>() > 2100) {
        return FieldError(source, key, "expected an integer year 1900-2100");
      }
      person.birth_year = static_cast<int>(item.get<int64_t>());
    } else if (key == "degrees" || key == "jobs") {
      if (!item.is_array()) {
        return FieldError(source, key, fmt::format("expected an array, got {}", TypeOfJson(item)));
      }
      if (key == "degrees") person.degrees.emplace();
      if (key == "jobs") person.jobs.emplace();
      for (size_t idx = 0; idx < item.size(); ++idx) {
        std::string path = fmt::format("{}[{}]", key, idx);
        if (key == "degrees") {
          TF_ASSIGN_OR_RETURN(Degree degree, ReadDegree(item[idx], source, path));
          person.degrees->push_back(std::move(degree));
        } else {
          TF_ASSIGN_OR_RETURN(Job job, ReadJob(item[idx], source, path));
          person.jobs->push_back(std::move(job));
        }
      }
    } else {
      const FieldInfo* info = FindField(key);
      if (info == nullptr) {
        return FieldError(source, key,
                          "unknown field; see the person schema in docs/schemes.md (or "
                          "`talentflow schemes fields`)");
      }
      if (info->derived) {
        return FieldError(source, key, "is derived by the engine and may not be given");
      }
      if (item.is_null()) continue;  // explicit null means unknown
      TF_ASSIGN_OR_RETURN(FieldValue fact, ReadFact(*info, item, source));
      person.facts[key] = std::move(fact);
    }
  }
  if (person.birth_date && person.birth_year && YearOf(*person.birth_date) != *person.birth_year) {
    return FieldError(source, "birth_year", "disagrees with birth_date");
  }
  return person;
}

FieldSet ResolveFields(const Person& person, Date date) {
  FieldSet fields;
  for (const FieldInfo& info : FieldCatalog()) {
    if (info.derived) continue;
    auto it = person.facts.find(info.name);
    if (it != person.facts.end()) {
      fields[info.name] = {it->second, "given"};
    } else {
      fields[info.name] = {std::nullopt, "not given"};
    }
  }
  // Age.
  if (person.birth_date) {
    double age = CompletedYears(*person.birth_date, date);
    fields["age"] = {
        NumRange{age, age},
        fmt::format("from birth_date {} on {}", FormatDate(*person.birth_date), FormatDate(date))};
  } else if (person.birth_year) {
    double older = YearOf(date) - *person.birth_year;
    fields["age"] = {NumRange{older - 1, older},
                     fmt::format("from birth_year {} on {} (birthday unknown)", *person.birth_year,
                                 FormatDate(date))};
  } else {
    fields["age"] = {std::nullopt, "birth_date and birth_year not given"};
  }
  // Degrees.
  if (person.degrees) {
    int best = -1;
    double doctorates = 0, masters = 0, bachelors = 0;
    bool in_japan = false;
    for (const Degree& degree : *person.degrees) {
      if (degree.honorary) continue;
      int rank = DegreeRank(degree.level);
      best = std::max(best, rank);
      if (rank == 3) ++doctorates;
      if (rank == 2) ++masters;
      if (rank == 1) ++bachelors;
      if (degree.country == "JP") in_japan = true;
    }
    static const char* kLevels[] = {"sub_degree", "bachelor", "master", "doctorate"};
    fields["highest_degree"] = {
        best < 0 ? FieldValue(std::string("none")) : FieldValue(std::string(kLevels[best])),
        "from degrees (honorary excluded)"};
    fields["doctorate_count"] = {NumRange{doctorates, doctorates}, "from degrees"};
    fields["master_count"] = {NumRange{masters, masters}, "from degrees"};
    fields["bachelor_count"] = {NumRange{bachelors, bachelors}, "from degrees"};
    double all_degrees = doctorates + masters + bachelors;
    fields["degree_count"] = {NumRange{all_degrees, all_degrees}, "from degrees"};
    fields["japanese_university_graduate"] = {in_japan, "from degrees[].country"};
  } else {
    for (const char* name : {"highest_degree", "doctorate_count", "master_count", "bachelor_count",
                             "degree_count", "japanese_university_graduate"}) {
      fields[name] = {std::nullopt, "degrees not given"};
    }
  }
  // Languages.
  auto langs = person.facts.find("languages_good");
  if (langs != person.facts.end()) {
    const auto& items = std::get<std::vector<std::string>>(langs->second);
    auto has = [&](const char* lang) {
      return std::find(items.begin(), items.end(), lang) != items.end();
    };
    double count = static_cast<double>(std::set<std::string>(items.begin(), items.end()).size());
    fields["english_good"] = {has("english"), "from languages_good"};
    fields["chinese_good"] = {has("chinese"), "from languages_good"};
    fields["languages_good_count"] = {NumRange{count, count}, "from languages_good"};
  } else {
    for (const char* name : {"english_good", "chinese_good", "languages_good_count"}) {
      fields[name] = {std::nullopt, "languages_good not given"};
    }
  }
  return fields;
}

std::string NormalizeName(std::string_view name) {
  std::string out;
  for (size_t idx = 0; idx < name.size(); ++idx) {
    unsigned char c = static_cast<unsigned char>(name[idx]);
    if (c == '&') {
      out += "and";
    } else if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
      out += static_cast<char>(c);
    }
  }
  if (out.rfind("the", 0) == 0 && out.size() > 3 && name.size() > 4 &&
      (name.substr(0, 4) == "The " || name.substr(0, 4) == "the " || name.substr(0, 4) == "THE ")) {
    out.erase(0, 3);
  }
  return out;
}

}  // namespace talentflow::rules
