// Date: a calendar day as a day number, the time unit of scheme rules.
//
// Policies take effect on a given day (QMAS changed on 1 Nov 2024), so the
// scheme engine is day-precise, unlike the month-precise flow pipeline.
// A Date is the number of days since 1970-01-01 (proleptic Gregorian), so
// comparisons and differences are integer operations. Plain value; thread-safe.
//
// Example:
//   StatusOr<Date> d = ParseDate("2024-11-01");
//   std::string s = FormatDate(*d);  // "2024-11-01"
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include "common/month.h"
#include "common/status.h"

namespace talentflow::rules {

struct Date {
  int days = 0;  // days since 1970-01-01
  auto operator<=>(const Date&) const = default;
};

// Builds a date. REQUIRES: a valid calendar day (see IsValidDay).
Date MakeDate(int year, int month, int day);
bool IsValidDay(int year, int month, int day);

// Strict "YYYY-MM-DD": four-digit year, two-digit month 01-12, two-digit
// day valid for that month (29 Feb only in leap years). The error message
// says what was wrong, e.g. "day 31 does not exist in 2024-04"; the caller
// adds the file and key.
StatusOr<Date> ParseDate(std::string_view text);

std::string FormatDate(Date date);

int YearOf(Date date);
int MonthOf(Date date);  // 1-12
int DayOf(Date date);    // 1-31

// The pipeline's Month (year * 12 + month - 1) that contains `date`.
Month MonthContaining(Date date);

// Completed years of age on `on` for someone born on `birth` (a person born
// on 29 Feb turns a year older on 1 Mar in non-leap years).
int CompletedYears(Date birth, Date on);

// The same day `years` years later (or earlier if negative); 29 Feb maps to
// 28 Feb in non-leap years.
Date AddYears(Date date, int years);

}  // namespace talentflow::rules
