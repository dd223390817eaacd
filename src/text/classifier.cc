#include "text/classifier.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "common/utf8.h"

namespace talentflow::text {
namespace {

uint64_t Fnv(std::string_view s, uint64_t h = 1469598103934665603ULL) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

// Splits UTF-8 into characters (invalid bytes stand alone).
std::vector<std::string_view> Chars(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    // By the lead byte alone: the bytes after it are not checked.
    size_t len = Utf8SequenceLength(static_cast<unsigned char>(s[i]));
    if (len == 0 || i + len > s.size()) len = 1;
    out.push_back(s.substr(i, len));
    i += len;
  }
  return out;
}

// The bytes of a model's weights; false when over kMaxModelBytes.
bool ModelFits(size_t classes, int hash_bits, uint64_t* bytes) {
  *bytes = classes * ((uint64_t{1} << hash_bits) + 1) * sizeof(float);
  return *bytes <= kMaxModelBytes;
}

std::string ModelTooLarge(size_t classes, int hash_bits, uint64_t bytes) {
  return fmt::format(
      "{} classes with hash_bits {} need {:.1f} GiB of weights; the limit is {} GiB (use fewer "
      "hash bits)",
      classes, hash_bits, static_cast<double>(bytes) / (1 << 30), kMaxModelBytes >> 30);
}

// Readers of one model-file value that never convert out of range (a cast of
// an out-of-range number is undefined behaviour). They throw
// nlohmann::json::exception, or std::out_of_range naming the key.
int64_t IntOf(const nlohmann::json& v, std::string_view key, int64_t min, int64_t max) {
  if (!v.is_number_integer())
    throw std::out_of_range(fmt::format("\"{}\" must be a whole number", key));
  const bool fits = v.is_number_unsigned()
                        ? max >= 0 && v.get<uint64_t>() <= static_cast<uint64_t>(max)
                        : v.get<int64_t>() >= min && v.get<int64_t>() <= max;
  if (!fits) throw std::out_of_range(fmt::format("\"{}\" must be {} to {}", key, min, max));
  return v.get<int64_t>();
}

double NumberOf(const nlohmann::json& v, std::string_view key) {
  if (!v.is_number()) throw std::out_of_range(fmt::format("\"{}\" must be a number", key));
  return v.get<double>();
}

float WeightOf(const nlohmann::json& v) {
  const double w = NumberOf(v, "weight");
  if (!(std::fabs(w) <= std::numeric_limits<float>::max()))
    throw std::out_of_range(fmt::format("weight {} is beyond the range of a float", w));
  return static_cast<float>(w);
}

}  // namespace

Status CheckFeatureOptions(const FeatureOptions& options) {
  if (options.hash_bits < 8 || options.hash_bits > 26)
    return InvalidArgument(fmt::format("hash bits {}: expected 8-26", options.hash_bits));
  if (options.char_min < 1 || options.char_max < options.char_min || options.char_max > 8)
    return InvalidArgument(
        fmt::format("character n-grams {}-{}: expected 1 <= shortest <= longest <= 8",
                    options.char_min, options.char_max));
  if (options.word_max < 1 || options.word_max > 4)
    return InvalidArgument(fmt::format("longest word n-gram {}: expected 1-4", options.word_max));
  return Status::Ok();
}

SparseVector FeaturesOf(const FeatureOptions& options, std::string_view text,
                        const std::vector<Token>& tokens, const std::string& topic) {
  const uint64_t mask = (1ULL << options.hash_bits) - 1;
  std::vector<uint64_t> hashes;
  // Character n-grams over the text without URLs and mentions, spaces
  // collapsed, ASCII lower-cased.
  auto lower = [](std::string_view in) {
    std::string out(in);
    for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return out;
  };
  std::string lowered = lower(text);
  for (const Token& t : tokens) {
    if (t.kind != TokenKind::kUrl && t.kind != TokenKind::kMention) continue;
    std::string needle = lower(t.text);
    size_t at = lowered.find(needle);
    if (at != std::string::npos) lowered.replace(at, needle.size(), 1, ' ');
  }
  std::string clean;
  bool space = false;
  for (char c : lowered) {
    bool is_space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (is_space) {
      if (!space && !clean.empty()) clean += ' ';
      space = true;
    } else {
      clean += c;
      space = false;
    }
  }
  std::vector<std::string_view> chars = Chars(clean);
  for (int n = options.char_min; n <= options.char_max; ++n) {
    for (size_t i = 0; i + n <= chars.size(); ++i) {
      bool all_space = true;
      uint64_t h = Fnv("c");
      for (int k = 0; k < n; ++k) {
        all_space = all_space && chars[i + k] == " ";
        h = Fnv(chars[i + k], h);
        h = Fnv("\x1f", h);
      }
      if (!all_space) hashes.push_back(h);
    }
  }
  std::vector<std::string_view> words;
  for (const Token& t : tokens) {
    if (t.kind == TokenKind::kUrl) {
      words.push_back("<url>");
    } else if (t.kind == TokenKind::kMention) {
      words.push_back("<mention>");
    } else {
      words.push_back(t.text);
    }
  }
  for (int n = 1; n <= options.word_max; ++n) {
    for (size_t i = 0; i + n <= words.size(); ++i) {
      uint64_t h = Fnv("w");
      for (int k = 0; k < n; ++k) {
        h = Fnv(words[i + k], h);
        h = Fnv("\x1f", h);
      }
      hashes.push_back(h);
    }
  }
  if (options.topic_features && !topic.empty()) {
    uint64_t th = Fnv(topic, Fnv("t"));
    size_t base = hashes.size();
    for (size_t i = 0; i < base; ++i) hashes.push_back((hashes[i] ^ th) * 0x9E3779B97F4A7C15ULL);
  }
  SparseVector v;
  v.index.reserve(hashes.size());
  for (uint64_t h : hashes) v.index.push_back(static_cast<uint32_t>((h ^ (h >> 29)) & mask));
  std::sort(v.index.begin(), v.index.end());
  v.index.erase(std::unique(v.index.begin(), v.index.end()), v.index.end());
  float value = v.index.empty() ? 0.0f : static_cast<float>(1.0 / std::sqrt(v.index.size()));
  v.value.assign(v.index.size(), value);
  return v;
}

std::vector<double> ViewpointModel::Scores(const SparseVector& x) const {
  const size_t bias = size_t{1} << features_.hash_bits;
  std::vector<double> scores(classes_.size(), 0.0);
  for (size_t c = 0; c < classes_.size(); ++c) {
    const auto& w = weights_[c];
    double s = w[bias];
    for (size_t i = 0; i < x.index.size(); ++i) s += w[x.index[i]] * x.value[i];
    scores[c] = s;
  }
  return scores;
}

const std::string& ViewpointModel::Predict(const SparseVector& x) const {
  std::vector<double> s = Scores(x);
  size_t best = 0;
  for (size_t c = 1; c < s.size(); ++c)
    if (s[c] > s[best]) best = c;
  return classes_[best];
}

StatusOr<ViewpointModel> TrainViewpointModel(const std::vector<Example>& examples,
                                             const FeatureOptions& features,
                                             const TrainOptions& options,
                                             const std::string& label_field) {
  if (examples.empty()) return InvalidArgument("no labelled examples to train on");
  TF_RETURN_IF_ERROR(CheckFeatureOptions(features));
  if (!(options.c > 0) || !std::isfinite(options.c))
    return InvalidArgument("the SVM cost C must be a finite number > 0");
  std::set<std::string> labels;
  for (const auto& e : examples) labels.insert(e.label);
  if (labels.size() < 2) {
    return InvalidArgument(
        fmt::format("training needs at least two classes; found only \"{}\"", *labels.begin()));
  }
  if (uint64_t bytes; !ModelFits(labels.size(), features.hash_bits, &bytes))
    return InvalidArgument(ModelTooLarge(labels.size(), features.hash_bits, bytes));
  ViewpointModel model;
  model.classes_.assign(labels.begin(), labels.end());
  model.features_ = features;
  model.train_options_ = options;
  model.label_field_ = label_field;
  model.training_examples_ = static_cast<int64_t>(examples.size());
  const size_t dim = (size_t{1} << features.hash_bits) + 1;
  const size_t bias = dim - 1;
  const size_t n = examples.size();
  const double diag = 1.0 / (2.0 * options.c);
  std::vector<double> qii(n);
  for (size_t i = 0; i < n; ++i) {
    double sq = 1.0;  // bias feature
    for (float v : examples[i].x.value) sq += static_cast<double>(v) * v;
    qii[i] = sq + diag;
  }
  for (const std::string& cls : model.classes_) {
    std::vector<double> w(dim, 0.0);
    std::vector<double> alpha(n, 0.0);
    std::vector<size_t> order(n);
    for (size_t i = 0; i < n; ++i) order[i] = i;
    uint64_t state = options.seed * 0x9E3779B97F4A7C15ULL + Fnv(cls);
    for (int epoch = 0; epoch < options.max_epochs; ++epoch) {
      // Fisher-Yates with a SplitMix64 stream: same order on every platform.
      for (size_t i = n; i > 1; --i) {
        state += 0x9E3779B97F4A7C15ULL;
        uint64_t z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        z ^= z >> 31;
        std::swap(order[i - 1], order[z % i]);
      }
      double pg_max = -1e300, pg_min = 1e300;
      for (size_t i : order) {
        const Example& e = examples[i];
        double y = e.label == cls ? 1.0 : -1.0;
        double wx = w[bias];
        for (size_t k = 0; k < e.x.index.size(); ++k) wx += w[e.x.index[k]] * e.x.value[k];
        double g = y * wx - 1.0 + diag * alpha[i];
        double pg = alpha[i] == 0.0 ? std::min(g, 0.0) : g;
        pg_max = std::max(pg_max, pg);
        pg_min = std::min(pg_min, pg);
        if (std::fabs(pg) < 1e-12) continue;
        double old = alpha[i];
        alpha[i] = std::max(alpha[i] - g / qii[i], 0.0);
        double delta = (alpha[i] - old) * y;
        for (size_t k = 0; k < e.x.index.size(); ++k) w[e.x.index[k]] += delta * e.x.value[k];
        w[bias] += delta;
      }
      if (pg_max - pg_min < options.tolerance) break;
    }
    model.weights_.emplace_back(w.begin(), w.end());
  }
  return model;
}

std::string ViewpointModel::Serialize() const {
  // Hand-written JSON so that number formatting is fixed and the file is
  // byte-identical for the same training run.
  std::string out = "{\n";
  out += "\"format\": \"talentflow-viewpoint-model\",\n\"version\": 1,\n";
  out += fmt::format("\"label_field\": {},\n", nlohmann::json(label_field_).dump());
  out += fmt::format("\"classes\": {},\n", nlohmann::json(classes_).dump());
  out += fmt::format(
      "\"features\": {{\"hash_bits\": {}, \"char_ngrams\": [{}, {}], \"word_ngrams\": [1, {}], "
      "\"topic_features\": {}, \"hash\": \"fnv1a64\"}},\n",
      features_.hash_bits, features_.char_min, features_.char_max, features_.word_max,
      features_.topic_features ? "true" : "false");
  out += fmt::format(
      "\"training\": {{\"examples\": {}, \"learner\": \"ovr-l2-svm-dual-cd\", \"c\": {}, "
      "\"max_epochs\": {}, \"tolerance\": {}, \"seed\": {}}},\n",
      training_examples_, train_options_.c, train_options_.max_epochs, train_options_.tolerance,
      train_options_.seed);
  out += "\"weights\": {\n";
  const size_t bias = size_t{1} << features_.hash_bits;
  for (size_t c = 0; c < classes_.size(); ++c) {
    out += fmt::format("{}: {{\"bias\": {:.7g}, \"buckets\": [", nlohmann::json(classes_[c]).dump(),
                       weights_[c][bias]);
    bool first = true;
    for (size_t b = 0; b < bias; ++b) {
      float w = weights_[c][b];
      if (w == 0.0f) continue;
      out += fmt::format("{}[{},{:.7g}]", first ? "" : ",", b, w);
      first = false;
    }
    out += c + 1 < classes_.size() ? "]},\n" : "]}\n";
  }
  out += "}\n}\n";
  return out;
}

StatusOr<ViewpointModel> ViewpointModel::Parse(std::string_view text, const std::string& path) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return DataError(fmt::format("{}: not a JSON object", path));
  if (!j.contains("format") || j["format"] != "talentflow-viewpoint-model")
    return DataError(fmt::format("{}: \"format\" is not talentflow-viewpoint-model", path));
  if (!j.contains("version") || j["version"] != 1)
    return DataError(fmt::format("{}: model version {} is not supported (expected 1)", path,
                                 j.contains("version") ? j["version"].dump() : "(none)"));
  try {
    ViewpointModel m;
    m.label_field_ = j.at("label_field").get<std::string>();
    m.classes_ = j.at("classes").get<std::vector<std::string>>();
    if (m.classes_.size() < 2)
      return DataError(fmt::format("{}: a model needs 2 or more classes", path));
    if (std::set<std::string>(m.classes_.begin(), m.classes_.end()).size() != m.classes_.size())
      return DataError(fmt::format("{}: \"classes\" lists a class twice", path));
    const auto& f = j.at("features");
    const auto& chars = f.at("char_ngrams");
    const auto& words = f.at("word_ngrams");
    constexpr int64_t kBig = 1 << 20;  // far beyond any valid value; checked below
    m.features_.hash_bits = static_cast<int>(IntOf(f.at("hash_bits"), "hash_bits", 0, kBig));
    m.features_.char_min = static_cast<int>(IntOf(chars.at(0), "char_ngrams", -kBig, kBig));
    m.features_.char_max = static_cast<int>(IntOf(chars.at(1), "char_ngrams", -kBig, kBig));
    IntOf(words.at(0), "word_ngrams[0]", 1, 1);
    m.features_.word_max = static_cast<int>(IntOf(words.at(1), "word_ngrams", -kBig, kBig));
    m.features_.topic_features = f.at("topic_features").get<bool>();
    if (Status s = CheckFeatureOptions(m.features_); !s.ok())
      return DataError(fmt::format("{}: {}", path, s.message()));
    if (uint64_t bytes; !ModelFits(m.classes_.size(), m.features_.hash_bits, &bytes))
      return DataError(fmt::format("{}: {}", path,
                                   ModelTooLarge(m.classes_.size(), m.features_.hash_bits, bytes)));
    const auto& t = j.at("training");
    m.training_examples_ =
        IntOf(t.at("examples"), "examples", 0, std::numeric_limits<int64_t>::max());
    m.train_options_.c = NumberOf(t.at("c"), "c");
    m.train_options_.max_epochs = static_cast<int>(
        IntOf(t.at("max_epochs"), "max_epochs", 0, std::numeric_limits<int>::max()));
    m.train_options_.tolerance = NumberOf(t.at("tolerance"), "tolerance");
    const auto& seed = t.at("seed");
    if (!seed.is_number_unsigned() && !(seed.is_number_integer() && seed.get<int64_t>() >= 0))
      throw std::out_of_range("\"seed\" must be a whole number >= 0");
    m.train_options_.seed = seed.get<uint64_t>();
    const size_t dim = (size_t{1} << m.features_.hash_bits) + 1;
    for (const auto& cls : m.classes_) {
      const auto& wj = j.at("weights").at(cls);
      std::vector<float> w(dim, 0.0f);
      w[dim - 1] = WeightOf(wj.at("bias"));
      for (const auto& pair : wj.at("buckets")) {
        const int64_t b = IntOf(pair.at(0), "bucket", 0, static_cast<int64_t>(dim) - 2);
        w[static_cast<size_t>(b)] = WeightOf(pair.at(1));
      }
      m.weights_.push_back(std::move(w));
    }
    return m;
  } catch (const nlohmann::json::exception& e) {
    return DataError(fmt::format("{}: malformed model: {}", path, e.what()));
  } catch (const std::out_of_range& e) {
    return DataError(fmt::format("{}: malformed model: {}", path, e.what()));
  }
}

Metrics ComputeMetrics(const std::vector<std::string>& gold, const std::vector<std::string>& pred,
                       std::vector<std::string> classes) {
  std::set<std::string> all(classes.begin(), classes.end());
  all.insert(gold.begin(), gold.end());
  all.insert(pred.begin(), pred.end());
  Metrics m;
  m.examples = static_cast<int64_t>(gold.size());
  int64_t correct = 0;
  for (const std::string& label : all) {
    ClassMetrics c;
    c.label = label;
    for (size_t i = 0; i < gold.size(); ++i) {
      bool g = gold[i] == label, p = pred[i] == label;
      c.support += g;
      c.predicted += p;
      c.true_positive += g && p;
    }
    c.precision = c.predicted ? static_cast<double>(c.true_positive) / c.predicted : 0.0;
    c.recall = c.support ? static_cast<double>(c.true_positive) / c.support : 0.0;
    c.f1 = c.precision + c.recall > 0 ? 2 * c.precision * c.recall / (c.precision + c.recall) : 0.0;
    m.per_class.push_back(c);
  }
  for (size_t i = 0; i < gold.size(); ++i) correct += gold[i] == pred[i];
  m.accuracy = gold.empty() ? 0.0 : static_cast<double>(correct) / gold.size();
  double sum = 0;
  const ClassMetrics* favor = nullptr;
  const ClassMetrics* against = nullptr;
  for (const auto& c : m.per_class) {
    sum += c.f1;
    if (c.label == "FAVOR") favor = &c;
    if (c.label == "AGAINST") against = &c;
  }
  m.macro_f1 = m.per_class.empty() ? 0.0 : sum / m.per_class.size();
  if (favor && against) m.f_avg = (favor->f1 + against->f1) / 2;
  return m;
}

}  // namespace talentflow::text
