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

// Lower-cases ASCII and the Latin-1 / Latin Extended-A capitals of a UTF-8
// string (QS writes "UNIVERSITÄT").
std::string LowerLatin(std::string_view text) {
  std::string out(text);
  for (size_t pos = 0; pos < out.size(); ++pos) {
    auto byte = static_cast<unsigned char>(out[pos]);
    if (byte >= 'A' && byte <= 'Z') {
      out[pos] = static_cast<char>(byte - 'A' + 'a');
    } else if (byte == 0xC3 && pos + 1 < out.size()) {
      auto next = static_cast<unsigned char>(out[pos + 1]);
      if (next >= 0x80 && next <= 0x9E && next != 0x97)
        out[pos + 1] = static_cast<char>(next + 0x20);
      ++pos;
    } else if ((byte == 0xC4 || byte == 0xC5) && pos + 1 < out.size()) {
      const char32_t code = ((byte & 0x1F) << 6) | (out[pos + 1] & 0x3F);
      const bool even_upper = (code <= 0x137) || (code >= 0x14A && code <= 0x177);
      const bool odd_upper = (code >= 0x139 && code <= 0x148) || (code >= 0x179 && code <= 0x17E);
      if ((even_upper && code % 2 == 0) || (odd_upper && code % 2 == 1)) {
        out[pos + 1] = static_cast<char>(out[pos + 1] + 1);  // never crosses a lead byte here
      }
      ++pos;
    }
  }
  return out;
}

// "UNIVERSITY OF CAMBRIDGE" -> "University of Cambridge"; a one-word name of
// up to six letters ("UCL", "EPFL") is an acronym and stays in capitals.
std::string TitleCase(std::string_view upper) {
  static const std::set<std::string> kSmall = {"of",  "and", "the", "for", "in",  "at",  "de", "la",
                                               "del", "di",  "da",  "do",  "dos", "des", "du", "y",
                                               "e",   "et",  "und", "fur", "on",  "zu"};
  const std::string trimmed = Trim(upper);
  if (trimmed.size() <= 6 && trimmed.find(' ') == std::string::npos) return trimmed;
  const std::string lower = LowerLatin(trimmed);
  std::string out;
  size_t start = 0;
  while (start < lower.size()) {
    size_t end = lower.find(' ', start);
    if (end == std::string::npos) end = lower.size();
    const std::string word = lower.substr(start, end - start);
    start = end + 1;
    if (word.empty()) continue;
    if (!out.empty()) out.push_back(' ');
    if (!out.empty() && kSmall.count(word)) {
      out += word;
      continue;
    }
    bool at_word_start = true;
    for (char ch : word) {
      out.push_back(at_word_start && ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A')
                                                            : ch);
      at_word_start = ch == '-' || ch == '(' || ch == '/';
    }
  }
  return out;
}

// True when `name` ends in " (X)", X one word of at most 8 characters that
// starts with the initial of the name's first word other than "THE": an
// acronym of the name (MIT, CALTECH, NUS, UPMC), not a place (BEIJING).
bool EndsWithAcronym(const std::string& name) {
  const size_t bracket = name.rfind(" (");
  if (bracket == std::string::npos || name.back() != ')') return false;
  const std::string inner = name.substr(bracket + 2, name.size() - bracket - 3);
  if (inner.empty() || inner.size() > 8 || inner.find(' ') != std::string::npos) return false;
  std::string_view head(name.data(), bracket);
  while (!head.empty() && head.front() == ' ') head.remove_prefix(1);
  if (head.substr(0, 4) == "THE " || head.substr(0, 4) == "The ") head.remove_prefix(4);
  return !head.empty() && (head.front() | 0x20) == (inner.front() | 0x20);
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
  struct Entry {
    std::string name, country;
    int year = 0;
    std::string raw;
    double rank = 0;
  };

  // Adds one ranking's rows (names as the source writes them). A name joins
  // an existing institution of the same country when its whole name, or an
  // alias, normalises to that institution's key. Failing that, a variant of
  // the name (without a bracket, either side of a spaced dash) may join, but
  // only if the institution has no rank of this ranking in any year the name
  // is ranked: two rows of one edition are two institutions (ENS Paris and
  // ENS Lyon; the Beijing and Xuzhou campuses of CUMT).
  void AddSource(const std::string& ranking, const std::vector<Entry>& entries) {
    std::vector<std::pair<std::string, std::string>> order;  // (name, country), first appearance
    std::map<std::pair<std::string, std::string>, std::set<int>> years;
    for (const Entry& entry : entries) {
      auto id = std::make_pair(entry.name, entry.country);
      if (years[id].empty()) order.push_back(id);
      years[id].insert(entry.year);
    }
    std::map<std::pair<std::string, std::string>, std::string> canonical_of;
    std::map<std::string, std::set<int>> claimed;  // canonical -> years of this ranking
    for (const auto& [name, country] : order) {
      // A name listed in aliases.csv becomes its target, whichever of the
      // two a source happens to print first.
      if (auto alias = alias_to_name_.find(UniversityRanks::NormalizeName(name));
          alias != alias_to_name_.end() &&
          (!name_country_.count(alias->second) || name_country_[alias->second] == country)) {
        const std::vector<std::string> target_keys = CandidateKeys(alias->second);
        std::string canonical = Resolve(target_keys[0], country);
        if (canonical.empty()) canonical = NewInstitution(alias->second, country, target_keys);
        canonical_of[{name, country}] = canonical;
        claimed[canonical].insert(years[{name, country}].begin(), years[{name, country}].end());
        continue;
      }
      std::string canonical = Resolve(UniversityRanks::NormalizeName(name), country);
      if (canonical.empty()) continue;
      canonical_of[{name, country}] = canonical;
      claimed[canonical].insert(years[{name, country}].begin(), years[{name, country}].end());
    }
    for (const auto& id : order) {
      if (canonical_of.count(id)) continue;
      const std::vector<std::string> keys = CandidateKeys(id.first);
      // An earlier new name of this source with the same key.
      std::string canonical = Resolve(keys[0], id.second);
      if (canonical.empty()) {
        // "National Taiwan University" for THE's "National Taiwan University (NTU)".
        canonical = ResolveSecondary(keys[0], id.second);
        for (int year : years[id]) {
          if (!canonical.empty() &&
              (rows_.count({canonical, ranking, year}) > 0 || claimed[canonical].count(year) > 0)) {
            canonical.clear();
          }
        }
      }
      for (size_t key_idx = 1; canonical.empty() && key_idx < keys.size(); ++key_idx) {
        std::string candidate = Resolve(keys[key_idx], id.second);
        if (candidate.empty()) candidate = ResolveSecondary(keys[key_idx], id.second);
        if (candidate.empty()) continue;
        bool clash = false;
        for (int year : years[id]) {
          clash = clash || rows_.count({candidate, ranking, year}) > 0 ||
                  claimed[candidate].count(year) > 0;
        }
        if (!clash) canonical = candidate;
      }
      if (canonical.empty()) canonical = NewInstitution(id.first, id.second, keys);
      canonical_of[id] = canonical;
      claimed[canonical].insert(years[id].begin(), years[id].end());
    }
    for (const Entry& entry : entries) {
      const std::string& canonical = canonical_of[{entry.name, entry.country}];
      Row row{canonical, entry.country, ranking, entry.year, entry.raw, entry.rank};
      auto [it, inserted] = rows_.emplace(std::make_tuple(canonical, ranking, entry.year), row);
      if (inserted) continue;
      ++merged_duplicates_;
      std::fprintf(stderr, "%s %d lists \"%s\" twice (as \"%s\"); best rank kept\n",
                   ranking.c_str(), entry.year, canonical.c_str(), entry.name.c_str());
      if (entry.rank < it->second.rank) it->second = row;
    }
  }

  // The institution of `country` that `key` names, by its own name or an alias.
  std::string Resolve(const std::string& key, const std::string& country) {
    if (auto own = key_to_names_.find(key); own != key_to_names_.end()) {
      for (const std::string& candidate : own->second) {
        if (name_country_[candidate] == country) return candidate;
      }
    }
    if (auto alias = alias_to_name_.find(key); alias != alias_to_name_.end()) {
      auto it = name_country_.find(alias->second);
      if (it != name_country_.end() && it->second == country) return alias->second;
    }
    return "";
  }

  // The institution whose name without its bracket is `key`.
  std::string ResolveSecondary(const std::string& key, const std::string& country) {
    if (auto it = secondary_.find(key); it != secondary_.end()) {
      for (const std::string& candidate : it->second) {
        if (name_country_[candidate] == country) return candidate;
      }
    }
    return "";
  }

  std::string NewInstitution(const std::string& name, const std::string& country,
                             const std::vector<std::string>& keys) {
    std::string canonical = name;
    if (name_country_.count(name) && name_country_[name] != country) {
      canonical = name + " (" + country + ")";
    }
    name_country_[canonical] = country;
    key_to_names_[keys[0]].push_back(canonical);
    if (keys[1] != keys[0]) secondary_[keys[1]].push_back(canonical);
    return canonical;
  }

  // Keys to try for a source name: the whole name; without a bracketed part
  // (always second, possibly equal to the first); each side of a spaced dash
  // ("ETH Zurich - Swiss Federal Institute of Technology",
  // "Texas A&M University - College Station").
  static std::vector<std::string> CandidateKeys(const std::string& name) {
    std::vector<std::string> keys = {UniversityRanks::NormalizeName(name)};
    const size_t open = name.find('(');
    std::string no_bracket = name;
    if (open != std::string::npos) {
      const size_t close = name.find(')', open);
      no_bracket =
          name.substr(0, open) + (close == std::string::npos ? "" : name.substr(close + 1));
    }
    keys.push_back(UniversityRanks::NormalizeName(no_bracket));
    for (std::string_view dash : {" - ", " \xE2\x80\x93 ", " \xE2\x80\x94 "}) {
      const size_t at = no_bracket.find(dash);
      if (at == std::string::npos) continue;
      keys.push_back(UniversityRanks::NormalizeName(no_bracket.substr(0, at)));
      keys.push_back(UniversityRanks::NormalizeName(no_bracket.substr(at + dash.size())));
    }
    return keys;
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
  std::map<std::string, std::vector<std::string>> secondary_;  // bracket-free key -> names
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
    std::vector<Deriver::Entry> entries;
    for (const SourceRow& src : rows) {
      double rank = 0;
      if (!RankOf(src.raw, edition_size[src.year], &rank)) {
        return DataError(
            fmt::format("THE {} {}: rank \"{}\" not understood", src.year, src.name, src.raw));
      }
      entries.push_back({src.name, deriver.Country(src.country), src.year, src.raw, rank});
    }
    deriver.AddSource("THE", entries);
  }
  // ARWU: ranks as published; bands such as "101-150" at their midpoint.
  {
    TF_ASSIGN_OR_RETURN(RefCsv csv, ReadRefCsv(sources / "ARWU_World_Rankings.csv",
                                               {"univNameEn", "region", "ranking", "year"}, true));
    std::vector<Deriver::Entry> entries;
    for (size_t row = 0; row < csv.rows.size(); ++row) {
      const std::string raw = CleanRaw(csv.Get(row, 2));
      double rank = 0;
      if (!RankOf(raw, 0, &rank)) {
        return DataError(
            fmt::format("ARWU line {}: rank \"{}\" not understood", csv.lines[row], raw));
      }
      entries.push_back({Trim(csv.Get(row, 0)), deriver.Country(Trim(csv.Get(row, 1))),
                         std::stoi(csv.Get(row, 3)), raw, rank});
    }
    deriver.AddSource("ARWU", entries);
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
    std::vector<Deriver::Entry> entries;
    for (const SourceRow& src : rows) {
      const auto& list = scores[src.year];
      const auto higher =
          std::lower_bound(list.begin(), list.end(), src.score, std::greater<>()) - list.begin();
      const auto same = std::upper_bound(list.begin(), list.end(), src.score, std::greater<>()) -
                        list.begin() - higher;
      const int rank = static_cast<int>(higher) + 1;
      const std::string raw = fmt::format("{}{}", same > 1 ? "=" : "", rank);
      // "MASSACHUSETTS INSTITUTE OF TECHNOLOGY (MIT)": a bracketed acronym
      // is not part of the name; "(BEIJING)" is.
      std::string name = src.name;
      if (EndsWithAcronym(name)) name.erase(name.rfind(" ("));
      entries.push_back({TitleCase(name), deriver.Country(src.country), src.year, raw,
                         static_cast<double>(rank)});
    }
    deriver.AddSource("QS", entries);
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
