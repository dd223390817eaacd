#include "panel/gazetteer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "io/file_util.h"

namespace talentflow {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kHeader[] =
    "name_en,name_zh,kind,country,match_country,match_metro_area,match_city,aliases,"
    "study_rank_order\n";

// A tiny gazetteer: row index = line - 2.
constexpr char kSmall[] =
    "Hong Kong,香港,country,,Hong Kong|Hong Kong SAR|香港,,,HK|HKSAR,4\n"
    "United States,美國,country,,United States|USA|美國,,,US,\n"
    "San Francisco,三藩市,city,United States,,San Francisco Bay Area,San Francisco|舊金山,SF,1\n"
    "Switzerland,瑞士,country,,Switzerland|瑞士,,,CH,8\n";

class GazetteerFileTest : public ::testing::Test {
 protected:
  std::filesystem::path Write(const std::string& body) {
    const std::filesystem::path path =
        std::filesystem::temp_directory_path() /
        ("tf_gazetteer_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++) + ".csv");
    EXPECT_TRUE(WriteFileAtomic(path, body).ok());
    paths_.push_back(path);
    return path;
  }
  void TearDown() override {
    for (const auto& path : paths_) std::filesystem::remove(path);
  }
  std::string LoadError(const std::string& body) {
    auto gaz = Gazetteer::Load(Write(body));
    EXPECT_FALSE(gaz.ok());
    return gaz.ok() ? "" : gaz.status().message();
  }

 private:
  int counter_ = 0;
  std::vector<std::filesystem::path> paths_;
};

TEST_F(GazetteerFileTest, LoadsPlacesInFileOrder) {
  auto gaz = Gazetteer::Load(Write(std::string(kHeader) + kSmall));
  ASSERT_TRUE(gaz.ok()) << gaz.status().ToString();
  ASSERT_EQ(gaz->size(), 4u);
  EXPECT_EQ(gaz->place(0).name_en, "Hong Kong");
  EXPECT_EQ(gaz->place(0).name_zh, "香港");
  EXPECT_EQ(gaz->place(0).kind, PlaceKind::kCountry);
  EXPECT_EQ(gaz->place(0).study_order, 4);
  EXPECT_EQ(gaz->place(1).study_order, 0);
  EXPECT_EQ(gaz->place(2).kind, PlaceKind::kCity);
  EXPECT_EQ(gaz->place(2).country, "United States");
}

TEST_F(GazetteerFileTest, ColumnsMayComeInAnyOrder) {
  auto gaz = Gazetteer::Load(
      Write("kind,name_en,study_rank_order,name_zh,country,match_country,match_metro_area,"
            "match_city,aliases\ncountry,Japan,,日本,,Japan|日本,,,JP\n"));
  ASSERT_TRUE(gaz.ok()) << gaz.status().ToString();
  EXPECT_EQ(gaz->place(0).name_zh, "日本");
  EXPECT_EQ(gaz->FindPlace("jp"), 0u);
}

TEST_F(GazetteerFileTest, StudyRankOrderColumnIsOptional) {
  auto gaz = Gazetteer::Load(
      Write("name_en,name_zh,kind,country,match_country,match_metro_area,match_city,aliases\n"
            "Japan,日本,country,,Japan,,,JP\nTokyo,東京,city,Japan,,Greater Tokyo Area,Tokyo,\n"));
  ASSERT_TRUE(gaz.ok()) << gaz.status().ToString();
  ASSERT_EQ(gaz->size(), 2u);
  EXPECT_EQ(gaz->place(0).study_order, 0);
  EXPECT_EQ(gaz->place(1).study_order, 0);
  EXPECT_TRUE(gaz->Matches(1, "Japan", "greater tokyo area", ""));
}

TEST_F(GazetteerFileTest, MatchesAreCaseAndSpaceInsensitive) {
  auto gaz = Gazetteer::Load(Write(std::string(kHeader) + kSmall));
  ASSERT_TRUE(gaz.ok());
  EXPECT_TRUE(gaz->Matches(0, "Hong Kong", "", ""));
  EXPECT_TRUE(gaz->Matches(0, "hong  kong ", "", ""));
  EXPECT_TRUE(gaz->Matches(0, "  HONG KONG", "", ""));
  EXPECT_TRUE(gaz->Matches(0, "香港", "", ""));
  EXPECT_TRUE(gaz->Matches(0, "hong kong sar", "", ""));
  EXPECT_FALSE(gaz->Matches(0, "HK", "", ""));  // an alias is for --place, not a match value
  EXPECT_FALSE(gaz->Matches(0, "Hongkong", "", ""));
  EXPECT_FALSE(gaz->Matches(0, "", "", ""));
  // A country matches on the country field only.
  EXPECT_FALSE(gaz->Matches(0, "", "Hong Kong", "Hong Kong"));
}

TEST_F(GazetteerFileTest, CityAndItsCountryBothMatch) {
  auto gaz = Gazetteer::Load(Write(std::string(kHeader) + kSmall));
  ASSERT_TRUE(gaz.ok());
  std::vector<uint32_t> out;
  gaz->Match("United States", "San Francisco Bay Area", "Palo Alto", &out);
  EXPECT_THAT(out, ElementsAre(1u, 2u));
  out.clear();
  gaz->Match("", "", "san francisco", &out);
  EXPECT_THAT(out, ElementsAre(2u));
  out.clear();
  gaz->Match("Switzerland", "Zurich Metropolitan Area", "Zurich", &out);
  EXPECT_THAT(out, ElementsAre(3u));
  // Appends after what the caller already holds.
  out = {99};
  gaz->Match("usa", "", "", &out);
  EXPECT_THAT(out, ElementsAre(99u, 1u));
  out.clear();
  gaz->Match("Japan", "", "Tokyo", &out);
  EXPECT_THAT(out, IsEmpty());
}

TEST_F(GazetteerFileTest, CityNeedsItsOwnCountryWhenCountryIsGiven) {
  auto gaz = Gazetteer::Load(Write(std::string(kHeader) + kSmall));
  ASSERT_TRUE(gaz.ok());
  EXPECT_TRUE(gaz->Matches(2, "United States", "", "San Francisco"));
  EXPECT_TRUE(gaz->Matches(2, "", "", "San Francisco"));
  // A San Francisco outside the United States (there is one in Argentina).
  EXPECT_FALSE(gaz->Matches(2, "Argentina", "", "San Francisco"));
  std::vector<uint32_t> out;
  gaz->Match("Argentina", "", "San Francisco", &out);
  EXPECT_THAT(out, IsEmpty());
}

TEST_F(GazetteerFileTest, FindPlaceByNameChineseAliasAndMatchValue) {
  auto gaz = Gazetteer::Load(Write(std::string(kHeader) + kSmall));
  ASSERT_TRUE(gaz.ok());
  EXPECT_EQ(gaz->FindPlace("Hong Kong"), 0u);
  EXPECT_EQ(gaz->FindPlace(" hong   KONG "), 0u);
  EXPECT_EQ(gaz->FindPlace("香港"), 0u);
  EXPECT_EQ(gaz->FindPlace("HK"), 0u);
  EXPECT_EQ(gaz->FindPlace("hksar"), 0u);
  EXPECT_EQ(gaz->FindPlace("三藩市"), 2u);
  EXPECT_EQ(gaz->FindPlace("舊金山"), 2u);  // a match value, unique to one place
  EXPECT_EQ(gaz->FindPlace("sf"), 2u);
  EXPECT_EQ(gaz->FindPlace("Switzerland"), 3u);
  EXPECT_EQ(gaz->FindPlace("Atlantis"), std::nullopt);
  EXPECT_EQ(gaz->FindPlace(""), std::nullopt);
}

TEST_F(GazetteerFileTest, RejectsBadFilesNamingLineAndColumn) {
  EXPECT_THAT(LoadError(std::string(kHeader) + kSmall + "Macao,澳門,island,,Macao,,,,\n"),
              HasSubstr("line 6 column kind: unknown kind \"island\""));
  EXPECT_THAT(LoadError(std::string(kHeader) + kSmall + "hong kong,,country,,HKG,,,,\n"),
              HasSubstr("line 6 column name_en: duplicate place name \"hong kong\""));
  EXPECT_THAT(
      LoadError(std::string(kHeader) + kSmall + "Macao,澳門,country,,Macao,,,HK,\n"),
      HasSubstr("line 6 column aliases: duplicate place name \"HK\" (already used on line 2)"));
  EXPECT_THAT(LoadError(std::string(kHeader) + kSmall + " ,澳門,country,,Macao,,,,\n"),
              HasSubstr("line 6 column name_en: empty place name"));
  EXPECT_THAT(LoadError(std::string(kHeader) + kSmall + "Tokyo,東京,city,Japan,,,Tokyo,,12\n"),
              HasSubstr("line 6 column country: city's country \"Japan\" is not the name_en"));
  EXPECT_THAT(LoadError(std::string(kHeader) + kSmall + "Oakland,,city,US,,,Oakland,,\n"),
              HasSubstr("line 6 column country"));
  EXPECT_THAT(LoadError(std::string(kHeader) + kSmall + "Macao,澳門,country,,,,,,\n"),
              HasSubstr("line 6 column match_country"));
  EXPECT_THAT(LoadError(std::string(kHeader) + kSmall + "Macao,澳門,country,,Macao,,,,x\n"),
              HasSubstr("line 6 column study_rank_order"));
  EXPECT_THAT(
      LoadError(std::string(kHeader) + kSmall + "Macao,澳門,country,,Macao,,,,4\n"),
      HasSubstr("line 6 column study_rank_order: study_rank_order 4 already used on line 2"));
  EXPECT_THAT(LoadError(std::string(kHeader) + kSmall + "Macao,澳門,country,,Macao,,\n"),
              HasSubstr("line 6: 7 fields, expected 9"));
  EXPECT_THAT(LoadError("name_en,name_zh,kind,country,match_country,match_metro_area,match_city,"
                        "study_rank_order\n"),
              HasSubstr("line 1: missing column \"aliases\""));
  EXPECT_THAT(LoadError(std::string("name_en,name_zh,kind,country,match_country,match_metro_area,"
                                    "match_city,aliases,study_rank_order,extra\n")),
              HasSubstr("line 1 column 10: unexpected column \"extra\""));
  EXPECT_THAT(LoadError(std::string(kHeader) + "\"Macao,澳門,country,,Macao,,,,\n"),
              HasSubstr("line 2 column 1: quoted field is not closed"));
  EXPECT_THAT(LoadError(std::string(kHeader) + "Mac\xff,,country,,Macao,,,,\n"),
              HasSubstr("not valid UTF-8"));
  auto missing = Gazetteer::Load("/nonexistent/places.csv");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("/nonexistent/places.csv"));
}

// The shipped gazetteer.
class DefaultGazetteerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = Gazetteer::LoadDefault();
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    gaz_ = new Gazetteer(std::move(loaded).value());
  }
  static void TearDownTestSuite() {
    delete gaz_;
    gaz_ = nullptr;
  }
  static uint32_t Find(std::string_view name) {
    auto idx = gaz_->FindPlace(name);
    EXPECT_TRUE(idx.has_value()) << name;
    return idx.value_or(UINT32_MAX);
  }
  static Gazetteer* gaz_;
};
Gazetteer* DefaultGazetteerTest::gaz_ = nullptr;

TEST_F(DefaultGazetteerTest, HasTheSixteenStudyPlacesInOrder) {
  const std::vector<std::string> expected = {
      "San Francisco", "Los Angeles", "New York", "Hong Kong", "Sydney", "Chicago",
      "Melbourne",     "Switzerland", "Toronto",  "Singapore", "London", "Tokyo",
      "Shanghai",      "Beijing",     "Dubai",    "Shenzhen"};
  std::vector<std::string> found(16);
  for (uint32_t idx = 0; idx < gaz_->size(); ++idx) {
    const int order = gaz_->place(idx).study_order;
    if (order == 0) continue;
    ASSERT_LE(order, 16);
    found[order - 1] = gaz_->place(idx).name_en;
    EXPECT_FALSE(gaz_->place(idx).name_zh.empty());
  }
  EXPECT_EQ(found, expected);
  EXPECT_EQ(gaz_->place(Find("Hong Kong")).kind, PlaceKind::kCountry);
  EXPECT_EQ(gaz_->place(Find("Singapore")).kind, PlaceKind::kCountry);
  EXPECT_EQ(gaz_->place(Find("Switzerland")).kind, PlaceKind::kCountry);
  EXPECT_EQ(gaz_->place(Find("Shenzhen")).country, "Mainland China");
}

TEST_F(DefaultGazetteerTest, HongKongSpellings) {
  const uint32_t hk = Find("Hong Kong");
  EXPECT_EQ(Find("HK"), hk);
  EXPECT_EQ(Find("香港"), hk);
  EXPECT_EQ(Find("hong kong "), hk);
  for (const char* country : {"Hong Kong", "香港", "hong kong ", "HONG  KONG", "Hong Kong SAR",
                              "Hong Kong SAR, China", "China-Hong Kong"}) {
    EXPECT_TRUE(gaz_->Matches(hk, country, "", "")) << country;
  }
  // Hong Kong is not Mainland China, and the reverse.
  EXPECT_FALSE(gaz_->Matches(hk, "China", "", ""));
  EXPECT_FALSE(gaz_->Matches(Find("Mainland China"), "Hong Kong", "", ""));
}

TEST_F(DefaultGazetteerTest, ChinaTaiwanMacaoAreSeparatePlaces) {
  const uint32_t china = Find("Mainland China");
  for (const char* name : {"China", "PRC", "中國", "中国大陆", "中國內地"}) {
    EXPECT_EQ(Find(name), china) << name;
  }
  for (const char* country : {"China", "Mainland China", "中国", "China (Mainland)"}) {
    EXPECT_TRUE(gaz_->Matches(china, country, "", "")) << country;
  }
  const uint32_t taiwan = Find("Taiwan");
  const uint32_t macao = Find("Macao");
  EXPECT_NE(taiwan, china);
  EXPECT_NE(macao, china);
  EXPECT_EQ(Find("台灣"), taiwan);
  EXPECT_EQ(Find("臺灣"), taiwan);
  EXPECT_EQ(Find("Macau"), macao);
  EXPECT_EQ(Find("澳門"), macao);
  EXPECT_TRUE(gaz_->Matches(taiwan, "Taiwan, China", "", ""));
}

TEST_F(DefaultGazetteerTest, CommonCountryAliases) {
  EXPECT_EQ(Find("USA"), Find("United States"));
  EXPECT_EQ(Find("US"), Find("United States"));
  EXPECT_EQ(Find("美國"), Find("United States"));
  EXPECT_EQ(Find("UK"), Find("United Kingdom"));
  EXPECT_EQ(Find("英國"), Find("United Kingdom"));
  EXPECT_EQ(Find("Korea, Republic of"), Find("South Korea"));
  EXPECT_EQ(Find("韓國"), Find("South Korea"));
  EXPECT_EQ(Find("UAE"), Find("United Arab Emirates"));
  EXPECT_TRUE(gaz_->Matches(Find("South Korea"), "Korea, Rep.", "", ""));
  EXPECT_TRUE(gaz_->Matches(Find("Iran"), "Iran, Islamic Rep.", "", ""));
}

TEST_F(DefaultGazetteerTest, SanFranciscoBayAreaMatchesCityAndCountry) {
  std::vector<uint32_t> out;
  gaz_->Match("United States", "San Francisco Bay Area", "Palo Alto", &out);
  EXPECT_THAT(out, ElementsAre(Find("San Francisco"), Find("United States")));
  EXPECT_TRUE(gaz_->Matches(Find("San Francisco"), "United States", "san francisco bay area", ""));
  out.clear();
  gaz_->Match("Switzerland", "Zürich Area", "Zürich", &out);
  EXPECT_THAT(out, ElementsAre(Find("Switzerland")));
  // Melbourne, Florida is in neither Melbourne nor Australia.
  out.clear();
  gaz_->Match("United States", "Palm Bay-Melbourne-Titusville", "Melbourne", &out);
  EXPECT_THAT(out, ElementsAre(Find("United States")));
}

TEST_F(DefaultGazetteerTest, CountriesOfTheReferenceTablesAreKnown) {
  // Every region of the study's table 2 and country names the World Bank
  // talent-migration data uses for Hong Kong's partners.
  for (const char* name : {"United States",
                           "Mainland China",
                           "United Kingdom",
                           "Singapore",
                           "Australia",
                           "Canada",
                           "India",
                           "France",
                           "Taiwan",
                           "Japan",
                           "Hong Kong SAR, China",
                           "Korea, Rep.",
                           "Egypt, Arab Rep.",
                           "Venezuela, RB",
                           "Slovak Republic",
                           "Czech Republic",
                           "West Bank and Gaza",
                           "Cote d'Ivoire",
                           "Bahamas, The",
                           "Congo, Dem. Rep.",
                           "Macedonia, FYR",
                           "Yemen, Rep.",
                           "Syrian Arab Republic",
                           "Vietnam",
                           "Turkey"}) {
    EXPECT_TRUE(gaz_->FindPlace(name).has_value()) << name;
  }
  EXPECT_GE(gaz_->size(), 249u);
}

}  // namespace
}  // namespace talentflow
