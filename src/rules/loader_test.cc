#include <gtest/gtest.h>

#include "rules/scheme.h"

namespace talentflow::rules {
namespace {

// A minimal valid scheme; tests append or substitute pieces.
constexpr const char* kHeader = R"(
[scheme]
name_en = "Test"
name_zh = "測試"
jurisdiction_name = "Testland"
launched = 2020-01-01
references = ["https://example.org"]
source_note = "test"
)";

constexpr const char* kBody = R"(
[[parameters.threshold]]
from = 2020-01-01
value = 100
reference = "https://example.org/t"

[criteria.rich]
kind = "compare"
description = "Income at least the threshold"
field = "annual_income_hkd"
op = ">="
value = "$threshold"

[[rules]]
from = 2020-01-01
eligible = "rich"
reference = "https://example.org/r"
)";

std::map<std::string, DatedList> NoLists() { return {}; }

std::string Load(const std::string& text) {
  StatusOr<Scheme> scheme = LoadSchemeText(text, "t/test.toml", "t/test", NoLists());
  return scheme.ok() ? "ok" : scheme.status().message();
}

TEST(LoaderTest, LoadsValidScheme) {
  StatusOr<Scheme> scheme =
      LoadSchemeText(std::string(kHeader) + kBody, "t/test.toml", "t/test", NoLists());
  ASSERT_TRUE(scheme.ok()) << scheme.status().message();
  EXPECT_EQ(scheme->name_zh, "測試");
  EXPECT_EQ(scheme->parameters.at("threshold").values.size(), 1u);
}

TEST(LoaderTest, UnknownKeyNamesFileKeyAndAllowed) {
  std::string text = std::string(kHeader) + kBody +
                     "\n[criteria.x]\nkind = \"compare\"\n"
                     "description = \"d\"\nfeild = \"age\"\n";
  EXPECT_EQ(Load(text),
            "t/test.toml line 30: key \"criteria.x.feild\": unknown key; allowed: kind, "
            "description, reference, field, op, value");
}

TEST(LoaderTest, DuplicateKey) {
  std::string text = std::string(kHeader) + "name_en = \"again\"\n" + kBody;
  EXPECT_NE(Load(text).find("t/test.toml line 9"), std::string::npos) << Load(text);
  EXPECT_NE(Load(text).find("cannot redefine"), std::string::npos);
}

TEST(LoaderTest, MalformedDate) {
  std::string text = kHeader;
  text.replace(text.find("2020-01-01"), 10, "2020-02-30");
  EXPECT_NE(Load(text + kBody).find("t/test.toml line 6"), std::string::npos);
  std::string quoted = kHeader;
  quoted.replace(quoted.find("2020-01-01"), 10, "\"2020-1-1\"");
  EXPECT_EQ(Load(quoted + kBody),
            "t/test.toml line 6: key \"scheme.launched\": \"2020-1-1\": expected a date "
            "YYYY-MM-DD");
}

TEST(LoaderTest, OverlappingRanges) {
  std::string text = std::string(kHeader) + kBody +
                     "\n[[parameters.threshold]]\nfrom = 2021-01-01\nvalue = 200\n"
                     "reference = \"x\"\n";
  EXPECT_EQ(Load(text),
            "t/test.toml line 27: key \"parameters.threshold\": effective range 2021-01-01 .. "
            "overlaps 2020-01-01 .. (line 10); ranges must not overlap (end the earlier one "
            "with until = the day before)");
  std::string fixed = text;
  fixed.replace(fixed.find("value = 100"), 11, "until = 2020-12-31\nvalue = 100");
  EXPECT_EQ(Load(fixed), "ok");
}

TEST(LoaderTest, UndefinedCriterionAndParameter) {
  std::string body = kBody;
  body.replace(body.find("eligible = \"rich\""), 17, "eligible = \"poor\"");
  EXPECT_EQ(Load(std::string(kHeader) + body),
            "t/test.toml line 22: key \"rules.eligible\": criterion \"poor\" is not defined; "
            "defined: rich");
  body = kBody;
  body.replace(body.find("\"$threshold\""), 12, "\"$limit\"");
  EXPECT_EQ(Load(std::string(kHeader) + body),
            "t/test.toml line 15: key \"criteria.rich.value\": parameter \"limit\" is not "
            "defined; defined: threshold");
}

TEST(LoaderTest, TypeErrors) {
  std::string body = kBody;
  body.replace(body.find("annual_income_hkd"), 17, "nationality");
  EXPECT_EQ(Load(std::string(kHeader) + body),
            "t/test.toml line 15: key \"criteria.rich.op\": string field \"nationality\" "
            "allows only == and !=");
  body = kBody;
  body.replace(body.find("annual_income_hkd"), 17, "salary");
  EXPECT_EQ(Load(std::string(kHeader) + body),
            "t/test.toml line 15: key \"criteria.rich.field\": \"salary\" is not a person field "
            "(see docs/schemes.md)");
}

TEST(LoaderTest, PointsCannotBeYesNo) {
  std::string text = std::string(kHeader) + kBody + R"(
[[parameters.table]]
from = 2020-01-01
reference = "x"
rows = [{ at_least = 1, points = 5 }]

[criteria.score]
kind = "points"
description = "points"
field = "age"
table = "table"

[criteria.both]
kind = "all"
description = "bad"
of = ["rich", "score"]
)";
  EXPECT_EQ(Load(text),
            "t/test.toml line 38: key \"criteria.both.of\": criterion \"score\" gives points, "
            "not yes/no (give a sum a pass_mark to make it yes/no)");
}

TEST(LoaderTest, Cycle) {
  std::string text = std::string(kHeader) + kBody + R"(
[criteria.a]
kind = "all"
description = "a"
of = ["b"]

[criteria.b]
kind = "any"
description = "b"
of = ["a"]
)";
  EXPECT_NE(Load(text).find("criteria refer to each other in a cycle"), std::string::npos);
}

TEST(LoaderTest, ListErrors) {
  StatusOr<DatedList> list = LoadListText(R"(
title = "t"
source = "s"
as_of = "2026-01-01"
complete = true
[[entries]]
name = "A University"
from = 2020-01-01
reference = "r"
[[entries]]
name = "University A"
aliases = ["a university"]
from = 2021-01-01
reference = "r"
)",
                                          "lists/x.toml", "x");
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.status().message(),
            "lists/x.toml line 10: key \"entries \"A University\"\": effective range 2021-01-01 "
            ".. overlaps 2020-01-01 .. (line 6); ranges must not overlap (end the earlier one "
            "with until = the day before)");
}

TEST(LoaderTest, BundledSchemesLoad) {
  StatusOr<Registry> registry = LoadRegistry("data/schemes");
  ASSERT_TRUE(registry.ok()) << registry.status().message();
  EXPECT_GE(registry->schemes.size(), 13u);
  for (const char* id :
       {"hk/ttps", "hk/qmas", "hk/iang", "hk/assg", "hk/techtas", "hk/gep", "hk/asmtp",
        "hk/new_cies", "sg/one_pass", "sg/ep_compass", "jp/hsp", "au/niv", "uk/hpi"}) {
    EXPECT_TRUE(registry->schemes.count(id)) << id;
  }
}

}  // namespace
}  // namespace talentflow::rules
