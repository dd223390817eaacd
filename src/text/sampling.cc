#include "text/sampling.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace talentflow::text {

uint64_t SampleKey(uint64_t seed, const std::string& id) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : id) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  uint64_t z = h + seed * 0x9E3779B97F4A7C15ULL + 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

StatusOr<std::vector<size_t>> SamplePosts(const std::vector<Post>& posts,
                                          const SampleOptions& options) {
  if (!(options.fraction > 0.0 && options.fraction <= 1.0)) {
    return InvalidArgument(
        fmt::format("--sample {}: the fraction must be in (0, 1]", options.fraction));
  }
  for (const auto& key : options.stratify) {
    if (key != "community" && key != "month" && key != "year" && key != "source") {
      return InvalidArgument(fmt::format(
          "--stratify {}: expected community, month, year or source (comma-separated)", key));
    }
  }
  std::map<std::string, std::vector<size_t>> strata;
  for (size_t i = 0; i < posts.size(); ++i) {
    std::string key;
    for (const auto& k : options.stratify) {
      const Post& p = posts[i];
      if (k == "community") key += p.community;
      if (k == "source") key += p.source;
      if (k == "month") key += FormatMonth(p.month);
      if (k == "year") key += p.month == kNoMonth ? "" : std::to_string(YearOf(p.month));
      key += '\x1f';
    }
    strata[key].push_back(i);
  }
  std::vector<size_t> chosen;
  for (auto& [key, members] : strata) {
    size_t take = static_cast<size_t>(std::floor(options.fraction * members.size() + 0.5));
    std::vector<std::pair<uint64_t, size_t>> keyed;
    keyed.reserve(members.size());
    for (size_t i : members) keyed.emplace_back(SampleKey(options.seed, posts[i].id), i);
    // Ties (equal keys are practically impossible) break by input position.
    std::nth_element(keyed.begin(), keyed.begin() + std::min(take, keyed.size()), keyed.end());
    for (size_t k = 0; k < take && k < keyed.size(); ++k) chosen.push_back(keyed[k].second);
  }
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

}  // namespace talentflow::text
