// SynthReference: the reference data and calibration the generator draws
// from, loaded from the data/synth/ folder (see data/synth/SOURCE.md):
// countries with their study flows, metro areas, titles by kind, university
// names, and the study's published tables (headline classes, table 1 means,
// table 2 flows, table 3 same-company counts).
//
// A SynthReference is immutable after loading and shared read-only by all
// generator threads. Indices (country, metro, title, university) are
// positions in the vectors below, in file order.
//
// Example:
//   TF_ASSIGN_OR_RETURN(SynthReference ref, LoadSynthReference("data/synth"));
//   int hk = ref.FindCountry("Hong Kong");
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace talentflow::synth {

struct SynthCountry {
  std::string name;        // as written in the dataset
  std::string study_name;  // the study's table 2 region, empty if "other"
  std::string region;      // Revelio-style world region for the `region` column
  double outside_weight = 0;
  double join_weight = 0;   // joiners from here (study table 2, or a share of "others")
  double leave_weight = 0;  // leavers to here
  double asian_share = 0;
  std::vector<int> metros;  // indices into SynthReference::metros
};

struct SynthMetro {
  int country = -1;
  std::string metro_area, city, state;  // empty metro = country only
  double weight = 0;
};

enum class TitleKind { kMain, kExecutive, kFounder, kSide };

struct SynthTitle {
  std::string text;
  TitleKind kind = TitleKind::kMain;
};

struct SynthUniversity {
  std::string name;
  int country = -1;
  int tier = 3;  // 1 top 50, 2 ranked, 3 other
  double weight = 1;
};

// The study's published figures used for calibration.
struct StudyCalibration {
  double stayers = 0, joiners = 0, leavers = 0;         // headline
  double same_share_stayer = 0, same_share_joiner = 0,  // table 3: same / (same + different)
      same_share_leaver = 0;
  double age_joiner = 0, age_leaver = 0;                  // table 1 means
  double salary_joiner = 0, salary_leaver = 0;            // table 1 means
  double asian_joiner = 0, asian_leaver = 0;              // table 1 shares
  double connections_joiner = 0, connections_leaver = 0;  // table 1 means
};

struct SynthReference {
  std::vector<SynthCountry> countries;
  std::vector<SynthMetro> metros;
  std::vector<SynthTitle> titles;
  std::vector<SynthUniversity> universities;
  std::vector<std::string> fields_of_study;
  std::vector<double> field_weights;
  StudyCalibration study;

  // Index of the country with this exact name, or -1.
  int FindCountry(std::string_view name) const;
};

// Reads data_dir/{countries,metros,titles,universities,study_*}.csv. Errors
// name the file and line.
StatusOr<SynthReference> LoadSynthReference(const std::filesystem::path& data_dir);

// Splits one line of a simple CSV file (RFC 4180 quoting, no embedded
// newlines). Exposed for tests.
std::vector<std::string> SplitSimpleCsvLine(std::string_view line);

}  // namespace talentflow::synth
