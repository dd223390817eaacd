// StringPool: interned strings, so that repeated values (identifiers,
// countries, companies, titles) are stored once and compared as integers.
//
// Id 0 is always the empty string, which the pipeline uses for "missing".
// Views returned by Get() stay valid for the pool's lifetime (strings live in
// stable chunks). A pool is not synchronised: each parsing thread interns into
// its own pool and the pools are merged afterwards with MergeFrom(), which
// returns the id remapping to apply to that thread's columns.
//
// Example:
//   StringPool pool;
//   StrId hk = pool.Intern("Hong Kong");
//   assert(pool.Get(hk) == "Hong Kong" && pool.Intern("Hong Kong") == hk);
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>
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
  std::optional<StrId> Find(std::string_view text) const;
  // REQUIRES: id < size()
  std::string_view Get(StrId id) const { return strings_[id]; }
  size_t size() const { return strings_.size(); }
  // Bytes held by string contents (not counting the index).
  size_t content_bytes() const { return content_bytes_; }

  // Interns every string of `other`; result[id_in_other] = id_in_this.
  std::vector<StrId> MergeFrom(const StringPool& other);

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept;
  };
  std::string_view Store(std::string_view text);

  std::vector<std::unique_ptr<char[]>> chunks_;
  size_t chunk_used_ = 0;
  size_t chunk_size_ = 0;
  size_t content_bytes_ = 0;
  std::vector<std::string_view> strings_;
  std::unordered_map<std::string_view, StrId, Hash, std::equal_to<>> index_;
};

}  // namespace talentflow
