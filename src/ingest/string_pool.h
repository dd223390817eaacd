// StringPool: interned strings, so that repeated values (identifiers,
// countries, companies, titles) are stored once and compared as integers.
//
// Id 0 is always the empty string, which the pipeline uses for "missing".
// Views returned by Get() stay valid for the pool's lifetime (strings live in
// stable chunks). A pool is not synchronised: ingest's parsing threads keep
// per-chunk dictionaries (internal/column_dict.h) and only the merging
// thread writes the Dataset's pool.
//
// Example:
//   StringPool pool;
//   StrId hk = pool.Intern("Hong Kong");
//   assert(pool.Get(hk) == "Hong Kong" && pool.Intern("Hong Kong") == hk);
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace talentflow {

using StrId = uint32_t;
inline constexpr StrId kEmptyStr = 0;

class StringPool {
 public:
  StringPool();
  StringPool(const StringPool&) = delete;
  StringPool& operator=(const StringPool&) = delete;
  StringPool(StringPool&&) noexcept = default;
  StringPool& operator=(StringPool&&) noexcept = default;

  StrId Intern(std::string_view text);
  // The same with the value's Hash() already computed (e.g. by another thread).
  // REQUIRES: hash == Hash(text)
  StrId Intern(std::string_view text, uint64_t hash);
  // Stores `text` under a new id without indexing it: Find() and Intern()
  // never return that id, and equal texts appended twice get two ids. For
  // values that are nearly unique and never looked up by text (identifiers
  // whose deduplication is done elsewhere), it saves the hash table's cost.
  StrId Append(std::string_view text);
  // Makes room for `n` more strings: until they are added, Append() and
  // Intern() never move the views of existing ids, so one thread may append
  // while others Get() ids that existed before the call (and nothing else).
  void Reserve(size_t n) { strings_.reserve(strings_.size() + n); }
  std::optional<StrId> Find(std::string_view text) const;
  // The 64-bit hash the pool uses; stable within a build, not across versions.
  static uint64_t Hash(std::string_view text) { return HashOf(text); }
  // The last 1 to 7 bytes of a value as one word, for hashing.
  // REQUIRES: 1 <= n <= 7
  static uint64_t Tail(const char* p, size_t n) {
    // Without a variable-length copy: two overlapping 4-byte loads, or the
    // first, middle and last byte (callers mix the length in, so the
    // overlap loses nothing).
    auto load32 = [](const char* q) {
      uint32_t w;
      std::memcpy(&w, q, 4);
      return static_cast<uint64_t>(w);
    };
    if (n >= 4) return load32(p) | (load32(p + n - 4) << 32);
    auto byte = [](char c) { return static_cast<uint64_t>(static_cast<unsigned char>(c)); };
    return byte(p[0]) | (byte(p[n / 2]) << 8) | (byte(p[n - 1]) << 16);
  }
  // REQUIRES: id < size()
  std::string_view Get(StrId id) const { return strings_[id]; }
  size_t size() const { return strings_.size(); }
  // Bytes held by string contents (not counting the index).
  size_t content_bytes() const { return content_bytes_; }

  // Forgets every string but the empty one, keeping the memory for reuse
  // (a parsing thread's pool between chunks). Views from Get() become invalid.
  void Clear();

 private:
  // Open addressing with linear probing over a power-of-two table. A slot is
  // (32-bit hash tag << 32) | (id + 1), 0 when empty; the tag both picks the
  // home slot (its top bits) and filters probes before any string compare,
  // so growing never re-reads strings. Load factor stays at most 1/2.
  static uint64_t HashOf(std::string_view s);
  std::optional<StrId> FindHashed(std::string_view text, uint32_t tag) const;
  StrId InsertHashed(std::string_view text, uint32_t tag);
  void Grow();
  std::string_view Store(std::string_view text);

  std::vector<std::unique_ptr<char[]>> chunks_;  // of kChunkBytes each
  std::vector<std::unique_ptr<char[]>> big_;     // one per large value
  size_t chunk_index_ = 0;                       // the chunk being filled
  size_t chunk_used_ = 0;
  size_t content_bytes_ = 0;
  std::vector<std::string_view> strings_;
  std::vector<uint64_t> slots_;
  size_t indexed_ = 0;  // strings in slots_ (Append()ed ones are not)
  int slot_bits_ = 0;
};

}  // namespace talentflow
