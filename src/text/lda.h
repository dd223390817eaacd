// Latent Dirichlet allocation by collapsed Gibbs sampling, with seed words
// per topic as informative priors, multi-threaded.
//
// Threads follow approximate distributed LDA (Newman et al. 2009): the
// documents are split into `threads` fixed shards; in each sweep every shard
// samples its documents against its own copy of the topic-word counts and
// the copies are merged after the sweep. With threads = 1 this is the exact
// collapsed Gibbs sampler. Each shard draws from its own random stream
// derived from (seed, shard, sweep), so a run is reproducible for a given
// seed and thread count, whatever the machine (the thread count is part of
// the parameters and is recorded in the results).
//
// Seed words: for topic k with seed word w, the Dirichlet prior on the
// topic's word distribution is beta + seed_prior at w (beta elsewhere), and
// w's tokens start in topic k, so seeded topics keep their meaning.
//
// Example:
//   LdaCorpus corpus{vocab, docs};
//   TF_ASSIGN_OR_RETURN(LdaModel m, TrainLda(corpus, LdaOptions{.topics = 8}));
//   auto top = m.TopWords(0, 10);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace talentflow::text {

struct LdaCorpus {
  std::vector<std::string> vocab;          // word id -> word
  std::vector<std::vector<int32_t>> docs;  // word ids of each document
};

struct LdaOptions {
  int topics = 10;
  double alpha = 0.1;       // symmetric document-topic prior
  double beta = 0.01;       // symmetric topic-word prior
  double seed_prior = 2.0;  // extra prior mass on a topic's seed words
  int iterations = 200;
  uint64_t seed = 1;
  int threads = 2;
  // seed_words[k]: word ids seeding topic k (k < topics; may be shorter).
  std::vector<std::vector<int32_t>> seed_words;
};

struct LdaModel {
  int topics = 0;
  int vocab_size = 0;
  std::vector<int32_t> topic_word;   // [word * topics + topic] counts
  std::vector<int64_t> topic_total;  // tokens per topic
  std::vector<int32_t> doc_topic;    // [doc * topics + topic] counts
  std::vector<float> prior;          // [word * topics + topic] Dirichlet prior
  std::vector<double> prior_sum;     // per topic

  // p(word | topic).
  double Phi(int topic, int32_t word) const;
  // The n most probable word ids of a topic, ties by word id.
  std::vector<int32_t> TopWords(int topic, int n) const;
  // The topic with most tokens in the document (ties: lowest topic); -1 for
  // an empty document.
  int DominantTopic(size_t doc) const;
};

StatusOr<LdaModel> TrainLda(const LdaCorpus& corpus, const LdaOptions& options);

// Normalised pointwise mutual information of a word list over document
// co-occurrence in `docs`, averaged over pairs (Bouma 2009; Röder et al.
// 2015's C_NPMI with boolean-document windows). A pair that never co-occurs
// scores -1. Range [-1, 1]; NaN for fewer than two words.
double NpmiCoherence(const std::vector<std::vector<int32_t>>& docs,
                     const std::vector<int32_t>& words);

}  // namespace talentflow::text
