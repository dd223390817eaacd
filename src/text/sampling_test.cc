#include "text/sampling.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace talentflow::text {
namespace {

std::vector<Post> MakePosts(int mainland, int hongkong) {
  std::vector<Post> posts;
  for (int i = 0; i < mainland + hongkong; ++i) {
    Post p;
    p.id = "id" + std::to_string(i);
    p.community = i < mainland ? "mainland" : "hongkong";
    p.month = MakeMonth(2023, 1 + i % 2);
    posts.push_back(p);
  }
  return posts;
}

std::vector<std::string> Ids(const std::vector<Post>& posts, const std::vector<size_t>& idx) {
  std::vector<std::string> ids;
  for (size_t i : idx) ids.push_back(posts[i].id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

TEST(SamplingTest, SameSeedSameSampleWhateverTheInputOrder) {
  std::vector<Post> posts = MakePosts(700, 300);
  auto a = SamplePosts(posts, {0.1, 42, {}});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->size(), 100u);
  std::vector<Post> reversed(posts.rbegin(), posts.rend());
  auto b = SamplePosts(reversed, {0.1, 42, {}});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(Ids(posts, *a), Ids(reversed, *b));
  auto c = SamplePosts(posts, {0.1, 43, {}});
  EXPECT_NE(Ids(posts, *a), Ids(posts, *c)) << "another seed draws another sample";
  EXPECT_TRUE(std::is_sorted(a->begin(), a->end()));
}

TEST(SamplingTest, StratifiedSizesAreExactPerStratum) {
  std::vector<Post> posts = MakePosts(705, 295);
  auto s = SamplePosts(posts, {0.1, 1, {"community", "month"}});
  ASSERT_TRUE(s.ok());
  // Strata: mainland 353 (Jan) + 352 (Feb) -> 35 + 35; hongkong 147 + 148 -> 15 + 15.
  int mainland = 0, hongkong = 0;
  for (size_t i : *s) (posts[i].community == "mainland" ? mainland : hongkong)++;
  EXPECT_EQ(mainland, 70);
  EXPECT_EQ(hongkong, 30);
}

TEST(SamplingTest, RejectsBadArguments) {
  std::vector<Post> posts = MakePosts(3, 3);
  EXPECT_FALSE(SamplePosts(posts, {0.0, 1, {}}).ok());
  EXPECT_FALSE(SamplePosts(posts, {1.5, 1, {}}).ok());
  EXPECT_FALSE(SamplePosts(posts, {0.5, 1, {"colour"}}).ok());
  auto all = SamplePosts(posts, {1.0, 1, {}});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 6u);
}

}  // namespace
}  // namespace talentflow::text
