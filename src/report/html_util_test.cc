#include "report/html_util.h"

#include <gtest/gtest.h>

namespace talentflow::report {
namespace {

TEST(EscapeHtml, EscapesEveryMarkupCharacter) {
  EXPECT_EQ(EscapeHtml("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
  EXPECT_EQ(EscapeHtml("香港 Hong Kong"), "香港 Hong Kong");
}

TEST(BiHtml, ChoosesLanguageAndEscapes) {
  EXPECT_EQ(BiHtml(Lang::kEn, "Joiners", "來港者"), "Joiners");
  EXPECT_EQ(BiHtml(Lang::kZhHant, "Joiners", "來港者"), "來港者");
  EXPECT_EQ(BiHtml(Lang::kZhHant, "Joiners", ""), "Joiners");
  EXPECT_EQ(BiHtml(Lang::kBoth, "a<b", "甲<乙"),
            "<span lang=\"en\">a&lt;b</span> <span class=\"zh\" lang=\"zh-Hant\">甲&lt;乙</span>");
  EXPECT_EQ(BiHtml(Lang::kBoth, "same", "same"), "same");
  EXPECT_EQ(BiText(Lang::kBoth, "Firms", "企業數"), "Firms / 企業數");
}

TEST(FormatInt, GroupsThousands) {
  EXPECT_EQ(FormatInt(0), "0");
  EXPECT_EQ(FormatInt(999), "999");
  EXPECT_EQ(FormatInt(1000), "1,000");
  EXPECT_EQ(FormatInt(255911), "255,911");
  EXPECT_EQ(FormatInt(-1234567), "-1,234,567");
}

TEST(FormatFixed, RoundsAndNeverPrintsNegativeZero) {
  EXPECT_EQ(FormatFixed(1234.567, 1), "1,234.6");
  EXPECT_EQ(FormatFixed(-0.04, 1), "0.0");
  EXPECT_EQ(FormatFixed(-12.25, 2), "-12.25");
  EXPECT_EQ(FormatFixed(0.5, 0), "0");  // round half to even, as printf does
}

TEST(Significance, MarksByConventionalThresholds) {
  EXPECT_EQ(SignificanceMarks(0.0099), "***");
  EXPECT_EQ(SignificanceMarks(0.01), "**");
  EXPECT_EQ(SignificanceMarks(0.049), "**");
  EXPECT_EQ(SignificanceMarks(0.05), "*");
  EXPECT_EQ(SignificanceMarks(0.0999), "*");
  EXPECT_EQ(SignificanceMarks(0.1), "");
  EXPECT_EQ(FormatPValue(0.0004), "<0.001");
  EXPECT_EQ(FormatPValue(0.03604), "0.036");
}

}  // namespace
}  // namespace talentflow::report
