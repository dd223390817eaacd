#include "panel/university_ranks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "io/file_util.h"

namespace talentflow {
namespace {

using ::testing::HasSubstr;

constexpr char kRanksHeader[] = "institution,country,ranking,year,rank_raw,rank\n";

// Hand-made ranks: "University of Hong Kong" (THE 2019 =36, 2021 39; QS 2020
// 25), a banded institution and a tie.
constexpr char kRanks[] =
    "University of Hong Kong,Hong Kong,THE,2019,=36,36\n"
    "University of Hong Kong,Hong Kong,THE,2021,39,39\n"
    "University of Hong Kong,Hong Kong,QS,2020,25,25\n"
    "University of Hong Kong,Hong Kong,ARWU,2015,101-150,125.5\n"
    "\"University of California, Berkeley\",United States,THE,2019,15,15\n"
    "Hong Kong Baptist University,Hong Kong,THE,2018,251-300,275.5\n"
    "Hong Kong Baptist University,Hong Kong,THE,2022,1201+,1400\n"
    "Eidgenössische Technische Hochschule Zürich,Switzerland,THE,2020,=13,13\n";

constexpr char kAliases[] =
    "alias,institution\n"
    "HKU,University of Hong Kong\n"
    "香港大學,University of Hong Kong\n"
    "香港大学,University of Hong Kong\n"
    "UC Berkeley,\"University of California, Berkeley\"\n"
    "ETH Zurich,Eidgenössische Technische Hochschule Zürich\n";

class RanksFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tf_ranks_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& name, const std::string& body) {
    ASSERT_TRUE(WriteFileAtomic(dir_ / name, body).ok());
  }
  StatusOr<UniversityRanks> LoadSmall() {
    Write("university_ranks.csv", std::string(kRanksHeader) + kRanks);
    Write("aliases.csv", kAliases);
    return UniversityRanks::Load(dir_);
  }
  std::string LoadError(const std::string& ranks, const std::string& aliases) {
    Write("university_ranks.csv", ranks);
    Write("aliases.csv", aliases);
    auto loaded = UniversityRanks::Load(dir_);
    EXPECT_FALSE(loaded.ok());
    return loaded.ok() ? "" : loaded.status().message();
  }
  std::filesystem::path dir_;
};

TEST_F(RanksFileTest, LoadsInstitutionsInFirstAppearanceOrder) {
  auto ranks = LoadSmall();
  ASSERT_TRUE(ranks.ok()) << ranks.status().ToString();
  ASSERT_EQ(ranks->institution_count(), 4u);
  EXPECT_EQ(ranks->InstitutionName(0), "University of Hong Kong");
  EXPECT_EQ(ranks->InstitutionCountry(0), "Hong Kong");
  EXPECT_EQ(ranks->InstitutionName(1), "University of California, Berkeley");
}

TEST_F(RanksFileTest, LoadFromCsvPathReadsAliasesBeside) {
  Write("university_ranks.csv", std::string(kRanksHeader) + kRanks);
  Write("aliases.csv", kAliases);
  auto ranks = UniversityRanks::Load(dir_ / "university_ranks.csv");
  ASSERT_TRUE(ranks.ok()) << ranks.status().ToString();
  EXPECT_EQ(ranks->Find("HKU"), 0u);
}

TEST_F(RanksFileTest, RankTakesLatestEditionNotAfterYear) {
  auto ranks = LoadSmall();
  ASSERT_TRUE(ranks.ok());
  EXPECT_EQ(ranks->Rank(0, "THE", 2018), std::nullopt);  // no THE edition yet
  EXPECT_EQ(ranks->Rank(0, "THE", 2019), 36.0);          // tie "=36" counts as 36
  EXPECT_EQ(ranks->Rank(0, "THE", 2020), 36.0);          // 2019 is the latest <= 2020
  EXPECT_EQ(ranks->Rank(0, "THE", 2021), 39.0);
  EXPECT_EQ(ranks->Rank(0, "THE", 2030), 39.0);
  EXPECT_EQ(ranks->Rank(0, "QS", 2021), 25.0);
  EXPECT_EQ(ranks->Rank(0, "ARWU", 2021), 125.5);  // band 101-150 at its midpoint
  EXPECT_EQ(ranks->Rank(0, "CWUR", 2021), std::nullopt);
  EXPECT_EQ(ranks->Rank(2, "THE", 2019), 275.5);  // 251-300
  EXPECT_EQ(ranks->Rank(2, "THE", 2022), 1400.0);
}

TEST_F(RanksFileTest, BestRankInWindowLooksAtFiveEditionsOfAnyRanking) {
  auto ranks = LoadSmall();
  ASSERT_TRUE(ranks.ok());
  // 2021: window 2017..2021 holds THE 36 (2019), QS 25 (2020), THE 39 (2021).
  EXPECT_EQ(ranks->BestRankInWindow(0, 2021), 25.0);
  // 2019: window 2015..2019 holds ARWU 125.5 (2015) and THE 36.
  EXPECT_EQ(ranks->BestRankInWindow(0, 2019), 36.0);
  // 2015: only ARWU 2015.
  EXPECT_EQ(ranks->BestRankInWindow(0, 2015), 125.5);
  EXPECT_EQ(ranks->BestRankInWindow(0, 2014), std::nullopt);
  // 2025: window 2021..2025 holds only THE 2021.
  EXPECT_EQ(ranks->BestRankInWindow(0, 2025), 39.0);
  EXPECT_EQ(ranks->BestRankInWindow(0, 2026), std::nullopt);
}

TEST_F(RanksFileTest, FindNormalisesAndUsesAliases) {
  auto ranks = LoadSmall();
  ASSERT_TRUE(ranks.ok());
  EXPECT_EQ(ranks->Find("University of Hong Kong"), 0u);
  EXPECT_EQ(ranks->Find("The University of Hong Kong"), 0u);
  EXPECT_EQ(ranks->Find("THE UNIVERSITY OF HONG KONG"), 0u);
  EXPECT_EQ(ranks->Find("  university   of hong-kong. "), 0u);
  EXPECT_EQ(ranks->Find("Univ. of Hong Kong"), 0u);
  EXPECT_EQ(ranks->Find("HKU"), 0u);
  EXPECT_EQ(ranks->Find("hku"), 0u);
  EXPECT_EQ(ranks->Find("香港大學"), 0u);
  EXPECT_EQ(ranks->Find("香港大学"), 0u);
  EXPECT_EQ(ranks->Find("The University of Hong Kong (HKU)"), 0u);
  EXPECT_EQ(ranks->Find("University of California Berkeley"), 1u);
  EXPECT_EQ(ranks->Find("UC Berkeley"), 1u);
  EXPECT_EQ(ranks->Find("Eidgenossische Technische Hochschule Zurich"), 3u);
  EXPECT_EQ(ranks->Find("ETH Zürich"), 3u);
  EXPECT_EQ(ranks->Find("Hong Kong Baptist Univ"), 2u);
  EXPECT_EQ(ranks->Find("University of Hong Kong Shenzhen"), std::nullopt);
  EXPECT_EQ(ranks->Find(""), std::nullopt);
  EXPECT_EQ(ranks->Find("The"), std::nullopt);
}

TEST_F(RanksFileTest, RejectsBadRowsNamingFileLineAndColumn) {
  const std::string header = kRanksHeader;
  const std::string ok_row = "University of Hong Kong,Hong Kong,THE,2019,=36,36\n";
  EXPECT_THAT(
      LoadError(header + ok_row + "X University,Japan,THE,19,5,5\n", "alias,institution\n"),
      HasSubstr("university_ranks.csv line 3 column year: \"19\" is not a four-digit year"));
  EXPECT_THAT(
      LoadError(header + "X University,Japan,THE,2019,201-250,201\n", "alias,institution\n"),
      HasSubstr("line 2 column rank_raw: \"201-250\" does not give rank 201"));
  EXPECT_THAT(LoadError(header + "X University,Japan,THE,2019,=6,7\n", "alias,institution\n"),
              HasSubstr("line 2 column rank_raw"));
  EXPECT_THAT(LoadError(header + "X University,Japan,THE,2019,five,five\n", "alias,institution\n"),
              HasSubstr("line 2 column rank: \"five\" is not a number >= 1"));
  EXPECT_THAT(LoadError(header + "X University,Japan,T H E,2019,5,5\n", "alias,institution\n"),
              HasSubstr("line 2 column ranking"));
  EXPECT_THAT(LoadError(header + ",Japan,THE,2019,5,5\n", "alias,institution\n"),
              HasSubstr("line 2 column institution: empty institution name"));
  EXPECT_THAT(LoadError(header + ok_row + ok_row, "alias,institution\n"),
              HasSubstr("line 3 column year: second THE 2019 rank"));
  EXPECT_THAT(LoadError(header + ok_row + "The University of Hong Kong,Hong Kong,QS,2019,5,5\n",
                        "alias,institution\n"),
              HasSubstr("line 3 column institution: \"The University of Hong Kong\" normalises to "
                        "the same name as \"University of Hong Kong\" on line 2"));
  EXPECT_THAT(LoadError(header + ok_row + "University of Hong Kong,China,QS,2019,5,5\n",
                        "alias,institution\n"),
              HasSubstr("line 3 column country"));
  EXPECT_THAT(LoadError(header + ok_row, "alias,institution\nHKU,Hong Kong University\n"),
              HasSubstr("aliases.csv line 2 column institution: \"Hong Kong University\" is not an "
                        "institution"));
  EXPECT_THAT(
      LoadError(header + ok_row + "Kyoto University,Japan,THE,2019,65,65\n",
                "alias,institution\nHKU,University of Hong Kong\nhku,Kyoto University\n"),
      HasSubstr("aliases.csv line 3 column alias: \"hku\" for \"Kyoto University\" is already an "
                "alias on line 2"));
  EXPECT_THAT(LoadError("institution,country,ranking,year,rank\n", "alias,institution\n"),
              HasSubstr("missing column \"rank_raw\""));
}

TEST(NormalizeNameTest, Rules) {
  EXPECT_EQ(UniversityRanks::NormalizeName("The University of Hong Kong"),
            "university of hong kong");
  EXPECT_EQ(UniversityRanks::NormalizeName("Texas A&M University"), "texas a and m university");
  EXPECT_EQ(UniversityRanks::NormalizeName("Texas A & M Univ."), "texas a and m university");
  EXPECT_EQ(UniversityRanks::NormalizeName("King’s College London"), "kings college london");
  EXPECT_EQ(UniversityRanks::NormalizeName("Université Paris-Saclay"), "university paris saclay");
  EXPECT_EQ(UniversityRanks::NormalizeName("ＨＫＵ"), "hku");
  EXPECT_EQ(UniversityRanks::NormalizeName("香港中文大學（深圳）"), "香港中文大學 深圳");
  EXPECT_EQ(UniversityRanks::NormalizeName("Bad \xff byte"), "bad byte");
}

}  // namespace
}  // namespace talentflow
