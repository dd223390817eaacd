// UniversityRanks: world university rankings (THE, QS, ARWU) by edition year,
// and a name matcher that maps the free-text university names found in
// profiles ("HKU", "香港大學", "Univ. of California, Berkeley") onto the ranked
// institutions.
//
// Loaded from data/rankings/university_ranks.csv (institution, country,
// ranking, year, rank_raw, rank) and, beside it, aliases.csv (alias,
// institution). Names are compared after normalisation: case, accents,
// punctuation, a leading/standalone "the", "&" versus "and", "Univ." for
// "University"; Chinese traditional and simplified forms match through the
// alias table. See docs/methodology.md, "Places and university ranks".
//
// Immutable after Load(); const methods may be called from any number of
// threads at once.
//
// Example:
//   TF_ASSIGN_OR_RETURN(UniversityRanks ranks, UniversityRanks::LoadDefault());
//   if (auto inst = ranks.Find("HKU")) rank = ranks.Rank(*inst, "THE", 2019);
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"

namespace talentflow {

class UniversityRanks {
 public:
  // `dir_or_csv` is a directory holding university_ranks.csv (and optionally
  // aliases.csv), or the path of a ranks CSV (aliases.csv is then read from
  // the same directory when present). Errors name file, line and column.
  static StatusOr<UniversityRanks> Load(const std::filesystem::path& dir_or_csv);
  // TALENTFLOW_DATA_DIR/rankings
  static StatusOr<UniversityRanks> LoadDefault();

  // Normalised lookup (case, punctuation, "the", "&"/"and", accents,
  // traditional/simplified via the alias table). Returns the institution's
  // canonical name index or nullopt.
  std::optional<uint32_t> Find(std::string_view university_name) const;
  // The rank to use for an institution: by default the given ranking
  // (THE, as the study used) in the latest year <= `year`; nullopt if unranked.
  // REQUIRES: institution < institution_count()
  std::optional<double> Rank(uint32_t institution, std::string_view ranking, int year) const;
  // Best (lowest) rank of any ranking in years [year-4, year] (TTPS rule helper).
  // REQUIRES: institution < institution_count()
  std::optional<double> BestRankInWindow(uint32_t institution, int year) const;
  // REQUIRES: institution < institution_count()
  const std::string& InstitutionName(uint32_t institution) const;
  // The institution's country as written in the ranks file.
  // REQUIRES: institution < institution_count()
  const std::string& InstitutionCountry(uint32_t institution) const;

  size_t institution_count() const { return institutions_.size(); }
  // The names of the rankings in the file (THE, QS, ARWU, ...), sorted.
  const std::vector<std::string>& rankings() const { return rankings_; }

  // The matching key of a name: exposed so that callers and tests can see
  // why two spellings do or do not match.
  static std::string NormalizeName(std::string_view name);

 private:
  struct Entry {
    std::string ranking;
    int year = 0;
    double rank = 0;
  };
  struct Institution {
    std::string name;
    std::string country;
    std::vector<Entry> entries;  // sorted by (ranking, year)
  };

  std::vector<Institution> institutions_;
  std::vector<std::string> rankings_;                 // sorted, distinct
  std::unordered_map<std::string, uint32_t> by_key_;  // NormalizeName(name or alias) -> index
};

}  // namespace talentflow
