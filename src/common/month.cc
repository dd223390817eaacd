#include "common/month.h"

#include <fmt/format.h>

namespace talentflow {
namespace {

bool ParseDigits(std::string_view text, size_t pos, size_t count, int* out) {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *out = value;
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

StatusOr<Month> ParseMonth(std::string_view raw) {
  std::string_view text = Trim(raw);
  int year = 0;
  int month = 0;
  if (!ParseDigits(text, 0, 4, &year) || text.size() < 7 || text[4] != '-' ||
      !ParseDigits(text, 5, 2, &month)) {
    return DataError(fmt::format("\"{}\": expected a date YYYY-MM or YYYY-MM-DD", raw));
  }
  if (month < 1 || month > 12) {
    return DataError(fmt::format("\"{}\": month must be 01-12", raw));
  }
  if (text.size() == 7) return MakeMonth(year, month);
  int day = 0;
  if (text.size() != 10 || text[7] != '-' || !ParseDigits(text, 8, 2, &day)) {
    return DataError(fmt::format("\"{}\": expected a date YYYY-MM or YYYY-MM-DD", raw));
  }
  if (day < 1 || day > 31) {
    return DataError(fmt::format("\"{}\": day must be 01-31", raw));
  }
  return MakeMonth(year, month);
}

std::string FormatMonth(Month m) {
  if (m == kNoMonth) return "";
  return fmt::format("{:04d}-{:02d}", YearOf(m), MonthOfYear(m));
}

}  // namespace talentflow
