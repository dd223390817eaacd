// Numbers in ingest: integers (numconnections, birth_year, seniority,
// education_number) and decimals (salary, weight), as the input format
// defines them (docs/input-format.md: an optional leading "+", then what
// std::from_chars accepts, the whole value, finite).
//
// The common plain forms are read directly and everything else (exponents,
// many digits, unusual signs) goes to std::from_chars, which decides; the
// result is always exactly what std::from_chars gives (tested against it).
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>

namespace talentflow::ingest_internal {

// Up to 18 digits after an optional sign: no overflow possible.
inline bool ParsePlainInt(const char* b, const char* e, int64_t* out) {
  bool negative = false;
  if (b < e && *b == '-') {
    negative = true;
    ++b;
  }
  if (b == e || e - b > 18) return false;
  int64_t n = 0;
  for (; b < e; ++b) {
    unsigned d = static_cast<unsigned>(*b - '0');
    if (d > 9) return false;
    n = n * 10 + d;
  }
  *out = negative ? -n : n;
  return true;
}

inline bool ParseInt(std::string_view v, int64_t* out) {
  if (v.empty()) return false;
  const char* b = v.data();
  const char* e = v.data() + v.size();
  if (*b == '+') ++b;
  if (ParsePlainInt(b, e, out)) return true;
  auto [ptr, ec] = std::from_chars(b, e, *out);
  return ec == std::errc() && ptr == e;
}

// [-]digits[.digits] with at most 15 digits: the digits form an integer m
// below 2^53 and the value is m / 10^k with 10^k exact, so one correctly
// rounded division gives the correctly rounded value (Clinger's fast path),
// the same double from_chars returns. Two tight digit loops, one each side
// of the point, instead of one loop that tests for the point at every byte:
// half the instructions on salaries and weights. m may wrap on a long run of
// digits; such values are then rejected by the digit count.
inline bool ParsePlainDecimal(const char* b, const char* e, double* out) {
  static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  const bool negative = b < e && *b == '-';
  b += negative;
  uint64_t m = 0;
  const char* p = b;
  for (unsigned d; p < e && (d = static_cast<unsigned char>(*p) - unsigned{'0'}) <= 9; ++p)
    m = m * 10 + d;
  size_t digits = static_cast<size_t>(p - b);
  size_t fraction = 0;
  if (p < e) {
    if (*p != '.') return false;
    const char* f = ++p;
    for (unsigned d; p < e && (d = static_cast<unsigned char>(*p) - unsigned{'0'}) <= 9; ++p)
      m = m * 10 + d;
    if (p != e) return false;
    fraction = static_cast<size_t>(p - f);
    digits += fraction;
  }
  if (digits == 0 || digits > 15) return false;
  double value = static_cast<double>(m);
  if (fraction > 0) value /= kPow10[fraction];
  *out = negative ? -value : value;
  return true;
}

inline bool ParseDecimal(std::string_view v, double* out) {
  if (v.empty()) return false;
  const char* b = v.data();
  const char* e = v.data() + v.size();
  if (*b == '+') ++b;
  if (ParsePlainDecimal(b, e, out)) return true;
  auto [ptr, ec] = std::from_chars(b, e, *out, std::chars_format::general);
  return ec == std::errc() && ptr == e && std::isfinite(*out);
}

}  // namespace talentflow::ingest_internal
