// Test and fuzz helper: which unknowns of a linear system m x = b are fixed
// by it, computed independently of stats/disclosure.cc (floating point with
// partial pivoting, for the small integer matrices the tests build). x_j is
// fixed iff j is a pivot column of the reduced row echelon form and its row
// is zero at every free column: then no vector of the null space moves x_j.
#pragma once

#include <cmath>
#include <utility>
#include <vector>

namespace talentflow::testing_internal {

inline std::vector<bool> DeterminedColumns(std::vector<std::vector<double>> m) {
  const size_t cols = m.empty() ? 0 : m[0].size();
  std::vector<int> pivot_row(cols, -1);
  size_t rank = 0;
  for (size_t col = 0; col < cols && rank < m.size(); ++col) {
    size_t best = rank;
    for (size_t r = rank; r < m.size(); ++r) {
      if (std::abs(m[r][col]) > std::abs(m[best][col])) best = r;
    }
    if (std::abs(m[best][col]) < 1e-9) continue;
    std::swap(m[best], m[rank]);
    const double p = m[rank][col];
    for (double& v : m[rank]) v /= p;
    for (size_t r = 0; r < m.size(); ++r) {
      if (r == rank || m[r][col] == 0) continue;
      const double f = m[r][col];
      for (size_t j = 0; j < cols; ++j) m[r][j] -= f * m[rank][j];
    }
    pivot_row[col] = static_cast<int>(rank++);
  }
  std::vector<bool> fixed(cols, false);
  for (size_t col = 0; col < cols; ++col) {
    if (pivot_row[col] < 0) continue;
    bool alone = true;
    for (size_t j = 0; j < cols && alone; ++j) {
      alone = pivot_row[j] >= 0 || std::abs(m[pivot_row[col]][j]) < 1e-9;
    }
    fixed[col] = alone;
  }
  return fixed;
}

}  // namespace talentflow::testing_internal
