// Fuzz target for ParseDate (date.h), the reader of every date in scheme,
// list and person files. Checks it against the strict grammar its header
// states (YYYY-MM-DD, month 01-12, a day that exists in that month), that
// FormatDate gives the text back exactly, and that the calendar helpers agree
// with the parsed parts (YearOf, MonthOf, DayOf, MonthContaining, AddYears,
// CompletedYears). A difference traps.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "rules/date.h"

namespace {

bool Digits(std::string_view text, size_t pos, size_t count, int* value) {
  *value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    *value = *value * 10 + (text[i] - '0');
  }
  return true;
}

bool Leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysIn(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && Leap(year) ? 29 : kDays[month - 1];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace talentflow::rules;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  int year = 0, month = 0, day = 0;
  const bool accepts = text.size() == 10 && Digits(text, 0, 4, &year) && text[4] == '-' &&
                       Digits(text, 5, 2, &month) && text[7] == '-' && Digits(text, 8, 2, &day) &&
                       month >= 1 && month <= 12 && day >= 1 && day <= DaysIn(year, month);
  talentflow::StatusOr<Date> date = ParseDate(text);
  if (date.ok() != accepts) __builtin_trap();
  if (!date.ok()) {
    if (date.status().message().empty()) __builtin_trap();
    return 0;
  }
  if (IsValidDay(year, month, day) != true) __builtin_trap();
  if (MakeDate(year, month, day) != *date) __builtin_trap();
  if (FormatDate(*date) != text) __builtin_trap();
  if (YearOf(*date) != year || MonthOf(*date) != month || DayOf(*date) != day) __builtin_trap();
  if (MonthContaining(*date) != talentflow::MakeMonth(year, month)) __builtin_trap();
  for (int years : {-1, 1, 18}) {
    const Date later = AddYears(*date, years);
    const int expected_day = month == 2 && day == 29 && !Leap(year + years) ? 28 : day;
    if (YearOf(later) != year + years || MonthOf(later) != month || DayOf(later) != expected_day)
      __builtin_trap();
    if (years > 0 && CompletedYears(*date, later) != years - (expected_day < day ? 1 : 0))
      __builtin_trap();
  }
  return 0;
}
