#include "panel/csv_lite.h"

#include <gtest/gtest.h>

namespace talentflow {
namespace {

using Rows = std::vector<std::vector<std::string>>;

TEST(CsvLiteTest, QuotedFieldsAndBlankLines) {
  auto rows = ParseCsvText("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\n\r\nz,\n", "t.csv");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  EXPECT_EQ(*rows, (Rows{{"a", "b"}, {"x, y", "say \"hi\""}, {"z", ""}}));
}

// Found by the csv_lite fuzzer: a line holding only "" was skipped as if
// blank, so a row vanished without a word.
TEST(CsvLiteTest, ALineOfAnEmptyQuotedFieldIsARow) {
  auto one = ParseCsvText("name\n\"\"\nx\n", "one.csv");
  ASSERT_TRUE(one.ok()) << one.status().message();
  EXPECT_EQ(*one, (Rows{{"name"}, {""}, {"x"}}));
  auto two = ParseCsvText("a,b\n\"\"\n", "two.csv");
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.status().message(), "two.csv line 2: 1 fields, expected 2 as in the header");
}

}  // namespace
}  // namespace talentflow
