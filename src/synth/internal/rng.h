// SplitMix64: the generator's only source of randomness.
//
// Every user gets its own stream, seeded from (seed, user_index) by Seeded(),
// so a user's rows depend on nothing but the command-line parameters and its
// index: blocks can be generated on any thread in any order and the output is
// byte-identical. SplitMix64 is tiny, fast and passes BigCrush, which is more
// than a data generator needs. An Rng is a plain value; one per thread.
//
// Example:
//   Rng rng = Rng::Seeded(seed, user_index);
//   if (rng.Chance(0.3)) ...
#pragma once

#include <cmath>
#include <cstdint>

namespace talentflow::synth {

class Rng {
 public:
  explicit Rng(uint64_t state) : state_(state) {}

  // A stream for (seed, index, salt): the three are mixed so that nearby
  // seeds or indices give unrelated streams.
  static Rng Seeded(uint64_t seed, uint64_t index, uint64_t salt = 0) {
    uint64_t s = Mix(seed ^ 0x5851F42D4C957F2Dull);
    s = Mix(s ^ (index * 0x9E3779B97F4A7C15ull));
    s = Mix(s ^ (salt * 0xD1B54A32D192ED03ull));
    return Rng(s);
  }

  uint64_t Next() {
    state_ += 0x9E3779B97F4A7C15ull;
    return Mix(state_);
  }

  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  // Uniform integer in [lo, hi]. REQUIRES: lo <= hi.
  int64_t Range(int64_t lo, int64_t hi) {
    uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
    return lo + static_cast<int64_t>(Next() % span);
  }

  bool Chance(double p) { return Uniform() < p; }

  // Standard normal (Box-Muller; one value per call keeps the stream simple).
  double Normal() {
    double u1 = Uniform();
    double u2 = Uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

  static uint64_t Mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

}  // namespace talentflow::synth
