#include "panel/place_matcher.h"

#include <algorithm>

namespace talentflow {

const LocationCache::Entry& LocationCache::Get(const Dataset& dataset, StrId country,
                                               StrId metro_area, StrId city) {
  Key key{country, metro_area, city};
  auto it = entries_.find(key);
  if (it != entries_.end()) return it->second;
  scratch_.clear();
  matcher_->Match(dataset.str(country), dataset.str(metro_area), dataset.str(city), &scratch_);
  Entry entry;
  entry.in_target = std::find(scratch_.begin(), scratch_.end(), target_) != scratch_.end();
  for (size_t slot = 0; slot < study_.size(); ++slot) {
    if (std::find(scratch_.begin(), scratch_.end(), study_[slot]) != scratch_.end()) {
      entry.study_slots.push_back(static_cast<uint16_t>(slot));
    }
  }
  return entries_.emplace(key, std::move(entry)).first->second;
}

}  // namespace talentflow
