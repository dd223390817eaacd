// Gazetteer: the places (cities and countries) that talent flows are measured
// for, and the rules that decide whether a position's location is in a place.
//
// The places are reference data loaded from a CSV file (by default
// TALENTFLOW_DATA_DIR/gazetteer/places.csv; see data/gazetteer/SOURCE.md for
// the columns). A position (country, metro_area, city) is in a place when any
// of the place's non-empty match lists contains the corresponding field,
// compared case-insensitively with runs of white space collapsed and the ends
// trimmed. Countries match on the country field only; cities on metro area
// and/or city, and only when the position's country is empty or is the
// city's country. A city and its country can both match one position.
//
// A Gazetteer is immutable after Load(); const methods may be called from any
// number of threads at once.
//
// Example:
//   TF_ASSIGN_OR_RETURN(Gazetteer gaz, Gazetteer::LoadDefault());
//   std::optional<uint32_t> hk = gaz.FindPlace("HK");  // -> "Hong Kong"
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

enum class PlaceKind { kCountry, kCity };

struct Place {
  std::string name_en, name_zh;
  PlaceKind kind = PlaceKind::kCountry;
  std::string country;  // a city's country (a name_en); empty for a country
  int study_order = 0;  // 1..16 for the reference study's places; 0 = not a study place
};

class Gazetteer {
 public:
  // Loads and validates a places CSV. Errors name the file, line and column:
  // bad header, duplicate place name or alias, unknown kind, empty name, a
  // city whose country is not a country place, bad study_rank_order. The study_rank_order column
  // may be absent (no study places).
  static StatusOr<Gazetteer> Load(const std::filesystem::path& csv);
  // TALENTFLOW_DATA_DIR/gazetteer/places.csv
  static StatusOr<Gazetteer> LoadDefault();

  size_t size() const { return places_.size(); }
  // REQUIRES: idx < size()
  const Place& place(uint32_t idx) const { return places_[idx]; }

  // The place whose English name, Chinese name or alias equals
  // `name_or_alias` (case- and space-insensitive); failing that, the only
  // place with that match value (e.g. "中國", "Greater London"); else nullopt.
  std::optional<uint32_t> FindPlace(std::string_view name_or_alias) const;

  // Appends the indices of every place the location matches (a city and
  // its country can both match), in ascending index order.
  void Match(std::string_view country, std::string_view metro_area, std::string_view city,
             std::vector<uint32_t>* out) const;
  // REQUIRES: place_idx < size()
  bool Matches(uint32_t place_idx, std::string_view country, std::string_view metro_area,
               std::string_view city) const;

 private:
  enum class Field { kCountry, kMetroArea, kCity };
  using KeyIndex = std::unordered_map<std::string, std::vector<uint32_t>>;

  // A city's metro/city match counts only when the position's country is
  // empty or matches the city's country (Melbourne, Florida is not Melbourne).
  bool CountryAllows(uint32_t place_idx, std::string_view country) const;

  std::vector<Place> places_;
  std::vector<uint32_t> country_of_;  // a city's country place; the place itself for a country
  // Normalised match value -> places (ascending) whose list for that field holds it.
  KeyIndex by_country_, by_metro_, by_city_;
  // Normalised name / Chinese name / alias -> place.
  std::unordered_map<std::string, uint32_t> by_name_;
  // Fallback for FindPlace: a match value held by exactly one place (e.g.
  // 中國 for Mainland China); kNoPlace when held by several.
  std::unordered_map<std::string, uint32_t> by_match_value_;
};

}  // namespace talentflow
