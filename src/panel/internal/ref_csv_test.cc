#include "panel/internal/ref_csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "io/file_util.h"

namespace talentflow::panel_internal {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::filesystem::path WriteTemp(const std::string& body) {
  static int counter = 0;
  const auto path = std::filesystem::temp_directory_path() /
                    ("tf_refcsv_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  EXPECT_TRUE(WriteFileAtomic(path, body).ok());
  return path;
}

TEST(RefCsvTest, QuotingCrlfBomAndBlankLines) {
  const auto path = WriteTemp(
      "\xEF\xBB\xBF"
      "b,a\r\n\"x, \"\"y\"\"\",1\r\n\r\n\"multi\nline\",2\n");
  auto csv = ReadRefCsv(path, {"a", "b"});
  std::filesystem::remove(path);
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  ASSERT_EQ(csv->rows.size(), 2u);
  EXPECT_THAT(csv->rows[0], ElementsAre("1", "x, \"y\""));
  EXPECT_THAT(csv->rows[1], ElementsAre("2", "multi\nline"));
  EXPECT_THAT(csv->lines, ElementsAre(2, 4));
  EXPECT_EQ(csv->Error(1, 1, "bad").message(), path.string() + " line 4 column b: bad");
}

TEST(RefCsvTest, OtherColumnsOnlyWhenAllowed) {
  const auto path = WriteTemp(",name,rank,extra\n0,A,1,z\n");
  auto strict = ReadRefCsv(path, {"name", "rank"});
  auto lenient = ReadRefCsv(path, {"rank", "name"}, true);
  std::filesystem::remove(path);
  ASSERT_FALSE(strict.ok());
  EXPECT_THAT(strict.status().message(), HasSubstr("line 1 column 1: unexpected column \"\""));
  ASSERT_TRUE(lenient.ok());
  EXPECT_THAT(lenient->rows[0], ElementsAre("1", "A"));
}

TEST(RefCsvTest, QuoteErrors) {
  const auto path = WriteTemp("a,b\n1,x\"y\n");
  auto csv = ReadRefCsv(path, {"a", "b"});
  std::filesystem::remove(path);
  ASSERT_FALSE(csv.ok());
  EXPECT_THAT(csv.status().message(), HasSubstr("line 2 column 2: quote inside an unquoted field"));
  const auto path2 = WriteTemp("a,b\n1,\"x\"y\n");
  auto csv2 = ReadRefCsv(path2, {"a", "b"});
  std::filesystem::remove(path2);
  ASSERT_FALSE(csv2.ok());
  EXPECT_THAT(csv2.status().message(), HasSubstr("line 2 column 2: unexpected character after"));
}

TEST(RefCsvTest, Helpers) {
  EXPECT_THAT(SplitPipeList(" a | b||c "), ElementsAre("a", "b", "c"));
  EXPECT_THAT(SplitPipeList(""), ElementsAre());
  EXPECT_EQ(FoldSpaceCase("  Hong \t Kong\xE3\x80\x80SAR "), "hong kong sar");
}

// Arbitrary bytes never crash the reader (run under ASan/UBSan in CI): every
// result is a table or an error that names the file.
TEST(RefCsvTest, RandomInputIsAValueOrAnError) {
  const std::string pieces[] = {",", "\"", "\n",   "\r\n", "a", "b",
                                " ", "香", "\xE9", "\xff", "|", ""};
  std::mt19937 rng(20261122);
  const auto path = WriteTemp("");
  for (int round = 0; round < 300; ++round) {
    std::string body = round % 2 == 0 ? "a,b\n" : "";
    const int length = static_cast<int>(rng() % 40);
    for (int piece = 0; piece < length; ++piece) body += pieces[rng() % std::size(pieces)];
    ASSERT_TRUE(WriteFileAtomic(path, body).ok());
    auto csv = ReadRefCsv(path, {"a", "b"});
    if (csv.ok()) {
      for (const auto& row : csv->rows) EXPECT_EQ(row.size(), 2u);
    } else {
      EXPECT_THAT(csv.status().message(), HasSubstr(path.string()));
    }
    (void)FoldSpaceCase(body);
    (void)SplitPipeList(body);
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace talentflow::panel_internal
