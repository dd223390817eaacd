// ColumnDict: the distinct values of one text column within one chunk, as
// the chunk is parsed. Each value gets a small local id (0 is the empty
// string); the merging thread later maps the local ids to Dataset string ids
// (one global lookup per distinct value per chunk instead of one per cell).
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

#include <cstdint>
#include <string_view>
#include <vector>

namespace talentflow::ingest_internal {

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
  // The previous value, for runs of equal values (a person's positions).
  uint64_t last_w0_ = 0, last_w1_ = 0;
  uint32_t last_len_ = 0, last_id_ = 0;
};

}  // namespace talentflow::ingest_internal
