#include "flows/flows.h"

#include <gtest/gtest.h>

#include "panel/test_dataset.h"

namespace talentflow {
namespace {

using testing::NameMatcher;
using testing::TestDataset;

const TitleRules& Rules() {
  static const TitleRules rules = *TitleRules::LoadDefault();
  return rules;
}

class FakeRanker : public UniversityRanker {
 public:
  Lookup Find(std::string_view name, int year) const override {
    if (name == "HKU") return {true, 35.0};
    if (name == "Big U") return {true, 225.5};
    if (name == "Known Unranked") return {true, std::nullopt};
    return {};
  }
};

// Places: 0 Hong Kong, 1 Singapore, 2 London (a city).
const NameMatcher kPlaces({"Hong Kong", "Singapore", "London"});

FlowsResult RunOn(const Dataset& ds, int threads = 1, FlowsContext* keep = nullptr) {
  FlowsParams params{.target_place = 0,
                     .before = MakeMonth(2019, 12),
                     .after = MakeMonth(2023, 6),
                     .study_places = {0, 1, 2},
                     .threads = threads};
  static FakeRanker ranker;
  auto ctx = FlowsContext::Build(ds, kPlaces, Rules(), &ranker, params);
  EXPECT_TRUE(ctx.ok()) << ctx.status().ToString();
  FlowsResult r = RunFlows(*ctx);
  if (keep) *keep = std::move(ctx).value();
  return r;
}

int64_t Count(const FlowsResult& r, FlowClass c) { return r.acc.classes[static_cast<int>(c)]; }

TEST(Flows, ClassesAndUnclassifiedReasons) {
  TestDataset t;
  for (const char* u : {"a", "b", "c", "d", "e", "f", "g"}) t.User(u);
  t.Position("a", "1", "2015-01", "", "Hong Kong");         // stayer
  t.Position("b", "2", "2015-01", "2020-12", "Singapore");  // joiner
  t.Position("b", "3", "2021-01", "", "hong kong");
  t.Position("c", "4", "2015-01", "2020-12", "Hong Kong");  // leaver
  t.Position("c", "5", "2021-01", "", "United States");
  t.Position("d", "6", "2015-01", "", "Japan");             // outside
  t.Position("e", "7", "2021-01", "", "Hong Kong");         // unknown before
  t.Position("f", "8", "2015-01", "2020-01", "Hong Kong");  // unknown after
  // g: no positions at all: unknown both.
  Dataset ds = t.Build(MakeMonth(2023, 9));
  FlowsResult r = RunOn(ds);
  EXPECT_EQ(Count(r, FlowClass::kStayer), 1);
  EXPECT_EQ(Count(r, FlowClass::kJoiner), 1);
  EXPECT_EQ(Count(r, FlowClass::kLeaver), 1);
  EXPECT_EQ(Count(r, FlowClass::kOutside), 1);
  EXPECT_EQ(Count(r, FlowClass::kUnknownBefore), 1);
  EXPECT_EQ(Count(r, FlowClass::kUnknownAfter), 1);
  EXPECT_EQ(Count(r, FlowClass::kUnknownBoth), 1);
}

TEST(Flows, CountriesGroupedCaseInsensitivelyFirstSeenInUserOrder) {
  TestDataset t;
  // User ids sort "u1" < "u2" < "u3": the display is u1's spelling.
  for (const char* u : {"u3", "u1", "u2"}) t.User(u);
  t.Position("u1", "1", "2015-01", "2020-12", "Hong Kong");
  t.Position("u1", "2", "2021-01", "", "united  states");
  t.Position("u2", "3", "2015-01", "2020-12", "Hong Kong");
  t.Position("u2", "4", "2021-01", "", "United States");
  t.Position("u3", "5", "2015-01", "2020-12", "UNITED STATES");
  t.Position("u3", "6", "2021-01", "", "Hong Kong");
  Dataset ds = t.Build(MakeMonth(2023, 9));
  FlowsContext ctx;
  FlowsResult r = RunOn(ds, 1, &ctx);
  ASSERT_EQ(r.acc.countries.size(), 1u);
  const CountryFlow& us = r.acc.countries.begin()->second;
  EXPECT_EQ(us.leave, 2);
  EXPECT_EQ(us.join, 1);
  EXPECT_EQ(ds.str(us.display), "united  states");
  EXPECT_EQ(ctx.country_key_text[r.acc.countries.begin()->first], "united states");
}

TEST(Flows, SameCompanyUsesParentThenRcid) {
  TestDataset t;
  for (const char* u : {"a", "b", "c", "d"}) t.User(u);
  // a: same parent P across countries (leaver, same company).
  auto& a1 = t.Position("a", "1", "2015-01", "2020-12", "Hong Kong");
  a1.rcid = "r1";
  a1.parent = "P";
  auto& a2 = t.Position("a", "2", "2021-01", "", "Singapore");
  a2.rcid = "r2";
  a2.parent = "P";
  // b: no parents, same rcid (stayer, same).
  auto& b1 = t.Position("b", "3", "2015-01", "", "Hong Kong");
  b1.rcid = "r9";
  // c: different firms (joiner, different).
  t.Position("c", "4", "2015-01", "2020-12", "Japan").rcid = "x";
  t.Position("c", "5", "2021-01", "", "Hong Kong").rcid = "y";
  // d: missing employer after (joiner, unknown).
  t.Position("d", "6", "2015-01", "2020-12", "Japan").rcid = "x";
  t.Position("d", "7", "2021-01", "", "Hong Kong");
  Dataset ds = t.Build(MakeMonth(2023, 9));
  FlowsResult r = RunOn(ds);
  auto company = [&](FlowClass c, CompanyStatus s) {
    return r.acc.company[static_cast<int>(c)][static_cast<int>(s)];
  };
  EXPECT_EQ(company(FlowClass::kLeaver, CompanyStatus::kSame), 1);
  EXPECT_EQ(company(FlowClass::kStayer, CompanyStatus::kSame), 1);
  EXPECT_EQ(company(FlowClass::kJoiner, CompanyStatus::kDifferent), 1);
  EXPECT_EQ(company(FlowClass::kJoiner, CompanyStatus::kUnknown), 1);
}

TEST(Flows, AgeRuleChain) {
  TestDataset t;
  t.User("a").birth_year = 1990;  // 2023 - 1990 = 33
  t.User("b");
  t.Education("b", "HKU", Degree::kBachelor).start = "2010-09";  // born 1992 -> 31
  t.User("c");
  t.Education("c", "HKU", Degree::kBachelor).end = "2012-06";  // born 1990 -> 33
  t.User("d");
  t.Position("d", "1", "2008-01", "", "Hong Kong");  // born 1986 -> 37
  t.User("e");
  t.Education("e", "HKU", Degree::kMaster);  // no usable rule
  for (const char* u : {"a", "b", "c", "e"})
    t.Position(u, std::string("p") + u, "2015-01", "", "Hong Kong");
  Dataset ds = t.Build(MakeMonth(2023, 9));
  FlowsContext ctx;
  RunOn(ds, 1, &ctx);
  Snapshot none;
  auto age = [&](uint32_t u) { return ComputeAttributes(ctx, u, none); };
  EXPECT_EQ(age(0).age_rule, AgeRule::kBirthYear);
  EXPECT_EQ(*age(0).age, 33);
  EXPECT_EQ(age(1).age_rule, AgeRule::kBachelorStart);
  EXPECT_EQ(*age(1).age, 31);
  EXPECT_EQ(age(2).age_rule, AgeRule::kBachelorEnd);
  EXPECT_EQ(*age(2).age, 33);
  EXPECT_EQ(age(3).age_rule, AgeRule::kFirstPosition);
  EXPECT_EQ(*age(3).age, 37);
  // e has a position (2015) -> first_position rule: 2023 - (2015 - 22) = 30.
  EXPECT_EQ(age(4).age_rule, AgeRule::kFirstPosition);
  EXPECT_EQ(*age(4).age, 30);
}

TEST(Flows, AttributesRanksHighlyEducatedAsianFounder) {
  TestDataset t;
  auto& u = t.User("a");
  u.ethnicity = "API";
  u.connections = 300;
  t.Education("a", "Big U", Degree::kBachelor);
  t.Education("a", "HKU", Degree::kBachelor);
  t.Education("a", "Nowhere", Degree::kMaster);
  t.Position("a", "1", "2015-01", "", "Hong Kong").title = "Co-Founder";
  t.User("b").ethnicity = "White";
  t.Education("b", "Big U", Degree::kMba);
  Dataset ds = t.Build(MakeMonth(2023, 9));
  FlowsContext ctx;
  RunOn(ds, 1, &ctx);
  Snapshot none;
  PersonAttributes a = ComputeAttributes(ctx, 0, none);
  EXPECT_EQ(a.best_rank[0], 35.0);  // best of 225.5 and 35
  EXPECT_TRUE(std::isnan(a.best_rank[1]));
  EXPECT_TRUE(a.holds[1]);
  EXPECT_TRUE(a.highly_educated);
  EXPECT_EQ(a.asian, 1);
  EXPECT_TRUE(a.founder);
  PersonAttributes b = ComputeAttributes(ctx, 1, none);
  EXPECT_EQ(b.best_rank[2], 225.5);
  EXPECT_FALSE(b.highly_educated);
  EXPECT_EQ(b.asian, 0);
  EXPECT_FALSE(b.founder);
  EXPECT_EQ(ctx.university_match.with_university, 4);
  EXPECT_EQ(ctx.university_match.matched, 3);
  EXPECT_EQ(ctx.university_match.ranked, 3);
}

TEST(Flows, MultinationalsNeedThreeCountriesAtBefore) {
  TestDataset t;
  const char* countries[] = {"Hong Kong", "Japan", "France", "Hong Kong", "Hong Kong"};
  for (int i = 0; i < 5; ++i) {
    std::string u = "m" + std::to_string(i);
    t.User(u);
    t.Position(u, "p" + u, "2015-01", i == 4 ? "2020-01" : "", countries[i]).parent = "M";
  }
  t.User("s");
  t.Position("s", "ps", "2015-01", "", "Hong Kong").parent = "S";
  Dataset ds = t.Build(MakeMonth(2023, 9));
  FlowsResult r = RunOn(ds);
  const FirmFlow& m = r.acc.firms.at(*ds.strings.Find("M"));
  EXPECT_EQ(m.countries_before.size(), 3u);
  EXPECT_EQ(m.headcount_before, 3);
  EXPECT_EQ(m.headcount_after, 2);
  EXPECT_EQ(r.acc.firms.at(*ds.strings.Find("S")).countries_before.size(), 1u);
}

TEST(Flows, CityHumanCapitalMatchesEveryStudyPlace) {
  TestDataset t;
  t.User("a").highest = Degree::kDoctor;
  auto& p = t.Position("a", "1", "2015-01", "", "United Kingdom");
  p.city = "London";
  t.User("b");
  t.Position("b", "2", "2015-01", "", "Singapore");
  Dataset ds = t.Build(MakeMonth(2023, 9));
  FlowsResult r = RunOn(ds);
  EXPECT_EQ(r.acc.cities[0].count, 0);
  EXPECT_EQ(r.acc.cities[1].count, 1);
  EXPECT_EQ(r.acc.cities[2].count, 1);
  EXPECT_EQ(r.acc.cities[2].doctor, 1);
  EXPECT_EQ(r.acc.cities[2].bachelor_or_higher, 1);
}

TEST(Flows, ResultsDoNotDependOnThreadCount) {
  TestDataset t;
  // Enough users for several blocks.
  for (int i = 0; i < 40000; ++i) {
    std::string u = "u" + std::to_string(i);
    auto& user = t.User(u);
    user.birth_year = 1960 + i % 40;
    user.connections = i % 500;
    const char* c1 = i % 3 ? "Hong Kong" : "Japan";
    const char* c2 = i % 5 ? "Hong Kong" : "Singapore";
    t.Position(u, "a" + u, "2015-01", "2020-12", c1).salary =
        1000.0 + (int64_t{i} * 7919) % 100000 / 7.0;
    t.Position(u, "b" + u, "2021-01", "", c2).salary =
        1000.0 + (int64_t{i} * 104729) % 100000 / 3.0;
  }
  Dataset ds = t.Build(MakeMonth(2023, 9));
  FlowsResult one = RunOn(ds, 1), two = RunOn(ds, 2), three = RunOn(ds, 3);
  for (int v = 0; v < kJvlVars; ++v) {
    for (int g = 0; g < 2; ++g) {
      EXPECT_EQ(one.moments.jvl[v][g].mean, two.moments.jvl[v][g].mean);
      EXPECT_EQ(one.moments.jvl[v][g].m2, three.moments.jvl[v][g].m2);
    }
  }
  EXPECT_EQ(one.acc.classes, two.acc.classes);
  EXPECT_EQ(one.acc.band_counts, three.acc.band_counts);
}

}  // namespace
}  // namespace talentflow
