// Fuzz target for complementary suppression (disclosure.h) over arbitrary
// relations, checked against an independent solver
// (internal/determined.h).
//
// Input bytes: k (byte 0, mod 16), zero policy (byte 1, bit 0), a cell
// count (byte 2, mod 40, plus 1), one byte per cell value (mod 64), then
// relations of 2 bytes per term: cell (mod cells) and, in bit 7 of the
// second byte, the sign; bits 0-3 of the second byte end the relation when
// zero (at most 16 relations).
//
// Checks, each a trap when it fails: every count below k (a published zero
// aside) is suppressed, and only below-k and complementary counts are; when
// no count is unprotectable (fixed by constants alone), no relation holds a
// single suppressed count and no suppressed count is a combination of
// published ones; the hidden counts on one side of a relation add up to k or
// more unless no published count of k or more is left in it (small_groups()
// counts exactly those); Protect() is deterministic.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "stats/disclosure.h"
#include "stats/internal/determined.h"

namespace {

using talentflow::Disclosure;

struct Input {
  int k = 0;
  Disclosure::Zeros zeros = Disclosure::Zeros::kSuppress;
  std::vector<int64_t> values;
  std::vector<std::vector<Disclosure::Term>> relations;
};

Input Decode(const uint8_t* data, size_t size) {
  Input in;
  if (size < 3) return in;
  in.k = data[0] % 16;
  in.zeros = (data[1] & 1) != 0 ? Disclosure::Zeros::kPublish : Disclosure::Zeros::kSuppress;
  const size_t cells = data[2] % 40 + 1;
  size_t pos = 3;
  for (size_t c = 0; c < cells; ++c) in.values.push_back(pos < size ? data[pos++] % 64 : 0);
  std::vector<Disclosure::Term> relation;
  while (pos + 1 < size && in.relations.size() < 16) {
    const uint32_t cell = data[pos] % cells;
    const int coef = (data[pos + 1] & 0x80) != 0 ? -1 : 1;
    const bool last = (data[pos + 1] & 0x0f) == 0;
    pos += 2;
    relation.push_back({cell, coef});
    if (last) {
      in.relations.push_back(relation);
      relation.clear();
    }
  }
  if (!relation.empty() && in.relations.size() < 16) in.relations.push_back(relation);
  return in;
}

Disclosure Run(const Input& in) {
  Disclosure d(in.k, in.zeros);
  for (int64_t v : in.values) d.Add(v);
  for (const auto& r : in.relations) d.Relate(r);
  d.Protect();
  return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Input in = Decode(data, size);
  if (in.values.empty()) return 0;
  const Disclosure d = Run(in);
  const Disclosure again = Run(in);
  const size_t cells = in.values.size();
  int64_t complementary = 0;
  for (uint32_t c = 0; c < cells; ++c) {
    if (d.suppressed(c) != again.suppressed(c)) __builtin_trap();
    const bool below = in.k > 0 && in.values[c] < in.k &&
                       (in.values[c] != 0 || in.zeros == Disclosure::Zeros::kSuppress);
    if (d.below_k(c) != below) __builtin_trap();
    complementary += d.suppressed(c) && !below;
  }
  if (complementary != d.complementary()) __builtin_trap();
  if (in.k == 0) return 0;

  // Hidden counts on one side of a relation add up to at least k, unless the
  // relation holds no published count of k or more (a small group).
  int64_t small_groups = 0;
  for (const auto& relation : in.relations) {
    std::vector<int> coef(cells, 0);
    for (const auto& t : relation) coef[t.cell] += t.coef;
    bool positive = false, negative = false, partner_left = false;
    int hidden_terms = 0;
    int64_t sum = 0;
    for (uint32_t c = 0; c < cells; ++c) {
      if (coef[c] == 0) continue;
      if (!d.suppressed(c)) {
        partner_left = partner_left || in.values[c] >= in.k;
        continue;
      }
      (coef[c] > 0 ? positive : negative) = true;
      ++hidden_terms;
      sum += coef[c] * in.values[c];
    }
    // (A single hidden count left is the unprotectable case, checked below.)
    if (hidden_terms < 2 || positive == negative || (sum < 0 ? -sum : sum) >= in.k) continue;
    if (partner_left) __builtin_trap();
    ++small_groups;
  }
  if (small_groups != d.small_groups()) __builtin_trap();
  if (d.unprotectable() > 0) return 0;

  // The relations as Disclosure sees them: a cell's coefficients add up.
  std::vector<uint32_t> hidden;
  for (uint32_t c = 0; c < cells; ++c) {
    if (d.suppressed(c)) hidden.push_back(c);
  }
  std::vector<std::vector<double>> a(in.relations.size(), std::vector<double>(hidden.size(), 0));
  for (size_t r = 0; r < in.relations.size(); ++r) {
    std::vector<double> coef(cells, 0);
    for (const auto& t : in.relations[r]) coef[t.cell] += t.coef;
    int suppressed_terms = 0;
    for (uint32_t c = 0; c < cells; ++c) suppressed_terms += coef[c] != 0 && d.suppressed(c);
    if (suppressed_terms == 1) __builtin_trap();
    for (size_t h = 0; h < hidden.size(); ++h) a[r][h] = coef[hidden[h]];
  }
  const std::vector<bool> fixed = talentflow::testing_internal::DeterminedColumns(a);
  for (bool f : fixed) {
    if (f) __builtin_trap();
  }
  return 0;
}
