// Unit tests of the criterion language on small inline schemes; every
// expected value is worked out by hand in the comment beside it.
#include "rules/evaluate.h"

#include <gtest/gtest.h>

namespace talentflow::rules {
namespace {

using nlohmann::json;

constexpr const char* kList = R"(
title = "Unis"
source = "s"
as_of = "2026-01-01"
complete = false
[[entries]]
name = "Alpha University"
from = 2020-01-01
reference = "r"
[[entries]]
name = "Beta University"
from = 2023-01-01
until = 2023-12-31
reference = "r"
)";

constexpr const char* kScheme = R"(
[scheme]
name_en = "Demo"
name_zh = "示例"
jurisdiction_name = "Testland"
launched = 2020-01-01
references = ["https://example.org"]
source_note = "test"

[[parameters.pass]]
from = 2020-01-01
value = 30
reference = "r"

[[parameters.age_points]]
from = 2020-01-01
reference = "r"
rows = [{ below = 30, points = 20 }, { below = 40, points = 10 }]

[[parameters.bonus_points]]
from = 2020-01-01
reference = "r"
rows = [{ if = "rich", points = 15 }]

[criteria.rich]
kind = "compare"
description = "income >= 100"
field = "annual_income_hkd"
op = ">="
value = 100

[criteria.english]
kind = "compare"
description = "English"
field = "english_good"
op = "=="
value = true

[criteria.young]
kind = "compare"
description = "under 30"
field = "age"
op = "<"
value = 30

[criteria.all3]
kind = "all"
description = "all"
of = ["rich", "english", "young"]

[criteria.any3]
kind = "any"
description = "any"
of = ["rich", "english", "young"]

[criteria.two_of3]
kind = "at_least"
description = "2 of 3"
of = ["rich", "english", "young"]
n = 2

[criteria.age_pts]
kind = "points"
description = "age"
field = "age"
table = "age_points"

[criteria.bonus]
kind = "points"
description = "bonus"
table = "bonus_points"

[criteria.total]
kind = "sum"
description = "total"
of = ["age_pts", "bonus"]
pass_mark = "$pass"

[criteria.work3]
kind = "experience"
description = "3 years in the last 5"
op = ">="
value = 3
lookback_years = 5

[criteria.senior2]
kind = "experience"
description = "2 senior years"
op = ">="
value = 2
senior = true

[criteria.recent_listed]
kind = "degree"
description = "listed bachelor within 5 years"
min_level = "bachelor"
list = "unis"
within_years = 5

[[rules]]
category = "a"
from = 2020-01-01
eligible = "all3"
reference = "r"

[[rules]]
category = "b"
from = 2020-01-01
until = 2024-12-31
eligible = "two_of3"
score = "two_of3"
reference = "r"

[[rules]]
category = "c"
from = 2022-01-01
eligible = "total"
score = "total"
reference = "r"
)";

class EvaluateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<DatedList> list = LoadListText(kList, "lists/unis.toml", "unis");
    ASSERT_TRUE(list.ok()) << list.status().message();
    registry_.lists["unis"] = *list;
    StatusOr<Scheme> scheme = LoadSchemeText(kScheme, "t/demo.toml", "t/demo", registry_.lists);
    ASSERT_TRUE(scheme.ok()) << scheme.status().message();
    registry_.schemes["t/demo"] = *scheme;
  }

  Person MakePerson(const char* text) {
    StatusOr<Person> person = ParsePersonJson(json::parse(text), "p.json");
    EXPECT_TRUE(person.ok()) << person.status().message();
    return person.ok() ? *person : Person();
  }

  std::vector<SchemeResult> Check(const char* person, const char* date) {
    return CheckScheme(registry_, registry_.schemes.at("t/demo"), MakePerson(person),
                       *ParseDate(date));
  }

  // Evaluates one criterion by making it the only rule of a copy.
  Trace Eval(const std::string& id, const char* person, const char* date) {
    Registry copy = registry_;
    Scheme& scheme = copy.schemes.at("t/demo");
    scheme.rules.clear();
    Rule rule;
    rule.from = *ParseDate("2020-01-01");
    rule.eligible = scheme.criteria.at(id).IsBoolean() ? id : "rich";
    rule.score = scheme.criteria.at(id).IsScored() ? id : "";
    scheme.rules.push_back(rule);
    std::vector<SchemeResult> results =
        CheckScheme(copy, scheme, MakePerson(person), *ParseDate(date));
    if (rule.eligible == id) return *results[0].eligibility;
    return results[0].score ? *results[0].score : *results[0].eligibility;
  }

  Registry registry_;
};

TEST_F(EvaluateTest, ThreeValuedCombinators) {
  // rich yes, english missing, age 25 young yes.
  const char* person = R"({"annual_income_hkd": 150, "birth_date": "2000-01-01"})";
  EXPECT_EQ(Eval("all3", person, "2025-06-01").outcome, Tri::kUnknown);
  EXPECT_EQ(Eval("any3", person, "2025-06-01").outcome, Tri::kYes);
  Trace two = Eval("two_of3", person, "2025-06-01");
  EXPECT_EQ(two.outcome, Tri::kYes);
  EXPECT_EQ(two.points_min, 2);
  EXPECT_EQ(two.points_max, 3);
  // rich no: all is no whatever English is.
  const char* poor = R"({"annual_income_hkd": 50, "birth_date": "2000-01-01"})";
  EXPECT_EQ(Eval("all3", poor, "2025-06-01").outcome, Tri::kNo);
  Trace maybe = Eval("two_of3", poor, "2025-06-01");
  EXPECT_EQ(maybe.outcome, Tri::kUnknown);  // 1 yes + 1 unknown could reach 2
  EXPECT_EQ(maybe.missing, std::vector<std::string>{"english_good"});
  // Both no and english unknown: 0 + 1 < 2.
  const char* old_poor = R"({"annual_income_hkd": 50, "birth_date": "1980-01-01"})";
  EXPECT_EQ(Eval("two_of3", old_poor, "2025-06-01").outcome, Tri::kNo);
}

TEST_F(EvaluateTest, PointsAndSumsWithRanges) {
  // Age 25 -> 20; rich unknown -> bonus 0..15; total 20..35 vs pass 30.
  Trace total = Eval("total", R"({"birth_date": "2000-01-01"})", "2025-06-01");
  EXPECT_EQ(total.points_min, 20);
  EXPECT_EQ(total.points_max, 35);
  EXPECT_EQ(total.outcome, Tri::kUnknown);
  EXPECT_EQ(total.missing, std::vector<std::string>{"annual_income_hkd"});
  // Birth year 1990: age 34 or 35 on 2025-06-01 -> both 10 points.
  Trace ranged = Eval("age_pts", R"({"birth_year": 1990})", "2025-06-01");
  EXPECT_EQ(ranged.points_min, 10);
  EXPECT_EQ(ranged.points_max, 10);
  // Birth year 1995: age 29 or 30 -> 10..20.
  Trace edge = Eval("age_pts", R"({"birth_year": 1995})", "2025-06-01");
  EXPECT_EQ(edge.points_min, 10);
  EXPECT_EQ(edge.points_max, 20);
  // Rich and 25: 35 >= 30.
  Trace pass =
      Eval("total", R"({"birth_date": "2000-01-01", "annual_income_hkd": 100})", "2025-06-01");
  EXPECT_EQ(pass.outcome, Tri::kYes);
  EXPECT_EQ(pass.points_min, 35);
  // Age 45: no age row -> 0; not rich -> 0.
  Trace fail =
      Eval("total", R"({"birth_date": "1980-01-01", "annual_income_hkd": 10})", "2025-06-01");
  EXPECT_EQ(fail.outcome, Tri::kNo);
  EXPECT_EQ(fail.points_max, 0);
}

TEST_F(EvaluateTest, ExperienceCountsMonthsOnceWithinTheWindow) {
  // Window before 2025-06: 2020-06..2025-05. Jobs overlap 2021-01..2021-12;
  // union 2020-01..2022-06 -> inside the window 2020-06..2022-06 = 25 months.
  const char* person = R"({"jobs": [{"start": "2020-01", "end": "2021-12"},
                                    {"start": "2021-01", "end": "2022-06"}]})";
  Trace work = Eval("work3", person, "2025-06-15");
  EXPECT_EQ(work.outcome, Tri::kNo);
  EXPECT_EQ(work.reads[0].value, "2.08 years");
  // Add 2024-01..2024-11 (11 months): 36 months -> yes.
  const char* more = R"({"jobs": [{"start": "2020-01", "end": "2021-12"},
                                  {"start": "2021-01", "end": "2022-06"},
                                  {"start": "2024-01", "end": "2024-11"}]})";
  EXPECT_EQ(Eval("work3", more, "2025-06-15").outcome, Tri::kYes);
  // Part-time jobs do not count.
  const char* part = R"({"jobs": [{"start": "2020-01", "end": "2025-05", "full_time": false}]})";
  EXPECT_EQ(Eval("work3", part, "2025-06-15").outcome, Tri::kNo);
  // Seniority unknown on one job: 12 sure months + 24 possible -> 1..3 years.
  const char* senior = R"({"jobs": [{"start": "2020-01", "end": "2020-12", "senior": true},
                                    {"start": "2021-01", "end": "2022-12"}]})";
  Trace seniority = Eval("senior2", senior, "2025-06-15");
  EXPECT_EQ(seniority.outcome, Tri::kUnknown);
  EXPECT_EQ(seniority.missing, std::vector<std::string>{"jobs[1].senior"});
  // No jobs given at all: cannot tell, "jobs" missing.
  EXPECT_EQ(Eval("work3", "{}", "2025-06-15").missing, std::vector<std::string>{"jobs"});
}

TEST_F(EvaluateTest, DegreeListAndYearsByGraduationYear) {
  // Alpha listed from 2020; graduated 2020, on 2025-06-01: 2025 - 2020 = 5 -> yes.
  const char* alpha = R"({"degrees": [{"level": "bachelor", "institution": "alpha university",
                                       "graduation_year": 2020}]})";
  EXPECT_EQ(Eval("recent_listed", alpha, "2025-06-01").outcome, Tri::kYes);
  EXPECT_EQ(Eval("recent_listed", alpha, "2026-01-01").outcome, Tri::kNo);
  // Beta listed only during 2023; partial list -> cannot tell outside 2023.
  const char* beta = R"({"degrees": [{"level": "master", "institution": "Beta University",
                                      "graduation_date": "2022-06-30"}]})";
  EXPECT_EQ(Eval("recent_listed", beta, "2023-06-01").outcome, Tri::kYes);
  Trace later = Eval("recent_listed", beta, "2024-01-01");
  EXPECT_EQ(later.outcome, Tri::kUnknown);
  EXPECT_EQ(later.missing,
            std::vector<std::string>{"degrees[0].institution (not on the partial list unis)"});
  // Sub-degree never counts.
  const char* diploma = R"({"degrees": [{"level": "sub_degree", "institution": "Alpha University",
                                         "graduation_year": 2022}]})";
  EXPECT_EQ(Eval("recent_listed", diploma, "2023-06-01").outcome, Tri::kNo);
  // Not graduated yet on the date.
  const char* future = R"({"degrees": [{"level": "bachelor", "institution": "Alpha University",
                                        "graduation_date": "2025-07-01"}]})";
  EXPECT_EQ(Eval("recent_listed", future, "2025-06-30").outcome, Tri::kNo);
}

TEST_F(EvaluateTest, SchemeAndCategoryDates) {
  std::vector<SchemeResult> before = Check("{}", "2019-12-31");
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].verdict, Verdict::kDidNotExist);
  EXPECT_EQ(before[0].note, "did not exist on 2019-12-31: launched 2020-01-01");
  // 2021: a in force, b in force, c not yet open.
  std::vector<SchemeResult> mid = Check(R"({"annual_income_hkd": 100})", "2021-06-01");
  ASSERT_EQ(mid.size(), 3u);
  EXPECT_EQ(mid[2].category, "c");
  EXPECT_EQ(mid[2].verdict, Verdict::kDidNotExist);
  // 2025: b closed after 2024-12-31.
  std::vector<SchemeResult> late = Check(R"({"annual_income_hkd": 100})", "2025-01-01");
  EXPECT_EQ(late[1].category, "b");
  EXPECT_EQ(late[1].verdict, Verdict::kClosed);
  EXPECT_EQ(late[0].verdict, Verdict::kCannotTell);
  EXPECT_EQ(late[0].missing, (std::vector<std::string>{"age", "english_good"}));
}

}  // namespace
}  // namespace talentflow::rules
