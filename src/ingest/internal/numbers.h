// Numbers in ingest: integers (numconnections, birth_year, seniority,
// education_number) and decimals (salary, weight), as the input format
// defines them (docs/input-format.md: an optional leading "+", then what
// std::from_chars accepts, the whole value, finite).
//
// The common plain forms are read directly and everything else (exponents,
// many digits, unusual signs) goes to std::from_chars, which decides; the
// result is always exactly what std::from_chars gives (tested against it).
#pragma once

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
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

// Eight ASCII digits in a word, the first in the lowest byte, as their
// value: pairs of digits, then pairs of pairs, by multiplies. REQUIRES:
// every byte a digit.
inline uint32_t EightDigits(uint64_t w) {
  w -= 0x3030303030303030ULL;
  w = w * 10 + (w >> 8);  // byte 2i: 10 * digit 2i + digit 2i+1 (at most 99)
  const uint64_t kPairs = 0x000000FF000000FFULL;  // bytes 0 and 4
  w = ((w & kPairs) * (100 + (uint64_t{1000000} << 32)) +
       ((w >> 16) & kPairs) * (1 + (uint64_t{10000} << 32))) >>
      32;
  return static_cast<uint32_t>(w);
}

// Whether every byte of w is an ASCII digit.
inline bool AllDigits(uint64_t w) {
  return (((w + 0x4646464646464646ULL) | (w - 0x3030303030303030ULL)) & 0x8080808080808080ULL) == 0;
}

// digits[.digits] of 1 to 8 bytes without a branch on its length or the
// point's place (salaries and weights alternate between forms, so such
// branches are mispredicted): the bytes are loaded as one word, moved to its
// top with '0's below, the point taken out by moving the bytes before it up
// one, and the eight digits read at once. The value is m / 10^k as in
// ParsePlainDecimal, so the same double. False (nothing written) for
// anything else, which ParsePlainDecimal then decides. REQUIRES: 1 <= n <= 8
// and 8 bytes readable at b.
inline bool ParseShortDecimal(const char* b, size_t n, double* out) {
  static constexpr double kPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7};
  uint64_t w;
  std::memcpy(&w, b, 8);
  if constexpr (std::endian::native != std::endian::little) w = __builtin_bswap64(w);
  const unsigned pad = 8 * static_cast<unsigned>(8 - n);  // bits below the value
  w = (w << pad) | (0x3030303030303030ULL & ((uint64_t{1} << pad) - 1));
  const uint64_t x = w ^ 0x2E2E2E2E2E2E2E2EULL;  // a zero byte where a '.' was
  // The lowest zero byte's top bit (higher ones may be wrong, and are not used).
  const uint64_t point = (x - 0x0101010101010101ULL) & ~x & 0x8080808080808080ULL;
  const bool has_point = point != 0;
  const unsigned at = has_point ? static_cast<unsigned>(__builtin_ctzll(point)) >> 3 : 0;
  const uint64_t before = has_point ? (uint64_t{1} << (8 * at)) - 1 : 0;
  const uint64_t through = has_point ? before | (uint64_t{0xFF} << (8 * at)) : 0;
  w = (w & ~through) | ((w & before) << 8) | (has_point ? 0x30 : 0);
  if (n - has_point == 0 || !AllDigits(w)) return false;
  const unsigned fraction = has_point ? 7 - at : 0;
  *out = static_cast<double>(EightDigits(w)) / kPow10[fraction];
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

// The same, where the memory up to `readable_end` after the value may be
// read: short values take ParseShortDecimal.
inline bool ParseDecimal(std::string_view v, const char* readable_end, double* out) {
  if (v.empty()) return false;
  const char* b = v.data() + (v.front() == '+');
  const size_t n = static_cast<size_t>(v.data() + v.size() - b);
  if (n >= 1 && n <= 8 && readable_end - b >= 8 && ParseShortDecimal(b, n, out)) return true;
  return ParseDecimal(v, out);
}

}  // namespace talentflow::ingest_internal
