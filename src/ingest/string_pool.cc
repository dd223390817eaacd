#include "ingest/string_pool.h"

#include <algorithm>
#include <cstring>

namespace talentflow {
namespace {
constexpr size_t kChunkBytes = 1 << 20;
}  // namespace

size_t StringPool::Hash::operator()(std::string_view s) const noexcept {
  // FNV-1a, 64-bit: cheap and good enough for short keys.
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return static_cast<size_t>(h);
}

StringPool::StringPool() {
  strings_.emplace_back();
  index_.emplace(std::string_view(), kEmptyStr);
}

std::string_view StringPool::Store(std::string_view text) {
  if (text.size() > kChunkBytes / 4) {
    // Large values get a chunk of their own so small ones keep packing well.
    auto big = std::make_unique<char[]>(text.size());
    std::memcpy(big.get(), text.data(), text.size());
    std::string_view view(big.get(), text.size());
    chunks_.insert(chunks_.begin(), std::move(big));
    return view;
  }
  if (chunks_.empty() || chunk_used_ + text.size() > chunk_size_) {
    chunks_.push_back(std::make_unique<char[]>(kChunkBytes));
    chunk_used_ = 0;
    chunk_size_ = kChunkBytes;
  }
  char* dst = chunks_.back().get() + chunk_used_;
  std::memcpy(dst, text.data(), text.size());
  chunk_used_ += text.size();
  return std::string_view(dst, text.size());
}

StrId StringPool::Intern(std::string_view text) {
  auto it = index_.find(text);
  if (it != index_.end()) return it->second;
  std::string_view stored = Store(text);
  content_bytes_ += text.size();
  StrId id = static_cast<StrId>(strings_.size());
  strings_.push_back(stored);
  index_.emplace(stored, id);
  return id;
}

std::optional<StrId> StringPool::Find(std::string_view text) const {
  auto it = index_.find(text);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

std::vector<StrId> StringPool::MergeFrom(const StringPool& other) {
  std::vector<StrId> remap(other.size());
  for (size_t id = 0; id < other.size(); ++id)
    remap[id] = Intern(other.Get(static_cast<StrId>(id)));
  return remap;
}

}  // namespace talentflow
