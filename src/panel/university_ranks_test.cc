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

TEST_F(RanksFileTest, ListsItsRankingsSorted) {
  auto ranks = LoadSmall();
  ASSERT_TRUE(ranks.ok()) << ranks.status().ToString();
  // The fixture gives THE first, then QS, ARWU and THE again.
  EXPECT_EQ(ranks->rankings(), (std::vector<std::string>{"ARWU", "QS", "THE"}));
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

TEST(NormalizeNameTest, ArbitraryBytesNeverCrash) {
  std::string text;
  for (int byte = 0; byte < 256; ++byte) text.push_back(static_cast<char>(byte));
  for (size_t start = 0; start < text.size(); start += 7) {
    const std::string key = UniversityRanks::NormalizeName(text.substr(start));
    EXPECT_EQ(key.find("  "), std::string::npos);
  }
  EXPECT_EQ(UniversityRanks::NormalizeName("\xF0\x9F"), "");  // truncated 4-byte sequence
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

// The shipped rankings.
class DefaultRanksTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = UniversityRanks::LoadDefault();
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    ranks_ = new UniversityRanks(std::move(loaded).value());
  }
  static void TearDownTestSuite() {
    delete ranks_;
    ranks_ = nullptr;
  }
  static std::string FindName(std::string_view spelling) {
    auto idx = ranks_->Find(spelling);
    return idx ? ranks_->InstitutionName(*idx) : "";
  }
  static UniversityRanks* ranks_;
};
UniversityRanks* DefaultRanksTest::ranks_ = nullptr;

TEST_F(DefaultRanksTest, PublishedRanksOfHongKongUniversities) {
  // Values as published by THE, ARWU and (rebuilt from scores) QS; see
  // data/rankings/SOURCE.md. Checked against the rankings' own tables.
  auto hku = ranks_->Find("HKU");
  ASSERT_TRUE(hku.has_value());
  EXPECT_EQ(ranks_->InstitutionCountry(*hku), "Hong Kong");
  EXPECT_EQ(ranks_->Rank(*hku, "THE", 2021), 39.0);
  EXPECT_EQ(ranks_->Rank(*hku, "QS", 2021), 22.0);
  EXPECT_EQ(ranks_->Rank(*hku, "ARWU", 2021), 125.5);  // 101-150
  auto hkust = ranks_->Find("香港科技大學");
  ASSERT_TRUE(hkust.has_value());
  EXPECT_EQ(ranks_->Rank(*hkust, "THE", 2021), 56.0);  // "=56"
  EXPECT_EQ(ranks_->Rank(*hkust, "QS", 2021), 27.0);   // "=27"
  auto hkbu = ranks_->Find("HKBU");
  ASSERT_TRUE(hkbu.has_value());
  EXPECT_EQ(ranks_->Rank(*hkbu, "THE", 2021), 375.5);  // 351-400
  // THE editions run 2011-2022: later years take the 2022 edition.
  EXPECT_EQ(ranks_->Rank(*hku, "THE", 2030), ranks_->Rank(*hku, "THE", 2022));
  EXPECT_EQ(ranks_->Rank(*hku, "THE", 2010), std::nullopt);
  // BestRankInWindow: the best of every THE, QS and ARWU rank of 2017-2021
  // is QS 2021 (22); of 2015-2019 it is QS 2019 (25, HKU's best QS rank then).
  EXPECT_EQ(ranks_->BestRankInWindow(*hku, 2021), 22.0);
  EXPECT_EQ(ranks_->BestRankInWindow(*hku, 2019), 25.0);
}

TEST_F(DefaultRanksTest, RankingsOfOneInstitutionAreUnified) {
  // THE, QS and ARWU write these names differently; one institution each.
  for (const char* name :
       {"ETH Zurich", "UCL", "Korea Advanced Institute of Science and Technology (KAIST)",
        "National Taiwan University (NTU)", "Imperial College London",
        "Massachusetts Institute of Technology", "Xi’an Jiaotong University",
        "Nanyang Technological University, Singapore"}) {
    auto idx = ranks_->Find(name);
    ASSERT_TRUE(idx.has_value()) << name;
    for (const char* ranking : {"THE", "QS", "ARWU"}) {
      EXPECT_TRUE(ranks_->Rank(*idx, ranking, 2021).has_value()) << name << " " << ranking;
    }
  }
}

// Realistic spellings of education entries in profiles, with the institution
// each one means ("" = an institution none of the rankings lists, which must
// not match anything). Hand-made from the way LinkedIn members write them.
struct Spelling {
  const char* text;
  const char* expected;
};
const Spelling kSpellings[] = {
    {"The University of Hong Kong", "University of Hong Kong"},
    {"HKU", "University of Hong Kong"},
    {"香港大學", "University of Hong Kong"},
    {"Univ. of Hong Kong", "University of Hong Kong"},
    {"The University of Hong Kong (HKU)", "University of Hong Kong"},
    {"香港大學（HKU）", "University of Hong Kong"},
    {"香港中文大學（深圳）", "The Chinese University of Hong Kong, Shenzhen"},
    {"Hong Kong University of Science and Technology",
     "The Hong Kong University of Science and Technology"},
    {"HKUST", "The Hong Kong University of Science and Technology"},
    {"The Hong Kong University of Science & Technology",
     "The Hong Kong University of Science and Technology"},
    {"香港科技大學", "The Hong Kong University of Science and Technology"},
    {"The Chinese University of Hong Kong", "Chinese University of Hong Kong"},
    {"CUHK", "Chinese University of Hong Kong"},
    {"香港中文大学", "Chinese University of Hong Kong"},
    {"Chinese University of HK", "Chinese University of Hong Kong"},
    {"City University of Hong Kong", "City University of Hong Kong"},
    {"CityU", "City University of Hong Kong"},
    {"The Hong Kong Polytechnic University", "Hong Kong Polytechnic University"},
    {"PolyU", "Hong Kong Polytechnic University"},
    {"香港理工大學", "Hong Kong Polytechnic University"},
    {"Hong Kong Baptist University", "Hong Kong Baptist University"},
    {"Lingnan University", ""},
    {"The Open University of Hong Kong", ""},
    {"Hong Kong Shue Yan University", ""},
    {"Tsinghua University", "Tsinghua University"},
    {"清华大学", "Tsinghua University"},
    {"Peking University", "Peking University"},
    {"北京大學", "Peking University"},
    {"Fudan University", "Fudan University"},
    {"复旦大学", "Fudan University"},
    {"Shanghai Jiaotong University", "Shanghai Jiao Tong University"},
    {"Zhejiang University", "Zhejiang University"},
    {"Sun Yat-Sen University", "Sun Yat-sen University"},
    {"中山大学", "Sun Yat-sen University"},
    {"University of Science & Technology of China",
     "University of Science and Technology of China"},
    {"Renmin University of China", "Renmin University of China"},
    {"Xi'an Jiaotong University", "Xi’an Jiaotong University"},
    {"National Taiwan University", "National Taiwan University (NTU)"},
    {"國立臺灣大學", "National Taiwan University (NTU)"},
    {"台大", "National Taiwan University (NTU)"},
    {"National Tsing Hua University", "National Tsing Hua University"},
    {"國立成功大學", "National Cheng Kung University (NCKU)"},
    {"National University of Singapore", "National University of Singapore"},
    {"NUS", "National University of Singapore"},
    {"Nanyang Technological University", "Nanyang Technological University, Singapore"},
    {"NTU Singapore", "Nanyang Technological University, Singapore"},
    {"Singapore Management University", "Singapore Management University"},
    {"University of Tokyo", "The University of Tokyo"},
    {"東京大学", "The University of Tokyo"},
    {"Kyoto University", "Kyoto University"},
    {"Waseda University", "Waseda University"},
    {"Seoul National University", "Seoul National University"},
    {"KAIST", "Korea Advanced Institute of Science and Technology (KAIST)"},
    {"Yonsei University", "Yonsei University"},
    {"University of Oxford", "University of Oxford"},
    {"Oxford University", "University of Oxford"},
    {"University of Cambridge", "University of Cambridge"},
    {"London School of Economics and Political Science",
     "London School of Economics and Political Science"},
    {"The London School of Economics and Political Science (LSE)",
     "London School of Economics and Political Science"},
    {"London School of Economics", "London School of Economics and Political Science"},
    {"Imperial College London", "Imperial College London"},
    {"University College London", "UCL"},
    {"UCL", "UCL"},
    {"King's College London", "King’s College London"},
    {"The University of Edinburgh", "University of Edinburgh"},
    {"University of Warwick", "University of Warwick"},
    {"The University of Manchester", "University of Manchester"},
    {"Harvard University", "Harvard University"},
    {"Harvard Business School", "Harvard University"},
    {"Stanford University", "Stanford University"},
    {"Massachusetts Institute of Technology", "Massachusetts Institute of Technology"},
    {"MIT", "Massachusetts Institute of Technology"},
    {"University of California, Berkeley", "University of California, Berkeley"},
    {"University of California Berkeley", "University of California, Berkeley"},
    {"UC Berkeley", "University of California, Berkeley"},
    {"Columbia University in the City of New York", "Columbia University"},
    {"Columbia Business School", "Columbia University"},
    {"University of Pennsylvania", "University of Pennsylvania"},
    {"The Wharton School", "University of Pennsylvania"},
    {"New York University", "New York University"},
    {"Carnegie Mellon University", "Carnegie Mellon University"},
    {"University of Michigan", "University of Michigan-Ann Arbor"},
    {"University of Illinois at Urbana-Champaign", "University of Illinois at Urbana-Champaign"},
    {"Cornell University", "Cornell University"},
    {"Boston University", "Boston University"},
    {"University of Southern California", "University of Southern California"},
    {"Northwestern University - Kellogg School of Management", "Northwestern University"},
    {"University of Melbourne", "University of Melbourne"},
    {"The University of Sydney", "University of Sydney"},
    {"UNSW", "UNSW Sydney"},
    {"University of New South Wales", "UNSW Sydney"},
    {"Monash University", "Monash University"},
    {"The Australian National University", "Australian National University"},
    {"University of Toronto", "University of Toronto"},
    {"University of British Columbia", "University of British Columbia"},
    {"McGill University", "McGill University"},
    {"University of Waterloo", "University of Waterloo"},
    {"ETH Zürich", "ETH Zurich"},
    {"University of California", ""},
    {"Hong Kong Institute of Vocational Education", ""},
    {"St. Paul's College", ""},
    {"HKU SPACE", ""},
    {"Northeastern University", "Northeastern University"},
    {"Northeastern University (Mainland China)", "Northeastern University (Mainland China)"},
};

TEST_F(DefaultRanksTest, RealisticSpellingsMatchRate) {
  int ranked = 0, found = 0, wrong = 0;
  for (const Spelling& spelling : kSpellings) {
    const std::string got = FindName(spelling.text);
    if (*spelling.expected == '\0') {
      EXPECT_EQ(got, "") << spelling.text;
      if (!got.empty()) ++wrong;
      continue;
    }
    ++ranked;
    if (got == spelling.expected) {
      ++found;
    } else if (!got.empty()) {
      ++wrong;
      ADD_FAILURE() << spelling.text << " matched " << got << ", expected " << spelling.expected;
    } else {
      ADD_FAILURE() << spelling.text << " did not match " << spelling.expected;
    }
  }
  std::printf("realistic spellings: %d of %d ranked spellings matched, %d wrong, %zu total\n",
              found, ranked, wrong, std::size(kSpellings));
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(found, ranked);
}

// A second list, written after the alias table was frozen and not used to
// change it: its match rate is the less biased estimate reported in
// docs/methodology.md. Misses here are known limitations (school names
// without an alias, informal names, other-language names); a wrong match
// would be a bug.
// Measured on 2026-11-22; a regression guard, to be raised as rules improve.
constexpr int kHeldOutFound = 32;
const Spelling kHeldOutSpellings[] = {
    {"University of Hong Kong - Faculty of Law", "University of Hong Kong"},
    {"HKU Business School", "University of Hong Kong"},
    {"The Chinese University of Hong Kong (CUHK)", "Chinese University of Hong Kong"},
    {"Hong Kong Polytechnic Univ", "Hong Kong Polytechnic University"},
    {"City Univ. of Hong Kong", "City University of Hong Kong"},
    {"香港浸會大學", "Hong Kong Baptist University"},
    {"Hong Kong University", "University of Hong Kong"},
    {"The University of Hong Kong, Pokfulam", "University of Hong Kong"},
    {"University of Macau", "University of Macau"},
    {"Shanghai Jiao Tong University - Antai College of Economics and Management",
     "Shanghai Jiao Tong University"},
    {"Fudan University School of Management", "Fudan University"},
    {"Peking University Guanghua School of Management", "Peking University"},
    {"China Europe International Business School (CEIBS)", ""},
    {"Tsinghua University - School of Economics and Management", "Tsinghua University"},
    {"Zhongshan University", "Sun Yat-sen University"},
    {"Nanjing University", "Nanjing University"},
    {"Wuhan University", "Wuhan University"},
    {"Xiamen University", "Xiamen University"},
    {"National Taiwan University (NTU)", "National Taiwan University (NTU)"},
    {"National Chengchi University", "National Chengchi University"},
    {"Singapore Management University (SMU)", "Singapore Management University"},
    {"NUS Business School", "National University of Singapore"},
    {"INSEAD", ""},
    {"University of London", ""},
    {"London School of Economics (LSE)", "London School of Economics and Political Science"},
    {"University of Bath", "University of Bath"},
    {"Lancaster University", "Lancaster University"},
    {"University of Sydney Business School", "University of Sydney"},
    {"Macquarie University", "Macquarie University"},
    {"University of Toronto - Rotman School of Management", "University of Toronto"},
    {"Simon Fraser University", "Simon Fraser University"},
    {"University of Chicago", "The University of Chicago"},
    {"Univ of Michigan", "University of Michigan-Ann Arbor"},
    {"UCLA Anderson School of Management", "University of California, Los Angeles"},
    {"Georgetown University", "Georgetown University"},
    {"Babson College", ""},
    {"Kyoto Univ.", "Kyoto University"},
    {"Korea University Business School", "Korea University"},
    {"Ewha Womans University", "Ewha Womans University"},
    {"Indian Institute of Technology, Bombay", "Indian Institute of Technology Bombay"},
    {"Université de Genève", "University of Geneva"},
    {"Technische Universität München", "Technical University of Munich"},
    {"Universiteit van Amsterdam", "University of Amsterdam"},
    {"St. Paul's Co-educational College", ""},
    {"Hong Kong Community College", ""},
    {"Open University of Hong Kong", ""},
    {"University of Cambridge - Judge Business School", "University of Cambridge"},
    {"Harvard Kennedy School", "Harvard University"},
};

TEST_F(DefaultRanksTest, HeldOutSpellingsMatchRate) {
  int ranked = 0, found = 0, wrong = 0;
  for (const Spelling& spelling : kHeldOutSpellings) {
    const std::string got = FindName(spelling.text);
    if (*spelling.expected == '\0') {
      EXPECT_EQ(got, "") << spelling.text;
      if (!got.empty()) ++wrong;
      continue;
    }
    ++ranked;
    if (got == spelling.expected) {
      ++found;
    } else if (!got.empty()) {
      ++wrong;
      ADD_FAILURE() << spelling.text << " matched " << got << ", expected " << spelling.expected;
    } else {
      std::printf("held-out miss: %s (%s)\n", spelling.text, spelling.expected);
    }
  }
  std::printf("held-out spellings: %d of %d ranked spellings matched, %d wrong, %zu total\n", found,
              ranked, wrong, std::size(kHeldOutSpellings));
  EXPECT_EQ(wrong, 0);
  EXPECT_GE(found, kHeldOutFound);
}

}  // namespace
}  // namespace talentflow
