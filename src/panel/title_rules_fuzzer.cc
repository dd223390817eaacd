// Fuzz target for the job-title pattern file and classifier (title_rules.h).
//
// The input is a pattern file (pattern,kind,match[,note]), then an ASCII
// record separator (0x1E), then job titles, one per line. The pattern file
// is read as TitleRules::Load reads it (ParseCsvText, header check,
// FromRows); the titles are classified by those rules and by the bundled
// data/titles/title_patterns.csv. Classification must ignore ASCII case, as
// the header promises, and an empty title has no flags. A difference traps.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "panel/csv_lite.h"
#include "panel/title_rules.h"

namespace {

void CheckTitles(const talentflow::TitleRules& rules, std::string_view titles) {
  using talentflow::AsciiLower;
  if (rules.Classify("") != 0) __builtin_trap();
  while (!titles.empty()) {
    size_t cut = titles.find('\n');
    std::string_view title = titles.substr(0, cut);
    titles.remove_prefix(cut == std::string_view::npos ? titles.size() : cut + 1);
    std::string upper(title);
    for (char& c : upper)
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    const uint8_t flags = rules.Classify(title);
    if (flags & ~(talentflow::kTitleSideRole | talentflow::kTitleFounder)) __builtin_trap();
    if (rules.Classify(upper) != flags || rules.Classify(AsciiLower(title)) != flags)
      __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace talentflow;
  static const TitleRules* bundled = [] {
    StatusOr<TitleRules> rules =
        TitleRules::Load(TALENTFLOW_SOURCE_DIR "/data/titles/title_patterns.csv");
    if (!rules.ok()) __builtin_trap();
    return new TitleRules(std::move(rules).value());
  }();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t cut = input.find('\x1e');
  std::string_view patterns = input.substr(0, cut);
  std::string_view titles = cut == std::string_view::npos ? input : input.substr(cut + 1);

  CheckTitles(*bundled, titles);
  auto rows = ParseCsvText(patterns, "fuzz.csv");
  if (!rows.ok() || rows->empty() || (*rows)[0].size() < 3 || (*rows)[0][0] != "pattern" ||
      (*rows)[0][1] != "kind" || (*rows)[0][2] != "match")
    return 0;
  rows->erase(rows->begin());
  StatusOr<TitleRules> rules = TitleRules::FromRows(*rows, "fuzz.csv");
  if (!rules.ok()) {
    if (rules.status().message().rfind("fuzz.csv line ", 0) != 0) __builtin_trap();
    return 0;
  }
  CheckTitles(*rules, titles);
  return 0;
}
