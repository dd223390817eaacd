#include "ingest/internal/numbers.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

namespace talentflow::ingest_internal {
namespace {

// The definition: an optional "+", then std::from_chars over the whole rest.
bool ReferenceInt(std::string_view v, int64_t* out) {
  if (v.empty()) return false;
  const char* b = v.data();
  const char* e = b + v.size();
  if (*b == '+') ++b;
  auto [ptr, ec] = std::from_chars(b, e, *out);
  return ec == std::errc() && ptr == e;
}

bool ReferenceDecimal(std::string_view v, double* out) {
  if (v.empty()) return false;
  const char* b = v.data();
  const char* e = b + v.size();
  if (*b == '+') ++b;
  auto [ptr, ec] = std::from_chars(b, e, *out, std::chars_format::general);
  return ec == std::errc() && ptr == e && std::isfinite(*out);
}

std::string RandomNumber(std::mt19937_64& rng) {
  const char alphabet[] = "0123456789012345678901234567890123456789..--+eE x";
  std::string s;
  size_t len = rng() % 24;
  for (size_t i = 0; i < len; ++i) s += alphabet[rng() % (sizeof(alphabet) - 1)];
  return s;
}

TEST(NumbersTest, DecimalsAreExactlyWhatFromCharsGives) {
  std::mt19937_64 rng(5);
  const char* fixed[] = {"79464",
                         "1.127",
                         "0.1",
                         "-0",
                         "-0.0",
                         "+3.5",
                         "+-3",
                         "5.",
                         ".5",
                         ".",
                         "-",
                         "+",
                         "",
                         "123456789012345",
                         "1234567890123456",
                         "0.000000000000001",
                         "9007199254740993",
                         "1e5",
                         "1..2",
                         "00012.50",
                         "-.5",
                         "1.7976931348623157e308"};
  for (const char* f : fixed) {
    double a = 0, b = 0;
    bool ok_a = ParseDecimal(f, &a), ok_b = ReferenceDecimal(f, &b);
    ASSERT_EQ(ok_a, ok_b) << f;
    if (ok_a) {
      ASSERT_EQ(std::memcmp(&a, &b, sizeof a), 0) << f;
    }
  }
  for (int i = 0; i < 300000; ++i) {
    std::string s = RandomNumber(rng);
    if (i % 2 == 0) {
      // Mostly well-formed: digits, a point, more digits.
      s = std::to_string(rng() % 100000000) + "." + std::to_string(rng() % 1000000000);
      if (rng() % 3 == 0) s = "-" + s;
    }
    double a = 0, b = 0;
    bool ok_a = ParseDecimal(s, &a), ok_b = ReferenceDecimal(s, &b);
    ASSERT_EQ(ok_a, ok_b) << s;
    if (ok_a) {
      ASSERT_EQ(std::memcmp(&a, &b, sizeof a), 0) << s;
    }
  }
}

TEST(NumbersTest, IntegersAreExactlyWhatFromCharsGives) {
  std::mt19937_64 rng(6);
  const char* fixed[] = {"0",
                         "-0",
                         "+7",
                         "+-7",
                         "-",
                         "+",
                         "",
                         "999999999999999999",
                         "9223372036854775807",
                         "9223372036854775808",
                         "-9223372036854775808",
                         "12a",
                         "1.0",
                         " 1"};
  for (const char* f : fixed) {
    int64_t a = 0, b = 0;
    bool ok_a = ParseInt(f, &a), ok_b = ReferenceInt(f, &b);
    ASSERT_EQ(ok_a, ok_b) << f;
    if (ok_a) {
      ASSERT_EQ(a, b) << f;
    }
  }
  for (int i = 0; i < 200000; ++i) {
    std::string s = RandomNumber(rng);
    int64_t a = 0, b = 0;
    bool ok_a = ParseInt(s, &a), ok_b = ReferenceInt(s, &b);
    ASSERT_EQ(ok_a, ok_b) << s;
    if (ok_a) {
      ASSERT_EQ(a, b) << s;
    }
  }
}

}  // namespace
}  // namespace talentflow::ingest_internal
