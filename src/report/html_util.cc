#include "report/html_util.h"

#include <fmt/format.h>

#include <cmath>

namespace talentflow::report {

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string BiHtml(Lang lang, std::string_view en, std::string_view zh) {
  if (zh.empty()) zh = en;
  switch (lang) {
    case Lang::kEn:
      return EscapeHtml(en);
    case Lang::kZhHant:
      return EscapeHtml(zh);
    case Lang::kBoth:
      if (en == zh) return EscapeHtml(en);
      return "<span lang=\"en\">" + EscapeHtml(en) +
             "</span> <span class=\"zh\" lang=\"zh-Hant\">" + EscapeHtml(zh) + "</span>";
  }
  return EscapeHtml(en);
}

std::string BiText(Lang lang, std::string_view en, std::string_view zh) {
  if (zh.empty()) zh = en;
  switch (lang) {
    case Lang::kEn:
      return std::string(en);
    case Lang::kZhHant:
      return std::string(zh);
    case Lang::kBoth:
      if (en == zh) return std::string(en);
      return std::string(en) + " / " + std::string(zh);
  }
  return std::string(en);
}

namespace {

// Inserts thousands separators into the integer part of a plain decimal.
std::string GroupThousands(const std::string& plain) {
  size_t start = plain.starts_with('-') ? 1 : 0;
  size_t dot = plain.find('.');
  size_t int_end = dot == std::string::npos ? plain.size() : dot;
  std::string out = plain.substr(0, start);
  size_t digits = int_end - start;
  for (size_t i = 0; i < digits; ++i) {
    if (i > 0 && (digits - i) % 3 == 0) out.push_back(',');
    out.push_back(plain[start + i]);
  }
  out += plain.substr(int_end);
  return out;
}

}  // namespace

std::string FormatInt(int64_t value) { return GroupThousands(fmt::format("{}", value)); }

std::string FormatFixed(double value, int decimals) {
  if (!std::isfinite(value)) return "";
  std::string plain = fmt::format("{:.{}f}", value, decimals);
  if (plain.starts_with('-') && plain.find_first_not_of("-0.") == std::string::npos) {
    plain.erase(0, 1);
  }
  return GroupThousands(plain);
}

std::string FormatPValue(double p) {
  if (!std::isfinite(p)) return "";
  if (p < 0.001) return "<0.001";
  return FormatFixed(p, 3);
}

std::string_view SignificanceMarks(double p) {
  if (!std::isfinite(p)) return "";
  if (p < 0.01) return "***";
  if (p < 0.05) return "**";
  if (p < 0.1) return "*";
  return "";
}

}  // namespace talentflow::report
