#include "text/posts.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace talentflow::text {
namespace {

TEST(PostsTest, JsonLinesQuarantineReasonsAndLines) {
  auto set = ReadPosts("tests/opinion/bad_posts.jsonl", PostFields::ForAnalysis());
  ASSERT_TRUE(set.ok()) << set.status().message();
  // 9 lines, one blank: 8 rows.
  EXPECT_EQ(set->accounting.rows_read, 8);
  EXPECT_EQ(set->accounting.rows_accepted, 2);
  EXPECT_EQ(set->accounting.rows_quarantined, 6);
  ASSERT_EQ(set->posts.size(), 2u);
  EXPECT_EQ(set->posts[0].id, "a1");
  EXPECT_EQ(set->posts[0].month, MakeMonth(2023, 5));
  EXPECT_EQ(set->posts[1].id, "7");  // numeric id read as text
  EXPECT_EQ(set->posts[1].month, MakeMonth(2024, 1));
  ASSERT_EQ(set->quarantine.size(), 6u);
  const std::vector<std::pair<int64_t, std::string>> want = {
      {2, "bad_date"},      {3, "malformed_row"}, {4, "missing_key"},
      {6, "malformed_row"}, {7, "duplicate_row"}, {8, "conflicting_duplicate"}};
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(set->quarantine[i].line, want[i].first) << i;
    EXPECT_EQ(set->quarantine[i].reason, want[i].second) << i;
    EXPECT_EQ(set->quarantine[i].file, "tests/opinion/bad_posts.jsonl");
  }
  EXPECT_EQ(set->quarantine[2].detail, "missing or empty: community");
  EXPECT_EQ(set->quarantine[4].detail, "id a1 first seen on line 1");
  EXPECT_EQ(set->accounting.by_reason.at("malformed_row"), 2);
}

TEST(PostsTest, CsvQuotesMultilineAndBadRows) {
  auto set = ReadPosts("tests/opinion/bad_posts.csv", PostFields::ForAnalysis());
  ASSERT_TRUE(set.ok()) << set.status().message();
  ASSERT_EQ(set->posts.size(), 2u);
  EXPECT_EQ(set->posts[0].text, "多行\n文本, 有逗号");
  EXPECT_EQ(set->posts[0].topic, "housing");
  EXPECT_EQ(set->posts[1].text, "He said \"yes\"");
  EXPECT_EQ(set->posts[1].line, 7);  // record c1 spans lines 2-3
  ASSERT_EQ(set->quarantine.size(), 3u);
  EXPECT_EQ(set->quarantine[0].line, 4);
  EXPECT_EQ(set->quarantine[0].reason, "bad_date");
  EXPECT_EQ(set->quarantine[1].line, 5);
  EXPECT_EQ(set->quarantine[1].reason, "malformed_row");
  EXPECT_EQ(set->quarantine[1].detail, "7 fields, header has 6");
  EXPECT_EQ(set->quarantine[2].reason, "missing_key");
  EXPECT_EQ(QuarantineCsv({set->quarantine[1]}),
            "file,line,reason,detail\ntests/opinion/bad_posts.csv,5,malformed_row,\"7 fields, "
            "header has 6\"\n");
}

// Fields are quoted as the shared CSV writer does it: commas, quotes and
// line breaks (\r too), and outer spaces, which trimming readers would drop.
TEST(PostsTest, QuarantineCsvQuotesWhatNeedsIt) {
  EXPECT_EQ(QuarantineCsv({{"dir, a/\"p\".csv", 3, "bad_date", " 2023-13 "},
                           {"p.csv", 4, "malformed_row", "line\rbreak"}}),
            "file,line,reason,detail\n\"dir, a/\"\"p\"\".csv\",3,bad_date,\" 2023-13 \"\n"
            "p.csv,4,malformed_row,\"line\rbreak\"\n");
}

TEST(PostsTest, TrainingNeedsOnlyTextAndLabel) {
  auto set = ReadPosts("tests/opinion/bad_posts.csv", PostFields::ForTraining("topic"));
  ASSERT_TRUE(set.ok());
  // c2 (bad date) is still checked, c4 has no text: c1, c5 accepted, c3 malformed.
  EXPECT_EQ(set->accounting.rows_accepted, 2);
}

// Invalid UTF-8 in any field, labels and dates included, quarantines the
// row (found by the posts fuzzer: a stance label of invalid bytes reached
// the model file's JSON writer, which threw).
TEST(PostsTest, InvalidUtf8InAnyFieldIsQuarantined) {
  const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("tf_posts_utf8_" + std::to_string(::getpid()) + ".csv");
  {
    std::ofstream out(path, std::ios::binary);
    out << "id,community,source,date,text,topic,viewpoint,stance\n"
           "1,hk,forum,2023-05-01,fine,housing,v,favour\n"
           "2,hk,forum,2023-05-01,fine,housing,v,fav\xffour\n"
           "3,hk,forum,2023-05-01,fine,housing,\xc3,favour\n"
           "4,hk,forum,2023-05\xfe,fine,housing,v,favour\n"
           "5,hk,for\xe9um,2023-05-01,fine,housing,v,favour\n";
  }
  auto set = ReadPosts(path.string(), PostFields::ForTraining("stance"));
  std::filesystem::remove(path);
  ASSERT_TRUE(set.ok()) << set.status().message();
  EXPECT_EQ(set->accounting.rows_read, 5);
  EXPECT_EQ(set->accounting.rows_accepted, 1);
  ASSERT_EQ(set->quarantine.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(set->quarantine[i].reason, "invalid_utf8") << i;
    EXPECT_EQ(set->quarantine[i].line, static_cast<int64_t>(i) + 3) << i;
  }
}

TEST(PostsTest, MissingFileAndUnknownFormatAreErrors) {
  EXPECT_EQ(ReadPosts("tests/opinion/none.jsonl", {}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(ReadPosts("tests/opinion/bad_posts.xml", {}).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace talentflow::text
