// Text helpers of the HTML report: escaping, bilingual labels and the
// deterministic number formats every table and chart uses.
//
// All data values (place names, country names, table titles from a results
// directory) are untrusted: they pass through EscapeHtml before they reach
// the page, so a value such as "<script>" is shown, never run. Functions are
// pure and thread-safe.
//
// Example:
//   Lang lang = Lang::kBoth;
//   out += "<h2>" + BiHtml(lang, "Headline", "摘要") + "</h2>";
//   out += FormatInt(255911);  // "255,911"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace talentflow::report {

// Which languages the report is written in.
enum class Lang { kEn, kZhHant, kBoth };

// Escapes &, <, >, " and ' for HTML text and attribute values (also SVG).
std::string EscapeHtml(std::string_view text);

// A bilingual label as escaped HTML: the English text, the Chinese text, or
// both (each in a span with its lang attribute). An empty Chinese text falls
// back to English.
std::string BiHtml(Lang lang, std::string_view en, std::string_view zh);

// The same as plain (unescaped) text, "English / 中文" in both mode; for
// places that cannot hold markup (SVG labels, spreadsheet headers).
std::string BiText(Lang lang, std::string_view en, std::string_view zh);

// 1234567 -> "1,234,567"; -1234 -> "-1,234".
std::string FormatInt(int64_t value);

// Fixed decimals with thousands separators: (1234.567, 1) -> "1,234.6".
// Never prints "-0.0".
std::string FormatFixed(double value, int decimals);

// A p-value for a table: "<0.001" below 0.001, else three decimals.
std::string FormatPValue(double p);

// Significance marks used in economics tables: "***" p < 0.01, "**" p < 0.05,
// "*" p < 0.1, "" otherwise.
std::string_view SignificanceMarks(double p);

}  // namespace talentflow::report
