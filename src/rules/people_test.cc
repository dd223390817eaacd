// Checks `check` outcomes for the hand-worked people in tests/rules/people/
// (reasoning in tests/rules/people/README.md) against the bundled schemes.
#include <gtest/gtest.h>
#include <toml++/toml.h>

#include "io/file_util.h"
#include "rules/evaluate.h"
#include "rules/scheme.h"

namespace talentflow::rules {
namespace {

TEST(PeopleTest, HandWorkedOutcomes) {
  StatusOr<Registry> registry = LoadRegistry("data/schemes");
  ASSERT_TRUE(registry.ok()) << registry.status().message();
  toml::table expected = toml::parse_file("tests/rules/people/expected.toml");
  const toml::array* checks = expected["checks"].as_array();
  ASSERT_NE(checks, nullptr);
  std::set<std::string> people;
  for (const toml::node& node : *checks) {
    const toml::table& check = *node.as_table();
    std::string file = check["person"].value_or(std::string());
    std::string scheme_id = check["scheme"].value_or(std::string());
    std::string category = check["category"].value_or(std::string());
    toml::date d = check["date"].as_date()->get();
    Date date = MakeDate(d.year, d.month, d.day);
    SCOPED_TRACE(file + " " + scheme_id + " " + category + " " + FormatDate(date));
    people.insert(file);
    StatusOr<std::string> text = ReadFile("tests/rules/people/" + file);
    ASSERT_TRUE(text.ok());
    StatusOr<Person> person = ParsePersonJson(nlohmann::json::parse(*text), file);
    ASSERT_TRUE(person.ok()) << person.status().message();
    ASSERT_TRUE(registry->schemes.count(scheme_id));
    std::vector<SchemeResult> results =
        CheckScheme(*registry, registry->schemes.at(scheme_id), *person, date);
    const SchemeResult* found = nullptr;
    for (const SchemeResult& result : results) {
      if (result.category == category) found = &result;
    }
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(VerdictName(found->verdict), check["expect"].value_or(std::string()));
    if (auto points = check["points"].value<double>()) {
      EXPECT_EQ(found->points_min, *points);
      EXPECT_EQ(found->points_max, *points);
    }
    if (auto low = check["points_min"].value<double>()) {
      EXPECT_EQ(found->points_min, *low);
    }
    if (auto high = check["points_max"].value<double>()) {
      EXPECT_EQ(found->points_max, *high);
    }
    if (const toml::array* missing = check["missing"].as_array()) {
      std::vector<std::string> want;
      for (const toml::node& item : *missing) want.push_back(item.value_or(std::string()));
      EXPECT_EQ(found->missing, want);
    }
  }
  EXPECT_GE(people.size(), 10u);
}

}  // namespace
}  // namespace talentflow::rules
