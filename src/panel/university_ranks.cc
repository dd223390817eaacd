#include "panel/university_ranks.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <tuple>

#include "common/utf8.h"
#include "panel/internal/ref_csv.h"

namespace talentflow {

using panel_internal::ReadRefCsv;
using panel_internal::RefCsv;

namespace {

enum RankColumn : size_t { kInstitution, kCountry, kRanking, kYear, kRankRaw, kRank };
enum AliasColumn : size_t { kAlias, kAliasInstitution };

// The unaccented lower-case ASCII letter(s) for a Latin-1 Supplement or
// Latin Extended-A letter, or nullptr when `code` is not one.
const char* FoldLatin(char32_t code) {
  // Index = code - 0xC0, covering U+00C0..U+00FF.
  static const char* const kLatin1[64] = {
      "a", "a", "a", "a", "a", "a", "ae", "c",     "e", "e", "e", "e", "i", "i", "i",  "i",
      "d", "n", "o", "o", "o", "o", "o",  nullptr, "o", "u", "u", "u", "u", "y", "th", "ss",
      "a", "a", "a", "a", "a", "a", "ae", "c",     "e", "e", "e", "e", "i", "i", "i",  "i",
      "d", "n", "o", "o", "o", "o", "o",  nullptr, "o", "u", "u", "u", "u", "y", "th", "y"};
  if (code >= 0xC0 && code <= 0xFF) return kLatin1[code - 0xC0];
  if (code < 0x100 || code > 0x17F) return nullptr;
  // Latin Extended-A comes in upper/lower pairs of the same base letter.
  struct Range {
    char32_t first, last;
    const char* base;
  };
  static const Range kExtA[] = {
      {0x100, 0x105, "a"}, {0x106, 0x10D, "c"},  {0x10E, 0x111, "d"}, {0x112, 0x11B, "e"},
      {0x11C, 0x123, "g"}, {0x124, 0x127, "h"},  {0x128, 0x131, "i"}, {0x132, 0x133, "ij"},
      {0x134, 0x135, "j"}, {0x136, 0x138, "k"},  {0x139, 0x142, "l"}, {0x143, 0x14B, "n"},
      {0x14C, 0x151, "o"}, {0x152, 0x153, "oe"}, {0x154, 0x159, "r"}, {0x15A, 0x161, "s"},
      {0x162, 0x167, "t"}, {0x168, 0x173, "u"},  {0x174, 0x175, "w"}, {0x176, 0x178, "y"},
      {0x179, 0x17E, "z"}, {0x17F, 0x17F, "s"}};
  for (const Range& range : kExtA) {
    if (code >= range.first && code <= range.last) return range.base;
  }
  return nullptr;
}

bool IsApostrophe(char32_t code) {
  return code == '\'' || code == 0x2019 || code == 0x2018 || code == '`';
}

// Punctuation and spaces that separate words: ASCII punctuation, general
// punctuation, CJK symbols and punctuation, middle dots, fullwidth forms'
// punctuation (already mapped to ASCII before this test).
bool IsSeparator(char32_t code) {
  if (code < 0x80) return !((code >= 'a' && code <= 'z') || (code >= '0' && code <= '9'));
  return code == 0xA0 || code == 0xB7 || (code >= 0x2000 && code <= 0x206F) ||
         (code >= 0x3000 && code <= 0x303F) || code == 0x30FB || code == 0xFF65;
}

// Abbreviations written in university names, expanded so both spellings meet.
std::string_view ExpandToken(std::string_view token) {
  if (token == "univ" || token == "uni" || token == "universiteit" || token == "universitat" ||
      token == "universitaet" || token == "universite" || token == "universidad" ||
      token == "universita" || token == "universidade") {
    return "university";
  }
  if (token == "inst") return "institute";
  if (token == "hk") return "hong kong";
  if (token == "intl") return "international";
  if (token == "natl") return "national";
  if (token == "coll") return "college";
  if (token == "tech") return "technology";
  if (token == "sci") return "science";
  return token;
}

bool ParseYear(const std::string& text, int* year) {
  if (text.size() != 4) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *year);
  return ec == std::errc() && ptr == text.data() + text.size() && *year >= 1900 && *year <= 2200;
}

bool ParseNumber(std::string_view text, double* value) {
  if (text.empty()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && ptr == text.data() + text.size() && std::isfinite(*value);
}

// Checks `rank` against the published `raw` form: "6" or "=6" -> 6,
// "201-250" -> 225.5, "1201+" -> any value >= 1201 (the derivation puts an
// open band at the midpoint of the positions it covers in that edition).
bool RankAgreesWithRaw(std::string_view raw, double rank) {
  if (!raw.empty() && raw.front() == '=') raw.remove_prefix(1);
  if (!raw.empty() && raw.back() == '+') {
    double low = 0;
    return ParseNumber(raw.substr(0, raw.size() - 1), &low) && rank >= low;
  }
  const size_t dash = raw.find('-');
  if (dash != std::string_view::npos) {
    double low = 0, high = 0;
    if (!ParseNumber(raw.substr(0, dash), &low) || !ParseNumber(raw.substr(dash + 1), &high) ||
        high < low) {
      return false;
    }
    return rank == (low + high) / 2;
  }
  double value = 0;
  return ParseNumber(raw, &value) && value == rank;
}

bool IsRankingName(const std::string& name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '-';
  });
}

}  // namespace

std::string UniversityRanks::NormalizeName(std::string_view name) {
  // First pass: map code points to lower-case ASCII words or kept characters,
  // with separators as single spaces.
  std::string flat;
  flat.reserve(name.size());
  size_t pos = 0;
  while (pos < name.size()) {
    // Bad bytes come back as U+FFFD, one per byte, and become separators.
    char32_t code;
    DecodeUtf8(name, &pos, &code);
    if (code >= 0xFF01 && code <= 0xFF5E) code = code - 0xFF01 + 0x21;  // fullwidth ASCII
    if (code >= 'A' && code <= 'Z') code = code - 'A' + 'a';
    if (IsApostrophe(code)) continue;
    if (code == '&') {
      flat += " and ";
      continue;
    }
    if (const char* folded = FoldLatin(code)) {
      flat += folded;
      continue;
    }
    if (code == 0xFFFD || IsSeparator(code)) {
      flat.push_back(' ');
      continue;
    }
    AppendUtf8(code, &flat);
  }
  // Second pass: words, dropping "the" and expanding abbreviations.
  std::string key;
  size_t start = 0;
  while (start < flat.size()) {
    size_t end = flat.find(' ', start);
    if (end == std::string::npos) end = flat.size();
    std::string_view token(flat.data() + start, end - start);
    start = end + 1;
    if (token.empty() || token == "the") continue;
    if (!key.empty()) key.push_back(' ');
    key += ExpandToken(token);
  }
  return key;
}

StatusOr<UniversityRanks> UniversityRanks::Load(const std::filesystem::path& dir_or_csv) {
  std::filesystem::path ranks_path = dir_or_csv;
  std::error_code ec;
  if (std::filesystem::is_directory(dir_or_csv, ec))
    ranks_path = dir_or_csv / "university_ranks.csv";
  TF_ASSIGN_OR_RETURN(RefCsv csv, ReadRefCsv(ranks_path, {"institution", "country", "ranking",
                                                          "year", "rank_raw", "rank"}));
  UniversityRanks ranks;
  std::unordered_map<std::string, uint32_t> by_name;  // exact institution name -> index
  std::unordered_map<std::string, size_t> key_row;    // normalised key -> first row
  std::vector<size_t> first_row;                      // per institution
  for (size_t row = 0; row < csv.rows.size(); ++row) {
    const std::string& name = csv.Get(row, kInstitution);
    const std::string& country = csv.Get(row, kCountry);
    const std::string& ranking = csv.Get(row, kRanking);
    const std::string& raw = csv.Get(row, kRankRaw);
    const std::string key = NormalizeName(name);
    if (key.empty()) return csv.Error(row, kInstitution, "empty institution name");
    Entry entry;
    if (!IsRankingName(ranking)) {
      return csv.Error(row, kRanking,
                       "\"" + ranking + "\" is not a ranking name (e.g. THE, QS, ARWU)");
    }
    entry.ranking = ranking;
    if (!ParseYear(csv.Get(row, kYear), &entry.year)) {
      return csv.Error(row, kYear, "\"" + csv.Get(row, kYear) + "\" is not a four-digit year");
    }
    if (!ParseNumber(csv.Get(row, kRank), &entry.rank) || entry.rank < 1) {
      return csv.Error(row, kRank, "\"" + csv.Get(row, kRank) + "\" is not a number >= 1");
    }
    if (!RankAgreesWithRaw(raw, entry.rank)) {
      return csv.Error(row, kRankRaw,
                       "\"" + raw + "\" does not give rank " + csv.Get(row, kRank) +
                           " (expected N, =N, A-B with its midpoint, or N+)");
    }
    auto [it, inserted] = by_name.emplace(name, static_cast<uint32_t>(ranks.institutions_.size()));
    if (inserted) {
      auto [key_it, key_new] = key_row.emplace(key, row);
      if (!key_new) {
        return csv.Error(row, kInstitution,
                         "\"" + name + "\" normalises to the same name as \"" +
                             csv.Get(key_it->second, kInstitution) + "\" on line " +
                             std::to_string(csv.lines[key_it->second]));
      }
      ranks.institutions_.push_back(Institution{name, country, {}});
      ranks.by_key_.emplace(key, it->second);
      first_row.push_back(row);
    } else if (ranks.institutions_[it->second].country != country) {
      return csv.Error(row, kCountry,
                       "\"" + country + "\" differs from \"" +
                           ranks.institutions_[it->second].country + "\" given for \"" + name +
                           "\" on line " + std::to_string(csv.lines[first_row[it->second]]));
    }
    Institution& inst = ranks.institutions_[it->second];
    for (const Entry& seen : inst.entries) {
      if (seen.ranking == entry.ranking && seen.year == entry.year) {
        return csv.Error(row, kYear,
                         "second " + entry.ranking + " " + std::to_string(entry.year) +
                             " rank for \"" + name + "\"");
      }
    }
    if (std::find(ranks.rankings_.begin(), ranks.rankings_.end(), entry.ranking) ==
        ranks.rankings_.end())
      ranks.rankings_.push_back(entry.ranking);
    inst.entries.push_back(std::move(entry));
  }
  std::sort(ranks.rankings_.begin(), ranks.rankings_.end());
  for (Institution& inst : ranks.institutions_) {
    std::sort(inst.entries.begin(), inst.entries.end(), [](const Entry& a, const Entry& b) {
      return std::tie(a.ranking, a.year) < std::tie(b.ranking, b.year);
    });
  }

  const std::filesystem::path alias_path = ranks_path.parent_path() / "aliases.csv";
  if (!std::filesystem::exists(alias_path, ec)) return ranks;
  TF_ASSIGN_OR_RETURN(RefCsv aliases, ReadRefCsv(alias_path, {"alias", "institution"}));
  std::unordered_map<std::string, size_t> alias_row;
  for (size_t row = 0; row < aliases.rows.size(); ++row) {
    const std::string& alias = aliases.Get(row, kAlias);
    const std::string& target = aliases.Get(row, kAliasInstitution);
    auto inst = by_name.find(target);
    if (inst == by_name.end()) {
      return aliases.Error(row, kAliasInstitution,
                           "\"" + target + "\" is not an institution in " + ranks_path.string());
    }
    const std::string key = NormalizeName(alias);
    if (key.empty()) return aliases.Error(row, kAlias, "empty alias");
    auto [it, inserted] = ranks.by_key_.emplace(key, inst->second);
    if (!inserted && it->second != inst->second) {
      auto prev = alias_row.find(key);
      std::string where = prev == alias_row.end()
                              ? "the name of \"" + ranks.institutions_[it->second].name + "\""
                              : "an alias on line " + std::to_string(aliases.lines[prev->second]);
      return aliases.Error(row, kAlias,
                           "\"" + alias + "\" for \"" + target + "\" is already " + where);
    }
    alias_row.emplace(key, row);
  }
  // "Korea Advanced Institute of Science and Technology (KAIST)" also answers
  // to its name without the bracket, unless that names something else.
  for (uint32_t idx = 0; idx < ranks.institutions_.size(); ++idx) {
    const std::string& name = ranks.institutions_[idx].name;
    const size_t open = name.find('(');
    if (open == std::string::npos) continue;
    const size_t close = name.find(')', open);
    std::string outside = name.substr(0, open);
    if (close != std::string::npos) outside += name.substr(close + 1);
    const std::string key = NormalizeName(outside);
    if (!key.empty()) ranks.by_key_.emplace(key, idx);
  }
  return ranks;
}

StatusOr<UniversityRanks> UniversityRanks::LoadDefault() {
  return Load(std::filesystem::path(TALENTFLOW_DATA_DIR) / "rankings");
}

std::optional<uint32_t> UniversityRanks::Find(std::string_view university_name_in) const {
  auto lookup = [this](std::string_view text) -> std::optional<uint32_t> {
    const std::string key = NormalizeName(text);
    if (key.empty()) return std::nullopt;
    auto it = by_key_.find(key);
    if (it == by_key_.end()) return std::nullopt;
    return it->second;
  };
  if (auto hit = lookup(university_name_in)) return hit;
  // Fullwidth brackets and commas (（ ） ，) split like their ASCII forms.
  std::string text(university_name_in);
  for (const auto& [wide, ascii] : {std::pair<std::string_view, char>{"\xEF\xBC\x88", '('},
                                    {"\xEF\xBC\x89", ')'},
                                    {"\xEF\xBC\x8C", ','}}) {
    for (size_t at = text.find(wide); at != std::string::npos; at = text.find(wide, at)) {
      text.replace(at, wide.size(), 1, ascii);
    }
  }
  const std::string_view university_name = text;
  // "The University of Hong Kong (HKU)", "香港大學（HKU）": the name without
  // the bracket, then the bracket's content.
  const size_t open = university_name.find_first_of("([");
  const size_t close =
      university_name.find_first_of(")]", open == std::string_view::npos ? 0 : open);
  if (open != std::string_view::npos) {
    std::string outside(university_name.substr(0, open));
    if (close != std::string_view::npos) outside += university_name.substr(close + 1);
    if (auto hit = lookup(outside)) return hit;
    const size_t inner_end = close == std::string_view::npos ? university_name.size() : close;
    if (auto hit = lookup(university_name.substr(open + 1, inner_end - open - 1))) return hit;
  }
  // "Harvard University - Graduate School of Design", "HKU | Faculty of Law":
  // each part before a dash or bar with spaces around it, or before a comma.
  for (std::string_view sep : {" - ", " | ", " – ", " — ", ","}) {
    size_t start = 0;
    bool split = false;
    while (true) {
      const size_t at = university_name.find(sep, start);
      if (at == std::string_view::npos) break;
      split = true;
      if (auto hit = lookup(university_name.substr(start, at - start))) return hit;
      start = at + sep.size();
    }
    if (split) {
      if (auto hit = lookup(university_name.substr(start))) return hit;
    }
  }
  return std::nullopt;
}

std::optional<double> UniversityRanks::Rank(uint32_t institution, std::string_view ranking,
                                            int year) const {
  std::optional<double> best;
  int best_year = 0;
  for (const Entry& entry : institutions_[institution].entries) {
    if (entry.ranking != ranking || entry.year > year) continue;
    if (!best || entry.year > best_year) {
      best = entry.rank;
      best_year = entry.year;
    }
  }
  return best;
}

std::optional<double> UniversityRanks::BestRankInWindow(uint32_t institution, int year) const {
  std::optional<double> best;
  for (const Entry& entry : institutions_[institution].entries) {
    if (entry.year < year - 4 || entry.year > year) continue;
    if (!best || entry.rank < *best) best = entry.rank;
  }
  return best;
}

const std::string& UniversityRanks::InstitutionName(uint32_t institution) const {
  return institutions_[institution].name;
}

const std::string& UniversityRanks::InstitutionCountry(uint32_t institution) const {
  return institutions_[institution].country;
}

}  // namespace talentflow
