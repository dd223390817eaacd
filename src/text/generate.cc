// RunGenerate (see opinion.h): synthetic labelled posts of both communities,
// composed from the hand-written fragments in data/opinion/demo_fragments.toml.
#include <fmt/format.h>
#include <toml++/toml.h>

#include <map>
#include <nlohmann/json.hpp>

#include "io/file_util.h"
#include "text/internal/rng.h"
#include "text/opinion.h"

namespace talentflow::text {
namespace {

struct Weighted {
  std::vector<std::string> names;
  std::vector<double> cumulative;
  const std::string& Pick(internal::Rng& rng) const {
    double u = rng.Uniform() * cumulative.back();
    size_t i = 0;
    while (i + 1 < cumulative.size() && u >= cumulative[i]) ++i;
    return names[i];
  }
};

struct CommunitySpec {
  std::string name;
  double share = 1;
  std::vector<std::string> styles, sources;
  Weighted topics, viewpoints;
};

StatusOr<std::vector<std::string>> Strings(const toml::node_view<const toml::node>& node,
                                           const std::string& where) {
  const toml::array* a = node.as_array();
  if (a == nullptr || a->empty())
    return DataError(where + ": expected a non-empty list of strings");
  std::vector<std::string> out;
  for (const auto& v : *a) {
    auto s = v.value<std::string>();
    if (!s) return DataError(where + ": expected strings");
    out.push_back(*s);
  }
  return out;
}

StatusOr<Weighted> Weights(const toml::node_view<const toml::node>& node,
                           const std::string& where) {
  const toml::table* t = node.as_table();
  if (t == nullptr || t->empty()) return DataError(where + ": expected a table of weights");
  Weighted w;
  double sum = 0;
  for (const auto& [k, v] : *t) {
    auto x = v.value<double>();
    if (!x || *x < 0)
      return DataError(fmt::format("{}.{}: expected a number >= 0", where, k.str()));
    sum += *x;
    w.names.emplace_back(k.str());
    w.cumulative.push_back(sum);
  }
  if (sum <= 0) return DataError(where + ": weights sum to zero");
  return w;
}

}  // namespace

Status RunGenerate(const GenerateOptions& o) {
  if (o.posts < 1 || o.posts > 100'000'000) return InvalidArgument("--posts: expected 1-100000000");
  toml::table doc;
  try {
    doc = toml::parse_file(o.fragments_path);
  } catch (const toml::parse_error& e) {
    return DataError(
        fmt::format("{} line {}: {}", o.fragments_path, e.source().begin.line, e.description()));
  }
  const toml::node_view<const toml::node> root(static_cast<const toml::node&>(doc));
  const std::string& f = o.fragments_path;
  TF_ASSIGN_OR_RETURN(std::vector<std::string> months, Strings(root["months"], f + ": months"));
  std::vector<CommunitySpec> communities;
  Weighted community_pick;
  double total = 0;
  const toml::array* cs = doc["community"].as_array();
  if (cs == nullptr || cs->empty()) return DataError(f + ": expected [[community]] tables");
  for (size_t i = 0; i < cs->size(); ++i) {
    const toml::node& n = *cs->get(i);
    toml::node_view<const toml::node> c(n);
    std::string where = fmt::format("{}: [[community]] #{}", f, i + 1);
    CommunitySpec spec;
    spec.name = c["name"].value_or(std::string());
    if (spec.name.empty()) return DataError(where + ": name is required");
    spec.share = c["share"].value_or(1.0);
    TF_ASSIGN_OR_RETURN(spec.styles, Strings(c["styles"], where + ".styles"));
    TF_ASSIGN_OR_RETURN(spec.sources, Strings(c["sources"], where + ".sources"));
    TF_ASSIGN_OR_RETURN(spec.topics, Weights(c["topic_weights"], where + ".topic_weights"));
    TF_ASSIGN_OR_RETURN(spec.viewpoints,
                        Weights(c["viewpoint_weights"], where + ".viewpoint_weights"));
    total += spec.share;
    community_pick.names.push_back(spec.name);
    community_pick.cumulative.push_back(total);
    communities.push_back(std::move(spec));
  }
  // (style, topic, viewpoint) -> texts
  std::map<std::tuple<std::string, std::string, std::string>, std::vector<std::string>> fragments;
  const toml::array* fs = doc["fragment"].as_array();
  if (fs == nullptr) return DataError(f + ": expected [[fragment]] tables");
  for (size_t i = 0; i < fs->size(); ++i) {
    toml::node_view<const toml::node> fr(*fs->get(i));
    std::string where = fmt::format("{}: [[fragment]] #{}", f, i + 1);
    TF_ASSIGN_OR_RETURN(auto texts, Strings(fr["texts"], where + ".texts"));
    auto& dst = fragments[{fr["style"].value_or(std::string()), fr["topic"].value_or(std::string()),
                           fr["viewpoint"].value_or(std::string())}];
    dst.insert(dst.end(), texts.begin(), texts.end());
  }
  std::map<std::string, std::vector<std::string>> decorations;
  if (const toml::table* d = doc["decorations"].as_table()) {
    for (const auto& [k, v] : *d) {
      TF_ASSIGN_OR_RETURN(decorations[std::string(k.str())],
                          Strings(toml::node_view<const toml::node>(v), f + ": decorations"));
    }
  }
  for (const auto& c : communities) {
    for (const auto& s : c.styles)
      for (const auto& t : c.topics.names)
        for (const auto& v : c.viewpoints.names)
          if (!fragments.count({s, t, v}))
            return DataError(fmt::format("{}: no [[fragment]] for style {}, topic {}, viewpoint {}",
                                         f, s, t, v));
  }

  internal::Rng rng(o.seed);
  std::string out;
  out.reserve(static_cast<size_t>(o.posts) * 260);
  auto pick = [&](const std::vector<std::string>& v) -> const std::string& {
    return v[rng.Below(static_cast<int>(v.size()))];
  };
  static const std::vector<std::string> kNone = {""};
  for (int64_t i = 0; i < o.posts; ++i) {
    const std::string& cname = community_pick.Pick(rng);
    const CommunitySpec* c = nullptr;
    for (const auto& x : communities)
      if (x.name == cname) c = &x;
    const std::string& style = pick(c->styles);
    const std::string& topic = c->topics.Pick(rng);
    const std::string& view = c->viewpoints.Pick(rng);
    const auto& texts = fragments[{style, topic, view}];
    const bool english = style.find("en") != std::string::npos;
    std::string body = pick(texts);
    if (texts.size() > 1 && rng.Uniform() < 0.5) {
      const std::string& second = pick(texts);
      if (second != body) body += (english ? ". " : "，") + second;
    }
    body += english ? "." : "。";
    auto open_it = decorations.find(style + "_open");
    auto close_it = decorations.find(style + "_close");
    const std::string& open = pick(open_it == decorations.end() ? kNone : open_it->second);
    const std::string& close = pick(close_it == decorations.end() ? kNone : close_it->second);
    std::string text = open.empty() ? body : open + (english ? " " : "") + body;
    if (!close.empty()) text += " " + close;
    const std::string& month = pick(months);
    nlohmann::ordered_json j;
    j["id"] = fmt::format("p{:07d}", i + 1);
    j["community"] = c->name;
    j["source"] = pick(c->sources);
    j["date"] = fmt::format("{}-{:02d}", month, 1 + rng.Below(28));
    j["text"] = text;
    j["topic"] = topic;
    j["viewpoint"] = view;
    out += j.dump();
    out += '\n';
  }
  TF_RETURN_IF_ERROR(WriteFileAtomic(o.out_path, out));
  fmt::print("{} posts written to {}\n", o.posts, o.out_path);
  return Status::Ok();
}

}  // namespace talentflow::text
