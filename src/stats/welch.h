// Welch's unequal-variance t-test from two groups' summary statistics.
//
//   t  = (mean_a - mean_b) / sqrt(va/na + vb/nb)
//   df = (va/na + vb/nb)^2 / ((va/na)^2/(na-1) + (vb/nb)^2/(nb-1))   (Welch-Satterthwaite)
//   p  = 2 * P(T_df > |t|), T_df Student's t (Boost.Math), two-sided.
// Pure functions; thread-safe.
//
// Example:
//   WelchResult r = WelchTTest(a_moments, b_moments);
//   if (r.valid) print(r.t, r.df, r.p);
#pragma once

#include "stats/moments.h"

namespace talentflow {

struct WelchResult {
  bool valid = false;  // false when a group has n < 2 or both variances are 0
  double diff = NAN;   // mean_a - mean_b (valid whenever both n >= 1)
  double t = NAN;
  double df = NAN;
  double p = NAN;
};

WelchResult WelchTTest(const Moments& a, const Moments& b);

// Two-sided p-value of |t| under Student's t with `df` degrees of freedom.
// REQUIRES: df > 0
double TwoSidedP(double t, double df);

}  // namespace talentflow
