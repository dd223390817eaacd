#include "report/official.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

namespace talentflow::report {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const DerivedRate* FindRate(const OfficialData& data, const std::string& rate,
                            const std::string& key) {
  for (const DerivedRate& r : data.rates) {
    if (r.rate == rate && r.key == key) return &r;
  }
  return nullptr;
}

// Every derived rate of the bundled data/official, against values worked out
// by hand from the CSV rows (numbers quoted in the comments).
TEST(OfficialData, DerivedRatesMatchHandComputedValues) {
  auto data = LoadOfficialData({"data/official"});
  ASSERT_TRUE(data.ok()) << data.status().message();

  // scheme_totals.csv, PB39 2025-08, all talent schemes: 520000 applications, 350000 approved,
  // 230000 talents arrived, 220000 dependants arrived.
  const DerivedRate* r = FindRate(*data, "approval_rate", "PB39 2025-08 all talent schemes");
  ASSERT_NE(r, nullptr);
  EXPECT_NEAR(r->value, 67.3077, 1e-4);  // 350000 / 520000
  EXPECT_TRUE(r->approximate);           // "about"
  EXPECT_EQ(r->date, "2025-08");
  EXPECT_EQ(r->document, "PB39");
  r = FindRate(*data, "arrival_rate", "PB39 2025-08 all talent schemes");
  ASSERT_NE(r, nullptr);
  EXPECT_NEAR(r->value, 65.7143, 1e-4);  // 230000 / 350000
  r = FindRate(*data, "dependants_per_talent", "PB39 2025-08 all talent schemes");
  ASSERT_NE(r, nullptr);
  EXPECT_NEAR(r->value, 0.956522, 1e-6);  // 220000 / 230000

  // TTPS 2025-08: 140000 applications, 110000 approved, 90000 arrived.
  r = FindRate(*data, "approval_rate", "PB39 2025-08 TTPS");
  ASSERT_NE(r, nullptr);
  EXPECT_NEAR(r->value, 78.5714, 1e-4);
  r = FindRate(*data, "arrival_rate", "PB39 2025-08 TTPS");
  ASSERT_NE(r, nullptr);
  EXPECT_NEAR(r->value, 81.8182, 1e-4);

  // All schemes 2025-12: 570000 applications, 400000 approved, 260000 arrived.
  r = FindRate(*data, "approval_rate", "PB39 2025-12 all talent schemes");
  ASSERT_NE(r, nullptr);
  EXPECT_NEAR(r->value, 70.1754, 1e-4);
  r = FindRate(*data, "arrival_rate", "PB39 2025-12 all talent schemes");
  ASSERT_NE(r, nullptr);
  EXPECT_NEAR(r->value, 65.0, 1e-9);
  EXPECT_EQ(FindRate(*data, "dependants_per_talent", "PB39 2025-12 all talent schemes"), nullptr);

  // TTPS renewals 2025-12: 17615 renewal applications of 33000 expired visas; PB39 says "about
  // 53%".
  r = FindRate(*data, "ttps_renewal_rate", "PB39 2025-12 TTPS");
  ASSERT_NE(r, nullptr);
  EXPECT_NEAR(r->value, 53.3788, 1e-4);
  ASSERT_TRUE(r->published.has_value());
  EXPECT_EQ(*r->published, 53);
  EXPECT_EQ(r->published_qualifier, "about");
  // TTPS 2025-12 has approvals but no applications: no approval rate.
  EXPECT_EQ(FindRate(*data, "approval_rate", "PB39 2025-12 TTPS"), nullptr);

  // Wide files: managers_professionals.csv subtotal / all employed (excluding FDHs).
  r = FindRate(*data, "managers_professionals_share", "PB39 2022Q1");
  ASSERT_NE(r, nullptr);
  EXPECT_NEAR(r->value, 24.0606, 1e-4);  // 805500 / 3347800
  r = FindRate(*data, "managers_professionals_share", "PB39 2025Q3");
  ASSERT_NE(r, nullptr);
  EXPECT_NEAR(r->value, 27.2202, 1e-4);  // 904500 / 3322900
  // dse_candidates.csv: private / all, published 12 and 16.
  r = FindRate(*data, "dse_private_share", "PB39 2022");
  ASSERT_NE(r, nullptr);
  EXPECT_NEAR(r->value, 11.6159, 1e-4);  // 5563 / 47891
  EXPECT_EQ(*r->published, 12);
  r = FindRate(*data, "dse_private_share", "PB39 2025");
  ASSERT_NE(r, nullptr);
  EXPECT_NEAR(r->value, 16.3726, 1e-4);  // 8824 / 53895
  EXPECT_EQ(*r->published, 16);

  // Exactly these rates exist: 2 + 2 + 1 (2025-08: all, TTPS; 2025-12: all) approval/arrival
  // pairs = 6, dependants 1, renewal 1, managers 2, DSE 2.
  EXPECT_EQ(data->rates.size(), 12u);
}

TEST(OfficialData, FilesTitlesSourcesAndLabels) {
  auto data = LoadOfficialData({"data/official"});
  ASSERT_TRUE(data.ok()) << data.status().message();
  ASSERT_EQ(data->files.size(), 7u);
  EXPECT_EQ(data->files[0].file, "scheme_totals.csv");
  EXPECT_EQ(data->files[0].date_column, "as_of");
  ASSERT_TRUE(data->files[0].chart.has_value());
  EXPECT_EQ(data->files[0].chart->filter_values.size(), 4u);
  const OfficialFile& comparison = data->files.back();
  EXPECT_EQ(comparison.file, "scheme_comparison_pb39.csv");
  EXPECT_EQ(comparison.document, "PB39");
  EXPECT_EQ(comparison.date, "2026-03");
  EXPECT_EQ(data->Zh("approved"), "獲批");
  EXPECT_EQ(data->Zh("unlisted words"), "unlisted words");
}

class OfficialDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tf_official_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  fs::path dir_;
};

TEST_F(OfficialDirTest, UserFolderExtendsAndReplaces) {
  // A user's own figures for a second city and a new rate over them.
  Write("sg_passes.csv",
        "document,as_of,scheme,measure,value,qualifier\n"
        "MOM,2024-12,EP,applications,200,\nMOM,2024-12,EP,approved,150,\n");
  Write("_rates.csv",
        "rate,name_en,name_zh,file,numerator,denominator,scale,unit_en,unit_zh,published\n"
        "approval_rate,Approval rate,批准率,sg_passes.csv,approved,applications,100,%,%,\n");
  auto data = LoadOfficialData({"data/official", dir_});
  ASSERT_TRUE(data.ok()) << data.status().message();
  EXPECT_EQ(data->files.size(), 8u);
  // The user's approval_rate row replaced the bundled one: only the SG rate is computed for it.
  const DerivedRate* sg = FindRate(*data, "approval_rate", "MOM 2024-12 EP");
  ASSERT_NE(sg, nullptr);
  EXPECT_DOUBLE_EQ(sg->value, 75.0);
  EXPECT_FALSE(sg->approximate);
  EXPECT_EQ(FindRate(*data, "approval_rate", "PB39 2025-08 TTPS"), nullptr);
  EXPECT_NE(FindRate(*data, "arrival_rate", "PB39 2025-08 TTPS"), nullptr);
}

TEST_F(OfficialDirTest, FileWithoutSourceOrDateIsAnError) {
  Write("no_source.csv", "as_of,value\n2024,1\n");
  auto data = LoadOfficialData({dir_});
  ASSERT_FALSE(data.ok());
  EXPECT_THAT(data.status().message(), HasSubstr("no_source.csv: no source"));
  fs::remove(dir_ / "no_source.csv");
  Write("no_date.csv", "document,value\nX,1\n");
  data = LoadOfficialData({dir_});
  ASSERT_FALSE(data.ok());
  EXPECT_THAT(data.status().message(), HasSubstr("no_date.csv: no date"));
}

TEST_F(OfficialDirTest, BadControlRowsNameFileAndLine) {
  Write("a.csv", "document,year,x,y\nD,2024,1,2\n");
  Write("_files.csv", "file,title_en,chart_category,chart_value\na.csv,A,year,nope\n");
  auto data = LoadOfficialData({dir_});
  ASSERT_FALSE(data.ok());
  EXPECT_THAT(data.status().message(),
              HasSubstr("_files.csv line 2: column \"nope\" is not a column of a.csv"));
  Write("_files.csv", "file,title_en\na.csv,A\n");
  Write("_rates.csv", "rate,file,numerator,denominator,scale\nr,a.csv,x,y,zero\n");
  data = LoadOfficialData({dir_});
  ASSERT_FALSE(data.ok());
  EXPECT_THAT(data.status().message(), HasSubstr("_rates.csv line 2: scale \"zero\""));
  Write("_rates.csv", "rate,file,numerator,denominator,scale\nr,a.csv,x,z,1\n");
  data = LoadOfficialData({dir_});
  ASSERT_FALSE(data.ok());
  EXPECT_THAT(data.status().message(), HasSubstr("a.csv has no column \"z\""));
  Write("_rates.csv", "rate,file,numerator,denominator\nr,a.csv,x,y\n");
  data = LoadOfficialData({dir_});
  ASSERT_TRUE(data.ok()) << data.status().message();
  ASSERT_EQ(data->rates.size(), 1u);
  EXPECT_DOUBLE_EQ(data->rates[0].value, 0.5);
  EXPECT_EQ(data->rates[0].key, "D 2024");
}

TEST_F(OfficialDirTest, InfinityOrNanFiguresGiveNoRate) {
  Write("a.csv", "document,year,x,y\nD,2024,1,nan\nE,2024,inf,2\nF,2024,3,4\n");
  Write("_rates.csv", "rate,file,numerator,denominator,scale\nr,a.csv,x,y,inf\n");
  auto data = LoadOfficialData({dir_});
  ASSERT_FALSE(data.ok());
  EXPECT_THAT(data.status().message(), HasSubstr("_rates.csv line 2: scale \"inf\""));
  Write("_rates.csv", "rate,file,numerator,denominator\nr,a.csv,x,y\n");
  data = LoadOfficialData({dir_});
  ASSERT_TRUE(data.ok()) << data.status().message();
  ASSERT_EQ(data->rates.size(), 1u);
  EXPECT_EQ(data->rates[0].key, "F 2024");
  EXPECT_DOUBLE_EQ(data->rates[0].value, 0.75);
}

TEST(ParseNumber, OnlyWholeNumbers) {
  EXPECT_EQ(ParseNumber("520000"), 520000);
  EXPECT_EQ(ParseNumber("-17"), -17);
  EXPECT_EQ(ParseNumber("6.6"), 6.6);
  EXPECT_FALSE(ParseNumber("").has_value());
  EXPECT_FALSE(ParseNumber("about 5").has_value());
  EXPECT_FALSE(ParseNumber("5%").has_value());
}

// Found by official_fuzzer: from_chars reads these as infinities and NaN.
TEST(ParseNumber, WordsForInfinityAndNanAreNotNumbers) {
  for (const char* text : {"inf", "-inf", "infinity", "INF", "nan", "-nan", "NaN", "nan(1)"})
    EXPECT_FALSE(ParseNumber(text).has_value()) << text;
}

}  // namespace
}  // namespace talentflow::report
