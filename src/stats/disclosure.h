// Disclosure: decides which person counts of a publication are suppressed.
// Primary suppression hides every count below k. Complementary (secondary)
// suppression then hides further counts so that no suppressed count can be
// recomputed from what is published: the tables share additive relations (a
// class total and its age bands, joiners by country and all joiners, the
// persons of a snapshot and their classes), and a single suppressed part of a
// published total is the total minus the other parts.
//
// The caller registers every person count that a relation touches (Add), the
// relations as sums of counts whose value a reader knows (Relate: the total
// is either a constant published elsewhere or one of the terms with
// coefficient -1), then calls Protect() once. After it:
//   1. every relation holds no suppressed count or at least two;
//   2. the suppressed counts of a relation, when all on one side of it, add
//      up to at least k: their sum is the rest of the relation, which
//      a reader computes (50 leavers, 45 to Australia published, the hidden 3
//      to the US and 2 to the UK make a group of 5 below k; and two hidden
//      zeros beside a published total would each be 0, since no count is
//      negative);
//   3. no suppressed count is determined by the relations: it is not a linear
//      combination of published counts and constants (checked exactly:
//      fraction-free Gauss-Jordan elimination in arbitrary-precision
//      integers, relations that share no suppressed count apart).
// Each complementary count is the published count of least cost on the
// relation, or on the combination of relations, that reveals a suppressed
// one: counts of at least k first (only published zeros are smaller:
// hiding a zero beside a 3 would leave both within [0, 3]); then value times
// the number of relations the count is in (a count in more relations makes
// more of them need partners); then the smaller value, then the lowest id.
// Not attempted: interval protection beyond rule 2 (bounds that
// non-negativity adds through several relations at once, which needs linear
// programming) and relations across separate runs. A count determined by
// constants alone cannot be protected by suppression; unprotectable() counts
// them (in the flow tables only a zero an empty table shows anyway: no
// leavers when flows_by_country has no row). small_groups() counts the
// relations that still break rule 2 because no published count of k or more
// is left in them to hide.
//
// Thread-compatible; Protect() is deterministic (depends only on the values
// and the order of Add and Relate calls).
//
// Example:
//   Disclosure d(10);
//   auto total = d.Add(25), a = d.Add(3), b = d.Add(12), c = d.Add(10);
//   d.Relate({{total, -1}, {a, 1}, {b, 1}, {c, 1}});  // a + b + c = total
//   d.Protect();  // a (3 < 10) is primary, c (10, smallest) complementary
#pragma once

#include <cstdint>
#include <vector>

#include "io/table.h"

namespace talentflow {

class Disclosure {
 public:
  using CellId = uint32_t;
  struct Term {
    CellId cell;
    int coef;  // -1 or 1
  };
  // Whether a zero count is below k (the flow tables: a suppressed cell never
  // reads as zero) or published (the scheme pool's verdict columns).
  enum class Zeros : uint8_t { kSuppress, kPublish };

  // k <= 0 disables suppression.
  explicit Disclosure(int k, Zeros zeros = Zeros::kSuppress) : k_(k), zeros_(zeros) {}

  // A person count; primary-suppressed when below k (zero: see Zeros).
  CellId Add(int64_t count);

  // sum(coef * count) over `terms` is known to a reader.
  // REQUIRES: every cell was returned by Add; coefficients -1 or 1; called
  // before Protect().
  void Relate(std::vector<Term> terms);

  // Complementary suppression (see the header comment). Call once.
  void Protect();

  bool suppressed(CellId cell) const { return state_[cell] != State::kPublished; }
  // Suppressed because below k (not only to protect another count).
  bool below_k(CellId cell) const { return state_[cell] == State::kPrimary; }
  int64_t value(CellId cell) const { return values_[cell]; }
  // The count as a published cell: the value, or Suppressed{}.
  Cell cell(CellId cell) const;

  int64_t complementary() const { return complementary_; }
  int64_t unprotectable() const { return unprotectable_; }
  int64_t small_groups() const { return small_groups_; }

 private:
  enum class State : uint8_t { kPublished, kPrimary, kComplementary };

  void Suppress(CellId cell);
  // Relations holding exactly one suppressed count get a complementary one.
  void SingletonPass();
  // Whether the relation's suppressed counts, all of one sign, add up to
  // less than k (rule 2 broken).
  bool SmallGroup(uint32_t relation) const;
  // Each such relation gets one more suppressed count of at least k; true if
  // any count was suppressed.
  bool GroupPass();
  // The published count to suppress next so that a suppressed count is no
  // longer a combination of published ones; false when none is.
  bool AuditOnce();
  // The published count to hide among `cells` (counts of at least k first,
  // then value x relations, value, id); false if none is published.
  bool CheapestPublished(const std::vector<CellId>& cells, CellId* out) const;

  int k_;
  Zeros zeros_;
  std::vector<int64_t> values_;
  std::vector<State> state_;
  std::vector<std::vector<Term>> relations_;
  // Relations of each cell (CSR, built by Protect()).
  std::vector<uint32_t> member_begin_;
  std::vector<Term> members_;       // Term.cell holds the relation index here
  std::vector<int> suppressed_in_;  // per relation
  std::vector<uint8_t> unprotectable_cell_;
  std::vector<uint8_t> no_partner_;  // per relation: breaks rule 2, nothing to hide
  int64_t complementary_ = 0;
  int64_t unprotectable_ = 0;
  int64_t small_groups_ = 0;
};

}  // namespace talentflow
