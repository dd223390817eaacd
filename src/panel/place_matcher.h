// PlaceMatcher: what the panel needs from a list of places (the gazetteer):
// the places a location (country, metro_area, city) falls in. The flows
// engine depends on this interface, not on the gazetteer's file format, so
// tests can use a tiny matcher and a user-supplied gazetteer plugs in.
//
// LocationCache memoises Match per distinct (country, metro_area, city) StrId
// triple: there are few distinct locations but millions of positions. A cache
// belongs to one thread; the matcher itself must be safe for concurrent const
// calls.
//
// Example:
//   LocationCache cache(&matcher, target_idx, study_slots);
//   const LocationCache::Entry& e = cache.Get(ds, country, metro, city);
//   if (e.in_target) ...
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ingest/dataset.h"

namespace talentflow {

class PlaceMatcher {
 public:
  virtual ~PlaceMatcher() = default;
  // Appends the indices of every place the location matches, ascending.
  virtual void Match(std::string_view country, std::string_view metro_area, std::string_view city,
                     std::vector<uint32_t>* out) const = 0;
};

class LocationCache {
 public:
  struct Entry {
    bool in_target = false;
    // Slots (positions in the `study_places` list given at construction) of
    // the study places the location is in.
    std::vector<uint16_t> study_slots;
  };

  // `study_places`: place indices whose membership is wanted, in slot order.
  LocationCache(const PlaceMatcher* matcher, uint32_t target_place,
                std::vector<uint32_t> study_places)
      : matcher_(matcher), target_(target_place), study_(std::move(study_places)) {}

  const Entry& Get(const Dataset& dataset, StrId country, StrId metro_area, StrId city);

 private:
  struct Key {
    StrId country, metro, city;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const noexcept {
      uint64_t h = k.country * 0x9E3779B97F4A7C15ull;
      h ^= (h >> 29) + k.metro * 0xBF58476D1CE4E5B9ull;
      h ^= (h >> 31) + k.city * 0x94D049BB133111EBull;
      return static_cast<size_t>(h ^ (h >> 32));
    }
  };
  const PlaceMatcher* matcher_;
  uint32_t target_;
  std::vector<uint32_t> study_;
  std::unordered_map<Key, Entry, KeyHash> entries_;
  std::vector<uint32_t> scratch_;
};

}  // namespace talentflow
