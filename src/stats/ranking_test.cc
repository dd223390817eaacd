#include "stats/ranking.h"

#include <gtest/gtest.h>

namespace talentflow {
namespace {

TEST(HighPayCut, TenValuesTopThree) {
  std::vector<double> s = {10, 1, 9, 2, 8, 3, 7, 4, 6, 5};
  EXPECT_EQ(HighPayCut(&s), 8);  // 8, 9, 10 are high-pay
}

TEST(HighPayCut, TiesAtTheCutAreAllIn) {
  // n = 10, cut index 7: sorted 1 2 3 4 5 6 7 7 7 9 -> cut 7; four persons
  // (7, 7, 7, 9) are high-pay, not an arbitrary three.
  std::vector<double> s = {7, 1, 2, 9, 3, 7, 4, 5, 6, 7};
  EXPECT_EQ(HighPayCut(&s), 7);
}

TEST(HighPayCut, SmallGroups) {
  std::vector<double> one = {5};
  EXPECT_EQ(HighPayCut(&one), 5);
  std::vector<double> four = {4, 1, 3, 2};  // floor(2.8) = 2 -> 3
  EXPECT_EQ(HighPayCut(&four), 3);
  std::vector<double> none;
  EXPECT_FALSE(HighPayCut(&none).has_value());
}

TEST(CompetitionRanks, TiesShareBestRankAndSkip) {
  auto r = CompetitionRanks({0.5, 0.7, 0.5, std::nullopt, 0.2}, /*higher_is_better=*/true);
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[1], 1);
  EXPECT_EQ(r[0], 2);
  EXPECT_EQ(r[2], 2);
  EXPECT_EQ(r[4], 4);
  EXPECT_FALSE(r[3].has_value());
  auto low = CompetitionRanks({120, 80, 80}, /*higher_is_better=*/false);
  EXPECT_EQ(low[1], 1);
  EXPECT_EQ(low[2], 1);
  EXPECT_EQ(low[0], 3);
}

}  // namespace
}  // namespace talentflow
