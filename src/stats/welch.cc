#include "stats/welch.h"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>

namespace talentflow {

double TwoSidedP(double t, double df) {
  boost::math::students_t dist(df);
  return 2.0 * boost::math::cdf(boost::math::complement(dist, std::fabs(t)));
}

WelchResult WelchTTest(const Moments& a, const Moments& b) {
  WelchResult r;
  if (a.n >= 1 && b.n >= 1) r.diff = a.mean - b.mean;
  if (a.n < 2 || b.n < 2) return r;
  const double sa = a.Variance() / static_cast<double>(a.n);
  const double sb = b.Variance() / static_cast<double>(b.n);
  const double se2 = sa + sb;
  if (!(se2 > 0)) return r;
  r.t = r.diff / std::sqrt(se2);
  r.df =
      se2 * se2 / (sa * sa / static_cast<double>(a.n - 1) + sb * sb / static_cast<double>(b.n - 1));
  r.p = TwoSidedP(r.t, r.df);
  r.valid = true;
  return r;
}

}  // namespace talentflow
