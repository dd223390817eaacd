#include "rules/date.h"

#include <fmt/format.h>

#include <chrono>

namespace talentflow::rules {
namespace {

namespace chr = std::chrono;

chr::year_month_day ToYmd(Date date) {
  return chr::year_month_day{chr::sys_days{chr::days{date.days}}};
}

bool AllDigits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return !text.empty();
}

int ToInt(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

}  // namespace

bool IsValidDay(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1) return false;
  return chr::year_month_day{chr::year{year}, chr::month{static_cast<unsigned>(month)},
                             chr::day{static_cast<unsigned>(day)}}
      .ok();
}

Date MakeDate(int year, int month, int day) {
  chr::sys_days days{chr::year{year} / chr::month{static_cast<unsigned>(month)} /
                     chr::day{static_cast<unsigned>(day)}};
  return Date{static_cast<int>(days.time_since_epoch().count())};
}

StatusOr<Date> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !AllDigits(text.substr(0, 4)) ||
      !AllDigits(text.substr(5, 2)) || !AllDigits(text.substr(8, 2))) {
    return DataError(fmt::format("\"{}\": expected a date YYYY-MM-DD", text));
  }
  int year = ToInt(text.substr(0, 4));
  int month = ToInt(text.substr(5, 2));
  int day = ToInt(text.substr(8, 2));
  if (month < 1 || month > 12) {
    return DataError(fmt::format("\"{}\": month must be 01-12", text));
  }
  if (!IsValidDay(year, month, day)) {
    return DataError(
        fmt::format("\"{}\": day {:02d} does not exist in {:04d}-{:02d}", text, day, year, month));
  }
  return MakeDate(year, month, day);
}

std::string FormatDate(Date date) {
  auto ymd = ToYmd(date);
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

int YearOf(Date date) { return static_cast<int>(ToYmd(date).year()); }
int MonthOf(Date date) { return static_cast<int>(static_cast<unsigned>(ToYmd(date).month())); }
int DayOf(Date date) { return static_cast<int>(static_cast<unsigned>(ToYmd(date).day())); }

Month MonthContaining(Date date) { return MakeMonth(YearOf(date), MonthOf(date)); }

int CompletedYears(Date birth, Date on) {
  int years = YearOf(on) - YearOf(birth);
  if (MonthOf(on) < MonthOf(birth) || (MonthOf(on) == MonthOf(birth) && DayOf(on) < DayOf(birth))) {
    --years;
  }
  return years;
}

Date AddYears(Date date, int years) {
  int year = YearOf(date) + years;
  int month = MonthOf(date);
  int day = DayOf(date);
  if (!IsValidDay(year, month, day)) day = 28;
  return MakeDate(year, month, day);
}

}  // namespace talentflow::rules
