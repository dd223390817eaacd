#include "stats/disclosure.h"

#include <algorithm>
#include <boost/multiprecision/cpp_int.hpp>
#include <cassert>
#include <deque>
#include <map>
#include <string>
#include <tuple>
#include <unordered_map>

namespace talentflow {

namespace {

using Int = boost::multiprecision::cpp_int;

// Divides a row by the gcd of its entries (keeps fraction-free elimination's
// numbers small; the row space does not change).
void Reduce(std::vector<Int>* row) {
  Int g = 0;
  for (const Int& v : *row) {
    if (v != 0) g = boost::multiprecision::gcd(g, v);
  }
  if (g > 1) {
    for (Int& v : *row) v /= g;
  }
}

// Union-find over relations.
uint32_t Root(std::vector<uint32_t>* parent, uint32_t x) {
  while ((*parent)[x] != x) x = (*parent)[x] = (*parent)[(*parent)[x]];
  return x;
}

}  // namespace

Disclosure::CellId Disclosure::Add(int64_t count) {
  values_.push_back(count);
  const bool below = k_ > 0 && count < k_ && (count != 0 || zeros_ == Zeros::kSuppress);
  state_.push_back(below ? State::kPrimary : State::kPublished);
  return static_cast<CellId>(values_.size() - 1);
}

void Disclosure::Relate(std::vector<Term> terms) {
  // One term per cell (coefficients of a repeated cell add up).
  std::sort(terms.begin(), terms.end(),
            [](const Term& a, const Term& b) { return a.cell < b.cell; });
  std::vector<Term> merged;
  for (const Term& t : terms) {
    assert(t.cell < values_.size() && (t.coef == 1 || t.coef == -1));
    if (!merged.empty() && merged.back().cell == t.cell) {
      merged.back().coef += t.coef;
    } else {
      merged.push_back(t);
    }
  }
  std::erase_if(merged, [](const Term& t) { return t.coef == 0; });
  relations_.push_back(std::move(merged));
}

Cell Disclosure::cell(CellId id) const {
  if (suppressed(id)) return Suppressed{};
  return values_[id];
}

void Disclosure::Suppress(CellId cell) {
  assert(state_[cell] == State::kPublished);
  state_[cell] = State::kComplementary;
  ++complementary_;
  for (uint32_t m = member_begin_[cell]; m < member_begin_[cell + 1]; ++m) {
    ++suppressed_in_[members_[m].cell];
  }
}

bool Disclosure::CheapestPublished(const std::vector<CellId>& cells, CellId* out) const {
  // Counts of at least k first. Then the least cost, value times the number
  // of relations the count is in: hiding a count in more relations makes
  // more of them need partners (a class total is in five; an age-rule count
  // of the same size, in one, goes first). Then the smaller value, then the
  // lower id.
  const auto key = [&](CellId c) {
    const int64_t relations = member_begin_[c + 1] - member_begin_[c];
    return std::make_tuple(values_[c] < k_, values_[c] * relations, values_[c], c);
  };
  bool found = false;
  for (CellId c : cells) {
    if (suppressed(c) || (found && key(c) >= key(*out))) continue;
    *out = c;
    found = true;
  }
  return found;
}

void Disclosure::SingletonPass() {
  std::deque<uint32_t> queue;
  for (uint32_t r = 0; r < relations_.size(); ++r) {
    if (suppressed_in_[r] == 1) queue.push_back(r);
  }
  std::vector<CellId> cells;
  while (!queue.empty()) {
    const uint32_t r = queue.front();
    queue.pop_front();
    if (suppressed_in_[r] != 1) continue;
    cells.clear();
    for (const Term& t : relations_[r]) cells.push_back(t.cell);
    CellId pick = 0;
    if (!CheapestPublished(cells, &pick)) {
      // A relation of one count: a constant. Nothing to hide it behind.
      for (const Term& t : relations_[r]) {
        if (suppressed(t.cell) && !unprotectable_cell_[t.cell]) {
          unprotectable_cell_[t.cell] = 1;
          ++unprotectable_;
        }
      }
      continue;
    }
    Suppress(pick);
    for (uint32_t m = member_begin_[pick]; m < member_begin_[pick + 1]; ++m) {
      if (suppressed_in_[members_[m].cell] == 1) queue.push_back(members_[m].cell);
    }
  }
}

bool Disclosure::SmallGroup(uint32_t relation) const {
  // Hidden terms of one sign: a reader knows their (weighted) sum.
  if (suppressed_in_[relation] < 2) return false;
  int64_t sum = 0;
  bool positive = false, negative = false;
  for (const Term& t : relations_[relation]) {
    if (!suppressed(t.cell)) continue;
    (t.coef > 0 ? positive : negative) = true;
    sum += t.coef * values_[t.cell];
  }
  return positive != negative && (sum < 0 ? -sum : sum) < k_;
}

bool Disclosure::GroupPass() {
  bool changed = false;
  std::vector<CellId> cells;
  for (uint32_t r = 0; r < relations_.size(); ++r) {
    if (no_partner_[r] || !SmallGroup(r)) continue;
    cells.clear();
    for (const Term& t : relations_[r]) cells.push_back(t.cell);
    // Only a count of at least k helps (the published counts below k are
    // zeros, which add nothing), and one is enough.
    CellId pick = 0;
    if (CheapestPublished(cells, &pick) && values_[pick] >= k_) {
      Suppress(pick);
      changed = true;
    } else {
      no_partner_[r] = 1;
    }
  }
  return changed;
}

bool Disclosure::AuditOnce() {
  const size_t rels = relations_.size();
  // Suppressed counts grouped by their column (relations and coefficients).
  // Counts sharing a column are never determined (no combination of rows can
  // tell them apart), and one representative keeps the rank.
  std::unordered_map<std::string, uint32_t> column_of;
  std::vector<std::vector<Term>> columns;  // Term.cell = relation here
  std::vector<CellId> first_cell;
  std::vector<uint32_t> group_size;
  std::string key;
  for (CellId c = 0; c < values_.size(); ++c) {
    if (!suppressed(c) || member_begin_[c] == member_begin_[c + 1]) continue;
    key.clear();
    for (uint32_t m = member_begin_[c]; m < member_begin_[c + 1]; ++m) {
      key.append(reinterpret_cast<const char*>(&members_[m].cell), sizeof(CellId));
      key.push_back(static_cast<char>(members_[m].coef));
    }
    auto [it, inserted] = column_of.try_emplace(key, static_cast<uint32_t>(columns.size()));
    if (inserted) {
      columns.emplace_back(members_.begin() + member_begin_[c],
                           members_.begin() + member_begin_[c + 1]);
      first_cell.push_back(c);
      group_size.push_back(0);
    }
    ++group_size[it->second];
  }
  // Relations that share no suppressed count are eliminated apart.
  std::vector<uint32_t> parent(rels);
  for (uint32_t r = 0; r < rels; ++r) parent[r] = r;
  for (const auto& col : columns) {
    for (const Term& t : col) parent[Root(&parent, t.cell)] = Root(&parent, col[0].cell);
  }
  std::map<uint32_t, std::vector<uint32_t>> component_rels, component_cols;
  for (uint32_t r = 0; r < rels; ++r) component_rels[Root(&parent, r)].push_back(r);
  for (uint32_t col = 0; col < columns.size(); ++col) {
    component_cols[Root(&parent, columns[col][0].cell)].push_back(col);
  }
  for (const auto& [root, cols] : component_cols) {
    const std::vector<uint32_t>& comp = component_rels[root];
    std::unordered_map<uint32_t, size_t> local;  // relation -> row
    for (size_t i = 0; i < comp.size(); ++i) local[comp[i]] = i;
    // Rows: the relations over the component's suppressed columns, then the
    // identity (which relations a row combines). Exact integer Gauss-Jordan
    // elimination, fraction-free.
    const size_t n = cols.size(), width = n + comp.size();
    std::vector<std::vector<Int>> a(comp.size(), std::vector<Int>(width, 0));
    for (size_t j = 0; j < n; ++j) {
      for (const Term& t : columns[cols[j]]) a[local[t.cell]][j] = t.coef;
    }
    for (size_t i = 0; i < comp.size(); ++i) a[i][n + i] = 1;
    std::vector<std::pair<size_t, size_t>> pivots;  // (row, column)
    size_t row = 0;
    for (size_t j = 0; j < n && row < comp.size(); ++j) {
      size_t p = row;
      while (p < comp.size() && a[p][j] == 0) ++p;
      if (p == comp.size()) continue;
      std::swap(a[p], a[row]);
      for (size_t r = 0; r < comp.size(); ++r) {
        if (r == row || a[r][j] == 0) continue;
        const Int f = a[r][j], g = a[row][j];
        for (size_t x = 0; x < width; ++x) a[r][x] = g * a[r][x] - f * a[row][x];
        Reduce(&a[r]);
      }
      pivots.emplace_back(row, j);
      ++row;
    }
    for (const auto& [prow, pcol] : pivots) {
      if (group_size[cols[pcol]] != 1) continue;
      bool alone = true;
      for (size_t j = 0; j < n && alone; ++j) alone = j == pcol || a[prow][j] == 0;
      if (!alone) continue;
      const CellId determined = first_cell[cols[pcol]];
      if (unprotectable_cell_[determined]) continue;
      // The combination of relations that gives it: its published terms.
      std::map<CellId, Int> coef;
      for (size_t i = 0; i < comp.size(); ++i) {
        const Int& c = a[prow][n + i];
        if (c == 0) continue;
        for (const Term& t : relations_[comp[i]]) {
          if (!suppressed(t.cell)) coef[t.cell] += c * t.coef;
        }
      }
      std::vector<CellId> candidates;
      for (const auto& [cell, v] : coef) {
        if (v != 0) candidates.push_back(cell);
      }
      CellId pick = 0;
      if (!CheapestPublished(candidates, &pick)) {
        unprotectable_cell_[determined] = 1;
        ++unprotectable_;
        continue;
      }
      Suppress(pick);
      return true;
    }
  }
  return false;
}

void Disclosure::Protect() {
  if (k_ <= 0) return;
  const size_t cells = values_.size();
  member_begin_.assign(cells + 1, 0);
  for (const auto& rel : relations_) {
    for (const Term& t : rel) ++member_begin_[t.cell + 1];
  }
  for (size_t c = 0; c < cells; ++c) member_begin_[c + 1] += member_begin_[c];
  members_.resize(member_begin_[cells]);
  std::vector<uint32_t> fill(member_begin_.begin(), member_begin_.end() - 1);
  for (uint32_t r = 0; r < relations_.size(); ++r) {
    for (const Term& t : relations_[r]) members_[fill[t.cell]++] = Term{r, t.coef};
  }
  suppressed_in_.assign(relations_.size(), 0);
  for (uint32_t r = 0; r < relations_.size(); ++r) {
    for (const Term& t : relations_[r]) suppressed_in_[r] += suppressed(t.cell) ? 1 : 0;
  }
  unprotectable_cell_.assign(cells, 0);
  no_partner_.assign(relations_.size(), 0);
  for (;;) {
    SingletonPass();
    if (GroupPass()) continue;
    if (!AuditOnce()) break;
  }
  for (uint32_t r = 0; r < relations_.size(); ++r) small_groups_ += SmallGroup(r) ? 1 : 0;
}

}  // namespace talentflow
