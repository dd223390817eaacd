#include "common/month.h"

#include <gtest/gtest.h>

namespace talentflow {
namespace {

TEST(MonthTest, ParsesMonthAndDayPrecision) {
  EXPECT_EQ(*ParseMonth("2019-12"), 2019 * 12 + 11);
  EXPECT_EQ(*ParseMonth("2019-12-31"), 2019 * 12 + 11);
  EXPECT_EQ(*ParseMonth(" 2023-06-01 "), 2023 * 12 + 5);
  EXPECT_EQ(*ParseMonth("2020-01"), *ParseMonth("2019-12") + 1);
}

TEST(MonthTest, RejectsBadDatesWithReason) {
  auto bad_month = ParseMonth("2019-13");
  ASSERT_FALSE(bad_month.ok());
  EXPECT_NE(bad_month.status().message().find("month must be 01-12"), std::string::npos);
  EXPECT_FALSE(ParseMonth("2019-00").ok());
  EXPECT_FALSE(ParseMonth("2019-1").ok());
  EXPECT_FALSE(ParseMonth("19-12").ok());
  EXPECT_FALSE(ParseMonth("2019-12-32").ok());
  EXPECT_FALSE(ParseMonth("2019/12").ok());
  EXPECT_FALSE(ParseMonth("").ok());
  EXPECT_FALSE(ParseMonth("2019-12-01T00").ok());
}

TEST(MonthTest, FormatsRoundTrip) {
  EXPECT_EQ(FormatMonth(MakeMonth(1950, 1)), "1950-01");
  EXPECT_EQ(FormatMonth(MakeMonth(2023, 6)), "2023-06");
  EXPECT_EQ(FormatMonth(kNoMonth), "");
  EXPECT_EQ(YearOf(MakeMonth(2019, 12)), 2019);
  EXPECT_EQ(MonthOfYear(MakeMonth(2019, 12)), 12);
}

}  // namespace
}  // namespace talentflow
