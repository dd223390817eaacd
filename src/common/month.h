// Month: a calendar month as a single integer, the unit of time of the whole
// pipeline (the spec is month-precise; days are read and ignored).
//
// A Month value is year * 12 + (month - 1), so consecutive months differ by
// one and comparisons are integer comparisons. kNoMonth marks a missing date.
//
// Example:
//   StatusOr<Month> m = ParseMonth("2019-12-31");   // 2019 * 12 + 11
//   std::string s = FormatMonth(*m);                // "2019-12"
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "common/status.h"

namespace talentflow {

using Month = int32_t;
inline constexpr Month kNoMonth = std::numeric_limits<int32_t>::min();

constexpr Month MakeMonth(int year, int month) { return year * 12 + (month - 1); }
constexpr int YearOf(Month m) { return m >= 0 ? m / 12 : (m - 11) / 12; }
constexpr int MonthOfYear(Month m) { return m - YearOf(m) * 12 + 1; }

// Accepts "YYYY-MM" and "YYYY-MM-DD" (the day must be 01-31 and is ignored).
// Leading and trailing spaces are ignored. The message of an error says what
// was expected, e.g. "month must be 01-12"; the caller adds file and column.
StatusOr<Month> ParseMonth(std::string_view text);

// "YYYY-MM"; "" for kNoMonth.
std::string FormatMonth(Month m);

}  // namespace talentflow
