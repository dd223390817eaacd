// Degree normalisation (CLEANING_RULES.md): maps a free-text degree such as
// "B.Sc." or "PhD" onto the Degree enum of dataset.h. Pure functions; any
// thread may call them.
//
// Example:
//   NormalizeDegree(" M.Sc. ") == Degree::kMaster;
//   DegreeName(Degree::kMba) == "MBA";
#pragma once

#include <string_view>

#include "ingest/dataset.h"

namespace talentflow::ingest_internal {

// Case-insensitive, surrounding spaces trimmed, dots ignored. Empty -> kNone;
// a non-empty value no rule maps -> kOther.
Degree NormalizeDegree(std::string_view raw);

// "Bachelor", "Master", "MBA", "Doctor", "Associate", "High School", "none", "other".
std::string_view DegreeName(Degree degree);

}  // namespace talentflow::ingest_internal
