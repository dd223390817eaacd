// Seeded, reproducible random sampling of posts, optionally stratified.
//
// Each post gets a pseudo-random key from (seed, post id) alone, so the
// sample does not depend on the order of the input rows or on the machine.
// Within each stratum (all posts, or one per value of the stratification
// keys) the round(fraction * n) posts with the smallest keys are taken
// (simple random sampling without replacement, exact size per stratum).
// Thread-compatible pure functions.
//
// Example:
//   TF_ASSIGN_OR_RETURN(auto idx, SamplePosts(posts, {.fraction = 0.1, .seed = 1,
//                                                     .stratify = {"community"}}));
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "text/posts.h"

namespace talentflow::text {

struct SampleOptions {
  double fraction = 1.0;  // in (0, 1]
  uint64_t seed = 1;
  // Any of "community", "month", "year", "source"; empty = one stratum.
  std::vector<std::string> stratify;
};

// Indices of the sampled posts, ascending.
StatusOr<std::vector<size_t>> SamplePosts(const std::vector<Post>& posts,
                                          const SampleOptions& options);

// 64-bit key of a post id under a seed (FNV-1a of the id, mixed with the
// seed by SplitMix64's finaliser).
uint64_t SampleKey(uint64_t seed, const std::string& id);

}  // namespace talentflow::text
