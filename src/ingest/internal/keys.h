// Key columns during ingest (user_id, position_id, rcid): nearly every value
// is distinct, so they are not interned while parsing. A parsing thread keeps
// each key as bytes with its hash's top 32 bits (KeyBytes); duplicates are then
// found by sorting (hash, row) pairs (SortByHash) and comparing the bytes
// within runs of equal hashes; joins by key use KeyIndex or a merge of two
// sorted pair lists. Hashes only group candidates: equality is always decided
// on the bytes, so a hash collision can never merge two different keys.
//
// Threads: a KeyBytes is filled by one thread; a built KeyIndex may be read
// by any number of threads at once. SortByHash starts and joins its own.
#pragma once

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace talentflow::ingest_internal {

uint64_t HashKey(std::string_view key);

// a == b for the short strings of identifiers, without a call: overlapping
// word loads within each string's own bytes; memcmp past 32 bytes.
inline bool SameBytes(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  auto load64 = [](const char* s) {
    uint64_t w;
    std::memcpy(&w, s, 8);
    return w;
  };
  auto load32 = [](const char* s) {
    uint32_t w;
    std::memcpy(&w, s, 4);
    return w;
  };
  if (n >= 8) {
    if (n > 32) return std::memcmp(p, q, n) == 0;
    if (n > 16) {
      // The first and last 16 bytes (20-digit Revelio ids are 20 bytes).
      return load64(p) == load64(q) && load64(p + 8) == load64(q + 8) &&
             load64(p + n - 16) == load64(q + n - 16) && load64(p + n - 8) == load64(q + n - 8);
    }
    return load64(p) == load64(q) && load64(p + n - 8) == load64(q + n - 8);
  }
  if (n >= 4) return load32(p) == load32(q) && load32(p + n - 4) == load32(q + n - 4);
  for (size_t i = 0; i < n; ++i)
    if (p[i] != q[i]) return false;
  return true;
}

// The 32 bits of a 64-bit hash that ingest keeps: its top ones.
inline uint32_t HashTag(uint64_t hash) { return static_cast<uint32_t>(hash >> 32); }

// Values of one key column, in row order, with their hashes' top 32 bits
// (HashTag): all that SortByHash and KeyIndex use.
class KeyBytes {
 public:
  void Add(std::string_view value, uint64_t hash) {
    bytes_.append(value);
    end_.push_back(bytes_.size());
    hash_.push_back(HashTag(hash));
  }
  // Appends every value of `other` after this one's.
  void Append(const KeyBytes& other);
  void Reserve(size_t rows, size_t bytes);
  // Empties the column; with `keep_memory` the capacity stays for reuse.
  void Clear(bool keep_memory = false) {
    if (!keep_memory) {
      *this = KeyBytes();
      return;
    }
    bytes_.clear();
    end_.clear();
    hash_.clear();
  }

  size_t size() const { return end_.size(); }
  size_t byte_size() const { return bytes_.size(); }
  // REQUIRES: row < size()
  std::string_view Get(size_t row) const {
    size_t begin = row == 0 ? 0 : end_[row - 1];
    return std::string_view(bytes_.data() + begin, end_[row] - begin);
  }
  uint32_t hash(size_t row) const { return hash_[row]; }
  // Cache hints for a join that visits rows out of order: first the row's
  // offsets, some steps later (when they have arrived) its bytes.
  // REQUIRES: row < size()
  void PrefetchOffsets(size_t row) const { __builtin_prefetch(&end_[row == 0 ? 0 : row - 1]); }
  void PrefetchBytes(size_t row) const {
    __builtin_prefetch(bytes_.data() + (row == 0 ? 0 : end_[row - 1]));
  }
  const std::vector<uint32_t>& hashes() const { return hash_; }
  // Frees the hashes (hash() and hashes() may not be used after).
  void FreeHashes() { std::vector<uint32_t>().swap(hash_); }
  // Moves the values out (value r's bytes end at (*ends)[r]); the column is
  // left empty.
  void Release(std::string* bytes, std::vector<uint64_t>* ends) {
    *bytes = std::move(bytes_);
    *ends = std::move(end_);
    *this = KeyBytes();
  }

 private:
  std::string bytes_;
  std::vector<uint64_t> end_;
  std::vector<uint32_t> hash_;
};

// A row and its hash's top 32 bits (HashTag) in one word, so that ordering
// the words orders by hash and then by row. Rows of equal hash are candidates
// only, compared by their bytes: the 32 bits find the same candidates as
// the whole hash and a few more (about n^2 / 2^33 pairs of distinct keys,
// 19,000 among 12.8 million rows), in half the memory of a 64-bit hash and
// a row, padded (at 5M users, 102 MB instead of 205 MB of fresh pages).
struct HashRow {
  uint64_t word;
  static HashRow Of(uint32_t hash, uint32_t row) { return {uint64_t{hash} << 32 | row}; }
  uint32_t hash() const { return static_cast<uint32_t>(word >> 32); }
  uint32_t row() const { return static_cast<uint32_t>(word); }
};

// HashRow::Of(hash[row], row) for every row, ordered by hash and then row,
// so equal hashes form runs in file order. Deterministic for any `threads`.
std::vector<HashRow> SortByHash(const std::vector<uint32_t>& hash, int threads);

// Maps distinct key texts to values (user_id -> user index); read-only once
// built. Entries keep the order they were given in (the users table's file
// order), and a lookup can first try the previous hit's entry and the few
// after it: the other tables usually list a user's rows in the users table's
// order, and then the lookup reads memory in sequence instead of probing the
// table.
class KeyIndex {
 public:
  static constexpr uint32_t kNotFound = std::numeric_limits<uint32_t>::max();
  struct Hit {
    uint32_t entry = kNotFound;  // position in the order given to Build
    uint32_t value = kNotFound;
  };

  // Entry i is keys[i] -> values[i]. `hashes`, when given, holds
  // HashTag(HashKey(keys[i])) (computed already during the parse): the
  // table's slots and tags are those 32 bits.
  // REQUIRES: keys distinct, fewer than 2^32, keys.size() == values.size()
  // (== hashes->size()).
  void Build(const std::vector<std::string_view>& keys, const std::vector<uint32_t>& values,
             const std::vector<uint32_t>* hashes = nullptr);
  // `after`: an entry of an earlier hit, or kNotFound.
  Hit Find(std::string_view key, uint32_t after = kNotFound) const;
  size_t size() const { return values_.size(); }

 private:
  static constexpr size_t kLookAhead = 4;  // entries after `after` tried before the table
  std::string_view KeyAt(uint32_t entry) const {
    return std::string_view(bytes_.data() + begin_[entry], begin_[entry + 1] - begin_[entry]);
  }

  std::string bytes_;
  std::vector<uint64_t> begin_;  // size() + 1 offsets into bytes_
  std::vector<uint32_t> values_;
  // Open addressing, linear probing: (32-bit hash tag << 32) | (entry + 1),
  // from the tag's slot; 0 is empty. At most half full.
  std::vector<uint64_t> slots_;
  uint64_t mask_ = 0;
};

}  // namespace talentflow::ingest_internal
