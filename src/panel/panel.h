// Panel: where a person is at a month (spec flows.md section 3).
//
// A position is active at month m when start <= m <= end (the end month is
// worked). Among a person's active positions the primary one ranks first by:
// not a side role (TitleFlags), then the latest start month, then the
// smallest position_id in byte-wise order. The person's location at m is the
// primary position's (country, metro_area, city); when that position has no
// country, the profile's (user_country, user_location) is used and flagged as
// a fallback. No active position means unknown at m (the profile is not used).
// When neither the position nor the profile names any location, the person is
// also unknown at m (reason kNoLocation) because no place can be matched.
//
// LocateAt2 finds both snapshots in one pass over the person's positions (the
// Dataset groups positions by person). Functions here are pure: they read the
// immutable Dataset and TitleFlags and touch no shared state, so any number of
// threads may call them on distinct persons.
//
// Example:
//   Snapshot before, after;
//   LocateAt2(ds, flags, user, MakeMonth(2019, 12), MakeMonth(2023, 6), &before, &after);
//   if (before.known()) use(ds.str(before.country));
#pragma once

#include <cstdint>

#include "common/month.h"
#include "ingest/dataset.h"
#include "panel/title_rules.h"

namespace talentflow {

enum class SnapshotState : uint8_t {
  kKnown = 0,
  kNoPosition,  // no active position at the month
  kNoLocation,  // active position, but neither it nor the profile names a place
};

struct Snapshot {
  SnapshotState state = SnapshotState::kNoPosition;
  int64_t position = -1;  // row in PositionTable of the primary position, -1 if none
  bool fallback = false;  // location taken from the profile
  // Location used for place matching: the position's fields, or on fallback
  // (user_country, user_location, user_location).
  StrId country = kEmptyStr;
  StrId metro_area = kEmptyStr;
  StrId city = kEmptyStr;

  bool known() const { return state == SnapshotState::kKnown; }
};

// True when position row `a` ranks before row `b` as the primary position.
// REQUIRES: both rows exist in dataset.positions.
bool RanksBefore(const Dataset& dataset, const TitleFlags& titles, uint32_t a, uint32_t b);

// REQUIRES: user < dataset.users.size()
Snapshot LocateAt(const Dataset& dataset, const TitleFlags& titles, uint32_t user, Month month);

// Both snapshots in one pass over the person's positions.
// REQUIRES: user < dataset.users.size()
void LocateAt2(const Dataset& dataset, const TitleFlags& titles, uint32_t user, Month first,
               Month second, Snapshot* at_first, Snapshot* at_second);

}  // namespace talentflow
