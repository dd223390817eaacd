#include "ingest/internal/keys.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>

namespace talentflow::ingest_internal {
namespace {

TEST(KeyBytesTest, AppendKeepsValuesAndHashes) {
  KeyBytes a, b;
  a.Add("200", HashKey("200"));
  a.Add("", HashKey(""));
  b.Add("1000", HashKey("1000"));
  b.Add("香港", HashKey("香港"));
  a.Append(b);
  ASSERT_EQ(a.size(), 4u);
  EXPECT_EQ(a.Get(0), "200");
  EXPECT_EQ(a.Get(1), "");
  EXPECT_EQ(a.Get(2), "1000");
  EXPECT_EQ(a.Get(3), "香港");
  EXPECT_EQ(a.hash(3), HashKey("香港") >> 32);  // the hash's top 32 bits
  EXPECT_EQ(a.byte_size(), 3u + 4u + 6u);
}

TEST(SortByHashTest, OrdersByHashThenRowForAnyThreadCount) {
  // Few distinct values, so equal hashes form long runs that must stay in
  // row order; enough rows to use several buckets and threads.
  std::mt19937_64 rng(7);
  std::vector<uint32_t> hash(200000);
  for (uint32_t& h : hash) h = HashTag(HashKey(std::to_string(rng() % 5000)));
  std::vector<HashRow> one = SortByHash(hash, 1);
  std::vector<HashRow> two = SortByHash(hash, 2);
  ASSERT_EQ(one.size(), hash.size());
  for (size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].word, two[i].word);
    EXPECT_EQ(one[i].hash(), hash[one[i].row()]);
    if (i > 0) {
      ASSERT_TRUE(one[i - 1].hash() < one[i].hash() ||
                  (one[i - 1].hash() == one[i].hash() && one[i - 1].row() < one[i].row()));
    }
  }
  std::vector<uint32_t> rows;
  for (const HashRow& hr : one) rows.push_back(hr.row());
  std::sort(rows.begin(), rows.end());
  for (size_t i = 0; i < rows.size(); ++i) ASSERT_EQ(rows[i], i);  // a permutation
  EXPECT_TRUE(SortByHash({}, 2).empty());
}

// Equal hashes form one run, in row order, at any bit pattern.
TEST(SortByHashTest, EqualHashesFormOneRunInRowOrder) {
  const std::vector<uint32_t> hash = {2, 1, 2, 1, 0xFFFFFFFF};
  const std::vector<uint32_t> want_rows = {1, 3, 0, 2, 4};
  const std::vector<uint32_t> want_hash = {1, 1, 2, 2, 0xFFFFFFFF};
  for (int threads : {1, 2}) {
    std::vector<HashRow> got = SortByHash(hash, threads);
    ASSERT_EQ(got.size(), hash.size());
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].row(), want_rows[i]) << i;
      EXPECT_EQ(got[i].hash(), want_hash[i]) << i;
    }
  }
}

// An empty table (every row quarantined) has no rows to sort; found by the
// ingest fuzzer, where UBSan saw pointer arithmetic on the empty vector's
// null data.
TEST(SortByHashTest, NoRowsAndOneRow) {
  for (int threads : {1, 2}) {
    EXPECT_TRUE(SortByHash({}, threads).empty());
    std::vector<HashRow> one = SortByHash({42}, threads);
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(one[0].hash(), 42u);
    EXPECT_EQ(one[0].row(), 0u);
  }
}

TEST(KeyIndexTest, FindsEveryKeyAndNothingElse) {
  std::vector<std::string> keys;
  for (int i = 0; i < 50000; ++i) keys.push_back("user-" + std::to_string(i * 7));
  keys.push_back("");
  keys.push_back("123456789012345678901234567890");  // beyond 64 bits
  std::vector<std::string_view> views(keys.begin(), keys.end());
  std::vector<uint32_t> values;
  for (size_t i = 0; i < keys.size(); ++i) values.push_back(static_cast<uint32_t>(i * 3 + 1));
  std::vector<uint32_t> hashes;
  for (std::string_view k : views) hashes.push_back(HashTag(HashKey(k)));
  for (bool hashes_given : {false, true}) {
    KeyIndex index;
    index.Build(views, values, hashes_given ? &hashes : nullptr);
    EXPECT_EQ(index.size(), keys.size());
    for (size_t i = 0; i < keys.size(); ++i) {
      KeyIndex::Hit hit = index.Find(keys[i]);
      EXPECT_EQ(hit.entry, i) << keys[i];
      EXPECT_EQ(hit.value, i * 3 + 1) << keys[i];
    }
    EXPECT_EQ(index.Find("user-1").entry, KeyIndex::kNotFound);
    EXPECT_EQ(index.Find("user-1").value, KeyIndex::kNotFound);
    EXPECT_EQ(index.Find("user-7 ").entry, KeyIndex::kNotFound);
    EXPECT_EQ(index.Find("12345678901234567890123456789").entry, KeyIndex::kNotFound);
  }
  KeyIndex empty;
  EXPECT_EQ(empty.Find("x").entry, KeyIndex::kNotFound);
}

// The table's slots and tags are the hashes' top 32 bits: keys that share
// them are still told apart by their bytes.
TEST(KeyIndexTest, KeysWhoseHashTagsCollideAreBothFound) {
  std::map<uint32_t, std::string> seen;
  std::string a, b;
  for (int i = 0; a.empty(); ++i) {
    std::string key = "k" + std::to_string(i);
    auto [it, fresh] = seen.emplace(HashTag(HashKey(key)), key);
    if (!fresh) {
      a = it->second;
      b = key;
    }
  }
  ASSERT_NE(HashKey(a), HashKey(b));
  std::vector<std::string_view> keys = {a, "other", b};
  KeyIndex index;
  index.Build(keys, {10, 11, 12});
  EXPECT_EQ(index.Find(a).value, 10u);
  EXPECT_EQ(index.Find(b).value, 12u);
  EXPECT_EQ(index.Find(b).entry, 2u);
  EXPECT_EQ(index.Find(b + "x").entry, KeyIndex::kNotFound);
}

TEST(KeyIndexTest, GuessAfterAnEntryIsCheckedNotTrusted) {
  std::vector<std::string_view> keys = {"u3", "u1", "u2"};
  KeyIndex index;
  index.Build(keys, {2, 0, 1});
  // The entry after "u3" is "u1": found through the guess.
  EXPECT_EQ(index.Find("u1", 0).value, 0u);
  // A wrong guess falls back to the table.
  EXPECT_EQ(index.Find("u3", 0).value, 2u);
  EXPECT_EQ(index.Find("u2", 0).value, 1u);
  // Past the last entry, and an unknown key after a guess.
  EXPECT_EQ(index.Find("u3", 2).value, 2u);
  EXPECT_EQ(index.Find("u9", 1).entry, KeyIndex::kNotFound);
}

// After a hit, the same entry and the few after it are tried before the
// table (a user's rows repeat it; users without rows are skipped): every
// guess, near or far, before or after the key, gives the key's own entry.
TEST(KeyIndexTest, GuessesNearOrFarGiveTheSameEntry) {
  std::vector<std::string> names;
  for (int i = 0; i < 40; ++i) names.push_back("user-" + std::to_string(i * 7));
  std::vector<std::string_view> keys(names.begin(), names.end());
  std::vector<uint32_t> values;
  for (uint32_t i = 0; i < 40; ++i) values.push_back(1000 + i);
  KeyIndex index;
  index.Build(keys, values);
  for (uint32_t key = 0; key < 40; ++key) {
    for (uint32_t after = 0; after < 40; ++after) {
      KeyIndex::Hit hit = index.Find(keys[key], after);
      EXPECT_EQ(hit.entry, key) << key << " after " << after;
      EXPECT_EQ(hit.value, 1000 + key) << key << " after " << after;
    }
    EXPECT_EQ(index.Find("user-1", key).entry, KeyIndex::kNotFound);
  }
}

}  // namespace
}  // namespace talentflow::ingest_internal

namespace talentflow::ingest_internal {
namespace {

TEST(SameBytesTest, AgreesWithStringEqualityAtEveryLength) {
  std::mt19937 rng(3);
  for (int i = 0; i < 200000; ++i) {
    size_t n = rng() % 40;
    std::string a(n, 'x');
    for (char& c : a) c = static_cast<char>('0' + rng() % 3);
    std::string b = a;
    if (rng() % 2 == 0 && n > 0) b[rng() % n] ^= 1;  // one byte differs
    if (rng() % 8 == 0) b.push_back('0');            // lengths differ
    ASSERT_EQ(SameBytes(a, b), a == b) << a << " / " << b;
  }
}

}  // namespace
}  // namespace talentflow::ingest_internal
