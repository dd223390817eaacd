// Key columns during ingest (user_id, position_id, rcid): nearly every value
// is distinct, so they are not interned while parsing. A parsing thread keeps
// each key as bytes with its 64-bit hash (KeyBytes); duplicates are then
// found by sorting (hash, row) pairs (SortByHash) and comparing the bytes
// within runs of equal hashes; joins by key use KeyIndex or a merge of two
// sorted pair lists. Hashes only group candidates: equality is always decided
// on the bytes, so a hash collision can never merge two different keys.
//
// Threads: a KeyBytes is filled by one thread; a built KeyIndex may be read
// by any number of threads at once. SortByHash starts and joins its own.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace talentflow::ingest_internal {

uint64_t HashKey(std::string_view key);

// Values of one key column, in row order, with their hashes.
class KeyBytes {
 public:
  void Add(std::string_view value, uint64_t hash) {
    bytes_.append(value);
    end_.push_back(bytes_.size());
    hash_.push_back(hash);
  }
  // Appends every value of `other` after this one's.
  void Append(const KeyBytes& other);
  void Reserve(size_t rows, size_t bytes) {
    end_.reserve(rows);
    hash_.reserve(rows);
    bytes_.reserve(bytes);
  }
  void Clear() { *this = KeyBytes(); }

  size_t size() const { return end_.size(); }
  size_t byte_size() const { return bytes_.size(); }
  // REQUIRES: row < size()
  std::string_view Get(size_t row) const {
    size_t begin = row == 0 ? 0 : end_[row - 1];
    return std::string_view(bytes_.data() + begin, end_[row] - begin);
  }
  uint64_t hash(size_t row) const { return hash_[row]; }
  const std::vector<uint64_t>& hashes() const { return hash_; }

 private:
  std::string bytes_;
  std::vector<uint64_t> end_;
  std::vector<uint64_t> hash_;
};

struct HashRow {
  uint64_t hash;
  uint32_t row;
};

// The pairs (hash[row], row) for every row, ordered by hash and then row, so
// equal hashes form runs in file order. Deterministic for any `threads`.
std::vector<HashRow> SortByHash(const std::vector<uint64_t>& hash, int threads);

// Maps distinct key texts to their positions 0..n-1; read-only once built.
class KeyIndex {
 public:
  static constexpr uint32_t kNotFound = std::numeric_limits<uint32_t>::max();

  // keys[i] gets index i. REQUIRES: the keys are distinct, fewer than 2^32.
  void Build(const std::vector<std::string_view>& keys);
  // REQUIRES: hash == HashKey(key)
  uint32_t Find(std::string_view key, uint64_t hash) const;
  uint32_t Find(std::string_view key) const { return Find(key, HashKey(key)); }
  size_t size() const { return begin_.empty() ? 0 : begin_.size() - 1; }

 private:
  std::string bytes_;
  std::vector<uint64_t> begin_;  // size() + 1 offsets into bytes_
  // Open addressing, linear probing: (32-bit hash tag << 32) | (index + 1);
  // 0 is empty. At most half full.
  std::vector<uint64_t> slots_;
  uint64_t mask_ = 0;
};

}  // namespace talentflow::ingest_internal
