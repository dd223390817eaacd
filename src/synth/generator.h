// Generator: writes the rows of one synthetic user (and the rows of its
// planted messes) and records their planted truth.
//
// The model (docs/synth.md): each user is drawn a class (stayer, joiner,
// leaver, outside, or unclassified by which snapshot is unknown), countries
// at the two snapshots, a same-company status, an age, education and a
// career of positions built so that the spec's primary-position rules give
// the intended location at each snapshot. Messes (side roles abroad, ties,
// empty countries, duplicates, malformed rows, every quarantine reason) are
// added at rates scaled by `mess_rate`. The truth of each person is then
// computed from the rows that survive cleaning, by a small evaluation of the
// spec's rules written here (never engine code).
//
// A Generator is immutable after construction; GenerateUser may be called
// from many threads at once, each with its own UserBuffers and TruthPartial.
//
// Example:
//   Generator gen(ref, params);
//   UserBuffers buf;  TruthPartial truth = gen.NewPartial();
//   for (int64_t u = begin; u < end; ++u) gen.GenerateUser(u, &buf, &truth);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/month.h"
#include "synth/reference.h"
#include "synth/truth.h"

namespace talentflow::synth {

struct SynthParams {
  int64_t users = 1000;
  uint64_t seed = 1;
  std::string place = "Hong Kong";  // a country of data/synth/countries.csv
  Month before = MakeMonth(2019, 12);
  Month after = MakeMonth(2023, 6);
  Month cutoff = MakeMonth(2023, 10);
  double mess_rate = 1.0;  // multiplies every mess probability; 0 = clean data
};

// Column headers, in the order written (column order is free in the spec;
// ours differs from the spec's table on purpose, and `company` is a column
// the spec does not know, which readers must ignore).
extern const char* const kUserHeader;
extern const char* const kPositionsHeader;
extern const char* const kEducationHeader;
extern const char* const kRawHeader;
extern const char* const kMappingHeader;

// Text of the rows of one block of users, per table.
struct UserBuffers {
  std::string users, positions, education, raw;
  void Clear() {
    users.clear();
    positions.clear();
    education.clear();
    raw.clear();
  }
};

// A firm of the synthetic economy: multinationals (one parent, a subsidiary
// rcid in every country) and domestic firms (one rcid per country slot).
struct SynthCompany {
  std::string rcid;
  std::string parent_rcid;  // in company_mapping; empty = none (falls back to rcid)
  std::string name;
  int country = -1;
  int firm = -1;  // index of the firm key (ultimate parent, else rcid)
  int multinational = -1;
};

class Generator {
 public:
  static constexpr int kMultinationals = 60;
  static constexpr int kDomesticPerCountry = 400;

  // REQUIRES: params.place names a country of `ref`; before < after <= cutoff.
  Generator(const SynthReference& ref, const SynthParams& params);

  // A partial sized for this generator's countries, firms and metros.
  TruthPartial NewPartial() const;

  // Appends the rows of user `index` to `out` and its truth to `truth`.
  void GenerateUser(int64_t index, UserBuffers* out, TruthPartial* truth) const;

  // The rows of company_mapping (with its planted messes), and their fates.
  void GenerateCompanyMapping(std::string* out, TruthPartial* truth) const;

  const SynthReference& reference() const { return ref_; }
  const SynthParams& params() const { return params_; }
  int target_country() const { return target_; }
  const std::vector<SynthCompany>& companies() const { return companies_; }
  // Firm key strings by firm index (the ultimate parent rcid, else the rcid).
  const std::vector<std::string>& firm_keys() const { return firm_keys_; }

 private:
  friend class PersonBuilder;
  int SubsidiaryOf(int multinational, int country) const {
    return kMultinationals + multinational * static_cast<int>(ref_.countries.size()) + country;
  }
  int DomesticOf(int country, int k) const {
    return kMultinationals * (1 + static_cast<int>(ref_.countries.size())) +
           country * kDomesticPerCountry + k;
  }

  const SynthReference& ref_;
  SynthParams params_;
  int target_ = -1;
  std::vector<SynthCompany> companies_;
  std::vector<std::string> firm_keys_;
  std::vector<double> mn_trend_;  // per multinational: > 0 gains in the place
  std::vector<int> titles_main_, titles_exec_, titles_founder_, titles_side_;
};

}  // namespace talentflow::synth
