#include "ingest/string_pool.h"

#include <gtest/gtest.h>

#include <string>

namespace talentflow {
namespace {

TEST(StringPoolTest, EmptyIsIdZeroAndInterningIsStable) {
  StringPool pool;
  EXPECT_EQ(pool.Intern(""), kEmptyStr);
  StrId a = pool.Intern("Hong Kong");
  StrId b = pool.Intern("香港");
  EXPECT_NE(a, b);
  EXPECT_EQ(pool.Intern(std::string("Hong ") + "Kong"), a);
  EXPECT_EQ(pool.Get(b), "香港");
  EXPECT_EQ(pool.Find("nope"), std::nullopt);
  EXPECT_EQ(pool.size(), 3u);
}

TEST(StringPoolTest, ViewsSurviveGrowthAndLargeValues) {
  StringPool pool;
  StrId first = pool.Intern("first");
  std::string big(3 << 20, 'x');
  StrId big_id = pool.Intern(big);
  for (int i = 0; i < 200000; ++i) pool.Intern("value-" + std::to_string(i));
  EXPECT_EQ(pool.Get(first), "first");
  EXPECT_EQ(pool.Get(big_id).size(), big.size());
  EXPECT_EQ(pool.Get(pool.Intern("value-199999")), "value-199999");
}

}  // namespace
}  // namespace talentflow

namespace talentflow {
namespace {

TEST(StringPoolTest, AppendedValuesAreStoredButNotIndexed) {
  StringPool pool;
  StrId a = pool.Intern("a");
  StrId p1 = pool.Append("20000000000000000003");
  StrId p2 = pool.Append("20000000000000000003");
  EXPECT_NE(p1, p2);
  EXPECT_EQ(pool.Get(p1), "20000000000000000003");
  EXPECT_EQ(pool.Get(p2), "20000000000000000003");
  EXPECT_FALSE(pool.Find("20000000000000000003").has_value());
  StrId interned = pool.Intern("20000000000000000003");
  EXPECT_NE(interned, p1);
  EXPECT_NE(interned, p2);
  EXPECT_EQ(pool.Intern("a"), a);
  EXPECT_EQ(pool.Intern("20000000000000000003", StringPool::Hash("20000000000000000003")),
            interned);
  // Many appended values do not grow the index.
  for (int i = 0; i < 100000; ++i) pool.Append(std::to_string(i));
  EXPECT_EQ(pool.Intern("a"), a);
  EXPECT_EQ(pool.size(), 4u + 100000u + 1u);
}

}  // namespace
}  // namespace talentflow
