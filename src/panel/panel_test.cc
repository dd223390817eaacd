#include "panel/panel.h"

#include <gtest/gtest.h>

#include "panel/test_dataset.h"

namespace talentflow {
namespace {

using testing::TestDataset;

TitleFlags Flags(const Dataset& ds) {
  static const TitleRules rules = *TitleRules::LoadDefault();
  return TitleFlags::Build(ds, rules, 1);
}

TEST(Panel, EndMonthIsInclusiveAndStartIsInclusive) {
  TestDataset t;
  t.User("u");
  t.Position("u", "p1", "2018-01", "2019-12", "Hong Kong");
  t.Position("u", "p2", "2020-01", "", "Singapore");
  Dataset ds = t.Build(MakeMonth(2023, 9));
  TitleFlags f = Flags(ds);
  Snapshot a = LocateAt(ds, f, 0, MakeMonth(2019, 12));
  ASSERT_TRUE(a.known());
  EXPECT_EQ(ds.str(a.country), "Hong Kong");
  Snapshot b = LocateAt(ds, f, 0, MakeMonth(2020, 1));
  EXPECT_EQ(ds.str(b.country), "Singapore");
  // Open spell carried to the cutoff, not beyond.
  EXPECT_TRUE(LocateAt(ds, f, 0, MakeMonth(2023, 9)).known());
  EXPECT_EQ(LocateAt(ds, f, 0, MakeMonth(2023, 10)).state, SnapshotState::kNoPosition);
  EXPECT_EQ(LocateAt(ds, f, 0, MakeMonth(2017, 12)).state, SnapshotState::kNoPosition);
}

TEST(Panel, SideRoleRanksLastEvenIfLater) {
  TestDataset t;
  t.User("u");
  t.Position("u", "p1", "2015-01", "", "Hong Kong").title = "Analyst";
  t.Position("u", "p2", "2019-01", "", "United Kingdom").title = "Non-Executive Director";
  Dataset ds = t.Build(MakeMonth(2023, 9));
  Snapshot s = LocateAt(ds, Flags(ds), 0, MakeMonth(2019, 12));
  EXPECT_EQ(ds.str(s.country), "Hong Kong");
}

TEST(Panel, LatestStartThenBytewiseSmallestId) {
  TestDataset t;
  t.User("u");
  t.Position("u", "p0", "2015-01", "", "Japan");
  t.Position("u", "200", "2019-03", "", "Singapore");
  t.Position("u", "1000", "2019-03", "", "Hong Kong");
  Dataset ds = t.Build(MakeMonth(2023, 9));
  Snapshot s = LocateAt(ds, Flags(ds), 0, MakeMonth(2019, 12));
  // "1000" < "200" byte-wise although 1000 > 200 numerically.
  EXPECT_EQ(ds.positions.position_id[s.position], "1000");
  EXPECT_EQ(ds.str(s.country), "Hong Kong");
}

TEST(Panel, ProfileFallbackOnlyWhenPositionHasNoCountry) {
  TestDataset t;
  auto& u = t.User("u");
  u.country = "Hong Kong";
  u.location = "Hong Kong";
  t.Position("u", "p1", "2018-01", "2020-06", "");
  Dataset ds = t.Build(MakeMonth(2023, 9));
  TitleFlags f = Flags(ds);
  Snapshot a = LocateAt(ds, f, 0, MakeMonth(2019, 12));
  ASSERT_TRUE(a.known());
  EXPECT_TRUE(a.fallback);
  EXPECT_EQ(ds.str(a.country), "Hong Kong");
  // No active position: unknown, the profile is not used.
  EXPECT_EQ(LocateAt(ds, f, 0, MakeMonth(2023, 6)).state, SnapshotState::kNoPosition);
}

TEST(Panel, NoLocationAnywhereIsUnknown) {
  TestDataset t;
  t.User("u");
  t.Position("u", "p1", "2018-01", "", "");
  Dataset ds = t.Build(MakeMonth(2023, 9));
  EXPECT_EQ(LocateAt(ds, Flags(ds), 0, MakeMonth(2019, 12)).state, SnapshotState::kNoLocation);
}

TEST(Panel, LocateAt2AgreesWithLocateAt) {
  TestDataset t;
  t.User("u");
  t.Position("u", "a", "2018-01", "2019-12", "Hong Kong");
  t.Position("u", "b", "2019-06", "2023-06", "Japan").title = "Board Member";
  t.Position("u", "c", "2021-01", "", "Canada");
  Dataset ds = t.Build(MakeMonth(2023, 9));
  TitleFlags f = Flags(ds);
  Snapshot x, y;
  LocateAt2(ds, f, 0, MakeMonth(2019, 12), MakeMonth(2023, 6), &x, &y);
  EXPECT_EQ(ds.str(x.country), "Hong Kong");
  EXPECT_EQ(ds.str(y.country), "Canada");
  EXPECT_EQ(x.position, LocateAt(ds, f, 0, MakeMonth(2019, 12)).position);
  EXPECT_EQ(y.position, LocateAt(ds, f, 0, MakeMonth(2023, 6)).position);
}

}  // namespace
}  // namespace talentflow
