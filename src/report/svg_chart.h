// SvgChart: the report's own small chart module. Each function turns a chart
// description into one self-contained inline <svg> element (no scripts, no
// external fonts or images), so the report stays a single offline file.
//
// Charts are readable in grey scale: each series has a distinct fill that is a
// shade or a pattern (solid dark, hatched, light, dotted, cross-hatched), every
// bar has a black outline, and values are printed beside the bars. A value
// can be suppressed (disclosure control) or missing; such a bar is not drawn
// and the chart prints the given "suppressed" or "missing" text in its place,
// so a suppressed cell never looks like zero. All text is escaped.
// Functions are pure and thread-safe; output is byte-deterministic.
//
// Example:
//   BarChart chart{.id = "age", .value_axis_label = "Net migration rate (%)"};
//   chart.categories = {"25-29", "30-34"};
//   chart.series = {{"All", {ChartValue::Of(2.8), ChartValue::Suppressed()}}};
//   std::string svg = RenderBarChart(chart);
#pragma once

#include <string>
#include <vector>

namespace talentflow::report {

struct ChartValue {
  enum class State { kValue, kMissing, kSuppressed };
  State state = State::kMissing;
  double value = 0;

  static ChartValue Of(double v) { return {State::kValue, v}; }
  static ChartValue Missing() { return {State::kMissing, 0}; }
  static ChartValue Suppressed() { return {State::kSuppressed, 0}; }
};

struct ChartSeries {
  std::string label;
  std::vector<ChartValue> values;  // one per category
};

struct ChartText {
  std::string suppressed = "suppressed";
  std::string missing = "n/a";
};

// Horizontal grouped bars: one row group per category, one bar per series.
// Negative values extend left of the zero line.
struct BarChart {
  std::string id;  // unique within the page; prefixes pattern ids
  std::string aria_label;
  std::string value_axis_label;  // with unit, e.g. "Net migration rate (%)"
  std::vector<std::string> categories;
  std::vector<ChartSeries> series;
  int decimals = 1;  // of the printed values
  ChartText text;
};

// REQUIRES: every series has categories.size() values.
std::string RenderBarChart(const BarChart& chart);

// Diverging bars: series[0] drawn to the left of the centre line (e.g.
// leavers), series[1] to the right (e.g. joiners); values are magnitudes.
// REQUIRES: exactly two series, each with categories.size() values.
std::string RenderDivergingChart(const BarChart& chart);

// Vertical histogram: categories are the bins in order, one series of counts,
// bars adjacent.
// REQUIRES: exactly one series with categories.size() values.
std::string RenderHistogram(const BarChart& chart, const std::string& bin_axis_label);

// Tick values for an axis covering [lo, hi]: round steps of 1, 2 or 5 x 10^n,
// about `target` intervals, the first tick <= lo and the last >= hi.
std::vector<double> NiceTicks(double lo, double hi, int target);

}  // namespace talentflow::report
