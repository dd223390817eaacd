// Runs the scheme files' own test cases under ctest, and checks that the
// runner reports a failing case.
#include <gtest/gtest.h>

#include "rules/case_runner.h"

namespace talentflow::rules {
namespace {

TEST(CasesTest, BundledSchemeCasesPass) {
  StatusOr<Registry> registry = LoadRegistry("data/schemes");
  ASSERT_TRUE(registry.ok()) << registry.status().message();
  StatusOr<CaseReport> report = RunSchemeTests(*registry);
  ASSERT_TRUE(report.ok()) << report.status().message();
  for (const std::string& line : report->lines) {
    EXPECT_EQ(line.rfind("PASS", 0), 0u) << line;
  }
  EXPECT_EQ(report->failed, 0);
  EXPECT_GE(report->cases, 100);
}

TEST(CasesTest, WrongExpectationFails) {
  StatusOr<Registry> registry = LoadRegistry("tests/rules/fixtures/failing");
  ASSERT_TRUE(registry.ok()) << registry.status().message();
  StatusOr<CaseReport> report = RunSchemeTests(*registry);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->cases, 2);
  EXPECT_EQ(report->failed, 1);
  ASSERT_EQ(report->lines.size(), 2u);
  EXPECT_EQ(report->lines[0], "PASS t/demo: right: 100 is enough");
  EXPECT_NE(report->lines[1].find("expected eligible, got not_eligible"), std::string::npos)
      << report->lines[1];
}

}  // namespace
}  // namespace talentflow::rules
