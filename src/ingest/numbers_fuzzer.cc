// Differential fuzz target for the ingest number readers
// (internal/numbers.h). Their header promises that ParseInt and ParseDecimal
// accept exactly an optional leading "+" followed by what std::from_chars
// accepts (the whole value; for decimals, a finite one) and give the very
// same value, bit for bit; the hand-written fast paths for plain forms must
// not change that. Checked against std::from_chars itself; a difference traps.
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "ingest/internal/numbers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace talentflow::ingest_internal;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string_view body = text;
  if (!body.empty() && body.front() == '+') body.remove_prefix(1);
  const char* b = body.data();
  const char* e = body.data() + body.size();

  int64_t got_int = 0, want_int = 0;
  const bool int_ok = ParseInt(text, &got_int);
  auto int_result = std::from_chars(b, e, want_int);
  const bool want_int_ok = !text.empty() && int_result.ec == std::errc() && int_result.ptr == e;
  if (int_ok != want_int_ok || (int_ok && got_int != want_int)) __builtin_trap();

  double got = 0, want = 0;
  const bool dec_ok = ParseDecimal(text, &got);
  auto dec_result = std::from_chars(b, e, want, std::chars_format::general);
  const bool want_dec_ok =
      !text.empty() && dec_result.ec == std::errc() && dec_result.ptr == e && std::isfinite(want);
  if (dec_ok != want_dec_ok) __builtin_trap();
  if (dec_ok && std::memcmp(&got, &want, sizeof got) != 0) __builtin_trap();
  return 0;
}
