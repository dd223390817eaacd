// Fuzz target for ParseMonth (month.h), the date reader of every dataset
// date column. Checks the parser against the grammar its header promises
// (after trimming: YYYY-MM or YYYY-MM-DD, month 01-12, day 01-31), that an
// error always carries a message, and that FormatMonth of a parsed month
// parses back to the same month. A difference traps.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/month.h"

namespace {

bool Digits(std::string_view text, size_t pos, size_t count, int* value) {
  *value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    *value = *value * 10 + (text[i] - '0');
  }
  return true;
}

// The grammar written out plainly, independently of month.cc.
bool Accepts(std::string_view text, talentflow::Month* month) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  if (text.size() != 7 && text.size() != 10) return false;
  int year, mon, day;
  if (!Digits(text, 0, 4, &year) || text[4] != '-' || !Digits(text, 5, 2, &mon)) return false;
  if (mon < 1 || mon > 12) return false;
  if (text.size() == 10 && (text[7] != '-' || !Digits(text, 8, 2, &day) || day < 1 || day > 31))
    return false;
  *month = talentflow::MakeMonth(year, mon);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace talentflow;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  StatusOr<Month> parsed = ParseMonth(text);
  Month expected = kNoMonth;
  const bool accepts = Accepts(text, &expected);
  if (parsed.ok() != accepts) __builtin_trap();
  if (!parsed.ok()) {
    if (parsed.status().message().empty()) __builtin_trap();
    return 0;
  }
  if (*parsed != expected) __builtin_trap();
  StatusOr<Month> again = ParseMonth(FormatMonth(*parsed));
  if (!again.ok() || *again != *parsed) __builtin_trap();
  return 0;
}
