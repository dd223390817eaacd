#include "report/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "common/utf8.h"
#include "report/html_util.h"

namespace talentflow::report {

namespace {

constexpr double kFontSize = 12;
constexpr double kWidth = 760;

// Approximate rendered width: Latin glyphs about 0.58 em, CJK a full em.
double TextWidth(const std::string& text, double font_size) {
  double width = 0;
  for (size_t i = 0; i < text.size();) {
    // A byte that cannot lead a sequence counts as the lead of a 4-byte one.
    size_t len = Utf8SequenceLength(static_cast<unsigned char>(text[i]));
    if (len == 0) len = 4;
    width += (len == 1 ? 0.58 : 1.0) * font_size;
    i += len;
  }
  return width;
}

std::string Num(double value) {
  std::string text = fmt::format("{:.1f}", value);
  if (text == "-0.0") text = "0.0";
  return text;
}

std::string Fill(const std::string& id, size_t style) {
  switch (style % 5) {
    case 0:
      return "#404040";
    case 1:
      return "url(#" + id + "-hatch)";
    case 2:
      return "#b0b0b0";
    case 3:
      return "url(#" + id + "-dots)";
    default:
      return "url(#" + id + "-cross)";
  }
}

std::string Defs(const std::string& id) {
  std::string e = EscapeHtml(id);
  return fmt::format(
      "<defs>"
      "<pattern id=\"{0}-hatch\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" "
      "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fff\"/>"
      "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#202020\" "
      "stroke-width=\"2.4\"/></pattern>"
      "<pattern id=\"{0}-dots\" patternUnits=\"userSpaceOnUse\" width=\"5\" height=\"5\">"
      "<rect width=\"5\" height=\"5\" fill=\"#fff\"/>"
      "<circle cx=\"2.5\" cy=\"2.5\" r=\"1.3\" fill=\"#202020\"/></pattern>"
      "<pattern id=\"{0}-cross\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\">"
      "<rect width=\"6\" height=\"6\" fill=\"#fff\"/>"
      "<path d=\"M0 0L6 6M6 0L0 6\" stroke=\"#202020\" stroke-width=\"1\"/></pattern>"
      "</defs>",
      e);
}

std::string Open(const BarChart& chart, double height) {
  return fmt::format(
             "<svg class=\"chart\" role=\"img\" aria-label=\"{}\" "
             "viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" font-size=\"{}\">"
             "<title>{}</title>",
             EscapeHtml(chart.aria_label), Num(kWidth), Num(height), Num(kWidth), Num(height),
             Num(kFontSize), EscapeHtml(chart.aria_label)) +
         Defs(chart.id);
}

std::string Text(double x, double y, const std::string& text, std::string_view anchor,
                 std::string_view extra = "") {
  return fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"{}\"{}>{}</text>", Num(x), Num(y),
                     anchor, extra, EscapeHtml(text));
}

std::string Rect(double x, double y, double w, double h, const std::string& fill) {
  return fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#000\" "
      "stroke-width=\"0.7\"/>",
      Num(x), Num(y), Num(std::max(w, 0.0)), Num(std::max(h, 0.0)), fill);
}

// Legend row of swatches; returns its height.
double Legend(std::string& svg, const BarChart& chart, const std::vector<std::string>& labels,
              double x, double y) {
  for (size_t idx = 0; idx < labels.size(); ++idx) {
    svg += Rect(x, y, 14, 12, Fill(chart.id, idx));
    svg += Text(x + 19, y + 10.5, labels[idx], "start");
    x += 19 + TextWidth(labels[idx], kFontSize) + 22;
  }
  return labels.empty() ? 0 : 24;
}

std::string ValueText(const ChartValue& value, const BarChart& chart) {
  switch (value.state) {
    case ChartValue::State::kValue:
      return FormatFixed(value.value, chart.decimals);
    case ChartValue::State::kSuppressed:
      return chart.text.suppressed;
    case ChartValue::State::kMissing:
      return chart.text.missing;
  }
  return chart.text.missing;
}

double LabelColumn(const std::vector<std::string>& categories) {
  double widest = 40;
  for (const auto& category : categories) widest = std::max(widest, TextWidth(category, kFontSize));
  return std::min(widest + 12, 240.0);
}

std::vector<std::string> SeriesLabels(const BarChart& chart) {
  std::vector<std::string> labels;
  for (const auto& series : chart.series) labels.push_back(series.label);
  return labels;
}

std::string TickLabel(double tick, double step) {
  int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  return FormatFixed(tick, decimals);
}

}  // namespace

std::vector<double> NiceTicks(double lo, double hi, int target) {
  if (!(hi > lo)) hi = lo + 1;
  double raw = (hi - lo) / std::max(target, 1);
  double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double factor : {1.0, 2.0, 5.0, 10.0}) {
    step = factor * magnitude;
    if (step >= raw) break;
  }
  double first = std::floor(lo / step + 1e-9) * step;
  std::vector<double> ticks;
  for (int idx = 0; idx < 1000; ++idx) {
    double tick = first + idx * step;
    if (std::fabs(tick) < step * 1e-9) tick = 0;
    ticks.push_back(tick);
    if (tick >= hi - step * 1e-9) break;
  }
  return ticks;
}

std::string RenderBarChart(const BarChart& chart) {
  const size_t n_series = std::max<size_t>(chart.series.size(), 1);
  constexpr double kBar = 15;
  constexpr double kGap = 10;
  double label_w = LabelColumn(chart.categories);
  double x0 = label_w + 8;
  double x1 = kWidth - 90;
  double lo = 0, hi = 0;
  for (const auto& series : chart.series) {
    for (const auto& value : series.values) {
      if (value.state != ChartValue::State::kValue) continue;
      lo = std::min(lo, value.value);
      hi = std::max(hi, value.value);
    }
  }
  std::vector<double> ticks = NiceTicks(lo, hi, 5);
  double dmin = ticks.front(), dmax = ticks.back();
  double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 1;
  auto sx = [&](double v) { return x0 + (v - dmin) / (dmax - dmin) * (x1 - x0); };
  double legend_h = chart.series.size() > 1 ? 24 : 0;
  double top = 8 + legend_h;
  double group_h = n_series * kBar + kGap;
  double plot_h = chart.categories.size() * group_h;
  double height = top + plot_h + 44;
  std::string svg = Open(chart, height);
  if (legend_h > 0) Legend(svg, chart, SeriesLabels(chart), x0, 6);
  double plot_bottom = top + plot_h;
  for (double tick : ticks) {
    double x = sx(tick);
    svg += fmt::format(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#d0d0d0\" "
        "stroke-width=\"0.6\"/>",
        Num(x), Num(top), Num(plot_bottom));
    svg += Text(x, plot_bottom + 14, TickLabel(tick, step), "middle");
  }
  for (size_t cat = 0; cat < chart.categories.size(); ++cat) {
    double gy = top + cat * group_h + kGap / 2;
    svg += Text(label_w, gy + n_series * kBar / 2 + 4, chart.categories[cat], "end");
    for (size_t s = 0; s < chart.series.size(); ++s) {
      const ChartValue& value = chart.series[s].values[cat];
      double y = gy + s * kBar;
      double zero = sx(0);
      if (value.state == ChartValue::State::kValue) {
        double x = sx(value.value);
        svg += Rect(std::min(x, zero), y + 1, std::fabs(x - zero), kBar - 2, Fill(chart.id, s));
        bool negative = value.value < 0;
        svg += Text(negative ? std::min(x, zero) - 4 : std::max(x, zero) + 4, y + kBar - 3.5,
                    ValueText(value, chart), negative ? "end" : "start");
      } else {
        svg += Text(zero + 4, y + kBar - 3.5, ValueText(value, chart), "start",
                    " font-style=\"italic\" class=\"chart-suppressed\"");
      }
    }
  }
  svg += fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#000\" stroke-width=\"1.2\"/>",
      Num(sx(0)), Num(top), Num(plot_bottom));
  svg += Text((x0 + x1) / 2, plot_bottom + 34, chart.value_axis_label, "middle",
              " font-weight=\"bold\"");
  svg += "</svg>";
  return svg;
}

std::string RenderDivergingChart(const BarChart& chart) {
  constexpr double kBar = 16;
  constexpr double kGap = 6;
  double label_w = LabelColumn(chart.categories);
  double x0 = label_w + 8;
  double x1 = kWidth - 12;
  double mid = (x0 + x1) / 2;
  double hi = 0;
  for (const auto& series : chart.series) {
    for (const auto& value : series.values) {
      if (value.state == ChartValue::State::kValue) hi = std::max(hi, std::fabs(value.value));
    }
  }
  std::vector<double> ticks = NiceTicks(0, hi, 4);
  double dmax = ticks.back();
  double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 1;
  double half = (x1 - x0) / 2 - 60;  // room for value labels at the ends
  auto off = [&](double v) { return v / dmax * half; };
  double top = 8 + 24;
  double row_h = kBar + kGap;
  double plot_h = chart.categories.size() * row_h;
  double plot_bottom = top + plot_h;
  double height = top + plot_h + 44;
  std::string svg = Open(chart, height);
  Legend(svg, chart, SeriesLabels(chart), x0, 6);
  for (double tick : ticks) {
    for (int side : {-1, 1}) {
      if (tick == 0 && side == 1) continue;
      double x = mid + side * off(tick);
      svg += fmt::format(
          "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#d0d0d0\" "
          "stroke-width=\"0.6\"/>",
          Num(x), Num(top), Num(plot_bottom));
      svg += Text(x, plot_bottom + 14, TickLabel(tick, step), "middle");
    }
  }
  for (size_t cat = 0; cat < chart.categories.size(); ++cat) {
    double y = top + cat * row_h + kGap / 2;
    svg += Text(label_w, y + kBar - 4, chart.categories[cat], "end");
    for (size_t s = 0; s < chart.series.size() && s < 2; ++s) {
      const ChartValue& value = chart.series[s].values[cat];
      int side = s == 0 ? -1 : 1;
      if (value.state == ChartValue::State::kValue) {
        double w = off(std::fabs(value.value));
        svg += Rect(side < 0 ? mid - w : mid, y, w, kBar, Fill(chart.id, s));
        svg += Text(mid + side * (w + 4), y + kBar - 4, ValueText(value, chart),
                    side < 0 ? "end" : "start");
      } else {
        svg +=
            Text(mid + side * 4, y + kBar - 4, ValueText(value, chart), side < 0 ? "end" : "start",
                 " font-style=\"italic\" class=\"chart-suppressed\"");
      }
    }
  }
  svg += fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#000\" stroke-width=\"1.2\"/>",
      Num(mid), Num(top), Num(plot_bottom));
  svg += Text(mid, plot_bottom + 34, chart.value_axis_label, "middle", " font-weight=\"bold\"");
  svg += "</svg>";
  return svg;
}

std::string RenderHistogram(const BarChart& chart, const std::string& bin_axis_label) {
  double y_label_w = 56;
  double x0 = y_label_w + 8;
  double x1 = kWidth - 12;
  double top = 12;
  double plot_h = 220;
  double plot_bottom = top + plot_h;
  double hi = 0;
  const std::vector<ChartValue> empty;
  const std::vector<ChartValue>& values = chart.series.empty() ? empty : chart.series[0].values;
  for (const auto& value : values) {
    if (value.state == ChartValue::State::kValue) hi = std::max(hi, value.value);
  }
  std::vector<double> ticks = NiceTicks(0, hi, 5);
  double dmax = ticks.back();
  double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 1;
  auto sy = [&](double v) { return plot_bottom - v / dmax * plot_h; };
  double height = plot_bottom + 56;
  std::string svg = Open(chart, height);
  for (double tick : ticks) {
    double y = sy(tick);
    svg += fmt::format(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#d0d0d0\" "
        "stroke-width=\"0.6\"/>",
        Num(x0), Num(y), Num(x1));
    svg += Text(x0 - 4, y + 4, TickLabel(tick, step), "end");
  }
  size_t bins = std::max<size_t>(chart.categories.size(), 1);
  double bin_w = (x1 - x0) / bins;
  for (size_t bin = 0; bin < chart.categories.size(); ++bin) {
    double x = x0 + bin * bin_w;
    const ChartValue value = bin < values.size() ? values[bin] : ChartValue::Missing();
    if (value.state == ChartValue::State::kValue) {
      double y = sy(value.value);
      svg += Rect(x, y, bin_w, plot_bottom - y, Fill(chart.id, 0));
      svg += Text(x + bin_w / 2, y - 4, ValueText(value, chart), "middle");
    } else {
      svg += Text(x + bin_w / 2, plot_bottom - 6, ValueText(value, chart), "middle",
                  " font-style=\"italic\" class=\"chart-suppressed\"");
    }
    svg += Text(x + bin_w / 2, plot_bottom + 15, chart.categories[bin], "middle");
  }
  svg += fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#000\" stroke-width=\"1.2\"/>",
      Num(x0), Num(plot_bottom), Num(x1));
  svg += Text((x0 + x1) / 2, plot_bottom + 36, bin_axis_label, "middle", " font-weight=\"bold\"");
  svg += fmt::format(
      "<text transform=\"translate(14 {}) rotate(-90)\" text-anchor=\"middle\" "
      "font-weight=\"bold\">{}</text>",
      Num(top + plot_h / 2), EscapeHtml(chart.value_axis_label));
  svg += "</svg>";
  return svg;
}

}  // namespace talentflow::report
