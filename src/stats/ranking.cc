#include "stats/ranking.h"

#include <algorithm>

namespace talentflow {

std::optional<double> HighPayCut(std::vector<double>* salaries) {
  if (salaries->empty()) return std::nullopt;
  const size_t n = salaries->size();
  const size_t index = (7 * n) / 10;
  std::nth_element(salaries->begin(), salaries->begin() + static_cast<std::ptrdiff_t>(index),
                   salaries->end());
  return (*salaries)[index];
}

std::vector<std::optional<int>> CompetitionRanks(const std::vector<std::optional<double>>& values,
                                                 bool higher_is_better) {
  std::vector<std::optional<int>> ranks(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    if (!values[i]) continue;
    int better = 0;
    for (size_t j = 0; j < values.size(); ++j) {
      if (!values[j]) continue;
      if (higher_is_better ? *values[j] > *values[i] : *values[j] < *values[i]) ++better;
    }
    ranks[i] = better + 1;
  }
  return ranks;
}

}  // namespace talentflow
