// RunAnalyze (see opinion.h): the bulletin's pipeline end to end.
#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "io/csv_reader.h"
#include "io/file_util.h"
#include "text/chinese_converter.h"
#include "text/lda.h"
#include "text/opinion.h"
#include "text/sampling.h"
#include "text/tables.h"

namespace talentflow::text {
namespace {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

struct SeedTopic {
  std::string name, label_en, label_zh;
  std::vector<std::string> words;  // unified by OpenCC, lower-cased
};

struct ViewpointDef {
  std::string name, label_en, label_zh;
  std::vector<std::string> phrases;  // unified by OpenCC, lower-cased
};

std::string LowerAscii(std::string s) {
  for (char& c : s) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return s;
}

std::string Fixed(double v, int digits = 4) { return fmt::format("{:.{}f}", v, digits); }

// Reads [[<array>]] tables with name, label_en, label_zh and a string list.
StatusOr<std::vector<SeedTopic>> ReadNamedLists(const std::string& path, const char* array,
                                                const char* list_key,
                                                const ChineseConverter& conv) {
  toml::table doc;
  try {
    doc = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return DataError(fmt::format("{} line {}: {}", path, e.source().begin.line, e.description()));
  }
  const toml::array* items = doc[array].as_array();
  if (items == nullptr || items->empty())
    return DataError(fmt::format("{}: expected one or more [[{}]] tables", path, array));
  std::vector<SeedTopic> out;
  std::set<std::string> names;
  for (size_t i = 0; i < items->size(); ++i) {
    const toml::table* t = items->get(i)->as_table();
    std::string where = fmt::format("{}: [[{}]] #{}", path, array, i + 1);
    if (t == nullptr) return DataError(where + ": not a table");
    SeedTopic s;
    s.name = (*t)["name"].value_or(std::string());
    if (s.name.empty()) return DataError(where + ": \"name\" is required");
    if (!names.insert(s.name).second) return DataError(where + ": duplicate name " + s.name);
    s.label_en = (*t)["label_en"].value_or(s.name);
    s.label_zh = (*t)["label_zh"].value_or(s.label_en);
    if (const toml::array* words = (*t)[list_key].as_array()) {
      for (const auto& w : *words) {
        auto v = w.value<std::string>();
        if (!v) return DataError(fmt::format("{}: \"{}\" must hold strings", where, list_key));
        std::string unified = LowerAscii(conv.Convert(*v));
        if (!unified.empty()) s.words.push_back(unified);
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

// Disclosure control on counts of posts: primary suppression only (see
// docs/opinion.md; the flow tables use stats/disclosure.h).
class PostCountSuppression {
 public:
  explicit PostCountSuppression(int64_t k) : k_(k) {}
  bool Hidden(int64_t n) const { return k_ > 0 && n < k_; }
  Cell Count(int64_t n, const std::string& table, const std::string& row, const std::string& col) {
    if (!Hidden(n)) return std::to_string(n);
    suppressed_.push_back({{"table", table}, {"row", row}, {"column", col}});
    return std::nullopt;
  }
  // A share num/den: suppressed when either count is.
  Cell Share(int64_t num, int64_t den, const std::string& table, const std::string& row,
             const std::string& col) {
    if (Hidden(num) || Hidden(den) || den == 0) {
      suppressed_.push_back({{"table", table}, {"row", row}, {"column", col}});
      return std::nullopt;
    }
    return Fixed(static_cast<double>(num) / den);
  }
  ojson& list() { return suppressed_; }

 private:
  int64_t k_;
  ojson suppressed_ = ojson::array();
};

std::string InputJson(const std::string& path) {
  ojson j;
  j["path"] = path;
  std::error_code ec;
  j["bytes"] = static_cast<int64_t>(fs::file_size(path, ec));
  auto sha = Sha256File(path);
  j["sha256"] = sha.ok() ? *sha : "";
  return j.dump();
}

}  // namespace

Status RunAnalyze(const AnalyzeOptions& o) {
  if (o.out_dir.empty()) return InvalidArgument("--out is required");
  if (o.k < 0) return InvalidArgument(fmt::format("--k {}: must be 0 (off) or more", o.k));
  if (o.threads < 1 || o.threads > 64) return InvalidArgument("--threads: expected 1-64");
  if (o.train_pool < 2) return InvalidArgument("--train-pool: expected 2 or more");
  if (o.top_words < 2 || o.top_words > 100) return InvalidArgument("--top-words: expected 2-100");
  if (o.topics < 1 || o.topics > 1000)
    return InvalidArgument(fmt::format("--topics {}: expected 1-1000", o.topics));
  if (!(o.alpha > 0) || !std::isfinite(o.alpha))
    return InvalidArgument(fmt::format("--alpha {}: expected a finite number > 0", o.alpha));
  if (!(o.seed_prior >= 0) || !std::isfinite(o.seed_prior))
    return InvalidArgument(
        fmt::format("--seed-prior {}: expected a finite number >= 0", o.seed_prior));
  // (A NaN share reached a cast to an integer, undefined behaviour.)
  if (!(o.max_doc_share > 0 && o.max_doc_share <= 1))
    return InvalidArgument(
        fmt::format("--max-doc-share {}: expected a share in (0, 1]", o.max_doc_share));
  if (o.min_doc_freq < 1)
    return InvalidArgument(fmt::format("min_doc_freq {}: expected 1 or more", o.min_doc_freq));
  if (!o.model_path.empty() && !o.viewpoints_path.empty())
    return InvalidArgument("give either --model or --viewpoints, not both");
  if (o.label_field != "viewpoint" && o.label_field != "stance")
    return InvalidArgument("--label-field: expected viewpoint or stance");

  // 1. Posts and the sample.
  TF_ASSIGN_OR_RETURN(PostSet set, ReadPosts(o.posts_path, PostFields::ForAnalysis()));
  const fs::path out(o.out_dir);
  // Written first, so the reasons are there even when the analysis stops.
  TF_RETURN_IF_ERROR(WriteFileAtomic(out / "quarantine.csv", QuarantineCsv(set.quarantine)));
  if (set.posts.empty())
    return DataError(fmt::format("{}: no usable posts ({} rows quarantined)", o.posts_path,
                                 set.accounting.rows_quarantined));
  SampleOptions so{o.sample_fraction, o.seed, o.stratify};
  TF_ASSIGN_OR_RETURN(std::vector<size_t> sample, SamplePosts(set.posts, so));
  if (sample.empty()) return DataError("the sample is empty: raise --sample");
  std::vector<const Post*> posts;
  for (size_t i : sample) posts.push_back(&set.posts[i]);

  // 2. Text.
  TextProcessor::Options po;
  po.data_dir = o.data_dir;
  TF_ASSIGN_OR_RETURN(auto proc, TextProcessor::Open(po));
  TF_ASSIGN_OR_RETURN(auto conv, ChineseConverter::Open(proc->opencc_config()));
  std::vector<const std::string*> texts;
  for (const Post* p : posts) texts.push_back(&p->text);
  std::vector<ProcessedText> processed = proc->Process(texts, o.threads);

  std::vector<SeedTopic> seeds;
  if (!o.seeds_path.empty()) {
    TF_ASSIGN_OR_RETURN(seeds, ReadNamedLists(o.seeds_path, "topic", "words", *conv));
  }
  const int K = std::max<int>(o.topics, static_cast<int>(seeds.size()));

  // 3. Vocabulary: content words in at least min_doc_freq sampled posts and
  // at most half of them (seed words are kept whenever they occur).
  std::set<std::string> seed_word_set;
  for (const auto& s : seeds) seed_word_set.insert(s.words.begin(), s.words.end());
  std::unordered_map<std::string, int64_t> df;
  std::vector<std::vector<const std::string*>> doc_words(posts.size());
  for (size_t d = 0; d < posts.size(); ++d) {
    std::set<std::string_view> seen;
    for (const Token& t : processed[d].tokens) {
      if (!proc->IsContentToken(t) && !seed_word_set.count(t.text)) continue;
      doc_words[d].push_back(&t.text);
      if (seen.insert(t.text).second) ++df[t.text];
    }
  }
  const int64_t max_df = std::max<int64_t>(
      o.min_doc_freq, static_cast<int64_t>(o.max_doc_share * static_cast<double>(posts.size())));
  std::vector<std::string> vocab;
  for (const auto& [w, n] : df) {
    if ((n >= o.min_doc_freq && n <= max_df) || seed_word_set.count(w)) vocab.push_back(w);
  }
  std::sort(vocab.begin(), vocab.end());
  std::unordered_map<std::string_view, int32_t> word_id;
  for (size_t i = 0; i < vocab.size(); ++i) word_id.emplace(vocab[i], static_cast<int32_t>(i));
  LdaCorpus corpus;
  corpus.vocab = vocab;
  corpus.docs.resize(posts.size());
  for (size_t d = 0; d < posts.size(); ++d) {
    for (const std::string* w : doc_words[d]) {
      auto it = word_id.find(*w);
      if (it != word_id.end()) corpus.docs[d].push_back(it->second);
    }
  }
  if (vocab.empty()) return DataError("no topic vocabulary: the sample is too small or too sparse");

  // 4. Topics.
  LdaOptions lo;
  lo.topics = K;
  lo.iterations = o.lda_iterations;
  lo.seed = o.seed;
  lo.threads = o.threads;
  lo.seed_prior = o.seed_prior;
  lo.alpha = o.alpha;
  ojson seeds_missing = ojson::object();
  for (const auto& s : seeds) {
    std::vector<int32_t> ids;
    for (const auto& w : s.words) {
      auto it = word_id.find(w);
      if (it != word_id.end()) {
        ids.push_back(it->second);
      } else {
        seeds_missing[s.name].push_back(w);
      }
    }
    lo.seed_words.push_back(ids);
  }
  TF_ASSIGN_OR_RETURN(LdaModel lda, TrainLda(corpus, lo));

  std::vector<std::string> topic_id(K), label_en(K), label_zh(K);
  std::vector<std::vector<int32_t>> top(K);
  std::vector<double> npmi(K);
  for (int k = 0; k < K; ++k) {
    top[k] = lda.TopWords(k, o.top_words);
    npmi[k] = NpmiCoherence(corpus.docs, top[k]);
    std::string auto_label;
    for (size_t i = 0; i < top[k].size() && i < 3; ++i)
      auto_label += (i ? " / " : "") + vocab[top[k][i]];
    if (k < static_cast<int>(seeds.size())) {
      topic_id[k] = seeds[k].name;
      label_en[k] = seeds[k].label_en;
      label_zh[k] = seeds[k].label_zh;
    } else {
      topic_id[k] = fmt::format("topic_{:02d}", k + 1);
      label_en[k] = auto_label;
      label_zh[k] = auto_label;
    }
  }
  std::vector<int> doc_topic(posts.size());
  for (size_t d = 0; d < posts.size(); ++d) doc_topic[d] = lda.DominantTopic(d);

  // 5. Viewpoints.
  std::vector<std::string> viewpoint(posts.size());
  std::vector<std::string> vp_classes;
  std::map<std::string, std::pair<std::string, std::string>> vp_labels;  // name -> en, zh
  ojson vp_info;
  if (!o.model_path.empty()) {
    TF_ASSIGN_OR_RETURN(std::string model_text, ReadFile(o.model_path));
    TF_ASSIGN_OR_RETURN(ViewpointModel model, ViewpointModel::Parse(model_text, o.model_path));
    for (size_t d = 0; d < posts.size(); ++d) {
      std::string topic = doc_topic[d] >= 0 ? topic_id[doc_topic[d]] : "";
      viewpoint[d] = model.Predict(
          FeaturesOf(model.features(), processed[d].unified, processed[d].tokens, topic));
    }
    vp_classes = model.classes();
    vp_info["method"] = "model";
    vp_info["model"] = ojson::parse(InputJson(o.model_path));
  } else {
    // Training set: labelled posts of the whole input, plus posts matching
    // the seed phrases of exactly one viewpoint.
    std::vector<SeedTopic> defs;
    if (!o.viewpoints_path.empty()) {
      TF_ASSIGN_OR_RETURN(defs, ReadNamedLists(o.viewpoints_path, "viewpoint", "phrases", *conv));
    }
    // Training pool: at most train_pool posts of the whole input, those
    // with the smallest keys under a seed distinct from the sample's, so
    // the pool is random, reproducible and bounded in cost.
    std::vector<std::pair<uint64_t, size_t>> keyed;
    for (size_t i = 0; i < set.posts.size(); ++i)
      keyed.emplace_back(SampleKey(o.seed ^ 0x5DEECE66DULL, set.posts[i].id), i);
    size_t pool_size = std::min<size_t>(keyed.size(), static_cast<size_t>(o.train_pool));
    std::nth_element(keyed.begin(), keyed.begin() + pool_size, keyed.end());
    keyed.resize(pool_size);
    std::vector<size_t> pool;
    for (const auto& kv : keyed) pool.push_back(kv.second);
    std::sort(pool.begin(), pool.end());
    std::vector<const std::string*> all_texts;
    for (size_t i : pool) all_texts.push_back(&set.posts[i].text);
    std::vector<ProcessedText> all = proc->Process(all_texts, o.threads);
    FeatureOptions fo;
    fo.topic_features = false;
    std::vector<Example> examples;
    int64_t labelled = 0, silver = 0;
    for (size_t pi = 0; pi < pool.size(); ++pi) {
      const size_t i = pi;
      std::string label = LabelOf(set.posts[pool[pi]], o.label_field);
      if (!label.empty()) {
        ++labelled;
      } else if (!defs.empty()) {
        std::string lowered = LowerAscii(all[i].unified);
        int hits = 0;
        for (const auto& def : defs) {
          for (const auto& ph : def.words) {
            if (lowered.find(ph) != std::string::npos) {
              if (label != def.name) ++hits;
              label = def.name;
              break;
            }
          }
        }
        if (hits != 1) label.clear();
        if (!label.empty()) ++silver;
      }
      if (label.empty()) continue;
      examples.push_back({FeaturesOf(fo, all[i].unified, all[i].tokens, ""), label});
    }
    std::set<std::string> distinct;
    for (const auto& e : examples) distinct.insert(e.label);
    if (distinct.size() >= 2) {
      TrainOptions to;
      to.seed = o.seed;
      TF_ASSIGN_OR_RETURN(ViewpointModel model,
                          TrainViewpointModel(examples, fo, to, o.label_field));
      for (size_t d = 0; d < posts.size(); ++d) {
        viewpoint[d] = model.Predict(FeaturesOf(fo, processed[d].unified, processed[d].tokens, ""));
      }
      vp_classes = model.classes();
      vp_info["method"] = "trained";
      vp_info["training_pool"] = static_cast<int64_t>(pool.size());
      vp_info["training_examples"] = {{"labelled", labelled}, {"seed_phrase_matches", silver}};
    } else {
      vp_info["method"] = "none";
      vp_info["reason"] =
          "no viewpoint model: give --model, --viewpoints, or posts with labels in the "
          "label field (at least two distinct viewpoints are needed)";
    }
    for (const auto& def : defs) vp_labels[def.name] = {def.label_en, def.label_zh};
  }
  for (const auto& c : vp_classes) {
    if (!vp_labels.count(c)) vp_labels[c] = {c, c};
  }

  // 6. Aggregates (sampled posts).
  std::set<std::string> communities;
  std::set<Month> months;
  for (const Post* p : posts) {
    communities.insert(p->community);
    months.insert(p->month);
  }
  std::vector<int64_t> topic_posts(K, 0);
  std::map<std::pair<int, std::string>, int64_t> by_comm;
  std::map<std::tuple<int, std::string, Month>, int64_t> by_comm_month;
  std::map<std::tuple<int, std::string, std::string>, int64_t> by_vp;
  std::map<std::string, int64_t> comm_posts;
  int64_t no_topic = 0;
  for (size_t d = 0; d < posts.size(); ++d) {
    ++comm_posts[posts[d]->community];
    int k = doc_topic[d];
    if (k < 0) {
      ++no_topic;
      continue;
    }
    ++topic_posts[k];
    ++by_comm[{k, posts[d]->community}];
    ++by_comm_month[{k, posts[d]->community, posts[d]->month}];
    if (!viewpoint[d].empty()) ++by_vp[{k, posts[d]->community, viewpoint[d]}];
  }
  const int64_t topical = static_cast<int64_t>(posts.size()) - no_topic;
  std::vector<int> order(K);
  for (int k = 0; k < K; ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return topic_posts[a] > topic_posts[b]; });

  // 7. Tables.
  PostCountSuppression dc(o.k);
  std::vector<Table> tables;
  {
    Table t{"top_topics",
            "Topics by volume (sampled posts)",
            "各话题帖文量（抽样）",
            {{"rank", "Rank", "排名", "integer"},
             {"topic", "Topic", "话题", "string"},
             {"label_en", "Label", "标签（英文）", "string"},
             {"label_zh", "Label (Chinese)", "标签", "string"},
             {"posts", "Posts", "帖文数", "integer"},
             {"share", "Share of posts", "占比", "number"},
             {"npmi", "Coherence (NPMI)", "连贯性 (NPMI)", "number"},
             {"top_words", "Top words", "高频词", "string"}},
            {}};
    for (int r = 0; r < K; ++r) {
      int k = order[r];
      std::string words;
      for (size_t i = 0; i < top[k].size(); ++i) words += (i ? " " : "") + vocab[top[k][i]];
      t.rows.push_back({std::to_string(r + 1), topic_id[k], label_en[k], label_zh[k],
                        dc.Count(topic_posts[k], t.name, topic_id[k], "posts"),
                        dc.Share(topic_posts[k], topical, t.name, topic_id[k], "share"),
                        std::isnan(npmi[k]) ? Cell() : Cell(Fixed(npmi[k])), words});
    }
    tables.push_back(std::move(t));
  }
  {
    Table t{"topic_volume_by_community_month",
            "Topic volume per community and month",
            "各社群每月话题帖文量",
            {{"topic", "Topic", "话题", "string"},
             {"label_en", "Label", "标签（英文）", "string"},
             {"community", "Community", "社群", "string"},
             {"month", "Month", "月份", "month"},
             {"posts", "Posts", "帖文数", "integer"}},
            {}};
    for (int k : order) {
      for (const auto& c : communities) {
        for (Month m : months) {
          auto it = by_comm_month.find({k, c, m});
          int64_t n = it == by_comm_month.end() ? 0 : it->second;
          std::string row = fmt::format("{}/{}/{}", topic_id[k], c, FormatMonth(m));
          t.rows.push_back(
              {topic_id[k], label_en[k], c, FormatMonth(m), dc.Count(n, t.name, row, "posts")});
        }
      }
    }
    tables.push_back(std::move(t));
  }
  {
    Table t{"viewpoint_shares",
            "Viewpoint shares per topic and community",
            "各话题各社群的观点占比",
            {{"topic", "Topic", "话题", "string"},
             {"label_en", "Label", "标签（英文）", "string"},
             {"community", "Community", "社群", "string"},
             {"viewpoint", "Viewpoint", "观点", "string"},
             {"viewpoint_label_en", "Viewpoint label", "观点标签（英文）", "string"},
             {"viewpoint_label_zh", "Viewpoint label (Chinese)", "观点标签", "string"},
             {"posts", "Posts", "帖文数", "integer"},
             {"topic_community_posts", "Posts on the topic in the community", "该社群该话题帖文数",
              "integer"},
             {"share", "Share within topic and community", "占比", "number"}},
            {}};
    for (int k : order) {
      for (const auto& c : communities) {
        auto tc = by_comm.find({k, c});
        int64_t total = tc == by_comm.end() ? 0 : tc->second;
        for (const auto& v : vp_classes) {
          auto it = by_vp.find({k, c, v});
          int64_t n = it == by_vp.end() ? 0 : it->second;
          std::string row = fmt::format("{}/{}/{}", topic_id[k], c, v);
          t.rows.push_back({topic_id[k], label_en[k], c, v, vp_labels[v].first, vp_labels[v].second,
                            dc.Count(n, t.name, row, "posts"),
                            dc.Count(total, t.name, row, "topic_community_posts"),
                            dc.Share(n, total, t.name, row, "share")});
        }
      }
    }
    tables.push_back(std::move(t));
  }
  {
    Table t{"communities_side_by_side", "The communities side by side", "两地社群对比", {}, {}};
    t.columns = {{"topic", "Topic", "话题", "string"},
                 {"label_en", "Label", "标签（英文）", "string"},
                 {"label_zh", "Label (Chinese)", "标签", "string"}};
    for (const auto& c : communities) {
      t.columns.push_back({c + "_posts", "Posts: " + c, "帖文数：" + c, "integer"});
      t.columns.push_back({c + "_share", "Share of the community's posts: " + c,
                           "占该社群帖文比例：" + c, "number"});
      for (const auto& v : vp_classes) {
        t.columns.push_back({c + "_" + v + "_share", "Share " + v + ": " + c,
                             vp_labels[v].second + " 占比：" + c, "number"});
      }
    }
    for (int k : order) {
      std::vector<Cell> row = {topic_id[k], label_en[k], label_zh[k]};
      for (const auto& c : communities) {
        auto tc = by_comm.find({k, c});
        int64_t n = tc == by_comm.end() ? 0 : tc->second;
        row.push_back(dc.Count(n, t.name, topic_id[k], c + "_posts"));
        row.push_back(dc.Share(n, comm_posts[c], t.name, topic_id[k], c + "_share"));
        for (const auto& v : vp_classes) {
          auto it = by_vp.find({k, c, v});
          int64_t nv = it == by_vp.end() ? 0 : it->second;
          row.push_back(dc.Share(nv, n, t.name, topic_id[k], c + "_" + v + "_share"));
        }
      }
      t.rows.push_back(std::move(row));
    }
    tables.push_back(std::move(t));
  }

  // 8. Results JSON.
  for (const auto& t : tables) TF_RETURN_IF_ERROR(WriteTable(out / "tables", t));
  {
    // Per sampled post: its topic and viewpoint (ids and labels, no text),
    // so any table cell can be traced back to posts.
    std::string csv = "id,community,month,topic,viewpoint\n";
    for (size_t d = 0; d < posts.size(); ++d) {
      AppendCsvField(csv, posts[d]->id);
      csv += ',';
      AppendCsvField(csv, posts[d]->community);
      csv += fmt::format(",{},{},{}\n", FormatMonth(posts[d]->month),
                         doc_topic[d] >= 0 ? topic_id[doc_topic[d]] : "", viewpoint[d]);
    }
    TF_RETURN_IF_ERROR(WriteFileAtomic(out / "assignments.csv", csv));
  }

  ojson params;
  params["sample"] = o.sample_fraction;
  params["seed"] = o.seed;
  params["stratify"] = o.stratify;
  params["topics"] = K;
  params["seeds"] = o.seeds_path.empty() ? ojson(nullptr) : ojson::parse(InputJson(o.seeds_path));
  params["viewpoints"] =
      o.viewpoints_path.empty() ? ojson(nullptr) : ojson::parse(InputJson(o.viewpoints_path));
  params["label_field"] = o.label_field;
  params["k"] = o.k;
  params["lda"] = {{"alpha", lo.alpha},
                   {"beta", lo.beta},
                   {"seed_prior", lo.seed_prior},
                   {"iterations", lo.iterations},
                   {"threads", lo.threads}};
  params["min_doc_freq"] = o.min_doc_freq;
  params["max_doc_share"] = o.max_doc_share;
  params["train_pool"] = o.train_pool;
  params["top_words"] = o.top_words;
  params["opencc_config"] = proc->opencc_config();

  ojson j;
  j["talentflow_version"] = TALENTFLOW_VERSION;
  j["params"] = params;
  j["inputs"] = ojson::array({ojson::parse(InputJson(o.posts_path))});
  ojson rows;
  rows["read"] = set.accounting.rows_read;
  rows["accepted"] = set.accounting.rows_accepted;
  rows["quarantined"] = set.accounting.rows_quarantined;
  rows["quarantine_reasons"] = ojson::object();
  for (const auto& [r, n] : set.accounting.by_reason) rows["quarantine_reasons"][r] = n;
  rows["sampled"] = static_cast<int64_t>(posts.size());
  rows["sampled_by_community"] = ojson::object();
  for (const auto& [c, n] : comm_posts) rows["sampled_by_community"][c] = n;
  rows["sampled_without_topic_words"] = no_topic;
  j["rows"] = rows;
  j["vocabulary_size"] = static_cast<int64_t>(vocab.size());
  j["seed_words_not_in_vocabulary"] = seeds_missing;
  ojson topics = ojson::array();
  for (int r = 0; r < K; ++r) {
    int k = order[r];
    ojson tj;
    tj["rank"] = r + 1;
    tj["id"] = topic_id[k];
    tj["label_en"] = label_en[k];
    tj["label_zh"] = label_zh[k];
    tj["seeded"] = k < static_cast<int>(seeds.size());
    tj["npmi"] = std::isnan(npmi[k]) ? ojson(nullptr) : ojson::parse(Fixed(npmi[k]));
    ojson words = ojson::array();
    for (int32_t w : top[k])
      words.push_back({{"word", vocab[w]}, {"p", ojson::parse(Fixed(lda.Phi(k, w), 6))}});
    tj["top_words"] = words;
    // Display: the original (unconverted) text of the most typical posts,
    // the ones with the highest share of their words in the topic.
    std::vector<std::pair<double, size_t>> typical;
    for (size_t d = 0; d < posts.size(); ++d) {
      if (doc_topic[d] != k || corpus.docs[d].size() < 3) continue;
      typical.emplace_back(-static_cast<double>(lda.doc_topic[d * K + k]) / corpus.docs[d].size(),
                           d);
    }
    std::sort(typical.begin(), typical.end());
    ojson examples = ojson::array();
    for (size_t i = 0; i < typical.size() && i < 3; ++i) {
      const Post* p = posts[typical[i].second];
      examples.push_back({{"id", p->id}, {"community", p->community}, {"text", p->text}});
    }
    tj["example_posts"] = examples;
    topics.push_back(tj);
  }
  j["topics"] = topics;
  vp_info["classes"] = vp_classes;
  j["viewpoints"] = vp_info;
  ojson tj = ojson::object();
  for (const auto& t : tables) tj[t.name] = ojson::parse(TableRowsJson(t));
  j["tables"] = tj;
  j["suppressed"] = dc.list();
  TF_RETURN_IF_ERROR(WriteFileAtomic(out / "opinion.json", j.dump(1) + "\n"));
  fmt::print("{} posts read, {} quarantined, {} sampled; {} topics; results in {}\n",
             set.accounting.rows_read, set.accounting.rows_quarantined, posts.size(), K,
             (out / "opinion.json").string());
  return Status::Ok();
}

}  // namespace talentflow::text
