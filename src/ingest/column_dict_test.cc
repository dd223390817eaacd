#include "ingest/internal/column_dict.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

namespace talentflow::ingest_internal {
namespace {

TEST(ColumnDictTest, EmptyIsZeroAndEqualValuesShareAnId) {
  ColumnDict dict;
  std::string buffer = "Hong Kong,HONG KONG,Hong Kong,香港特別行政區,x";
  const char* end = buffer.data() + buffer.size();
  std::string_view text(buffer);
  EXPECT_EQ(dict.Intern(text.substr(0, 0), end), 0u);
  uint32_t hk = dict.Intern(text.substr(0, 9), end);
  uint32_t upper = dict.Intern(text.substr(10, 9), end);
  EXPECT_NE(hk, upper);
  EXPECT_EQ(dict.Intern(text.substr(20, 9), end), hk);
  EXPECT_EQ(dict.Get(hk), "Hong Kong");
  EXPECT_EQ(dict.Get(upper), "HONG KONG");
  uint32_t zh = dict.Intern(text.substr(30, 21), end);  // 21 bytes: not inline
  EXPECT_EQ(dict.Get(zh), "香港特別行政區");
  // The last value of the buffer: no 16 readable bytes after it.
  uint32_t x = dict.Intern(text.substr(text.size() - 1), end);
  EXPECT_EQ(dict.Get(x), "x");
  EXPECT_EQ(dict.size(), 5u);
  dict.Clear();
  EXPECT_EQ(dict.size(), 1u);
  std::string_view lit("x");
  EXPECT_EQ(dict.Intern(lit, lit.data() + lit.size()), 1u);
  EXPECT_EQ(dict.Get(1), "x");
}

TEST(ColumnDictTest, AgreesWithAMapOnManyValuesOfEveryLength) {
  // Values of 1 to 40 bytes that share prefixes, suffixes and lengths (the
  // cases where the inline words or the padding could be confused), read
  // from one buffer with arbitrary bytes around them.
  std::mt19937 rng(11);
  std::string buffer;
  std::vector<std::pair<size_t, size_t>> spans;
  for (int i = 0; i < 20000; ++i) {
    size_t len = 1 + rng() % 40;
    std::string v(len, 'a');
    for (char& c : v) c = static_cast<char>('a' + rng() % 3);
    if (rng() % 4 == 0) v.back() = '\0';
    spans.emplace_back(buffer.size(), len);
    buffer += v;
    buffer.push_back(static_cast<char>(rng()));
  }
  const char* end = buffer.data() + buffer.size();
  ColumnDict dict;
  std::map<std::string, uint32_t> expected;
  for (int round = 0; round < 2; ++round) {
    for (auto [off, len] : spans) {
      std::string_view v(buffer.data() + off, len);
      uint32_t id = dict.Intern(v, end);
      auto [it, inserted] = expected.emplace(std::string(v), id);
      ASSERT_EQ(it->second, id) << v;
      ASSERT_EQ(dict.Get(id), v);
    }
  }
  EXPECT_EQ(dict.size(), expected.size() + 1);
}

}  // namespace
}  // namespace talentflow::ingest_internal
