#include "panel/title_rules.h"

#include <gtest/gtest.h>

namespace talentflow {
namespace {

class TitleRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto rules = TitleRules::LoadDefault();
    ASSERT_TRUE(rules.ok()) << rules.status().ToString();
    rules_ = std::move(rules).value();
  }
  bool Side(std::string_view t) { return rules_->Classify(t) & kTitleSideRole; }
  bool Founder(std::string_view t) { return rules_->Classify(t) & kTitleFounder; }
  std::optional<TitleRules> rules_;
};

TEST_F(TitleRulesTest, EnglishSideRoles) {
  EXPECT_TRUE(Side("Non-Executive Director"));
  EXPECT_TRUE(Side("Independent Non-Executive Director"));
  EXPECT_TRUE(Side("Board Member"));
  EXPECT_TRUE(Side("Trustee"));
  EXPECT_TRUE(Side("Advisor to the Board"));
  EXPECT_TRUE(Side("Summer Intern"));
  EXPECT_TRUE(Side("Part-time Lecturer"));
  EXPECT_FALSE(Side("Software Engineer"));
  // Word boundaries: "intern" inside other words is not a side role.
  EXPECT_FALSE(Side("International Sales Manager"));
  EXPECT_FALSE(Side("Internal Auditor"));
  EXPECT_FALSE(Side("Advisory Manager"));
}

TEST_F(TitleRulesTest, ExecutiveTitlesAreNeverSideRoles) {
  EXPECT_FALSE(Side("CEO"));
  EXPECT_FALSE(Side("CEO and Board Member"));
  EXPECT_FALSE(Side("Managing Director"));
  EXPECT_FALSE(Side("Executive Director"));
  EXPECT_FALSE(Side("執行董事"));
  EXPECT_FALSE(Side("董事總經理"));
}

TEST_F(TitleRulesTest, ChineseSideRoles) {
  EXPECT_TRUE(Side("非執行董事"));
  EXPECT_TRUE(Side("獨立非執行董事"));
  EXPECT_TRUE(Side("暑期實習生"));
  EXPECT_TRUE(Side("实习生"));
  EXPECT_FALSE(Side("軟件工程師"));
}

TEST_F(TitleRulesTest, Founders) {
  EXPECT_TRUE(Founder("Founder & CEO"));
  EXPECT_TRUE(Founder("Co-Founder"));
  EXPECT_TRUE(Founder("cofounder"));
  EXPECT_TRUE(Founder("創辦人"));
  EXPECT_TRUE(Founder("联合创始人"));
  EXPECT_FALSE(Founder("Foundry Engineer"));
  EXPECT_FALSE(Founder("Foundation Officer"));
}

TEST(TitleRulesLoad, RejectsUnknownKindNamingLine) {
  auto r = TitleRules::FromRows({{"ceo", "executive", "word"}, {"x", "boss", "word"}}, "t.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "t.csv line 3 column kind: \"boss\": expected side_role_strong, executive, side_role "
            "or founder");
}

}  // namespace
}  // namespace talentflow
