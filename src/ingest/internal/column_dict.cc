#include "ingest/internal/column_dict.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace talentflow::ingest_internal {
namespace {

constexpr size_t kInitialSlots = 64;

}  // namespace

ColumnDict::ColumnDict() {
  slots_.assign(kInitialSlots, Slot{});
  mask_ = kInitialSlots - 1;
  entries_.push_back({0, 0});  // id 0: the empty string
}

void ColumnDict::Clear() {
  std::fill(slots_.begin(), slots_.end(), Slot{});
  entries_.resize(1);
  bytes_.clear();
}

uint32_t ColumnDict::Insert(std::string_view value, uint64_t w0, uint64_t w1, size_t slot) {
  const uint32_t id = static_cast<uint32_t>(entries_.size());
  entries_.push_back({bytes_.size(), static_cast<uint32_t>(value.size())});
  bytes_.insert(bytes_.end(), value.begin(), value.end());
  slots_[slot] = {w0, w1, static_cast<uint32_t>(value.size()), id + 1};
  if (entries_.size() * 2 > slots_.size()) Grow();
  return id;
}

void ColumnDict::Grow() {
  std::vector<Slot> old(slots_.size() * 2, Slot{});
  old.swap(slots_);
  mask_ = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.id_plus1 == 0) continue;
    uint64_t h = column_dict_internal::HashOf(Get(slot.id_plus1 - 1), slot.w0, slot.w1);
    size_t s = h & mask_;
    while (slots_[s].id_plus1 != 0) s = (s + 1) & mask_;
    slots_[s] = slot;
  }
}

}  // namespace talentflow::ingest_internal
