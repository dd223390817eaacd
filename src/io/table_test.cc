#include "io/table.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "io/file_util.h"

namespace talentflow {
namespace {
namespace fs = std::filesystem;

Table Sample() {
  Table t;
  t.name = "flows_by_country";
  t.title_en = "Flows by country";
  t.title_zh = "按國家劃分的流動";
  t.source = "flows";
  t.columns = {{"country", "Country", "國家", ColumnType::kString},
               {"leave", "Leavers", "離開者", ColumnType::kInt},
               {"share", "Share", "比例", ColumnType::kDouble}};
  t.rows.push_back({std::string("United States"), int64_t{5654}, 0.1});
  t.rows.push_back({std::string("Korea, \"South\""), Suppressed{}, Suppressed{}});
  t.rows.push_back({std::string("香港\nline"), int64_t{-3}, Missing{}});
  return t;
}

TEST(TableTest, WritesCsvWithQuotingAndEmptySuppressedCells) {
  fs::path dir = fs::temp_directory_path() / fmt::format("tf_table_{}", ::getpid());
  fs::remove_all(dir);
  ASSERT_TRUE(WriteTable(dir, Sample()).ok());
  EXPECT_EQ(*ReadFile(dir / "flows_by_country.csv"),
            "country,leave,share\n"
            "United States,5654,0.1\n"
            "\"Korea, \"\"South\"\"\",,\n"
            "\"香港\nline\",-3,\n");
  std::string meta = *ReadFile(dir / "flows_by_country.meta.json");
  EXPECT_NE(meta.find("\"suppressed\": [\n    {\n      \"row\": 1,\n      \"column\": \"leave\""),
            std::string::npos)
      << meta;
  fs::remove_all(dir);
}

TEST(TableTest, ReadsBackTypedCellsAndSuppression) {
  fs::path dir = fs::temp_directory_path() / fmt::format("tf_table_rt_{}", ::getpid());
  fs::remove_all(dir);
  Table original = Sample();
  ASSERT_TRUE(WriteTable(dir, original).ok());
  auto back = ReadTable(dir, "flows_by_country");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->title_zh, original.title_zh);
  ASSERT_EQ(back->rows.size(), 3u);
  EXPECT_EQ(back->rows, original.rows);
  EXPECT_EQ(ListTables(dir), std::vector<std::string>{"flows_by_country"});
  fs::remove_all(dir);
}

// A one-column table's empty or suppressed cell is written as "", not as a
// blank line that pandas, R and our reference-data reader would skip; a
// value with an outer space is quoted, for readers that trim.
TEST(TableTest, OneColumnTableKeepsItsEmptyCells) {
  fs::path dir = fs::temp_directory_path() / fmt::format("tf_table_one_{}", ::getpid());
  fs::remove_all(dir);
  Table t;
  t.name = "one";
  t.columns = {{"place", "Place", "地方", ColumnType::kString}};
  t.rows = {{std::string("a")}, {std::string()}, {Suppressed{}}, {std::string(" b ")}};
  ASSERT_TRUE(WriteTable(dir, t).ok());
  EXPECT_EQ(*ReadFile(dir / "one.csv"), "place\na\n\"\"\n\"\"\n\" b \"\n");
  auto back = ReadTable(dir, "one");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->rows, t.rows);
  fs::remove_all(dir);
}

TEST(TableTest, TypeMismatchIsAnInternalError) {
  Table t = Sample();
  t.rows[0][1] = std::string("oops");
  Status s = WriteTable(fs::temp_directory_path() / "tf_never_written", t);
  EXPECT_EQ(s.code(), StatusCode::kInternal);
}

TEST(TableTest, DoublesAreShortestRoundTrip) {
  EXPECT_EQ(FormatDouble(6.83), "6.83");
  EXPECT_EQ(FormatDouble(1.0 / 3.0), "0.3333333333333333");
  EXPECT_EQ(FormatDouble(std::nan("")), "");
}

}  // namespace
}  // namespace talentflow
