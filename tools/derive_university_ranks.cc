// derive_university_ranks: regenerates data/rankings/university_ranks.csv
// from the THE, QS and ARWU source tables (see data/rankings/SOURCE.md).
//
// Canonical names: an institution is named as THE names it, else as ARWU
// names it, else as QS names it (QS writes names in capitals; they are put in
// title case). A row of a later source joins an earlier institution when its
// name (or a name in aliases.csv) normalises to the same key and the country
// agrees. Countries are mapped to the gazetteer's English names. Output rows
// are sorted by (institution, ranking, year), so the file is reproducible.
//
// Usage:
//   derive_university_ranks --sources /work/shared/data/rankings
//       --gazetteer data/gazetteer/places.csv --aliases data/rankings/aliases.csv
//       --out data/rankings/university_ranks.csv
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "io/file_util.h"
#include "panel/gazetteer.h"
#include "panel/internal/ref_csv.h"
#include "panel/university_ranks.h"

namespace talentflow {
namespace {

using panel_internal::ReadRefCsv;
using panel_internal::RefCsv;

struct Row {
  std::string institution, country, ranking;
  int year = 0;
  std::string rank_raw;
  double rank = 0;
};

struct SourceRow {
  std::string name, country, raw;
  int year = 0;
  double score = -1;  // QS only
};

std::string Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return std::string(text);
}

// "201–250" (en or em dash) -> "201-250"; surrounding spaces dropped.
std::string CleanRaw(std::string_view raw) {
  std::string out;
  for (size_t pos = 0; pos < raw.size(); ++pos) {
    const std::string_view rest = raw.substr(pos);
    if (rest.substr(0, 3) == "\xE2\x80\x93" || rest.substr(0, 3) == "\xE2\x80\x94") {
      out.push_back('-');
      pos += 2;
    } else {
      out.push_back(raw[pos]);
    }
  }
  return Trim(out);
}

bool ToNumber(std::string_view text, double* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  std::string copy(text);
  *out = std::strtod(copy.c_str(), &end);
  return end == copy.c_str() + copy.size();
}

// rank for a published form; open bands "N+" need the edition's size.
bool RankOf(std::string_view raw, int edition_size, double* rank) {
  if (!raw.empty() && raw.front() == '=') raw.remove_prefix(1);
  if (!raw.empty() && raw.back() == '+') {
    double low = 0;
    if (!ToNumber(raw.substr(0, raw.size() - 1), &low)) return false;
    const double high = std::max<double>(low, edition_size);
    *rank = (low + high) / 2;
    return true;
  }
  const size_t dash = raw.find('-');
  if (dash != std::string_view::npos) {
    double low = 0, high = 0;
    if (!ToNumber(raw.substr(0, dash), &low) || !ToNumber(raw.substr(dash + 1), &high)) {
      return false;
    }
    *rank = (low + high) / 2;
    return true;
  }
  return ToNumber(raw, rank);
}

std::string TitleCase(std::string_view upper) {
  static const std::set<std::string> kSmall = {"of", "and", "the", "for", "in",  "at",  "de",
                                               "la", "del", "di",  "da",  "do",  "dos", "des",
                                               "du", "y",   "e",   "et",  "und", "fur", "on"};
  std::string out;
  size_t start = 0;
  while (start <= upper.size()) {
    size_t end = upper.find(' ', start);
    if (end == std::string_view::npos) end = upper.size();
    std::string word(upper.substr(start, end - start));
    std::string lower;
    for (char ch : word) lower.push_back(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    // Keep short all-letter words in capitals when they look like acronyms
    // inside brackets or stand alone (e.g. "UCL", "EPFL", "KAIST").
    const bool acronym = word.size() <= 5 && kSmall.count(lower) == 0 &&
                         std::none_of(word.begin(), word.end(), [](char ch) {
                           return ch == 'A' || ch == 'E' || ch == 'I' || ch == 'O' || ch == 'U';
                         });
    if (!out.empty()) out.push_back(' ');
    if (acronym) {
      out += word;
    } else if (!out.empty() && kSmall.count(lower)) {
      out += lower;
    } else {
      bool at_word_start = true;
      for (char ch : lower) {
        out.push_back(at_word_start && ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch);
        at_word_start = !((ch >= 'a' && ch <= 'z') || (ch & 0x80) || ch == '\'');
      }
    }
    start = end + 1;
  }
  return out;
}

class Deriver {
 public:
  explicit Deriver(const Gazetteer& gaz) : gaz_(gaz) {}

  Status LoadAliases(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return Status::Ok();
    TF_ASSIGN_OR_RETURN(RefCsv csv, ReadRefCsv(path, {"alias", "institution"}));
    for (size_t row = 0; row < csv.rows.size(); ++row) {
      alias_to_name_[UniversityRanks::NormalizeName(csv.Get(row, 0))] = csv.Get(row, 1);
    }
    return Status::Ok();
  }

  std::string Country(const std::string& source_country) {
    if (auto idx = gaz_.FindPlace(source_country)) return gaz_.place(*idx).name_en;
    unmapped_countries_.insert(source_country);
    return source_country;
  }

  // Adds one source row; `name` is as the source writes it.
  void Add(std::string name, const std::string& country, const std::string& ranking, int year,
           const std::string& raw, double rank) {
    const std::string key = UniversityRanks::NormalizeName(name);
    std::string canonical;
    auto own = key_to_names_.find(key);
    auto alias = alias_to_name_.find(key);
    if (own != key_to_names_.end()) {
      for (const std::string& candidate : own->second) {
        if (name_country_[candidate] == country) canonical = candidate;
      }
    }
    if (canonical.empty() && alias != alias_to_name_.end()) {
      auto it = name_country_.find(alias->second);
      if (it != name_country_.end() && it->second == country) canonical = alias->second;
    }
    if (canonical.empty()) {
      canonical = name;
      if (name_country_.count(name) && name_country_[name] != country) {
        canonical = name + " (" + country + ")";
      }
      name_country_[canonical] = country;
      key_to_names_[key].push_back(canonical);
    }
    auto [it, inserted] = rows_.emplace(std::make_tuple(canonical, ranking, year),
                                        Row{canonical, country, ranking, year, raw, rank});
    if (!inserted && rank < it->second.rank)
      it->second = Row{canonical, country, ranking, year, raw, rank};
    if (!inserted) ++merged_duplicates_;
  }

  std::string Csv() const {
    // Names that were given a country suffix later need it for every country.
    std::string out = "institution,country,ranking,year,rank_raw,rank\n";
    auto quote = [](const std::string& field) {
      if (field.find_first_of(",\"\n") == std::string::npos) return field;
      std::string q = "\"";
      for (char ch : field) {
        if (ch == '"')
          q += "\"\"";
        else
          q.push_back(ch);
      }
      return q + "\"";
    };
    for (const auto& [key, row] : rows_) {
      out += fmt::format("{},{},{},{},{},{}\n", quote(row.institution), quote(row.country),
                         row.ranking, row.year, quote(row.rank_raw), row.rank);
    }
    return out;
  }

  void PrintSummary() const {
    std::set<std::string> institutions;
    for (const auto& [key, row] : rows_) institutions.insert(row.institution);
    std::fprintf(stderr, "rows %zu, institutions %zu, same-year duplicates merged %d\n",
                 rows_.size(), institutions.size(), merged_duplicates_);
    for (const std::string& country : unmapped_countries_) {
      std::fprintf(stderr, "country not in gazetteer, kept as written: %s\n", country.c_str());
    }
  }

 private:
  const Gazetteer& gaz_;
  std::map<std::string, std::string> alias_to_name_;
  std::map<std::string, std::vector<std::string>> key_to_names_;
  std::map<std::string, std::string> name_country_;
  std::map<std::tuple<std::string, std::string, int>, Row> rows_;
  std::set<std::string> unmapped_countries_;
  int merged_duplicates_ = 0;
};

Status Run(const std::filesystem::path& sources, const std::filesystem::path& gazetteer,
           const std::filesystem::path& aliases, const std::filesystem::path& out) {
  TF_ASSIGN_OR_RETURN(Gazetteer gaz, Gazetteer::Load(gazetteer));
  Deriver deriver(gaz);
  TF_RETURN_IF_ERROR(deriver.LoadAliases(aliases));

  // THE first: the study used THE, so THE's names are canonical.
  {
    TF_ASSIGN_OR_RETURN(RefCsv csv, ReadRefCsv(sources / "THE_World_Rankings.csv",
                                               {"name", "location", "rank", "year"}, true));
    std::map<int, int> edition_size;
    std::vector<SourceRow> rows;
    for (size_t row = 0; row < csv.rows.size(); ++row) {
      SourceRow src{Trim(csv.Get(row, 0)), Trim(csv.Get(row, 1)), CleanRaw(csv.Get(row, 2))};
      if (src.raw.empty() || src.raw == "Reporter") continue;  // not ranked that year
      src.year = std::stoi(csv.Get(row, 3));
      ++edition_size[src.year];
      rows.push_back(std::move(src));
    }
    for (const SourceRow& src : rows) {
      double rank = 0;
      if (!RankOf(src.raw, edition_size[src.year], &rank)) {
        return DataError(
            fmt::format("THE {} {}: rank \"{}\" not understood", src.year, src.name, src.raw));
      }
      deriver.Add(src.name, deriver.Country(src.country), "THE", src.year, src.raw, rank);
    }
  }
  // ARWU: ranks as published; bands such as "101-150" at their midpoint.
  {
    TF_ASSIGN_OR_RETURN(RefCsv csv, ReadRefCsv(sources / "ARWU_World_Rankings.csv",
                                               {"univNameEn", "region", "ranking", "year"}, true));
    for (size_t row = 0; row < csv.rows.size(); ++row) {
      const std::string raw = CleanRaw(csv.Get(row, 2));
      double rank = 0;
      if (!RankOf(raw, 0, &rank)) {
        return DataError(
            fmt::format("ARWU line {}: rank \"{}\" not understood", csv.lines[row], raw));
      }
      deriver.Add(Trim(csv.Get(row, 0)), deriver.Country(Trim(csv.Get(row, 1))), "ARWU",
                  std::stoi(csv.Get(row, 3)), raw, rank);
    }
  }
  // QS: the source keeps the overall score but not the rank. The rank is
  // rebuilt as QS assigns it: 1 + the number of institutions of that year
  // with a higher overall score, "=N" when the score is shared. Institutions
  // without a published score (QS ranks them only in bands, which the source
  // does not keep) are left out.
  {
    TF_ASSIGN_OR_RETURN(RefCsv csv,
                        ReadRefCsv(sources / "QS_World_Rankings.csv",
                                   {"University", "Location", "Overall Score", "Year"}, true));
    std::map<int, std::vector<double>> scores;
    std::vector<SourceRow> rows;
    for (size_t row = 0; row < csv.rows.size(); ++row) {
      SourceRow src{Trim(csv.Get(row, 0)), Trim(csv.Get(row, 1)), ""};
      src.year = std::stoi(csv.Get(row, 3));
      if (!ToNumber(Trim(csv.Get(row, 2)), &src.score)) continue;
      scores[src.year].push_back(src.score);
      rows.push_back(std::move(src));
    }
    for (auto& [year, list] : scores) std::sort(list.begin(), list.end(), std::greater<>());
    for (const SourceRow& src : rows) {
      const auto& list = scores[src.year];
      const auto higher =
          std::lower_bound(list.begin(), list.end(), src.score, std::greater<>()) - list.begin();
      const auto same = std::upper_bound(list.begin(), list.end(), src.score, std::greater<>()) -
                        list.begin() - higher;
      const int rank = static_cast<int>(higher) + 1;
      const std::string raw = fmt::format("{}{}", same > 1 ? "=" : "", rank);
      // "MASSACHUSETTS INSTITUTE OF TECHNOLOGY (MIT)": the bracketed acronym
      // is not part of the name.
      std::string name = src.name;
      const size_t bracket = name.rfind(" (");
      if (bracket != std::string::npos && name.back() == ')') name.erase(bracket);
      deriver.Add(TitleCase(name), deriver.Country(src.country), "QS", src.year, raw, rank);
    }
  }
  deriver.PrintSummary();
  return WriteFileAtomic(out, deriver.Csv());
}

}  // namespace
}  // namespace talentflow

int main(int argc, char** argv) {
  std::filesystem::path sources = "/work/shared/data/rankings";
  std::filesystem::path gazetteer = "data/gazetteer/places.csv";
  std::filesystem::path aliases = "data/rankings/aliases.csv";
  std::filesystem::path out = "data/rankings/university_ranks.csv";
  for (int arg = 1; arg + 1 < argc; arg += 2) {
    const std::string flag = argv[arg];
    if (flag == "--sources")
      sources = argv[arg + 1];
    else if (flag == "--gazetteer")
      gazetteer = argv[arg + 1];
    else if (flag == "--aliases")
      aliases = argv[arg + 1];
    else if (flag == "--out")
      out = argv[arg + 1];
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  const talentflow::Status status = talentflow::Run(sources, gazetteer, aliases, out);
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
