// Population mode on a hand-built dataset; every count is worked out in the
// comments from the rules in data/schemes/hk/ttps.toml.
#include "rules/pool.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "io/file_util.h"
#include "panel/test_dataset.h"

namespace talentflow::rules {
namespace {

using talentflow::testing::NameMatcher;
using talentflow::testing::TestDataset;

// Places: 0 Hong Kong, 1 Singapore.
const NameMatcher kPlaces({"Hong Kong", "Singapore"});

Dataset BuildDataset() {
  TestDataset t;
  // a: leaver (HK -> US), born 1988, Oxford bachelor 2010-06, US$400,000.
  t.User("a").birth_year = 1988;
  t.Position("a", "a1", "2015-01", "2020-12", "Hong Kong");
  t.Position("a", "a2", "2021-01", "", "United States").salary = 400000;
  t.Education("a", "University of Oxford", talentflow::Degree::kBachelor).end = "2010-06";
  // b: leaver (HK -> SG), nothing else known.
  t.User("b");
  t.Position("b", "b1", "2016-01", "2021-06", "Hong Kong");
  t.Position("b", "b2", "2021-07", "", "Singapore");
  // c: joiner (JP -> HK), ETH master's 2017-12, US$100,000.
  t.User("c").birth_year = 1990;
  t.Position("c", "c1", "2018-01", "2021-12", "Japan");
  t.Position("c", "c2", "2022-01", "", "Hong Kong").salary = 100000;
  t.Education("c", "ETH Zurich", talentflow::Degree::kMaster).end = "2017-12";
  // d: stayer, Harvard bachelor 2009-06, US$200,000.
  t.User("d").birth_year = 1987;
  t.Position("d", "d1", "2010-01", "", "Hong Kong").salary = 200000;
  t.Education("d", "Harvard University", talentflow::Degree::kBachelor).end = "2009-06";
  // e: outside (never in Hong Kong): not counted.
  t.User("e");
  t.Position("e", "e1", "2010-01", "", "United States");
  return t.Build(MakeMonth(2023, 9));
}

class PoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<Registry> registry = LoadRegistry("data/schemes");
    ASSERT_TRUE(registry.ok()) << registry.status().message();
    registry_ = std::move(registry).value();
    dataset_ = BuildDataset();
    FlowsParams params{.target_place = 0,
                       .before = MakeMonth(2019, 12),
                       .after = MakeMonth(2023, 6),
                       .study_places = {},
                       .threads = 1};
    rules_ = *TitleRules::LoadDefault();
    StatusOr<FlowsContext> ctx = FlowsContext::Build(dataset_, kPlaces, rules_, nullptr, params);
    ASSERT_TRUE(ctx.ok()) << ctx.status().message();
    flows_ = std::move(ctx).value();
    options_.date = *ParseDate("2023-06-01");
    options_.classes = {FlowClass::kStayer, FlowClass::kJoiner, FlowClass::kLeaver};
  }

  std::array<int64_t, kVerdicts> Row(const PoolResult& result, const char* category,
                                     FlowClass cls) {
    return result.counts.at({"hk/ttps", category}).at(cls);
  }

  Registry registry_;
  Dataset dataset_;
  TitleRules rules_;
  FlowsContext flows_;
  PoolOptions options_;
};

// Verdict order: eligible, not_eligible, cannot_tell, did_not_exist, closed,
// no_rule_in_force.
using Counts = std::array<int64_t, kVerdicts>;

TEST_F(PoolTest, ProfileBecomesPerson) {
  Snapshot after;
  after.position = 1;  // a's US position (rows sorted: a1, a2, ...)
  Person a = PersonFromProfile(dataset_, 0, after, options_);
  EXPECT_EQ(a.id, "a");
  EXPECT_EQ(a.birth_year, 1988);
  ASSERT_TRUE(a.degrees.has_value());
  ASSERT_EQ(a.degrees->size(), 1u);
  EXPECT_EQ(a.degrees->at(0).level, "bachelor");
  EXPECT_EQ(a.degrees->at(0).graduation_year, 2010);
  ASSERT_EQ(a.jobs->size(), 2u);
  EXPECT_FALSE(a.jobs->at(1).end.has_value());  // open spell: ongoing
  // US$400,000 x [7.75, 7.85].
  EXPECT_EQ(std::get<NumRange>(a.facts.at("annual_income_hkd")), (NumRange{3100000, 3140000}));
  EXPECT_EQ(a.facts.count("nationality"), 0u);
  // b has no education rows: degrees unknown, not "none".
  Person b = PersonFromProfile(dataset_, 1, Snapshot(), options_);
  EXPECT_FALSE(b.degrees.has_value());
  EXPECT_EQ(b.facts.count("annual_income_hkd"), 0u);
}

TEST_F(PoolTest, CountsWithoutAssumptions) {
  StatusOr<PoolResult> result = RunPool(registry_, flows_, options_);
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->persons.at(FlowClass::kLeaver), 2);
  EXPECT_EQ(result->persons.at(FlowClass::kJoiner), 1);
  EXPECT_EQ(result->persons.at(FlowClass::kStayer), 1);
  // A: a (HK$3.1M+) cannot tell only because nationality is unknown; b has no
  // salary. c (HK$775k-785k) and d (HK$1.55M-1.57M) are below HK$2.5M.
  EXPECT_EQ(Row(*result, "A", FlowClass::kLeaver), (Counts{0, 0, 2, 0, 0, 0}));
  EXPECT_EQ(Row(*result, "A", FlowClass::kJoiner), (Counts{0, 1, 0, 0, 0, 0}));
  EXPECT_EQ(Row(*result, "A", FlowClass::kStayer), (Counts{0, 1, 0, 0, 0, 0}));
  // B: everyone with a listed degree and 3 years cannot tell (nationality).
  EXPECT_EQ(Row(*result, "B", FlowClass::kLeaver), (Counts{0, 0, 2, 0, 0, 0}));
  EXPECT_EQ(Row(*result, "B", FlowClass::kJoiner), (Counts{0, 0, 1, 0, 0, 0}));
}

TEST_F(PoolTest, CountsAssumingAllowedNationalityAndThreadsAgree) {
  options_.assume_allowed_nationality = true;
  StatusOr<PoolResult> result = RunPool(registry_, flows_, options_);
  ASSERT_TRUE(result.ok());
  // A: a eligible; b still cannot tell (no salary).
  EXPECT_EQ(Row(*result, "A", FlowClass::kLeaver), (Counts{1, 0, 1, 0, 0, 0}));
  // B: a (Oxford; 2018-06..2023-05 all worked), c (ETH; worked 2018-01
  // onwards, 60 months in the window), d (Harvard; 60 months) eligible;
  // b: degrees unknown.
  EXPECT_EQ(Row(*result, "B", FlowClass::kLeaver), (Counts{1, 0, 1, 0, 0, 0}));
  EXPECT_EQ(Row(*result, "B", FlowClass::kJoiner), (Counts{1, 0, 0, 0, 0, 0}));
  EXPECT_EQ(Row(*result, "B", FlowClass::kStayer), (Counts{1, 0, 0, 0, 0, 0}));
  // C: a (2010), c (2017: 2023 - 2017 = 6 > 5), d (2009) not recent; b's
  // degrees are unknown but b has worked since 2016-01 (89 months, all jobs
  // counted without a dated degree), not under 3 years: not eligible either.
  EXPECT_EQ(Row(*result, "C", FlowClass::kLeaver), (Counts{0, 2, 0, 0, 0, 0}));
  EXPECT_EQ(Row(*result, "C", FlowClass::kJoiner), (Counts{0, 1, 0, 0, 0, 0}));
  // Every scheme category is counted for every person: 24 (scheme, category)
  // pairs in the bundled files (a scheme not yet launched counts once).
  EXPECT_EQ(result->counts.size(), 24u);
  options_.threads = 2;
  StatusOr<PoolResult> parallel = RunPool(registry_, flows_, options_);
  ASSERT_TRUE(parallel.ok());
  EXPECT_EQ(parallel->counts, result->counts);
}

TEST_F(PoolTest, WritesTableAndMetadataWithDisclosureControl) {
  options_.assume_allowed_nationality = true;
  StatusOr<PoolResult> result = RunPool(registry_, flows_, options_);
  ASSERT_TRUE(result.ok());
  std::filesystem::path out = std::filesystem::temp_directory_path() / "tf_pool_test";
  std::filesystem::remove_all(out);
  options_.k = 0;  // the hand-built dataset is tiny: publish every count
  ASSERT_TRUE(WritePool(out, *result, options_).ok());
  StatusOr<std::string> csv = ReadFile(out / "tables" / "scheme_pool.csv");
  ASSERT_TRUE(csv.ok());
  EXPECT_NE(csv->find("scheme,category,class,persons,eligible,not_eligible,cannot_tell,"
                      "did_not_exist,closed,no_rule_in_force\n"),
            std::string::npos);
  EXPECT_NE(csv->find("\nhk/ttps,B,leaver,2,1,0,1,0,0,0\n"), std::string::npos) << *csv;
  StatusOr<std::string> meta = ReadFile(out / "schemes_pool.json");
  ASSERT_TRUE(meta.ok());
  EXPECT_NE(meta->find("\"annual_income_hkd\""), std::string::npos);

  // With k = 2 the counts of 1 are suppressed (empty, listed), never zero;
  // the count of 2 and the zeros stay.
  options_.k = 2;
  ASSERT_TRUE(WritePool(out, *result, options_).ok());
  csv = ReadFile(out / "tables" / "scheme_pool.csv");
  ASSERT_TRUE(csv.ok());
  EXPECT_NE(csv->find("\nhk/ttps,B,leaver,2,,0,,0,0,0\n"), std::string::npos) << *csv;
  meta = ReadFile(out / "schemes_pool.json");
  EXPECT_NE(meta->find("\"column\": \"eligible\""), std::string::npos);
  std::filesystem::remove_all(out);
}

// Complementary suppression: a row's verdicts add up to its persons, so a
// single suppressed verdict would be persons minus the others. By hand, k =
// 10, 50 leavers: (3, 40, 7) has two counts below k and needs nothing; (3,
// 47, 0) gives its 3 back, so the smallest count of at least k in the row,
// not_eligible 47, is suppressed too (the zeros stay: hiding a zero beside
// the 3 would still pin it within [0, 3]); (12, 38) needs nothing. With k = 0
// every count is shown and each row adds up.
TEST(PoolDisclosureTest, ASingleSuppressedVerdictGetsAPartner) {
  PoolResult result;
  result.persons[FlowClass::kLeaver] = 50;
  result.counts[{"hk/ttps", "A"}][FlowClass::kLeaver] = {3, 40, 7, 0, 0, 0};
  result.counts[{"hk/ttps", "B"}][FlowClass::kLeaver] = {3, 47, 0, 0, 0, 0};
  result.counts[{"hk/qmas", "general"}][FlowClass::kLeaver] = {12, 38, 0, 0, 0, 0};
  PoolOptions options;
  options.classes = {FlowClass::kLeaver};
  options.k = 10;
  const std::filesystem::path out = std::filesystem::temp_directory_path() / "tf_pool_disclosure";
  std::filesystem::remove_all(out);
  ASSERT_TRUE(WritePool(out, result, options).ok());
  StatusOr<std::string> csv = ReadFile(out / "tables" / "scheme_pool.csv");
  ASSERT_TRUE(csv.ok());
  EXPECT_NE(csv->find("\nhk/ttps,A,leaver,50,,40,,0,0,0\n"), std::string::npos) << *csv;
  EXPECT_NE(csv->find("\nhk/ttps,B,leaver,50,,,0,0,0,0\n"), std::string::npos) << *csv;
  EXPECT_NE(csv->find("\nhk/qmas,general,leaver,50,12,38,0,0,0,0\n"), std::string::npos) << *csv;
  options.k = 0;
  ASSERT_TRUE(WritePool(out, result, options).ok());
  csv = ReadFile(out / "tables" / "scheme_pool.csv");
  ASSERT_TRUE(csv.ok());
  EXPECT_NE(csv->find("\nhk/ttps,B,leaver,50,3,47,0,0,0,0\n"), std::string::npos) << *csv;
  std::filesystem::remove_all(out);
}

// On the hand-built dataset every row's verdicts add up to the class's
// persons: the relation WritePool protects.
TEST_F(PoolTest, VerdictsAddUpToPersons) {
  StatusOr<PoolResult> result = RunPool(registry_, flows_, options_);
  ASSERT_TRUE(result.ok());
  for (const auto& [key, by_class] : result->counts) {
    for (const auto& [cls, counts] : by_class) {
      int64_t sum = 0;
      for (int64_t n : counts) sum += n;
      EXPECT_EQ(sum, result->persons.at(cls)) << key.first << " " << key.second;
    }
  }
}

// The pool's direct input (ProfileInputBuilder, what RunPool evaluates)
// against the documented derivation (PersonFromProfile) through the tracing
// evaluator, profile by profile, on profiles that vary every input the pool
// derives: birth year, degree kinds, listed and unlisted universities,
// graduation months, careers, seniority and salary.
TEST(PoolInputTest, FastPathAgreesWithTraceOnEveryProfile) {
  StatusOr<Registry> registry = LoadRegistry("data/schemes");
  ASSERT_TRUE(registry.ok()) << registry.status().message();
  const char* unis[] = {"University of Oxford", "ETH Zurich", "Wuhan University", "Unknown College",
                        ""};
  const talentflow::Degree degrees[] = {
      talentflow::Degree::kNone,      talentflow::Degree::kHighSchool,
      talentflow::Degree::kAssociate, talentflow::Degree::kBachelor,
      talentflow::Degree::kMaster,    talentflow::Degree::kMba,
      talentflow::Degree::kDoctor,    talentflow::Degree::kOther};
  TestDataset t;
  for (int idx = 0; idx < 400; ++idx) {
    std::string id = fmt::format("u{:03d}", idx);
    t.User(id).birth_year = idx % 7 == 0 ? 0 : 1960 + idx % 45;
    int start = MakeMonth(2005 + idx % 15, 1 + idx % 12);
    for (int job = 0; job < idx % 4; ++job) {
      int end = start + 6 + (idx * 13 + job * 7) % 50;
      bool open = job == idx % 4 - 1 && idx % 3 != 0;
      t.Position(id, fmt::format("{}p{}", id, job), FormatMonth(start),
                 open ? "" : FormatMonth(end), "Hong Kong")
          .salary = idx % 5 == 0 ? NAN : 30000 + (idx * 7919) % 400000;
      start = end + (idx % 2);  // back to back, or a month later
    }
    for (int edu = 0; edu < idx % 3; ++edu) {
      t.Education(id, unis[(idx + edu) % 5], degrees[(idx + edu) % 8]).end =
          idx % 11 == 0 ? "" : FormatMonth(MakeMonth(2000 + (idx * 3 + edu) % 26, 1 + idx % 12));
    }
  }
  Dataset dataset = t.Build(MakeMonth(2025, 12));
  for (size_t row = 0; row < dataset.positions.seniority.size(); ++row) {
    dataset.positions.seniority[row] = static_cast<int16_t>(row % 6) - 1;  // -1 (missing) .. 4
  }
  int compared = 0;
  for (const char* day :
       {"2016-01-01", "2023-06-01", "2024-10-31", "2024-11-01", "2026-01-08", "2027-03-01"}) {
    for (bool assume : {false, true}) {
      PoolOptions options;
      options.date = *ParseDate(day);
      options.assume_allowed_nationality = assume;
      StatusOr<CompiledSchemes> compiled = CompiledSchemes::Compile(*registry, options.date);
      ASSERT_TRUE(compiled.ok()) << compiled.status().message();
      ProfileInputBuilder builder(*compiled, dataset, options);
      FastEvaluator evaluator(*compiled);
      PersonInput input;
      std::vector<FastResult> got, explained;
      for (uint32_t user = 0; user < dataset.users.size(); ++user) {
        Snapshot after;
        uint32_t first = dataset.users.pos_begin[user], last = dataset.users.pos_begin[user + 1];
        if (last > first) after.position = last - 1;
        std::vector<SchemeResult> want =
            CheckPerson(*registry, PersonFromProfile(dataset, user, after, options), options.date);
        builder.Build(user, after, &input);
        evaluator.Evaluate(input, &got);
        evaluator.Evaluate(input, &explained, /*explain=*/true);
        ASSERT_EQ(got.size(), want.size());
        ASSERT_EQ(explained.size(), want.size());
        for (size_t pos = 0; pos < want.size(); ++pos) {
          SCOPED_TRACE(
              fmt::format("{} user {} {} {}", day, user, want[pos].scheme, want[pos].category));
          EXPECT_EQ(VerdictName(got[pos].verdict), VerdictName(want[pos].verdict));
          EXPECT_EQ(got[pos].points_min, want[pos].points_min);
          EXPECT_EQ(got[pos].points_max, want[pos].points_max);
          EXPECT_EQ(explained[pos].missing, want[pos].missing);
          ++compared;
        }
        if (HasFailure()) return;
      }
    }
  }
  EXPECT_GT(compared, 10000);
}

}  // namespace
}  // namespace talentflow::rules
