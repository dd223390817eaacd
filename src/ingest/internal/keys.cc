#include "ingest/internal/keys.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "common/memory.h"
#include "ingest/string_pool.h"

namespace talentflow::ingest_internal {

uint64_t HashKey(std::string_view key) { return StringPool::Hash(key); }

void KeyBytes::Reserve(size_t rows, size_t bytes) {
  ReservePopulated(&end_, rows);
  ReservePopulated(&hash_, rows);
  bytes_.reserve(bytes);
  PopulateForWrite(bytes_.data(), bytes_.capacity());
}

void KeyBytes::Append(const KeyBytes& other) {
  const uint64_t base = bytes_.size();
  bytes_.append(other.bytes_);
  end_.reserve(end_.size() + other.end_.size());
  for (uint64_t e : other.end_) end_.push_back(base + e);
  hash_.insert(hash_.end(), other.hash_.begin(), other.hash_.end());
}

std::vector<HashRow> SortByHash(const std::vector<uint32_t>& hash, int threads) {
  const size_t n = hash.size();
  // Partition by the top bits into buckets of about a thousand pairs (they
  // sort inside the cache), then sort each bucket.
  int bits = 0;
  while (bits < 12 && (n >> (bits + 10)) > 0) ++bits;
  const size_t buckets = size_t{1} << bits;
  auto bucket_of = [bits](uint32_t h) -> size_t { return bits == 0 ? 0 : h >> (32 - bits); };
  std::vector<size_t> begin(buckets + 1, 0);
  for (uint32_t h : hash) ++begin[bucket_of(h) + 1];
  for (size_t b = 0; b < buckets; ++b) begin[b + 1] += begin[b];
  std::vector<HashRow> out;
  ReservePopulated(&out, n);
  out.resize(n);
  {
    std::vector<size_t> fill(begin.begin(), begin.end() - 1);
    for (size_t row = 0; row < n; ++row)
      out[fill[bucket_of(hash[row])]++] = HashRow::Of(hash[row], static_cast<uint32_t>(row));
  }
  // Then each bucket by its words: a partition by the next 8 bits of the
  // hash, then insertion sort of the small pieces.
  auto less = [](const HashRow& a, const HashRow& b) { return a.word < b.word; };
  auto insertion_sort = [&](HashRow* first, HashRow* last) {
    if (last - first < 2) return;  // also an empty table, whose rows are null
    if (last - first > 64) return std::sort(first, last, less);
    for (HashRow* i = first + 1; i < last; ++i) {
      HashRow v = *i;
      HashRow* j = i;
      for (; j > first && (j - 1)->word > v.word; --j) *j = *(j - 1);
      *j = v;
    }
  };
  const int shift = 64 - bits - 8;
  std::atomic<size_t> next{0};
  auto work = [&] {
    std::vector<HashRow> tmp;
    for (size_t b; (b = next.fetch_add(1)) < buckets;) {
      HashRow* first = out.data() + begin[b];
      const size_t m = begin[b + 1] - begin[b];
      if (m <= 64 || shift < 0) {
        insertion_sort(first, first + m);
        continue;
      }
      size_t count[257] = {0};
      for (size_t i = 0; i < m; ++i) ++count[((first[i].word >> shift) & 0xFF) + 1];
      for (int d = 0; d < 256; ++d) count[d + 1] += count[d];
      tmp.resize(m);
      size_t fill[256];
      std::copy(count, count + 256, fill);
      for (size_t i = 0; i < m; ++i) tmp[fill[(first[i].word >> shift) & 0xFF]++] = first[i];
      std::copy(tmp.begin(), tmp.end(), first);
      for (int d = 0; d < 256; ++d) insertion_sort(first + count[d], first + count[d + 1]);
    }
  };
  threads = std::max(1, std::min(threads, static_cast<int>(buckets)));
  if (threads == 1 || n < 65536) {
    work();
  } else {
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (std::thread& t : pool) t.join();
  }
  return out;
}

void KeyIndex::Build(const std::vector<std::string_view>& keys, const std::vector<uint32_t>& values,
                     const std::vector<uint32_t>* hashes) {
  bytes_.clear();
  begin_.assign(1, 0);
  values_ = values;
  size_t total = 0;
  for (std::string_view k : keys) total += k.size();
  bytes_.reserve(total);
  begin_.reserve(keys.size() + 1);
  for (std::string_view k : keys) {
    bytes_.append(k);
    begin_.push_back(bytes_.size());
  }
  size_t slots = 16;
  while (slots < keys.size() * 2) slots *= 2;
  slots_.assign(slots, 0);
  mask_ = slots - 1;
  // The table is far larger than the caches: each slot is prefetched a few
  // keys ahead of its insertion.
  constexpr size_t kAhead = 8;
  auto hash_of = [&](size_t i) -> uint32_t {
    return hashes != nullptr ? (*hashes)[i] : HashTag(HashKey(keys[i]));
  };
  std::vector<uint32_t> ahead(kAhead);
  for (size_t i = 0; i < std::min(kAhead, keys.size()); ++i) {
    ahead[i] = hash_of(i);
    __builtin_prefetch(&slots_[ahead[i] & mask_], 1);
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    const uint32_t h = ahead[i % kAhead];
    if (i + kAhead < keys.size()) {
      const uint32_t next = hash_of(i + kAhead);
      ahead[i % kAhead] = next;
      __builtin_prefetch(&slots_[next & mask_], 1);
    }
    uint64_t s = h & mask_;
    while (slots_[s] != 0) s = (s + 1) & mask_;
    slots_[s] = uint64_t{h} << 32 | (static_cast<uint64_t>(i) + 1);
  }
}

KeyIndex::Hit KeyIndex::Find(std::string_view key, uint32_t after) const {
  if (after != kNotFound) {
    // The next few entries: a table in the users' order skips the users it
    // has no row for, and a user with several rows repeats its entry.
    const size_t last = std::min(static_cast<size_t>(after) + kLookAhead, values_.size() - 1);
    for (size_t e = after; e <= last; ++e) {
      if (SameBytes(KeyAt(static_cast<uint32_t>(e)), key))
        return {static_cast<uint32_t>(e), values_[e]};
    }
  }
  if (slots_.empty()) return {};
  const uint32_t tag = HashTag(HashKey(key));
  for (uint64_t s = tag & mask_;; s = (s + 1) & mask_) {
    uint64_t slot = slots_[s];
    if (slot == 0) return {};
    if ((slot >> 32) != tag) continue;
    uint32_t entry = static_cast<uint32_t>((slot & 0xFFFFFFFFu) - 1);
    if (SameBytes(KeyAt(entry), key)) return {entry, values_[entry]};
  }
}

}  // namespace talentflow::ingest_internal
