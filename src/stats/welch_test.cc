#include "stats/welch.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace talentflow {
namespace {

Moments Of(const std::vector<double>& xs) {
  Moments m;
  for (double x : xs) m.Add(x);
  return m;
}

// Independent reference for the p-value: 1 - 2 * integral_0^|t| of the
// Student t density, by composite Simpson's rule (no Boost involved).
double ReferenceTwoSidedP(double t, double df) {
  const double log_c = std::lgamma((df + 1) / 2) - std::lgamma(df / 2) - 0.5 * std::log(df * M_PI);
  auto density = [&](double x) { return std::exp(log_c - (df + 1) / 2 * std::log1p(x * x / df)); };
  const int intervals = 200000;  // even
  const double b = std::fabs(t), h = b / intervals;
  double sum = density(0) + density(b);
  for (int i = 1; i < intervals; ++i) sum += density(i * h) * (i % 2 ? 4 : 2);
  return 1 - 2 * (sum * h / 3);
}

// Two-pass textbook formulas, written independently of Moments.
void ReferenceWelch(const std::vector<double>& a, const std::vector<double>& b, double* t,
                    double* df) {
  auto mean = [](const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return s / v.size();
  };
  auto var = [&](const std::vector<double>& v) {
    double m = mean(v), s = 0;
    for (double x : v) s += (x - m) * (x - m);
    return s / (v.size() - 1);
  };
  double qa = var(a) / a.size(), qb = var(b) / b.size();
  *t = (mean(a) - mean(b)) / std::sqrt(qa + qb);
  *df = (qa + qb) * (qa + qb) / (qa * qa / (a.size() - 1) + qb * qb / (b.size() - 1));
}

// Wikipedia, "Welch's t-test", worked example 1 (published: t = -2.46,
// df = 25.0 rounded, p = 0.021).
const std::vector<double> kA1 = {27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1,
                                 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4};
const std::vector<double> kA2 = {27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0,
                                 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4};

TEST(Welch, PublishedExampleToItsPrecision) {
  WelchResult r = WelchTTest(Of(kA1), Of(kA2));
  ASSERT_TRUE(r.valid);
  EXPECT_NEAR(r.t, -2.46, 0.005);
  EXPECT_NEAR(r.df, 25.0, 0.05);
  EXPECT_NEAR(r.p, 0.021, 0.0005);
}

TEST(Welch, MatchesIndependentReferenceTo1e9) {
  WelchResult r = WelchTTest(Of(kA1), Of(kA2));
  double t, df;
  ReferenceWelch(kA1, kA2, &t, &df);
  EXPECT_NEAR(r.t, t, 1e-9);
  EXPECT_NEAR(r.df, df, 1e-9);
  EXPECT_NEAR(r.p, ReferenceTwoSidedP(t, df), 1e-9);
}

TEST(Welch, UnequalSizesAndVariances) {
  std::vector<double> a = {19.8, 20.4, 19.6, 17.8, 18.5, 18.9, 18.3, 18.9, 19.5, 22.0};
  std::vector<double> b = {28.2, 26.6, 20.1, 23.3, 25.2, 22.1, 17.7, 27.6, 20.6, 13.7,
                           23.2, 17.5, 20.6, 18.0, 23.9, 21.6, 24.3, 20.4, 23.9, 13.3};
  WelchResult r = WelchTTest(Of(a), Of(b));
  double t, df;
  ReferenceWelch(a, b, &t, &df);
  EXPECT_NEAR(r.t, t, 1e-9);
  EXPECT_NEAR(r.df, df, 1e-9);
  EXPECT_NEAR(r.p, ReferenceTwoSidedP(t, df), 1e-9);
  EXPECT_NEAR(r.diff, -2.22, 1e-12);  // means 193.7/10 and 431.8/20
}

TEST(Welch, MergedMomentsEqualOnePass) {
  Moments whole = Of(kA1), left = Of({27.5, 21.0, 19.0}),
          right = Of({23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4});
  left.Merge(right);
  EXPECT_EQ(left.n, whole.n);
  EXPECT_NEAR(left.mean, whole.mean, 1e-12);
  EXPECT_NEAR(left.m2, whole.m2, 1e-9);
}

TEST(Welch, TooFewOrNoVarianceIsInvalid) {
  EXPECT_FALSE(WelchTTest(Of({1}), Of({1, 2, 3})).valid);
  WelchResult r = WelchTTest(Of({2, 2}), Of({2, 2}));
  EXPECT_FALSE(r.valid);
  EXPECT_EQ(r.diff, 0);
}

}  // namespace
}  // namespace talentflow
