// Small order statistics used by the published tables.
//
// HighPayCut: the salary at or above which a person is in the top three
// deciles of a group. With the group's n salaries sorted ascending
// s[0] <= ... <= s[n-1], the cut is s[floor(7n/10)] and a person is high-pay
// when salary >= cut. So at least ceil(3n/10) persons are high-pay, and
// persons tied at the cut are all in (never split by an arbitrary order).
// Example: n = 10 -> cut s[7] (the 3 largest); n = 4 -> floor(2.8) = 2 ->
// s[2] (the 2 largest).
//
// CompetitionRanks: "1224" ranking of values (equal values share the best
// rank; the next distinct value skips). Missing values (nullopt) get no rank.
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <vector>

namespace talentflow {

// REQUIRES: none; returns nullopt for an empty vector. Reorders `salaries`.
std::optional<double> HighPayCut(std::vector<double>* salaries);

// rank[i] for values[i]; higher_is_better selects the direction (rank 1 =
// highest value when true, lowest when false).
std::vector<std::optional<int>> CompetitionRanks(const std::vector<std::optional<double>>& values,
                                                 bool higher_is_better);

}  // namespace talentflow
