#include "report/svg_chart.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace talentflow::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

int Count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
    ++n;
  return n;
}

TEST(NiceTicks, RoundStepsCoveringTheRange) {
  EXPECT_EQ(NiceTicks(0, 10.67, 5), (std::vector<double>{0, 5, 10, 15}));
  EXPECT_EQ(NiceTicks(-3, 7, 5), (std::vector<double>{-4, -2, 0, 2, 4, 6, 8}));
  EXPECT_EQ(NiceTicks(0, 0, 5), (std::vector<double>{0, 0.2, 0.4, 0.6000000000000001, 0.8, 1}));
}

BarChart TwoSeries() {
  BarChart chart{.id = "t", .aria_label = "Net <rate>", .value_axis_label = "Rate (%)"};
  chart.categories = {"25-29", "<b>x</b>"};
  chart.series = {{"All", {ChartValue::Of(2.5), ChartValue::Suppressed()}},
                  {"High pay", {ChartValue::Of(-1.25), ChartValue::Missing()}}};
  chart.text = {"suppressed", "n/a"};
  return chart;
}

TEST(RenderBarChart, DrawsValuesAndMarksSuppressedNeverAsZero) {
  std::string svg = RenderBarChart(TwoSeries());
  EXPECT_THAT(svg, HasSubstr("<svg class=\"chart\" role=\"img\" aria-label=\"Net &lt;rate&gt;\""));
  // Two drawn bars plus two legend swatches; the suppressed and missing values get text only.
  EXPECT_EQ(Count(svg, "<rect x="), 4);
  EXPECT_THAT(svg, HasSubstr(">2.5<"));
  EXPECT_THAT(svg, HasSubstr(">-1.2<"));  // -1.25 at one decimal, round half to even
  EXPECT_THAT(svg, HasSubstr("class=\"chart-suppressed\">suppressed</text>"));
  EXPECT_THAT(svg, HasSubstr("class=\"chart-suppressed\">n/a</text>"));
  EXPECT_THAT(svg, HasSubstr("&lt;b&gt;x&lt;/b&gt;"));
  EXPECT_THAT(svg, Not(HasSubstr("<b>")));
  EXPECT_THAT(svg, HasSubstr(">Rate (%)</text>"));
  // Second series is a pattern, not a colour: readable in grey scale.
  EXPECT_THAT(svg, HasSubstr("fill=\"url(#t-hatch)\""));
  EXPECT_THAT(svg, Not(HasSubstr("http")));
}

TEST(RenderBarChart, IsDeterministic) {
  EXPECT_EQ(RenderBarChart(TwoSeries()), RenderBarChart(TwoSeries()));
}

TEST(RenderDivergingChart, LeftAndRightBars) {
  BarChart chart{.id = "d", .aria_label = "flows", .value_axis_label = "Persons", .decimals = 0};
  chart.categories = {"United States", "India"};
  chart.series = {{"Leavers", {ChartValue::Of(58), ChartValue::Suppressed()}},
                  {"Joiners", {ChartValue::Of(97), ChartValue::Of(12)}}};
  std::string svg = RenderDivergingChart(chart);
  EXPECT_EQ(Count(svg, "<rect x="), 2 + 3);  // legend + three bars
  EXPECT_THAT(svg, HasSubstr(">58<"));
  EXPECT_THAT(svg, HasSubstr(">97<"));
  EXPECT_THAT(svg, HasSubstr(">suppressed<"));
}

TEST(RenderHistogram, OneBarPerBinWithLabels) {
  BarChart chart{.id = "h", .aria_label = "growth", .value_axis_label = "Firms", .decimals = 0};
  chart.categories = {"below 0%", "0% to 25%", "25% and over"};
  chart.series = {{"Firms", {ChartValue::Of(3), ChartValue::Of(0), ChartValue::Suppressed()}}};
  std::string svg = RenderHistogram(chart, "Growth (%)");
  EXPECT_EQ(Count(svg, "<rect x="), 2);
  EXPECT_THAT(svg, HasSubstr(">25% and over<"));
  EXPECT_THAT(svg, HasSubstr(">Growth (%)<"));
  EXPECT_THAT(svg, HasSubstr("rotate(-90)"));
}

}  // namespace
}  // namespace talentflow::report
