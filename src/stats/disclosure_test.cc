#include "stats/disclosure.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "stats/internal/determined.h"

namespace talentflow {
namespace {

using Id = Disclosure::CellId;

TEST(Disclosure, NothingBelowKNothingSuppressed) {
  Disclosure d(10);
  Id t = d.Add(40), a = d.Add(15), b = d.Add(25);
  d.Relate({{t, -1}, {a, 1}, {b, 1}});
  d.Protect();
  EXPECT_FALSE(d.suppressed(t) || d.suppressed(a) || d.suppressed(b));
  EXPECT_EQ(d.cell(a), Cell(int64_t{15}));
  EXPECT_EQ(d.complementary(), 0);
}

TEST(Disclosure, KZeroDisables) {
  Disclosure d(0);
  Id t = d.Add(3), a = d.Add(0), b = d.Add(3);
  d.Relate({{t, -1}, {a, 1}, {b, 1}});
  d.Protect();
  EXPECT_FALSE(d.suppressed(t) || d.suppressed(a) || d.suppressed(b));
}

TEST(Disclosure, SingleSuppressedPartGetsTheSmallestPublishedPartner) {
  // 25 = 3 + 12 + 10: 3 is below k; alone it is 25 - 12 - 10. The smallest
  // published count of the relation (10) joins it; 25 and 12 stay.
  Disclosure d(10);
  Id total = d.Add(25), a = d.Add(3), b = d.Add(12), c = d.Add(10);
  d.Relate({{total, -1}, {a, 1}, {b, 1}, {c, 1}});
  d.Protect();
  EXPECT_TRUE(d.below_k(a));
  EXPECT_TRUE(d.suppressed(c));
  EXPECT_FALSE(d.below_k(c));
  EXPECT_FALSE(d.suppressed(total));
  EXPECT_FALSE(d.suppressed(b));
  EXPECT_EQ(d.cell(c), Cell(Suppressed{}));
  EXPECT_EQ(d.complementary(), 1);
}

TEST(Disclosure, TiesGoToTheLowerId) {
  Disclosure d(10);
  Id total = d.Add(44), a = d.Add(20), b = d.Add(20), small = d.Add(4);
  d.Relate({{total, -1}, {a, 1}, {b, 1}, {small, 1}});
  d.Protect();
  EXPECT_TRUE(d.suppressed(a));
  EXPECT_FALSE(d.suppressed(b));
}

TEST(Disclosure, AmongEqualValuesTheCountInFewerRelationsGoes) {
  // A class total of 3 whose only published part is 3 as well: the part
  // (one relation) goes, not the total (two).
  Disclosure d(2);
  Id total = d.Add(3), japan = d.Add(3), singapore = d.Add(0), other = d.Add(5);
  d.Relate({{total, -1}, {japan, 1}, {singapore, 1}});
  d.Relate({{total, 1}, {other, 1}});
  d.Protect();
  EXPECT_TRUE(d.suppressed(japan));
  EXPECT_FALSE(d.suppressed(total));
  EXPECT_FALSE(d.suppressed(other));
}

TEST(Disclosure, TwoSuppressedPartsAddingUpToKNeedNoPartner) {
  // 30 - 20 = 10 = a + b: each is within [0, 10], a group of k.
  Disclosure d(10);
  Id total = d.Add(30), a = d.Add(2), b = d.Add(8), c = d.Add(20);
  d.Relate({{total, -1}, {a, 1}, {b, 1}, {c, 1}});
  d.Protect();
  EXPECT_TRUE(d.below_k(a));
  EXPECT_TRUE(d.below_k(b));
  EXPECT_EQ(d.complementary(), 0);
  EXPECT_FALSE(d.suppressed(c));
  EXPECT_EQ(d.small_groups(), 0);
}

TEST(Disclosure, SuppressedPartsAddingUpToLessThanKGetAPartner) {
  // 50 leavers, 45 to Australia: the hidden 3 (US) and 2 (UK) would be a
  // published group of 50 - 45 = 5. Australia costs 45 x 1, the total
  // 50 x 1: Australia goes, and the hidden parts add up to 50.
  Disclosure d(10);
  Id total = d.Add(50), au = d.Add(45), us = d.Add(3), uk = d.Add(2);
  d.Relate({{total, -1}, {au, 1}, {us, 1}, {uk, 1}});
  d.Protect();
  EXPECT_TRUE(d.below_k(us));
  EXPECT_TRUE(d.below_k(uk));
  EXPECT_TRUE(d.suppressed(au));
  EXPECT_FALSE(d.below_k(au));
  EXPECT_FALSE(d.suppressed(total));
  EXPECT_EQ(d.complementary(), 1);
}

TEST(Disclosure, HiddenZerosBesideAPublishedTotalGetAPartner) {
  // 40 = 40 + 0 + 0 with zeros suppressed: the two hidden zeros add up to 0,
  // so each would be 0. The part (40 x 1) and the total (40 x 1) tie on cost
  // and value; the lower id, the total, goes.
  Disclosure d(10);
  Id total = d.Add(40), a = d.Add(40), z1 = d.Add(0), z2 = d.Add(0);
  d.Relate({{total, -1}, {a, 1}, {z1, 1}, {z2, 1}});
  d.Protect();
  EXPECT_TRUE(d.below_k(z1));
  EXPECT_TRUE(d.below_k(z2));
  EXPECT_TRUE(d.suppressed(total));
  EXPECT_FALSE(d.suppressed(a));
  EXPECT_EQ(d.complementary(), 1);
}

TEST(Disclosure, HiddenCountsOnBothSidesAreADifferenceNotAGroup) {
  // a - b + c - d is known; with c and d published a reader learns a - b =
  // -2, a difference that bounds neither count: no partner.
  Disclosure d(10);
  Id a = d.Add(3), b = d.Add(5), c = d.Add(20), e = d.Add(18);
  d.Relate({{a, 1}, {b, -1}, {c, 1}, {e, -1}});
  d.Protect();
  EXPECT_TRUE(d.below_k(a));
  EXPECT_TRUE(d.below_k(b));
  EXPECT_FALSE(d.suppressed(c));
  EXPECT_FALSE(d.suppressed(e));
  EXPECT_EQ(d.complementary(), 0);
  EXPECT_EQ(d.small_groups(), 0);
}

TEST(Disclosure, AGroupBelowKWithNothingLeftToHideIsCounted) {
  // a + b is known (say, from another table) and both are below k: there is
  // no published count in the relation to hide them behind.
  Disclosure d(10);
  Id a = d.Add(2), b = d.Add(3);
  d.Relate({{a, 1}, {b, 1}});
  d.Protect();
  EXPECT_TRUE(d.suppressed(a));
  EXPECT_TRUE(d.suppressed(b));
  EXPECT_EQ(d.small_groups(), 1);
  EXPECT_EQ(d.unprotectable(), 0);
}

// The 2 x 2 table x11 = 3, x12 = 20, x21 = 15, x22 = 30 (k = 10) with its
// row totals r1, r2 and column totals c1, c2, related in that order.
struct TwoByTwo {
  Disclosure d{10};
  Id x11 = d.Add(3), x12 = d.Add(20), x21 = d.Add(15), x22 = d.Add(30);
  Id r1 = d.Add(23), r2 = d.Add(45), c1 = d.Add(18), c2 = d.Add(50);
  TwoByTwo() {
    d.Relate({{r1, -1}, {x11, 1}, {x12, 1}});
    d.Relate({{r2, -1}, {x21, 1}, {x22, 1}});
    d.Relate({{c1, -1}, {x11, 1}, {x21, 1}});
    d.Relate({{c2, -1}, {x12, 1}, {x22, 1}});
  }
};

TEST(Disclosure, TwoByTwoWithMarginsHidesTheCheaperMargins) {
  // x11 = 3 with published row and column totals. By hand: R1 (x11 + x12 =
  // r1) needs a partner: x12 costs 20 x 2 relations = 40, r1 23 x 1 = 23, so
  // r1 goes; C1 (x11 + x21 = c1): x21 costs 30, c1 18: c1 goes. Then x11 =
  // r1 - 20 = c1 - 15 with r1 and c1 hidden: free.
  TwoByTwo t;
  auto& [d, x11, x12, x21, x22, r1, r2, c1, c2] = t;
  d.Protect();
  EXPECT_TRUE(d.below_k(x11));
  for (Id x : {r1, c1}) EXPECT_TRUE(d.suppressed(x)) << x;
  for (Id x : {x12, x21, x22, r2, c2}) EXPECT_FALSE(d.suppressed(x)) << x;
  EXPECT_EQ(d.complementary(), 2);
}

TEST(Disclosure, TwoByTwoWithAGrandTotalHidesTheInterior) {
  // The same table with its grand total known (r1 + r2 = 68): hiding r1
  // would be undone by 68 - r2, so margins now cost two relations each and
  // the interior goes, as the textbook has it: x12 (R1: 40 < r1's 46), x21
  // (C1: 30 < c1's 36), x22 (C2, single again: 60 < c2's 100). Each count is
  // then free along (1, -1, -1, 1).
  TwoByTwo t;
  auto& [d, x11, x12, x21, x22, r1, r2, c1, c2] = t;
  d.Relate({{r1, 1}, {r2, 1}});
  d.Relate({{c1, 1}, {c2, 1}});
  d.Protect();
  for (Id x : {x11, x12, x21, x22}) EXPECT_TRUE(d.suppressed(x)) << x;
  for (Id m : {r1, r2, c1, c2}) EXPECT_FALSE(d.suppressed(m)) << m;
  EXPECT_EQ(d.complementary(), 3);
}

TEST(Disclosure, DifferenceOfTwoTotalsIsCaughtByTheAudit) {
  // total = a + b + u and n = a + b (joiners and their known-age bands),
  // with total and n each in one more relation (t + z1, n + z2 known), so
  // that they cost 70 and 64. The relation rule hides a (R1: 12 x 2 = 24)
  // and then b (R2: 40 < 64); u = total - n whatever a and b show, so the
  // audit hides n (64 < 70), and then R4 needs z2.
  Disclosure d(10);
  Id total = d.Add(35), n = d.Add(32), a = d.Add(12), b = d.Add(20), u = d.Add(3);
  Id z1 = d.Add(100), z2 = d.Add(100);
  d.Relate({{total, -1}, {a, 1}, {b, 1}, {u, 1}});
  d.Relate({{n, -1}, {a, 1}, {b, 1}});
  d.Relate({{total, 1}, {z1, 1}});
  d.Relate({{n, 1}, {z2, 1}});
  d.Protect();
  EXPECT_TRUE(d.below_k(u));
  for (Id x : {a, b, n, z2}) EXPECT_TRUE(d.suppressed(x)) << x;
  for (Id x : {total, z1}) EXPECT_FALSE(d.suppressed(x)) << x;
  EXPECT_EQ(d.complementary(), 4);
  EXPECT_EQ(d.unprotectable(), 0);
}

TEST(Disclosure, PublishedZerosAreNotPartnersWhileACountOfKIs) {
  // 50 = 3 + 47 + 0 with zeros published: hiding the 0 would leave the 3
  // within [0, 3]; the 47 goes.
  Disclosure d(10, Disclosure::Zeros::kPublish);
  Id total = d.Add(50), a = d.Add(3), b = d.Add(47), zero = d.Add(0);
  d.Relate({{total, -1}, {a, 1}, {b, 1}, {zero, 1}});
  d.Protect();
  EXPECT_TRUE(d.below_k(a));
  EXPECT_TRUE(d.suppressed(b));
  EXPECT_FALSE(d.suppressed(zero));
  EXPECT_EQ(d.cell(zero), Cell(int64_t{0}));
  EXPECT_FALSE(d.suppressed(total));
}

TEST(Disclosure, ACountFixedByConstantsAloneIsUnprotectable) {
  Disclosure d(10);
  Id a = d.Add(4);
  d.Relate({{a, 1}});
  d.Protect();
  EXPECT_TRUE(d.suppressed(a));
  EXPECT_EQ(d.unprotectable(), 1);
}

// The audit's claim checked independently (stats/internal/determined.h).
TEST(Disclosure, RandomTablesWithMarginsLeaveNoCountDetermined) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    const int rows = 2 + static_cast<int>(rng() % 4), cols = 2 + static_cast<int>(rng() % 4);
    const int k = 10;
    Disclosure d(k);
    std::vector<std::vector<Id>> x(rows, std::vector<Id>(cols));
    std::vector<int64_t> row_sum(rows, 0), col_sum(cols, 0);
    int64_t grand = 0;
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < cols; ++c) {
        const int64_t v = rng() % 3 == 0 ? rng() % k : k + rng() % 40;
        x[r][c] = d.Add(v);
        row_sum[r] += v;
        col_sum[c] += v;
        grand += v;
      }
    }
    std::vector<std::vector<Disclosure::Term>> relations;
    std::vector<Id> margins;
    for (int r = 0; r < rows; ++r) {
      Id m = d.Add(row_sum[r]);
      margins.push_back(m);
      std::vector<Disclosure::Term> t = {{m, -1}};
      for (int c = 0; c < cols; ++c) t.push_back({x[r][c], 1});
      relations.push_back(t);
    }
    for (int c = 0; c < cols; ++c) {
      Id m = d.Add(col_sum[c]);
      margins.push_back(m);
      std::vector<Disclosure::Term> t = {{m, -1}};
      for (int r = 0; r < rows; ++r) t.push_back({x[r][c], 1});
      relations.push_back(t);
    }
    // The grand total is a published constant: the row margins add up to it.
    {
      std::vector<Disclosure::Term> t;
      for (int r = 0; r < rows; ++r) t.push_back({margins[r], 1});
      relations.push_back(t);
    }
    for (const auto& t : relations) d.Relate(t);
    d.Protect();
    ASSERT_EQ(d.unprotectable(), 0) << trial;

    const Id cells = margins.back() + 1;
    std::vector<Id> hidden;
    for (Id id = 0; id < cells; ++id) {
      if (d.suppressed(id)) hidden.push_back(id);
      // Every count below k is suppressed.
      if (d.value(id) < k) {
        EXPECT_TRUE(d.below_k(id));
      }
    }
    ASSERT_EQ(d.small_groups(), 0) << trial;
    for (const auto& t : relations) {
      int n = 0, positive = 0, negative = 0;
      int64_t sum = 0;
      for (const auto& term : t) {
        if (!d.suppressed(term.cell)) continue;
        ++n;
        (term.coef > 0 ? positive : negative) += 1;
        sum += d.value(term.cell);
      }
      EXPECT_NE(n, 1) << trial;
      // Hidden counts on one side add up to at least k.
      if (n > 0 && (positive == 0 || negative == 0)) {
        EXPECT_GE(sum, k) << trial;
      }
    }
    std::vector<std::vector<double>> a(relations.size(), std::vector<double>(hidden.size(), 0));
    for (size_t r = 0; r < relations.size(); ++r) {
      for (const auto& term : relations[r]) {
        auto it = std::find(hidden.begin(), hidden.end(), term.cell);
        if (it != hidden.end()) a[r][it - hidden.begin()] = term.coef;
      }
    }
    const std::vector<bool> fixed = testing_internal::DeterminedColumns(a);
    for (size_t h = 0; h < hidden.size(); ++h) {
      EXPECT_FALSE(fixed[h]) << "trial " << trial << ": count " << hidden[h] << " is determined";
    }
  }
}

}  // namespace
}  // namespace talentflow
