// Speed of complementary suppression (disclosure.h) at the shape that grows
// with the data: firms' headcounts before and after, most of them below k,
// in the two relations of the multinationals totals, plus a 2-way table
// with margins where every hidden cell needs partners (the worst case of
// the singleton pass). Arg: firms (or table side).
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "stats/disclosure.h"

namespace talentflow {
namespace {

void BM_FirmHeadcounts(benchmark::State& state) {
  const int64_t firms = state.range(0);
  for (auto _ : state) {
    state.PauseTiming();
    std::mt19937 rng(1);
    Disclosure d(10);
    std::vector<Disclosure::Term> before, after;
    int64_t sum_before = 0, sum_after = 0;
    std::vector<Disclosure::CellId> b, a;
    for (int64_t i = 0; i < firms; ++i) {
      const int64_t vb = i % 1000 == 0 ? 50 + rng() % 500 : rng() % 12, va = rng() % 12;
      b.push_back(d.Add(vb));
      a.push_back(d.Add(va));
      sum_before += vb;
      sum_after += va;
    }
    before.push_back({d.Add(sum_before), -1});
    after.push_back({d.Add(sum_after), -1});
    for (int64_t i = 0; i < firms; ++i) {
      before.push_back({b[i], 1});
      after.push_back({a[i], 1});
    }
    d.Relate(std::move(before));
    d.Relate(std::move(after));
    state.ResumeTiming();
    d.Protect();
    benchmark::DoNotOptimize(d.complementary());
  }
  state.SetItemsProcessed(state.iterations() * firms * 2);
}
BENCHMARK(BM_FirmHeadcounts)->Arg(10000)->Arg(1000000)->Unit(benchmark::kMillisecond);

// side x side table, one hidden cell per row, with row and column margins.
void BM_TableWithMargins(benchmark::State& state) {
  const int side = static_cast<int>(state.range(0));
  int64_t complementary = 0;
  for (auto _ : state) {
    state.PauseTiming();
    Disclosure d(10);
    std::vector<std::vector<Disclosure::CellId>> x(side, std::vector<Disclosure::CellId>(side));
    std::vector<int64_t> rows(side, 0), cols(side, 0);
    for (int r = 0; r < side; ++r) {
      for (int c = 0; c < side; ++c) {
        const int64_t v = c == r ? 3 : 20 + (r * 7 + c * 13) % 50;
        x[r][c] = d.Add(v);
        rows[r] += v;
        cols[c] += v;
      }
    }
    for (int r = 0; r < side; ++r) {
      std::vector<Disclosure::Term> t = {{d.Add(rows[r]), -1}};
      for (int c = 0; c < side; ++c) t.push_back({x[r][c], 1});
      d.Relate(std::move(t));
    }
    for (int c = 0; c < side; ++c) {
      std::vector<Disclosure::Term> t = {{d.Add(cols[c]), -1}};
      for (int r = 0; r < side; ++r) t.push_back({x[r][c], 1});
      d.Relate(std::move(t));
    }
    state.ResumeTiming();
    d.Protect();
    complementary = d.complementary();
  }
  state.counters["complementary"] = static_cast<double>(complementary);
}
BENCHMARK(BM_TableWithMargins)->Arg(10)->Arg(40)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace talentflow
