#include "text/lda.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

#include "text/internal/rng.h"

namespace talentflow::text {
using internal::Rng;

double LdaModel::Phi(int topic, int32_t word) const {
  size_t at = static_cast<size_t>(word) * topics + topic;
  return (topic_word[at] + prior[at]) / (topic_total[topic] + prior_sum[topic]);
}

std::vector<int32_t> LdaModel::TopWords(int topic, int n) const {
  std::vector<int32_t> ids(vocab_size);
  for (int32_t w = 0; w < vocab_size; ++w) ids[w] = w;
  n = std::min(n, vocab_size);
  std::partial_sort(ids.begin(), ids.begin() + n, ids.end(), [&](int32_t a, int32_t b) {
    double pa = Phi(topic, a), pb = Phi(topic, b);
    return pa != pb ? pa > pb : a < b;
  });
  ids.resize(n);
  return ids;
}

int LdaModel::DominantTopic(size_t doc) const {
  int best = -1;
  int32_t best_count = 0;
  for (int k = 0; k < topics; ++k) {
    int32_t c = doc_topic[doc * topics + k];
    if (c > best_count) {
      best = k;
      best_count = c;
    }
  }
  return best;
}

StatusOr<LdaModel> TrainLda(const LdaCorpus& corpus, const LdaOptions& options) {
  const int K = options.topics;
  const int V = static_cast<int>(corpus.vocab.size());
  if (K < 1 || K > 1000) return InvalidArgument(fmt::format("--topics {}: expected 1-1000", K));
  if (options.iterations < 1) return InvalidArgument("LDA iterations must be at least 1");
  if (!(options.alpha > 0) || !(options.beta > 0) || !std::isfinite(options.alpha) ||
      !std::isfinite(options.beta))
    return InvalidArgument("LDA priors must be finite and > 0");
  if (!(options.seed_prior >= 0) || !std::isfinite(options.seed_prior))
    return InvalidArgument("the LDA seed prior must be finite and >= 0");
  if (static_cast<int>(options.seed_words.size()) > K) {
    return InvalidArgument(fmt::format("{} seeded topics but only {} topics (--topics)",
                                       options.seed_words.size(), K));
  }
  const int threads = std::max(1, options.threads);
  const size_t D = corpus.docs.size();

  LdaModel m;
  m.topics = K;
  m.vocab_size = V;
  m.topic_word.assign(static_cast<size_t>(V) * K, 0);
  m.topic_total.assign(K, 0);
  m.doc_topic.assign(D * K, 0);
  m.prior.assign(static_cast<size_t>(V) * K, static_cast<float>(options.beta));
  std::vector<int> seeded_topic(V, -1);
  for (int k = 0; k < static_cast<int>(options.seed_words.size()); ++k) {
    for (int32_t w : options.seed_words[k]) {
      if (w < 0 || w >= V) return Internal("seed word id out of range");
      m.prior[static_cast<size_t>(w) * K + k] += static_cast<float>(options.seed_prior);
      seeded_topic[w] = seeded_topic[w] == -1 ? k : seeded_topic[w];
    }
  }
  m.prior_sum.assign(K, 0.0);
  for (int32_t w = 0; w < V; ++w)
    for (int k = 0; k < K; ++k) m.prior_sum[k] += m.prior[static_cast<size_t>(w) * K + k];

  // Token assignments, flattened.
  std::vector<size_t> offset(D + 1, 0);
  for (size_t d = 0; d < D; ++d) offset[d + 1] = offset[d] + corpus.docs[d].size();
  std::vector<int32_t> z(offset[D]);
  Rng init(options.seed);
  for (size_t d = 0; d < D; ++d) {
    for (size_t i = 0; i < corpus.docs[d].size(); ++i) {
      int32_t w = corpus.docs[d][i];
      if (w < 0 || w >= V) return Internal("word id out of range in LDA corpus");
      int k = seeded_topic[w] >= 0 ? seeded_topic[w] : init.Below(K);
      z[offset[d] + i] = k;
      ++m.topic_word[static_cast<size_t>(w) * K + k];
      ++m.topic_total[k];
      ++m.doc_topic[d * K + k];
    }
  }

  // Shards: contiguous document ranges with about equal token counts.
  std::vector<size_t> shard_begin(threads + 1, D);
  shard_begin[0] = 0;
  for (int s = 1; s < threads; ++s) {
    size_t target = offset[D] * s / threads;
    shard_begin[s] = static_cast<size_t>(std::lower_bound(offset.begin(), offset.end(), target) -
                                         offset.begin());
    shard_begin[s] = std::max(shard_begin[s], shard_begin[s - 1]);
  }

  const double alpha = options.alpha;
  auto sweep = [&](int shard, int iter, std::vector<int32_t>& tw, std::vector<int64_t>& tt) {
    Rng rng(options.seed ^
            (0xA24BAED4963EE407ULL * (static_cast<uint64_t>(iter) * 1024 + shard + 1)));
    std::vector<double> cum(K);
    for (size_t d = shard_begin[shard]; d < shard_begin[shard + 1]; ++d) {
      int32_t* dt = &m.doc_topic[d * K];
      const auto& doc = corpus.docs[d];
      for (size_t i = 0; i < doc.size(); ++i) {
        int32_t w = doc[i];
        int32_t& zi = z[offset[d] + i];
        int32_t* wt = &tw[static_cast<size_t>(w) * K];
        const float* pr = &m.prior[static_cast<size_t>(w) * K];
        --wt[zi];
        --tt[zi];
        --dt[zi];
        double total = 0;
        for (int k = 0; k < K; ++k) {
          // Local copies can go transiently negative across shards; clamp.
          double nwk = std::max(0, wt[k]) + pr[k];
          double nk = static_cast<double>(std::max<int64_t>(0, tt[k])) + m.prior_sum[k];
          total += (dt[k] + alpha) * nwk / nk;
          cum[k] = total;
        }
        double u = rng.Uniform() * total;
        int k = static_cast<int>(std::upper_bound(cum.begin(), cum.end(), u) - cum.begin());
        if (k >= K) k = K - 1;
        zi = k;
        ++wt[k];
        ++tt[k];
        ++dt[k];
      }
    }
  };

  if (threads == 1) {
    for (int iter = 0; iter < options.iterations; ++iter)
      sweep(0, iter, m.topic_word, m.topic_total);
  } else {
    std::vector<std::vector<int32_t>> local_tw(threads);
    std::vector<std::vector<int64_t>> local_tt(threads);
    for (int iter = 0; iter < options.iterations; ++iter) {
      std::vector<std::thread> pool;
      for (int s = 0; s < threads; ++s) {
        local_tw[s] = m.topic_word;
        local_tt[s] = m.topic_total;
        pool.emplace_back([&, s] { sweep(s, iter, local_tw[s], local_tt[s]); });
      }
      for (auto& t : pool) t.join();
      // Merge the shards' changes in shard order (integer sums: exact).
      std::vector<int32_t> merged = m.topic_word;
      std::vector<int64_t> merged_tt = m.topic_total;
      for (int s = 0; s < threads; ++s) {
        for (size_t x = 0; x < merged.size(); ++x) merged[x] += local_tw[s][x] - m.topic_word[x];
        for (int k = 0; k < K; ++k) merged_tt[k] += local_tt[s][k] - m.topic_total[k];
      }
      m.topic_word = std::move(merged);
      m.topic_total = std::move(merged_tt);
    }
  }
  return m;
}

double NpmiCoherence(const std::vector<std::vector<int32_t>>& docs,
                     const std::vector<int32_t>& words) {
  const size_t n = words.size();
  if (n < 2 || docs.empty()) return std::numeric_limits<double>::quiet_NaN();
  // Documents containing each word (sorted, unique).
  std::vector<std::vector<uint32_t>> postings(n);
  for (size_t d = 0; d < docs.size(); ++d) {
    for (size_t i = 0; i < n; ++i) {
      if (std::find(docs[d].begin(), docs[d].end(), words[i]) != docs[d].end())
        postings[i].push_back(static_cast<uint32_t>(d));
    }
  }
  const double total = static_cast<double>(docs.size());
  double sum = 0;
  int pairs = 0;
  for (size_t a = 0; a < n; ++a) {
    for (size_t b = a + 1; b < n; ++b) {
      std::vector<uint32_t> both;
      std::set_intersection(postings[a].begin(), postings[a].end(), postings[b].begin(),
                            postings[b].end(), std::back_inserter(both));
      ++pairs;
      if (both.empty()) {
        sum += -1.0;
        continue;
      }
      double pab = both.size() / total;
      double pa = postings[a].size() / total, pb = postings[b].size() / total;
      double denom = -std::log(pab);
      sum += denom == 0 ? 1.0 : std::log(pab / (pa * pb)) / denom;
    }
  }
  return sum / pairs;
}

}  // namespace talentflow::text
