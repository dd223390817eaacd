#include "ingest/string_pool.h"

#include <algorithm>
#include <cstring>

namespace talentflow {
namespace {
constexpr size_t kChunkBytes = 1 << 20;
constexpr int kInitialBits = 6;

inline uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}
}  // namespace

uint64_t StringPool::HashOf(std::string_view s) {
  // Eight bytes per step, then a full avalanche so the top bits are good.
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ s.size();
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0x9FB21C651E98DF25ULL;
    h ^= h >> 29;
  }
  if (i < s.size()) h = (h ^ Tail(s.data() + i, s.size() - i) ^ 0xA5) * 0x9FB21C651E98DF25ULL;
  return Mix(h);
}

StringPool::StringPool() {
  slot_bits_ = kInitialBits;
  slots_.assign(size_t{1} << slot_bits_, 0);
  strings_.emplace_back();
  InsertHashed(std::string_view(), static_cast<uint32_t>(HashOf({}) >> 32));
}

std::string_view StringPool::Store(std::string_view text) {
  if (text.size() > kChunkBytes / 4) {
    // Large values get a block of their own so small ones keep packing well.
    auto big = std::make_unique_for_overwrite<char[]>(text.size());
    std::memcpy(big.get(), text.data(), text.size());
    std::string_view view(big.get(), text.size());
    big_.push_back(std::move(big));
    return view;
  }
  if (chunks_.empty() || chunk_used_ + text.size() > kChunkBytes) {
    if (chunks_.empty() || chunk_index_ + 1 >= chunks_.size()) {
      chunks_.push_back(std::make_unique_for_overwrite<char[]>(kChunkBytes));
      chunk_index_ = chunks_.size() - 1;
    } else {
      ++chunk_index_;  // a chunk kept by Clear()
    }
    chunk_used_ = 0;
  }
  char* dst = chunks_[chunk_index_].get() + chunk_used_;
  if (!text.empty()) std::memcpy(dst, text.data(), text.size());
  chunk_used_ += text.size();
  return std::string_view(dst, text.size());
}

void StringPool::Clear() {
  big_.clear();
  chunk_index_ = 0;
  chunk_used_ = 0;
  content_bytes_ = 0;
  strings_.resize(1);
  std::fill(slots_.begin(), slots_.end(), 0);
  indexed_ = 0;
  InsertHashed(std::string_view(), static_cast<uint32_t>(HashOf({}) >> 32));
}

std::optional<StrId> StringPool::FindHashed(std::string_view text, uint32_t tag) const {
  const size_t mask = slots_.size() - 1;
  size_t i = (static_cast<uint64_t>(tag) << 32 >> (64 - slot_bits_)) & mask;
  while (true) {
    uint64_t slot = slots_[i];
    if (slot == 0) return std::nullopt;
    if (static_cast<uint32_t>(slot >> 32) == tag) {
      StrId id = static_cast<StrId>((slot & 0xFFFFFFFFu) - 1);
      if (strings_[id] == text) return id;
    }
    i = (i + 1) & mask;
  }
}

// REQUIRES: strings_.back() is the new string; its id is strings_.size() - 1.
StrId StringPool::InsertHashed(std::string_view, uint32_t tag) {
  StrId id = static_cast<StrId>(strings_.size() - 1);
  const size_t mask = slots_.size() - 1;
  size_t i = (static_cast<uint64_t>(tag) << 32 >> (64 - slot_bits_)) & mask;
  while (slots_[i] != 0) i = (i + 1) & mask;
  slots_[i] = (static_cast<uint64_t>(tag) << 32) | (static_cast<uint64_t>(id) + 1);
  if (++indexed_ * 2 > slots_.size()) Grow();
  return id;
}

void StringPool::Grow() {
  std::vector<uint64_t> old = std::move(slots_);
  ++slot_bits_;
  slots_.assign(size_t{1} << slot_bits_, 0);
  const size_t mask = slots_.size() - 1;
  for (uint64_t slot : old) {
    if (slot == 0) continue;
    uint32_t tag = static_cast<uint32_t>(slot >> 32);
    size_t i = (static_cast<uint64_t>(tag) << 32 >> (64 - slot_bits_)) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

StrId StringPool::Intern(std::string_view text) { return Intern(text, HashOf(text)); }

StrId StringPool::Append(std::string_view text) {
  std::string_view stored = Store(text);
  content_bytes_ += text.size();
  strings_.push_back(stored);
  return static_cast<StrId>(strings_.size() - 1);
}

StrId StringPool::Intern(std::string_view text, uint64_t hash) {
  uint32_t tag = static_cast<uint32_t>(hash >> 32);
  if (std::optional<StrId> id = FindHashed(text, tag)) return *id;
  std::string_view stored = Store(text);
  content_bytes_ += text.size();
  strings_.push_back(stored);
  return InsertHashed(stored, tag);
}

std::optional<StrId> StringPool::Find(std::string_view text) const {
  return FindHashed(text, static_cast<uint32_t>(HashOf(text) >> 32));
}

}  // namespace talentflow
