#include "rules/date.h"

#include <gtest/gtest.h>

namespace talentflow::rules {
namespace {

TEST(DateTest, ParsesAndFormats) {
  StatusOr<Date> date = ParseDate("2024-11-01");
  ASSERT_TRUE(date.ok());
  EXPECT_EQ(FormatDate(*date), "2024-11-01");
  EXPECT_EQ(date->days, 20028);  // 54 years of days + 13 leap days + Jan-Oct 2024 (305 days)
  EXPECT_EQ(ParseDate("1970-01-01")->days, 0);
}

TEST(DateTest, RejectsImpossibleDates) {
  EXPECT_FALSE(ParseDate("2023-02-29").ok());
  EXPECT_TRUE(ParseDate("2024-02-29").ok());
  EXPECT_FALSE(ParseDate("2024-13-01").ok());
  EXPECT_FALSE(ParseDate("2024-04-31").ok());
  EXPECT_FALSE(ParseDate("2024-4-1").ok());
  EXPECT_FALSE(ParseDate("").ok());
  EXPECT_EQ(ParseDate("2024-04-31").status().message(),
            "\"2024-04-31\": day 31 does not exist in 2024-04");
}

TEST(DateTest, CompletedYearsAroundBirthdays) {
  Date birth = *ParseDate("1984-06-01");
  EXPECT_EQ(CompletedYears(birth, *ParseDate("2024-05-31")), 39);
  EXPECT_EQ(CompletedYears(birth, *ParseDate("2024-06-01")), 40);
  Date leap = *ParseDate("2000-02-29");
  EXPECT_EQ(CompletedYears(leap, *ParseDate("2018-02-28")), 17);
  EXPECT_EQ(CompletedYears(leap, *ParseDate("2018-03-01")), 18);
}

TEST(DateTest, AddYearsClampsLeapDay) {
  EXPECT_EQ(FormatDate(AddYears(*ParseDate("2024-02-29"), 1)), "2025-02-28");
  EXPECT_EQ(FormatDate(AddYears(*ParseDate("2024-06-30"), -5)), "2019-06-30");
}

TEST(DateTest, MonthContaining) {
  EXPECT_EQ(FormatMonth(MonthContaining(*ParseDate("2024-11-01"))), "2024-11");
}

}  // namespace
}  // namespace talentflow::rules
