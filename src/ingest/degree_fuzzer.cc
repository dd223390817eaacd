// Fuzz target for degree normalisation (internal/degree.h), applied to every
// highest_degree and degree value. Checks the properties its header states:
// case, dots and surrounding spaces do not matter (upper-casing the ASCII
// letters, adding dots and padding with spaces and tabs give the same
// Degree), only a value that is empty after that maps to kNone, and every
// Degree's display name maps back to it (except kNone, whose name "none"
// is a word like any other). A difference traps.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ingest/dataset.h"
#include "ingest/internal/degree.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace talentflow;
  using ingest_internal::DegreeName;
  using ingest_internal::NormalizeDegree;
  static const bool names_round_trip = [] {
    for (Degree degree : {Degree::kHighSchool, Degree::kAssociate, Degree::kBachelor,
                          Degree::kMaster, Degree::kMba, Degree::kDoctor, Degree::kOther})
      if (NormalizeDegree(DegreeName(degree)) != degree) return false;
    return true;
  }();
  if (!names_round_trip) __builtin_trap();

  std::string_view raw(reinterpret_cast<const char*>(data), size);
  const Degree degree = NormalizeDegree(raw);

  std::string upper(raw);
  for (char& c : upper)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (NormalizeDegree(upper) != degree) __builtin_trap();
  if (NormalizeDegree(" \t." + std::string(raw) + ". ") != degree) __builtin_trap();

  bool blank = true;
  for (char c : raw)
    if (c != ' ' && c != '\t' && c != '.') blank = false;
  if ((degree == Degree::kNone) != blank) __builtin_trap();
  return 0;
}
