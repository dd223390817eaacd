#include "stats/disclosure.h"

#include <algorithm>
#include <cassert>
#include <deque>
#include <string>
#include <unordered_map>

namespace talentflow {

namespace {

// Arithmetic modulo the Mersenne prime 2^61 - 1.
constexpr uint64_t kPrime = (uint64_t{1} << 61) - 1;

uint64_t Mod(int64_t x) {
  const int64_t r = x % static_cast<int64_t>(kPrime);
  return static_cast<uint64_t>(r < 0 ? r + static_cast<int64_t>(kPrime) : r);
}
uint64_t MulMod(uint64_t a, uint64_t b) {
  const unsigned __int128 p = static_cast<unsigned __int128>(a) * b;
  uint64_t r = static_cast<uint64_t>(p & kPrime) + static_cast<uint64_t>(p >> 61);
  return r >= kPrime ? r - kPrime : r;
}
uint64_t AddMod(uint64_t a, uint64_t b) {
  const uint64_t r = a + b;
  return r >= kPrime ? r - kPrime : r;
}
uint64_t SubMod(uint64_t a, uint64_t b) { return a >= b ? a - b : a + kPrime - b; }
uint64_t InverseMod(uint64_t a) {
  uint64_t result = 1, base = a, e = kPrime - 2;
  while (e) {
    if (e & 1) result = MulMod(result, base);
    base = MulMod(base, base);
    e >>= 1;
  }
  return result;
}

}  // namespace

Disclosure::CellId Disclosure::Add(int64_t count) {
  values_.push_back(count);
  state_.push_back(k_ > 0 && count < k_ ? State::kPrimary : State::kPublished);
  return static_cast<CellId>(values_.size() - 1);
}

void Disclosure::Relate(std::vector<Term> terms) {
  assert(relations_.size() < kMaxRelations);
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

bool Disclosure::SmallestPublished(const std::vector<CellId>& cells, CellId* out) const {
  // Smallest value first; among equals the count in fewer relations (a
  // class total ties with its only part: the part goes, not the headline),
  // then the lower id.
  const auto relations = [&](CellId c) { return member_begin_[c + 1] - member_begin_[c]; };
  bool found = false;
  for (CellId c : cells) {
    if (suppressed(c)) continue;
    if (found) {
      const int64_t v = values_[c], best = values_[*out];
      if (v > best || (v == best && relations(c) > relations(*out)) ||
          (v == best && relations(c) == relations(*out) && c > *out)) {
        continue;
      }
    }
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
    if (!SmallestPublished(cells, &pick)) {
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
  const size_t cols = columns.size();
  // Rows: relations over the suppressed columns, then the identity (which
  // relations were combined).
  const size_t width = cols + rels;
  std::vector<std::vector<uint64_t>> a(rels, std::vector<uint64_t>(width, 0));
  for (size_t col = 0; col < cols; ++col) {
    for (const Term& t : columns[col]) a[t.cell][col] = Mod(t.coef);
  }
  for (size_t r = 0; r < rels; ++r) a[r][cols + r] = 1;
  std::vector<std::pair<size_t, size_t>> pivots;  // (row, column)
  size_t row = 0;
  for (size_t col = 0; col < cols && row < rels; ++col) {
    size_t p = row;
    while (p < rels && a[p][col] == 0) ++p;
    if (p == rels) continue;
    std::swap(a[p], a[row]);
    const uint64_t inv = InverseMod(a[row][col]);
    for (uint64_t& v : a[row]) v = MulMod(v, inv);
    for (size_t r = 0; r < rels; ++r) {
      if (r == row || a[r][col] == 0) continue;
      const uint64_t f = a[r][col];
      for (size_t j = 0; j < width; ++j) {
        if (a[row][j]) a[r][j] = SubMod(a[r][j], MulMod(f, a[row][j]));
      }
    }
    pivots.emplace_back(row, col);
    ++row;
  }
  for (const auto& [prow, pcol] : pivots) {
    if (group_size[pcol] != 1) continue;
    bool alone = true;
    for (size_t j = 0; j < cols && alone; ++j) alone = j == pcol || a[prow][j] == 0;
    if (!alone) continue;
    const CellId determined = first_cell[pcol];
    if (unprotectable_cell_[determined]) continue;
    // The combination of relations that gives it: its published terms.
    std::unordered_map<CellId, uint64_t> coef;
    for (size_t r = 0; r < rels; ++r) {
      const uint64_t c = a[prow][cols + r];
      if (c == 0) continue;
      for (const Term& t : relations_[r]) {
        if (!suppressed(t.cell)) coef[t.cell] = AddMod(coef[t.cell], MulMod(c, Mod(t.coef)));
      }
    }
    std::vector<CellId> candidates;
    for (const auto& [cell, v] : coef) {
      if (v != 0) candidates.push_back(cell);
    }
    CellId pick = 0;
    if (!SmallestPublished(candidates, &pick)) {
      unprotectable_cell_[determined] = 1;
      ++unprotectable_;
      continue;
    }
    Suppress(pick);
    return true;
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
  do {
    SingletonPass();
  } while (AuditOnce());
}

}  // namespace talentflow
