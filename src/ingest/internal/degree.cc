#include "ingest/internal/degree.h"

#include <string>

namespace talentflow::ingest_internal {

Degree NormalizeDegree(std::string_view raw) {
  std::string key;
  key.reserve(raw.size());
  for (char c : raw) {
    if (c == '.') continue;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    key.push_back(c);
  }
  // Typographic apostrophe (U+2019) is read as a plain one.
  for (size_t pos; (pos = key.find("\xE2\x80\x99")) != std::string::npos;) {
    key.replace(pos, 3, 1, '\'');
  }
  size_t b = key.find_first_not_of(" \t");
  if (b == std::string::npos) return Degree::kNone;
  size_t e = key.find_last_not_of(" \t");
  std::string_view k = std::string_view(key).substr(b, e - b + 1);
  struct Rule {
    std::string_view text;
    Degree degree;
  };
  static constexpr Rule kRules[] = {
      {"bachelor", Degree::kBachelor},
      {"bachelors", Degree::kBachelor},
      {"bachelor's", Degree::kBachelor},
      {"ba", Degree::kBachelor},
      {"bs", Degree::kBachelor},
      {"bsc", Degree::kBachelor},
      {"beng", Degree::kBachelor},
      {"bba", Degree::kBachelor},
      {"undergraduate", Degree::kBachelor},
      {"master", Degree::kMaster},
      {"masters", Degree::kMaster},
      {"master's", Degree::kMaster},
      {"ma", Degree::kMaster},
      {"ms", Degree::kMaster},
      {"msc", Degree::kMaster},
      {"meng", Degree::kMaster},
      {"mphil", Degree::kMaster},
      {"mba", Degree::kMba},
      {"emba", Degree::kMba},
      {"doctor", Degree::kDoctor},
      {"doctorate", Degree::kDoctor},
      {"doctoral", Degree::kDoctor},
      {"phd", Degree::kDoctor},
      {"dphil", Degree::kDoctor},
      {"associate", Degree::kAssociate},
      {"associates", Degree::kAssociate},
      {"high school", Degree::kHighSchool},
      {"secondary", Degree::kHighSchool},
  };
  for (const Rule& rule : kRules)
    if (k == rule.text) return rule.degree;
  return Degree::kOther;
}

std::string_view DegreeName(Degree degree) {
  switch (degree) {
    case Degree::kNone:
      return "none";
    case Degree::kHighSchool:
      return "High School";
    case Degree::kAssociate:
      return "Associate";
    case Degree::kBachelor:
      return "Bachelor";
    case Degree::kMaster:
      return "Master";
    case Degree::kMba:
      return "MBA";
    case Degree::kDoctor:
      return "Doctor";
    case Degree::kOther:
      return "other";
  }
  return "other";
}

}  // namespace talentflow::ingest_internal
