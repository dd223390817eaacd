#include "panel/title_rules.h"

#include <fmt/format.h>

#include <thread>

#include "panel/csv_lite.h"

namespace talentflow {

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

namespace {
bool IsWordByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
}  // namespace

StatusOr<TitleRules> TitleRules::FromRows(const std::vector<std::vector<std::string>>& rows,
                                          std::string_view origin) {
  TitleRules rules;
  int line = 2;
  for (const auto& row : rows) {
    if (row.size() < 3) {
      return DataError(
          fmt::format("{} line {}: expected columns pattern,kind,match", origin, line));
    }
    Pattern p;
    p.text = AsciiLower(row[0]);
    if (p.text.empty()) {
      return DataError(fmt::format("{} line {} column pattern: empty pattern", origin, line));
    }
    if (row[2] == "word") {
      p.word = true;
    } else if (row[2] == "substring") {
      p.word = false;
    } else {
      return DataError(fmt::format("{} line {} column match: \"{}\": expected word or substring",
                                   origin, line, row[2]));
    }
    const std::string& kind = row[1];
    if (kind == "side_role_strong") {
      rules.strong_side_.push_back(std::move(p));
    } else if (kind == "executive") {
      rules.executive_.push_back(std::move(p));
    } else if (kind == "side_role") {
      rules.side_.push_back(std::move(p));
    } else if (kind == "founder") {
      rules.founder_.push_back(std::move(p));
    } else {
      return DataError(fmt::format(
          "{} line {} column kind: \"{}\": expected side_role_strong, executive, side_role or "
          "founder",
          origin, line, kind));
    }
    ++line;
  }
  return rules;
}

StatusOr<TitleRules> TitleRules::Load(const std::filesystem::path& csv) {
  TF_ASSIGN_OR_RETURN(auto rows, ReadCsvFile(csv));
  if (rows.empty() || rows[0].size() < 3 || rows[0][0] != "pattern" || rows[0][1] != "kind" ||
      rows[0][2] != "match") {
    return DataError(
        fmt::format("{} line 1: header must start with pattern,kind,match", csv.string()));
  }
  rows.erase(rows.begin());
  return FromRows(rows, csv.string());
}

StatusOr<TitleRules> TitleRules::LoadDefault() {
  return Load(std::filesystem::path(TALENTFLOW_DATA_DIR) / "titles" / "title_patterns.csv");
}

bool TitleRules::AnyMatches(const std::vector<Pattern>& patterns, std::string_view lowered) {
  for (const Pattern& p : patterns) {
    size_t from = 0;
    while (true) {
      size_t at = lowered.find(p.text, from);
      if (at == std::string_view::npos) break;
      if (!p.word) return true;
      size_t after = at + p.text.size();
      bool left_ok = at == 0 || !IsWordByte(lowered[at - 1]);
      bool right_ok = after >= lowered.size() || !IsWordByte(lowered[after]);
      if (left_ok && right_ok) return true;
      from = at + 1;
    }
  }
  return false;
}

uint8_t TitleRules::Classify(std::string_view title) const {
  if (title.empty()) return 0;
  std::string lowered = AsciiLower(title);
  uint8_t flags = 0;
  if (AnyMatches(strong_side_, lowered)) {
    flags |= kTitleSideRole;
  } else if (!AnyMatches(executive_, lowered) && AnyMatches(side_, lowered)) {
    flags |= kTitleSideRole;
  }
  if (AnyMatches(founder_, lowered)) flags |= kTitleFounder;
  return flags;
}

TitleFlags TitleFlags::Build(const Dataset& dataset, const TitleRules& rules, int threads) {
  TitleFlags out;
  const auto& titles = dataset.positions.title_raw;
  StrId max_id = 0;
  for (StrId t : titles) max_id = std::max(max_id, t);
  std::vector<uint8_t> seen(static_cast<size_t>(max_id) + 1, 0);
  for (StrId t : titles) seen[t] = 1;
  std::vector<StrId> distinct;
  for (StrId id = 1; id <= max_id; ++id) {
    if (seen[id]) distinct.push_back(id);
  }
  out.flags_.assign(static_cast<size_t>(max_id) + 1, 0);
  threads = std::max(1, threads);
  auto work = [&](int part) {
    for (size_t i = part; i < distinct.size(); i += threads) {
      out.flags_[distinct[i]] = rules.Classify(dataset.str(distinct[i]));
    }
  };
  if (threads == 1 || distinct.size() < 1024) {
    threads = 1;
    work(0);
  } else {
    std::vector<std::thread> pool;
    for (int part = 0; part < threads; ++part) pool.emplace_back(work, part);
    for (auto& t : pool) t.join();
  }
  return out;
}

}  // namespace talentflow
