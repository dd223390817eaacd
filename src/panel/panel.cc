#include "panel/panel.h"

#include <algorithm>

namespace talentflow {

bool RanksBefore(const Dataset& dataset, const TitleFlags& titles, uint32_t a, uint32_t b) {
  const PositionTable& pos = dataset.positions;
  const bool side_a = titles.flags(pos.title_raw[a]) & kTitleSideRole;
  const bool side_b = titles.flags(pos.title_raw[b]) & kTitleSideRole;
  if (side_a != side_b) return !side_a;
  if (pos.start[a] != pos.start[b]) return pos.start[a] > pos.start[b];
  // std::string_view compares as unsigned bytes (char_traits<char>::compare
  // is memcmp-like), which is the spec's plain byte-wise order.
  return pos.position_id[a] < pos.position_id[b];
}

namespace {

void Finish(const Dataset& dataset, uint32_t user, int64_t best, Snapshot* out) {
  *out = Snapshot{};
  if (best < 0) {
    out->state = SnapshotState::kNoPosition;
    return;
  }
  const PositionTable& pos = dataset.positions;
  out->position = best;
  if (pos.country[best] != kEmptyStr) {
    out->country = pos.country[best];
    out->metro_area = pos.metro_area[best];
    out->city = pos.city[best];
    out->state = SnapshotState::kKnown;
    return;
  }
  const UserTable& users = dataset.users;
  out->fallback = true;
  out->country = users.user_country[user];
  out->metro_area = users.user_location[user];
  out->city = users.user_location[user];
  out->state = (out->country == kEmptyStr && out->metro_area == kEmptyStr)
                   ? SnapshotState::kNoLocation
                   : SnapshotState::kKnown;
}

}  // namespace

Snapshot LocateAt(const Dataset& dataset, const TitleFlags& titles, uint32_t user, Month month) {
  Snapshot s, unused;
  LocateAt2(dataset, titles, user, month, month, &s, &unused);
  return s;
}

void LocateAt2(const Dataset& dataset, const TitleFlags& titles, uint32_t user, Month first,
               Month second, Snapshot* at_first, Snapshot* at_second) {
  const PositionTable& pos = dataset.positions;
  const uint32_t begin = dataset.users.pos_begin[user];
  const uint32_t end = dataset.users.pos_begin[user + 1];
  int64_t best_first = -1, best_second = -1;
  const Month last = std::max(first, second);
  for (uint32_t row = begin; row < end; ++row) {
    const Month s = pos.start[row];
    if (s > last) break;  // rows are ordered by start within a person
    const Month e = pos.end[row];
    if (s <= first && first <= e) {
      if (best_first < 0 || RanksBefore(dataset, titles, row, static_cast<uint32_t>(best_first))) {
        best_first = row;
      }
    }
    if (s <= second && second <= e) {
      if (best_second < 0 ||
          RanksBefore(dataset, titles, row, static_cast<uint32_t>(best_second))) {
        best_second = row;
      }
    }
  }
  Finish(dataset, user, best_first, at_first);
  Finish(dataset, user, best_second, at_second);
}

}  // namespace talentflow
