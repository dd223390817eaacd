#include "report/csv_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace talentflow::report {
namespace {

using ::testing::HasSubstr;

TEST(ParseCsv, QuotedFieldsBomAndCrlf) {
  auto csv =
      ParseCsv("\xEF\xBB\xBFitem,value\r\n\"a, \"\"b\"\"\",1\r\n\"multi\nline\",2\n\n", "t.csv");
  ASSERT_TRUE(csv.ok()) << csv.status().message();
  EXPECT_EQ(csv->header, (std::vector<std::string>{"item", "value"}));
  ASSERT_EQ(csv->rows.size(), 2u);
  EXPECT_EQ(csv->rows[0][0], "a, \"b\"");
  EXPECT_EQ(csv->rows[1][0], "multi\nline");
  EXPECT_EQ(csv->ColumnIndex("value"), 1);
  EXPECT_EQ(csv->ColumnIndex("nope"), -1);
}

TEST(ParseCsv, ErrorsNameFileAndLine) {
  auto wrong_width = ParseCsv("a,b\n1,2\n3\n", "x.csv");
  ASSERT_FALSE(wrong_width.ok());
  EXPECT_EQ(wrong_width.status().message(), "x.csv line 3: expected 2 fields, found 1");
  auto open_quote = ParseCsv("a\n\"oops\n", "y.csv");
  ASSERT_FALSE(open_quote.ok());
  EXPECT_THAT(open_quote.status().message(), HasSubstr("y.csv line 3: unterminated"));
  auto bad_utf8 = ParseCsv("a\n\xff\n", "z.csv");
  ASSERT_FALSE(bad_utf8.ok());
  EXPECT_EQ(bad_utf8.status().message(), "z.csv: not valid UTF-8");
  EXPECT_FALSE(ParseCsv("", "e.csv").ok());
  EXPECT_FALSE(ParseCsv("a,\"b\"c\n", "q.csv").ok());
}

TEST(ReadCsvFile, MissingFileIsNotFound) {
  auto csv = ReadCsvFile("tests/report/no_such_file.csv");
  ASSERT_FALSE(csv.ok());
  EXPECT_EQ(csv.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace talentflow::report
