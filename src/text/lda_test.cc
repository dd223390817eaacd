#include "text/lda.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "text/internal/rng.h"

namespace talentflow::text {
namespace {

// Planted corpus: 4 topics, each a uniform distribution over its own 8
// words (word ids 8k..8k+7); each document draws 80% of its 40 tokens from
// one main topic and 20% from another.
LdaCorpus Planted(int docs, uint64_t seed) {
  internal::Rng rng(seed);
  LdaCorpus c;
  for (int w = 0; w < 32; ++w) c.vocab.push_back(fmt::format("w{}", w));
  for (int d = 0; d < docs; ++d) {
    int main_topic = d % 4;
    int other = (main_topic + 1 + rng.Below(3)) % 4;
    std::vector<int32_t> doc;
    for (int i = 0; i < 40; ++i) {
      int k = rng.Uniform() < 0.8 ? main_topic : other;
      doc.push_back(8 * k + rng.Below(8));
    }
    c.docs.push_back(doc);
  }
  return c;
}

void ExpectRecovered(const LdaModel& m) {
  // Each learned topic's top 8 words are exactly one planted topic's words,
  // and the four learned topics cover the four planted topics.
  std::set<int> matched;
  for (int k = 0; k < 4; ++k) {
    std::set<int> planted;
    for (int32_t w : m.TopWords(k, 8)) planted.insert(w / 8);
    ASSERT_EQ(planted.size(), 1u) << "topic " << k << " mixes planted topics";
    matched.insert(*planted.begin());
  }
  EXPECT_EQ(matched.size(), 4u);
}

TEST(LdaTest, RecoversPlantedTopicsSingleThread) {
  LdaCorpus c = Planted(200, 3);
  auto m = TrainLda(c, {.topics = 4, .iterations = 100, .seed = 5, .threads = 1, .seed_words = {}});
  ASSERT_TRUE(m.ok());
  ExpectRecovered(*m);
}

TEST(LdaTest, RecoversPlantedTopicsTwoThreadsAndIsReproducible) {
  LdaCorpus c = Planted(200, 4);
  LdaOptions o{.topics = 4, .iterations = 100, .seed = 9, .threads = 2, .seed_words = {}};
  auto a = TrainLda(c, o);
  auto b = TrainLda(c, o);
  ASSERT_TRUE(a.ok() && b.ok());
  ExpectRecovered(*a);
  EXPECT_EQ(a->topic_word, b->topic_word);
  EXPECT_EQ(a->doc_topic, b->doc_topic);
}

TEST(LdaTest, SeedWordsPinTopicIdentity) {
  LdaCorpus c = Planted(200, 5);
  // Seed topic 0 with planted topic 2's words, topic 1 with planted topic 0's.
  LdaOptions o{.topics = 4,
               .iterations = 100,
               .seed = 2,
               .threads = 1,
               .seed_words = {{16, 17, 18}, {0, 1, 2}}};
  auto m = TrainLda(c, o);
  ASSERT_TRUE(m.ok());
  for (int32_t w : m->TopWords(0, 8)) EXPECT_EQ(w / 8, 2);
  for (int32_t w : m->TopWords(1, 8)) EXPECT_EQ(w / 8, 0);
}

TEST(LdaTest, NpmiByHand) {
  // 4 docs: {0,1}, {0,1}, {0}, {2}. P(0)=3/4, P(1)=2/4, P(0,1)=2/4.
  std::vector<std::vector<int32_t>> docs = {{0, 1}, {0, 1}, {0}, {2}};
  double pmi = std::log(0.5 / (0.75 * 0.5));
  EXPECT_NEAR(NpmiCoherence(docs, {0, 1}), pmi / -std::log(0.5), 1e-12);
  EXPECT_DOUBLE_EQ(NpmiCoherence(docs, {1, 2}), -1.0);  // never together
  // Three words: mean of the pairs (0,1), (0,2)=-1, (1,2)=-1.
  EXPECT_NEAR(NpmiCoherence(docs, {0, 1, 2}), (pmi / -std::log(0.5) - 2) / 3, 1e-12);
  EXPECT_TRUE(std::isnan(NpmiCoherence(docs, {0})));
}

TEST(LdaTest, RejectsBadOptions) {
  LdaCorpus c = Planted(10, 1);
  EXPECT_FALSE(TrainLda(c, {.topics = 0, .seed_words = {}}).ok());
  LdaOptions o{.topics = 1, .seed_words = {{0}, {1}}};
  EXPECT_FALSE(TrainLda(c, o).ok());
}

}  // namespace
}  // namespace talentflow::text
