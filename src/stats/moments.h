// Moments: count, mean and sum of squared deviations of a stream of values,
// mergeable (Chan et al.'s pairwise update), so per-thread or per-process
// accumulators combine into the same statistics as one pass. Merging in a
// fixed order gives the same bits every run; the flows engine merges per
// fixed-size user blocks in block order, so results do not depend on the
// number of threads.
//
// Example:
//   Moments a, b;  a.Add(1); a.Add(2); b.Add(3);
//   a.Merge(b);    // n 3, mean 2, Variance() 1
#pragma once

#include <cmath>
#include <cstdint>

namespace talentflow {

struct Moments {
  int64_t n = 0;
  double mean = 0;
  double m2 = 0;  // sum of squared deviations from the mean

  void Add(double x) {
    ++n;
    double delta = x - mean;
    mean += delta / static_cast<double>(n);
    m2 += delta * (x - mean);
  }
  void Merge(const Moments& o) {
    if (o.n == 0) return;
    if (n == 0) {
      *this = o;
      return;
    }
    const double na = static_cast<double>(n), nb = static_cast<double>(o.n);
    const double delta = o.mean - mean;
    const double total = na + nb;
    mean += delta * nb / total;
    m2 += o.m2 + delta * delta * na * nb / total;
    n += o.n;
  }
  // Sample variance (n - 1 denominator); NaN when n < 2.
  double Variance() const { return n < 2 ? NAN : m2 / static_cast<double>(n - 1); }
  double Sd() const { return std::sqrt(Variance()); }
};

}  // namespace talentflow
