#include "panel/gazetteer.h"

#include <algorithm>
#include <string>

#include "panel/internal/ref_csv.h"

namespace talentflow {

using panel_internal::FoldSpaceCase;
using panel_internal::ReadRefCsv;
using panel_internal::RefCsv;
using panel_internal::SplitPipeList;

namespace {

constexpr uint32_t kNoPlace = UINT32_MAX;

enum Column : size_t {
  kNameEn,
  kNameZh,
  kKind,
  kCountry,
  kMatchCountry,
  kMatchMetro,
  kMatchCity,
  kAliases,
  kStudyOrder,
};

const std::vector<std::string>& Columns() {
  static const std::vector<std::string> columns = {
      "name_en",          "name_zh",    "kind",    "country",         "match_country",
      "match_metro_area", "match_city", "aliases", "study_rank_order"};
  return columns;
}

bool ParseStudyOrder(const std::string& text, int* out) {
  if (text.empty()) {
    *out = 0;
    return true;
  }
  if (text.size() > 3) return false;
  int value = 0;
  for (char ch : text) {
    if (ch < '0' || ch > '9') return false;
    value = value * 10 + (ch - '0');
  }
  if (value < 1) return false;
  *out = value;
  return true;
}

}  // namespace

StatusOr<Gazetteer> Gazetteer::Load(const std::filesystem::path& csv_path) {
  // study_rank_order may be left out of a user's file: no study places then.
  TF_ASSIGN_OR_RETURN(RefCsv csv, ReadRefCsv(csv_path, Columns(), false, {"study_rank_order"}));
  Gazetteer gaz;
  // Names first, so that a city may name a country defined further down.
  std::unordered_map<std::string, size_t> name_row;  // name key -> row that claimed it
  std::unordered_map<int, size_t> order_row;
  for (size_t row = 0; row < csv.rows.size(); ++row) {
    Place place;
    place.name_en = csv.Get(row, kNameEn);
    place.name_zh = csv.Get(row, kNameZh);
    place.country = csv.Get(row, kCountry);
    if (FoldSpaceCase(place.name_en).empty()) return csv.Error(row, kNameEn, "empty place name");
    const std::string& kind = csv.Get(row, kKind);
    if (kind == "country") {
      place.kind = PlaceKind::kCountry;
    } else if (kind == "city") {
      place.kind = PlaceKind::kCity;
    } else {
      return csv.Error(row, kKind, "unknown kind \"" + kind + "\", expected country or city");
    }
    if (!ParseStudyOrder(csv.Get(row, kStudyOrder), &place.study_order)) {
      return csv.Error(row, kStudyOrder,
                       "\"" + csv.Get(row, kStudyOrder) + "\" is not empty or a positive integer");
    }
    if (place.study_order != 0) {
      auto [it, inserted] = order_row.emplace(place.study_order, row);
      if (!inserted) {
        return csv.Error(row, kStudyOrder,
                         "study_rank_order " + std::to_string(place.study_order) +
                             " already used on line " + std::to_string(csv.lines[it->second]));
      }
    }
    std::vector<std::pair<std::string, size_t>> names = {{place.name_en, kNameEn}};
    if (!place.name_zh.empty()) names.emplace_back(place.name_zh, kNameZh);
    for (std::string& alias : SplitPipeList(csv.Get(row, kAliases))) {
      names.emplace_back(std::move(alias), kAliases);
    }
    const auto idx = static_cast<uint32_t>(gaz.places_.size());
    for (const auto& [name, column] : names) {
      const std::string key = FoldSpaceCase(name);
      if (key.empty()) continue;
      auto [it, inserted] = name_row.emplace(key, row);
      if (!inserted) {
        if (it->second == row) continue;  // e.g. an alias repeating the row's own name
        return csv.Error(row, column,
                         "duplicate place name \"" + name + "\" (already used on line " +
                             std::to_string(csv.lines[it->second]) + ")");
      }
      gaz.by_name_.emplace(key, idx);
    }
    gaz.places_.push_back(std::move(place));
  }

  gaz.country_of_.resize(gaz.places_.size());
  for (size_t row = 0; row < csv.rows.size(); ++row) {
    const auto idx = static_cast<uint32_t>(row);
    const Place& place = gaz.places_[row];
    gaz.country_of_[row] = idx;
    const auto countries = SplitPipeList(csv.Get(row, kMatchCountry));
    const auto metros = SplitPipeList(csv.Get(row, kMatchMetro));
    const auto cities = SplitPipeList(csv.Get(row, kMatchCity));
    if (place.kind == PlaceKind::kCountry) {
      if (!place.country.empty()) {
        return csv.Error(row, kCountry, "must be empty for a country");
      }
      if (!metros.empty()) return csv.Error(row, kMatchMetro, "a country matches on country only");
      if (!cities.empty()) return csv.Error(row, kMatchCity, "a country matches on country only");
      if (countries.empty()) {
        return csv.Error(row, kMatchCountry, "a country needs at least one match_country value");
      }
    } else {
      auto country = gaz.by_name_.find(FoldSpaceCase(place.country));
      if (place.country.empty() || country == gaz.by_name_.end() ||
          gaz.places_[country->second].kind != PlaceKind::kCountry ||
          FoldSpaceCase(gaz.places_[country->second].name_en) != FoldSpaceCase(place.country)) {
        return csv.Error(row, kCountry,
                         "city's country \"" + place.country +
                             "\" is not the name_en of a country in the gazetteer");
      }
      gaz.country_of_[row] = country->second;
      if (!countries.empty()) {
        return csv.Error(row, kMatchCountry, "a city matches on metro area and/or city only");
      }
      if (metros.empty() && cities.empty()) {
        return csv.Error(row, kMatchMetro, "a city needs match_metro_area or match_city values");
      }
    }
    auto add = [idx](KeyIndex* index, const std::vector<std::string>& values) {
      for (const std::string& value : values) {
        std::vector<uint32_t>& list = (*index)[FoldSpaceCase(value)];
        if (list.empty() || list.back() != idx) list.push_back(idx);
      }
    };
    for (const auto* values : {&countries, &metros, &cities}) {
      for (const std::string& value : *values) {
        auto [it, inserted] = gaz.by_match_value_.emplace(FoldSpaceCase(value), idx);
        if (!inserted && it->second != idx) it->second = kNoPlace;
      }
    }
    add(&gaz.by_country_, countries);
    add(&gaz.by_metro_, metros);
    add(&gaz.by_city_, cities);
  }
  return gaz;
}

StatusOr<Gazetteer> Gazetteer::LoadDefault() {
  return Load(std::filesystem::path(TALENTFLOW_DATA_DIR) / "gazetteer" / "places.csv");
}

std::optional<uint32_t> Gazetteer::FindPlace(std::string_view name_or_alias) const {
  const std::string key = FoldSpaceCase(name_or_alias);
  if (auto it = by_name_.find(key); it != by_name_.end()) return it->second;
  if (auto it = by_match_value_.find(key); it != by_match_value_.end() && it->second != kNoPlace) {
    return it->second;
  }
  return std::nullopt;
}

void Gazetteer::Match(std::string_view country, std::string_view metro_area, std::string_view city,
                      std::vector<uint32_t>* out) const {
  const size_t first = out->size();
  auto collect = [out](const KeyIndex& index, std::string_view value) {
    if (value.empty()) return;
    std::string key = FoldSpaceCase(value);
    if (key.empty()) return;
    auto it = index.find(key);
    if (it == index.end()) return;
    out->insert(out->end(), it->second.begin(), it->second.end());
  };
  collect(by_country_, country);
  collect(by_metro_, metro_area);
  collect(by_city_, city);
  out->erase(std::remove_if(out->begin() + static_cast<std::ptrdiff_t>(first), out->end(),
                            [&](uint32_t idx) { return !CountryAllows(idx, country); }),
             out->end());
  std::sort(out->begin() + static_cast<std::ptrdiff_t>(first), out->end());
  out->erase(std::unique(out->begin() + static_cast<std::ptrdiff_t>(first), out->end()),
             out->end());
}

bool Gazetteer::Matches(uint32_t place_idx, std::string_view country, std::string_view metro_area,
                        std::string_view city) const {
  auto holds = [place_idx](const KeyIndex& index, std::string_view value) {
    if (value.empty()) return false;
    auto it = index.find(FoldSpaceCase(value));
    if (it == index.end()) return false;
    return std::binary_search(it->second.begin(), it->second.end(), place_idx);
  };
  if (places_[place_idx].kind == PlaceKind::kCountry) return holds(by_country_, country);
  return (holds(by_metro_, metro_area) || holds(by_city_, city)) &&
         CountryAllows(place_idx, country);
}

bool Gazetteer::CountryAllows(uint32_t place_idx, std::string_view country) const {
  if (places_[place_idx].kind == PlaceKind::kCountry) return true;
  const std::string key = FoldSpaceCase(country);
  if (key.empty()) return true;
  auto it = by_country_.find(key);
  return it != by_country_.end() &&
         std::binary_search(it->second.begin(), it->second.end(), country_of_[place_idx]);
}

}  // namespace talentflow
