#include "ingest/internal/column_dict.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "ingest/string_pool.h"

namespace talentflow::ingest_internal {
namespace {

constexpr size_t kInitialSlots = 64;
constexpr size_t kInline = 16;

inline uint64_t Load64(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// The value's first (up to) 16 bytes as two words, zero-padded.
inline void Words(std::string_view v, const char* readable_end, uint64_t* w0, uint64_t* w1) {
  const char* p = v.data();
  const size_t len = v.size();
  if constexpr (std::endian::native == std::endian::little) {
    if (len >= kInline) {
      *w0 = Load64(p);
      *w1 = Load64(p + 8);
      return;
    }
    if (readable_end - p >= static_cast<std::ptrdiff_t>(kInline)) {
      // Two whole-word loads, then the bytes past the value masked off.
      uint64_t a = Load64(p);
      uint64_t b = Load64(p + 8);
      if (len < 8) {
        a = len == 0 ? 0 : a & (~uint64_t{0} >> (64 - 8 * len));
        b = 0;
      } else {
        b = len == 8 ? 0 : b & (~uint64_t{0} >> (64 - 8 * (len - 8)));
      }
      *w0 = a;
      *w1 = b;
      return;
    }
  }
  uint64_t buf[2] = {0, 0};
  std::memcpy(buf, p, std::min(len, kInline));
  *w0 = buf[0];
  *w1 = buf[1];
}

// Values of 17 to 32 bytes (company names, many titles) are hashed and
// compared as their first 16 bytes (w0, w1) and their last 16 (two loads
// that overlap the first when shorter than 32), without a call.
constexpr size_t kTwoWords = 32;

inline bool SameTail(const char* a, const char* b, size_t len) {
  return Load64(a + len - 16) == Load64(b + len - 16) && Load64(a + len - 8) == Load64(b + len - 8);
}

inline uint64_t HashOf(std::string_view v, uint64_t w0, uint64_t w1) {
  if (v.size() > kTwoWords) return StringPool::Hash(v);
  uint64_t h = (w0 ^ (static_cast<uint64_t>(v.size()) << 59)) * 0x9E3779B97F4A7C15ULL;
  h ^= w1 * 0xC2B2AE3D27D4EB4FULL;
  if (v.size() > kInline) {
    const char* p = v.data() + v.size() - 16;
    h ^= (Load64(p) ^ (h >> 31)) * 0x94D049BB133111EBULL;
    h ^= Load64(p + 8) * 0xD6E8FEB86659FD93ULL;
  }
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ULL;
  return h ^ (h >> 32);
}

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
  last_w0_ = last_w1_ = 0;
  last_len_ = last_id_ = 0;
}

uint32_t ColumnDict::Intern(std::string_view value, const char* readable_end) {
  const uint32_t len = static_cast<uint32_t>(value.size());
  if (len == 0) return 0;
  uint64_t w0, w1;
  Words(value, readable_end, &w0, &w1);
  auto same_rest = [&](uint32_t id) {
    if (len <= kInline) return true;
    const char* stored = bytes_.data() + entries_[id].offset;
    if (len <= kTwoWords) return SameTail(stored, value.data(), len);
    return std::memcmp(stored, value.data(), len) == 0;
  };
  if (len == last_len_ && w0 == last_w0_ && w1 == last_w1_ && same_rest(last_id_)) {
    return last_id_;
  }
  uint64_t h = HashOf(value, w0, w1);
  for (size_t s = h & mask_;; s = (s + 1) & mask_) {
    const Slot& slot = slots_[s];
    if (slot.id_plus1 == 0) {
      last_id_ = Insert(value, w0, w1, s);
      break;
    }
    if (slot.len == len && slot.w0 == w0 && slot.w1 == w1 && same_rest(slot.id_plus1 - 1)) {
      last_id_ = slot.id_plus1 - 1;
      break;
    }
  }
  last_len_ = len;
  last_w0_ = w0;
  last_w1_ = w1;
  return last_id_;
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
    uint64_t h = HashOf(Get(slot.id_plus1 - 1), slot.w0, slot.w1);
    size_t s = h & mask_;
    while (slots_[s].id_plus1 != 0) s = (s + 1) & mask_;
    slots_[s] = slot;
  }
}

}  // namespace talentflow::ingest_internal
