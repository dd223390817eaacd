// The compiled evaluator against the tracing one: for every scheme test case,
// every hand-worked person and a seeded population of generated people on
// every effective date in the bundled files, every (scheme, category) must
// get the same verdict, points and pass mark (fast mode and explain mode)
// and the same missing fields (explain mode) from FastEvaluator as from
// CheckPerson.
#include "rules/compiled.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <filesystem>
#include <map>
#include <random>
#include <set>

#include "io/file_util.h"
#include "rules/case_runner.h"
#include "rules/evaluate.h"

namespace talentflow::rules {
namespace {

using nlohmann::json;

// A copy of `registry` in which every criterion of every scheme is a
// category of its own, in force on every date: comparing these compares the
// two evaluators criterion by criterion, not only where a rule shows it.
Registry EveryCriterionARule(const Registry& registry) {
  Registry copy = registry;
  const Date early = MakeDate(1900, 1, 1);
  for (auto& [id, scheme] : copy.schemes) {
    scheme.launched = early;
    scheme.closed.reset();
    scheme.rules.clear();
    for (const auto& [name, crit] : scheme.criteria) {
      Rule rule;
      rule.from = early;
      rule.category = name;
      rule.eligible = name;
      if (crit.IsScored()) rule.score = name;
      scheme.rules.push_back(std::move(rule));
    }
  }
  return copy;
}

// One registry, compiled once per date, with one evaluator per date reused
// across people (so results must not leak from one person to the next).
class Checker {
 public:
  explicit Checker(Registry registry) : registry_(std::move(registry)) {}

  // Compares every result of `person` on `date`; returns how many.
  int ExpectSame(const Person& person, Date date) {
    std::vector<SchemeResult> want = CheckPerson(registry_, person, date);
    Compiled& compiled = For(date);
    PersonInput input;
    compiled.schemes.FillInput(person, &input);
    std::vector<FastResult> fast, explained;
    compiled.evaluator.Evaluate(input, &fast);
    compiled.evaluator.Evaluate(input, &explained, /*explain=*/true);
    const auto& slots = compiled.schemes.slots();
    EXPECT_EQ(slots.size(), want.size());
    EXPECT_EQ(fast.size(), want.size());
    EXPECT_EQ(explained.size(), want.size());
    size_t count = std::min({slots.size(), fast.size(), explained.size(), want.size()});
    for (size_t pos = 0; pos < count; ++pos) {
      const SchemeResult& trace = want[pos];
      SCOPED_TRACE(trace.scheme + " " + trace.category);
      EXPECT_EQ(slots[pos].scheme, trace.scheme);
      EXPECT_EQ(slots[pos].category, trace.category);
      for (const FastResult* got : {&fast[pos], &explained[pos]}) {
        EXPECT_EQ(VerdictName(got->verdict), VerdictName(trace.verdict));
        EXPECT_EQ(got->scored, trace.scored);
        EXPECT_EQ(got->points_min, trace.points_min);
        EXPECT_EQ(got->points_max, trace.points_max);
        EXPECT_EQ(got->pass_mark, trace.pass_mark);
      }
      EXPECT_TRUE(fast[pos].missing.empty());
      EXPECT_EQ(explained[pos].missing, trace.missing);
    }
    return static_cast<int>(count);
  }

 private:
  struct Compiled {
    explicit Compiled(CompiledSchemes compiled)
        : schemes(std::move(compiled)), evaluator(schemes) {}
    CompiledSchemes schemes;
    FastEvaluator evaluator;
  };

  Compiled& For(Date date) {
    auto it = compiled_.find(date.days);
    if (it == compiled_.end()) {
      StatusOr<CompiledSchemes> compiled = CompiledSchemes::Compile(registry_, date);
      EXPECT_TRUE(compiled.ok()) << compiled.status().message();
      it = compiled_.emplace(date.days, std::make_unique<Compiled>(std::move(compiled).value()))
               .first;
    }
    return *it->second;
  }

  Registry registry_;
  std::map<int, std::unique_ptr<Compiled>> compiled_;
};

class CompiledTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<Registry> registry = LoadRegistry("data/schemes");
    ASSERT_TRUE(registry.ok()) << registry.status().message();
    registry_ = std::move(registry).value();
    rules_ = std::make_unique<Checker>(registry_);
    criteria_ = std::make_unique<Checker>(EveryCriterionARule(registry_));
  }

  // The bundled rules, then every criterion on its own.
  int ExpectSame(const Person& person, Date date, const std::string& label) {
    SCOPED_TRACE(label + " on " + FormatDate(date));
    int compared = rules_->ExpectSame(person, date);
    SCOPED_TRACE("every criterion as a rule");
    return compared + criteria_->ExpectSame(person, date);
  }

  Registry registry_;
  std::unique_ptr<Checker> rules_, criteria_;
};

TEST_F(CompiledTest, SchemeTestCasesAgree) {
  int cases = 0;
  for (const auto& [id, scheme] : registry_.schemes) {
    std::filesystem::path path = scheme.file;
    path.replace_extension(".tests.toml");
    StatusOr<std::string> text = ReadFile(path);
    ASSERT_TRUE(text.ok()) << path;
    StatusOr<json> doc = TomlPersonToJson(*text, path.string());
    ASSERT_TRUE(doc.ok()) << doc.status().message();
    for (const json& test_case : (*doc)["cases"]) {
      std::string name = test_case["name"].get<std::string>();
      StatusOr<Person> person = ParsePersonJson(test_case["person"], name);
      ASSERT_TRUE(person.ok()) << person.status().message();
      StatusOr<Date> date = ParseDate(test_case["date"].get<std::string>());
      ASSERT_TRUE(date.ok()) << name;
      // Every scheme, not only the case's own: more combinations of inputs.
      ExpectSame(*person, *date, id + ": " + name);
      ++cases;
    }
  }
  EXPECT_GE(cases, 100);
}

TEST_F(CompiledTest, HandWorkedPeopleAgree) {
  toml::table expected = toml::parse_file("tests/rules/people/expected.toml");
  std::set<std::pair<std::string, int>> checks;
  for (const toml::node& node : *expected["checks"].as_array()) {
    const toml::table& check = *node.as_table();
    toml::date d = check["date"].as_date()->get();
    checks.insert({check["person"].value_or(std::string()), MakeDate(d.year, d.month, d.day).days});
  }
  std::set<std::string> people;
  for (const auto& [file, days] : checks) {
    StatusOr<std::string> text = ReadFile("tests/rules/people/" + file);
    ASSERT_TRUE(text.ok()) << file;
    StatusOr<Person> person = ParsePersonJson(json::parse(*text), file);
    ASSERT_TRUE(person.ok()) << person.status().message();
    ExpectSame(*person, Date{days}, file);
    people.insert(file);
  }
  EXPECT_GE(people.size(), 10u);
}

// Every day on which something in the bundled files starts or stops, and the
// day either side.
std::vector<Date> EffectiveDates(const Registry& registry) {
  std::set<int> days;
  auto add = [&](const Dated& dated) {
    days.insert(dated.from.days - 1);
    days.insert(dated.from.days);
    if (dated.until) {
      days.insert(dated.until->days);
      days.insert(dated.until->days + 1);
    }
  };
  for (const auto& [id, scheme] : registry.schemes) {
    days.insert(scheme.launched.days - 1);
    days.insert(scheme.launched.days);
    if (scheme.closed) days.insert(scheme.closed->days + 1);
    for (const Rule& rule : scheme.rules) add(rule);
    for (const auto& [name, param] : scheme.parameters) {
      for (const ParamValue& value : param.values) add(value);
    }
  }
  for (const auto& [id, list] : registry.lists) {
    for (const ListEntry& entry : list.entries) add(entry);
  }
  std::vector<Date> dates;
  for (int day : days) dates.push_back(Date{day});
  return dates;
}

// Generates valid person JSON from values that occur in the rules (numbers
// either side of every threshold, listed names, operand strings), so that
// every kind of criterion meets met, not met and cannot-tell inputs.
class PersonGenerator {
 public:
  PersonGenerator(const Registry& registry, uint32_t seed) : rng_(seed) {
    std::set<double> numbers = {0, 1, 2, 3, 5, 10, 18, 25, 30, 35, 40, 45, 50, 60};
    std::set<std::string> strings = {"GB", "CN", "HK", "US", "JP", "N1", "N2", "other"};
    std::set<std::string> sectors = {"retail"};
    auto number = [&](double value) {
      for (double near : {value - 1, value, value + 1}) {
        if (near >= 0) numbers.insert(near);
      }
    };
    auto scalar = [&](const Scalar& value) {
      if (const double* n = std::get_if<double>(&value)) number(*n);
      if (const auto* s = std::get_if<std::string>(&value)) strings.insert(*s);
    };
    for (const auto& [id, scheme] : registry.schemes) {
      for (const auto& [name, param] : scheme.parameters) {
        for (const ParamValue& value : param.values) {
          if (value.scalar) scalar(*value.scalar);
          for (const PointsRow& row : value.rows) {
            for (const std::optional<double>& bound : {row.at_least, row.below, row.at_most}) {
              if (bound) number(*bound);
            }
            if (row.equals) scalar(*row.equals);
          }
        }
      }
      for (const auto& [name, crit] : scheme.criteria) {
        if (crit.value.literal) scalar(*crit.value.literal);
        for (const std::string& sector : crit.sectors) sectors.insert(sector);
      }
    }
    for (const auto& [id, list] : registry.lists) {
      for (const ListEntry& entry : list.entries) strings.insert(entry.name);
    }
    numbers_.assign(numbers.begin(), numbers.end());
    strings_.assign(strings.begin(), strings.end());
    sectors_.assign(sectors.begin(), sectors.end());
    for (const auto& [id, list] : registry.lists) {
      for (const ListEntry& entry : list.entries) institutions_.push_back(entry.name);
    }
    institutions_.push_back("Unknown College");
  }

  // A person for an evaluation in `year`: dates cluster around it, where
  // the rules' windows (within 5 years, the past 5 years) have their edges.
  json Next(int year) {
    year_ = year;
    json person = json::object();
    if (Chance(0.4)) {
      person["birth_date"] = DateText(1955, 2008);
    } else if (Chance(0.6)) {
      person["birth_year"] = Int(1955, 2008);
    }
    if (Chance(0.85)) {
      person["degrees"] = json::array();
      for (int count = Int(0, 3); count > 0; --count) person["degrees"].push_back(NextDegree());
    }
    if (Chance(0.85)) {
      person["jobs"] = json::array();
      int previous_end = -1;  // the month the previous job ended; -1: none
      for (int count = Int(0, 4); count > 0; --count) {
        person["jobs"].push_back(NextJob(previous_end));
      }
    }
    for (const FieldInfo& info : FieldCatalog()) {
      if (info.derived || !Chance(0.5)) continue;
      switch (info.type) {
        case FieldType::kNumber:
          person[info.name] = Pick(numbers_);
          break;
        case FieldType::kBool:
          person[info.name] = Chance(0.5);
          break;
        case FieldType::kString:
          person[info.name] = Pick(strings_);
          break;
        case FieldType::kStringList: {
          json items = json::array();
          for (const char* lang : {"english", "chinese", "japanese", "french"}) {
            if (Chance(0.4)) items.push_back(lang);
          }
          person[info.name] = items;
          break;
        }
      }
    }
    return person;
  }

 private:
  json NextDegree() {
    static const char* kLevels[] = {"sub_degree", "bachelor", "master", "mba", "doctorate"};
    json degree = {{"level", kLevels[Int(0, 4)]}};
    if (Chance(0.85)) degree["institution"] = Pick(institutions_);
    if (Chance(0.6)) degree["country"] = Pick(std::vector<std::string>{"GB", "HK", "JP", "CN"});
    bool recent = Chance(0.6);
    int first = recent ? year_ - 7 : 1985, last = recent ? year_ + 1 : 2027;
    if (Chance(0.5)) {
      degree["graduation_date"] = DateText(first, last);
    } else if (Chance(0.7)) {
      degree["graduation_year"] = Int(first, last);
    }
    if (Chance(0.5)) degree["stem"] = Chance(0.5);
    if (Chance(0.5)) degree["full_time"] = Chance(0.7);
    if (Chance(0.05)) degree["honorary"] = true;
    return degree;
  }

  // Careers are often back to back or overlapping by a month: the edges of
  // the months counted.
  json NextJob(int& previous_end) {
    int start = Int((year_ - 12) * 12, (year_ + 1) * 12);
    if (previous_end >= 0 && Chance(0.5)) start = previous_end + Int(0, 1);
    json job = {{"start", MonthText(start)}};
    previous_end = -1;
    if (Chance(0.6)) {
      int end = Int(start, std::max(start, (year_ + 2) * 12));
      job["end"] = MonthText(end);
      previous_end = end;
    }
    if (Chance(0.5)) job["country"] = Pick(std::vector<std::string>{"GB", "HK", "JP", "SG"});
    if (Chance(0.5)) job["sector"] = Pick(sectors_);
    if (Chance(0.3)) job["full_time"] = Chance(0.8);
    if (Chance(0.6)) job["senior"] = Chance(0.5);
    if (Chance(0.5)) job["multinational"] = Chance(0.5);
    if (Chance(0.3)) job["international"] = Chance(0.5);
    return job;
  }

  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[static_cast<size_t>(Int(0, static_cast<int>(items.size()) - 1))];
  }
  std::string DateText(int first_year, int last_year) {
    return FormatDate(MakeDate(Int(first_year, last_year), Int(1, 12), Int(1, 28)));
  }
  static std::string MonthText(int month) {
    return fmt::format("{:04d}-{:02d}", month / 12, month % 12 + 1);
  }

  std::mt19937 rng_;
  int year_ = 2024;
  std::vector<double> numbers_;
  std::vector<std::string> strings_, sectors_, institutions_;
};

TEST_F(CompiledTest, GeneratedPeopleAgreeOnEveryEffectiveDate) {
  PersonGenerator generator(registry_, 20261122);
  std::vector<Date> dates = EffectiveDates(registry_);
  ASSERT_GE(dates.size(), 50u);
  int compared = 0;
  for (Date date : dates) {
    for (int idx = 0; idx < 8; ++idx) {
      json text = generator.Next(YearOf(date));
      StatusOr<Person> person = ParsePersonJson(text, "generated");
      ASSERT_TRUE(person.ok()) << person.status().message() << "\n" << text.dump();
      compared += ExpectSame(*person, date, text.dump());
      if (HasFailure()) return;  // one divergence is enough to read
    }
  }
  EXPECT_GT(compared, 1000);
}

}  // namespace
}  // namespace talentflow::rules
