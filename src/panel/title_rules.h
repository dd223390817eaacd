// TitleRules: classifies job titles as side roles (board, advisory,
// part-time, internship; English and Chinese), executive or founder titles,
// from the pattern file data/titles/title_patterns.csv (see its SOURCE.md).
//
// Classification is a pure function of the title text. For speed, the panel
// classifies each distinct title StrId once (TitleFlags) rather than each
// position. A TitleRules is immutable after Load; any thread may call it.
//
// Example:
//   TF_ASSIGN_OR_RETURN(TitleRules rules, TitleRules::LoadDefault());
//   uint8_t f = rules.Classify("Non-Executive Director");  // kTitleSideRole
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ingest/dataset.h"

namespace talentflow {

inline constexpr uint8_t kTitleSideRole = 1;
inline constexpr uint8_t kTitleFounder = 2;

class TitleRules {
 public:
  // Columns pattern,kind,match[,note]; kind in side_role_strong, executive,
  // side_role, founder; match in word, substring. Errors name file, line, column.
  static StatusOr<TitleRules> Load(const std::filesystem::path& csv);
  // TALENTFLOW_DATA_DIR/titles/title_patterns.csv
  static StatusOr<TitleRules> LoadDefault();
  // Builds from rows already parsed (header excluded); used by Load and tests.
  static StatusOr<TitleRules> FromRows(const std::vector<std::vector<std::string>>& rows,
                                       std::string_view origin);

  // Bit set of kTitleSideRole / kTitleFounder.
  uint8_t Classify(std::string_view title) const;

 private:
  struct Pattern {
    std::string text;  // ASCII-lowercased
    bool word = true;
  };
  static bool AnyMatches(const std::vector<Pattern>& patterns, std::string_view lowered);

  std::vector<Pattern> strong_side_;
  std::vector<Pattern> executive_;
  std::vector<Pattern> side_;
  std::vector<Pattern> founder_;
};

// Flags of every distinct title in a dataset, indexed by StrId. Built once
// before the per-person pass (2 threads); read-only afterwards.
class TitleFlags {
 public:
  static TitleFlags Build(const Dataset& dataset, const TitleRules& rules, int threads);
  uint8_t flags(StrId title) const { return title < flags_.size() ? flags_[title] : 0; }

 private:
  std::vector<uint8_t> flags_;
};

// ASCII lower-casing (non-ASCII bytes kept), used by every case-insensitive
// comparison of dataset strings in flows.
std::string AsciiLower(std::string_view text);

}  // namespace talentflow
