// ColumnDict: the distinct values of one text column in the chunks one
// parsing sink has parsed, as they are parsed. Each value gets a small local
// id (0 is the empty string); the merging thread later maps the local ids to
// Dataset string ids (one global lookup per distinct value per sink instead
// of one per cell).
//
// Built for the common case of short, repeated values (countries, cities,
// company ids, titles): a value of at most 16 bytes is held inline in its
// hash slot as two machine words plus its length, so finding it costs one
// multiply-mix hash and two word compares, with no call and no pointer
// chase. Values of 17 to 32 bytes also add their last 16 bytes (two word
// loads) to the hash and the compare; longer ones are hashed fully and
// compared with memcmp.
//
// Threads: one ColumnDict is used by one thread at a time.
//
// Example:
//   ColumnDict dict;
//   uint32_t hk = dict.Intern("Hong Kong", end_of_buffer);
//   assert(dict.Get(hk) == "Hong Kong");
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "ingest/string_pool.h"

namespace talentflow::ingest_internal {
namespace column_dict_internal {

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

}  // namespace column_dict_internal

class ColumnDict {
 public:
  ColumnDict();

  // Returns the local id of `value`, adding it if new. `readable_end` bounds
  // the memory after `value` that may be read (16-byte loads): the end of
  // the buffer the value lives in, or value.data() + value.size() if unknown.
  uint32_t Intern(std::string_view value, const char* readable_end);
  // REQUIRES: id < size()
  std::string_view Get(uint32_t id) const {
    const Entry& e = entries_[id];
    return std::string_view(bytes_.data() + e.offset, e.len);
  }
  size_t size() const { return entries_.size(); }
  // Forgets every value but the empty string, keeping the memory.
  void Clear();

 private:
  struct Slot {
    uint64_t w0, w1;  // the value's first 16 bytes, zero-padded
    uint32_t len;
    uint32_t id_plus1;  // 0: empty slot
  };
  struct Entry {
    uint64_t offset;
    uint32_t len;
  };
  uint32_t Insert(std::string_view value, uint64_t w0, uint64_t w1, size_t slot);
  void Grow();

  std::vector<Slot> slots_;
  uint64_t mask_ = 0;
  std::vector<Entry> entries_;
  std::vector<char> bytes_;
};

// Inline, so that the common case (a value found in its first probed slot)
// costs no call and no register spills; adding a value (Insert) stays out of
// line. There is no shortcut for the previous value again (a person's
// positions repeat company, country and city): whether a value repeats the
// last one depends on the data, so that test was mispredicted often enough
// to cost more than the probe it saved (docs/performance.md, seventh
// session).
inline uint32_t ColumnDict::Intern(std::string_view value, const char* readable_end) {
  const uint32_t len = static_cast<uint32_t>(value.size());
  if (len == 0) return 0;
  using namespace column_dict_internal;
  uint64_t w0, w1;
  Words(value, readable_end, &w0, &w1);
  auto same_rest = [&](uint32_t id) {
    if (len <= kInline) return true;
    const char* stored = bytes_.data() + entries_[id].offset;
    if (len <= kTwoWords) return SameTail(stored, value.data(), len);
    return std::memcmp(stored, value.data(), len) == 0;
  };
  const uint64_t h = HashOf(value, w0, w1);
  for (size_t s = h & mask_;; s = (s + 1) & mask_) {
    const Slot& slot = slots_[s];
    if (slot.id_plus1 == 0) return Insert(value, w0, w1, s);
    if (slot.len == len && slot.w0 == w0 && slot.w1 == w1 && same_rest(slot.id_plus1 - 1))
      return slot.id_plus1 - 1;
  }
}

}  // namespace talentflow::ingest_internal
