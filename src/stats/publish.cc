#include "stats/publish.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "stats/disclosure.h"
#include "stats/ranking.h"
#include "stats/welch.h"

namespace talentflow {

namespace {

using Json = nlohmann::ordered_json;

bool IsSuppressed(const Cell& c) { return std::holds_alternative<Suppressed>(c); }

class Cells {
 public:
  explicit Cells(int k) : k_(k) {}
  Cell Count(int64_t n) const {
    if (k_ > 0 && n < k_) return Suppressed{};
    return n;
  }
  // A value derived from `inputs`: suppressed if any input is, missing if not
  // finite, else the value.
  static Cell Derived(double value, std::initializer_list<const Cell*> inputs) {
    for (const Cell* c : inputs) {
      if (IsSuppressed(*c)) return Suppressed{};
    }
    if (!std::isfinite(value)) return Missing{};
    return value;
  }
  static Cell DerivedInt(int64_t value, std::initializer_list<const Cell*> inputs) {
    for (const Cell* c : inputs) {
      if (IsSuppressed(*c)) return Suppressed{};
    }
    return value;
  }

 private:
  int k_;
};

Json ToJson(const Cell& c) {
  if (const auto* i = std::get_if<int64_t>(&c)) return *i;
  if (const auto* d = std::get_if<double>(&c)) return *d;
  if (const auto* s = std::get_if<std::string>(&c)) return *s;
  return nullptr;
}

Column Col(std::string name, std::string en, std::string zh, ColumnType type) {
  return Column{std::move(name), std::move(en), std::move(zh), type};
}

double Pct(int64_t num, int64_t den) {
  return den == 0 ? NAN : 100.0 * static_cast<double>(num) / static_cast<double>(den);
}
double Rate(int64_t num, int64_t den) {
  return den == 0 ? NAN : static_cast<double>(num) / static_cast<double>(den);
}

int ColumnIndex(const Table& t, std::string_view name) {
  for (size_t i = 0; i < t.columns.size(); ++i) {
    if (t.columns[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

// Row object of a table with the given columns (by name).
Json RowJson(const Table& t, size_t row, const std::vector<std::string>& names) {
  Json j = Json::object();
  for (const std::string& n : names) j[n] = ToJson(t.rows[row][ColumnIndex(t, n)]);
  return j;
}

void ListSuppressed(const Table& t, int key_columns, Json* out) {
  for (size_t r = 0; r < t.rows.size(); ++r) {
    for (size_t c = 0; c < t.columns.size(); ++c) {
      if (!IsSuppressed(t.rows[r][c])) continue;
      Json key = Json::object();
      for (int kc = 0; kc < key_columns; ++kc) key[t.columns[kc].name] = ToJson(t.rows[r][kc]);
      out->push_back(Json{{"table", t.name}, {"row", key}, {"column", t.columns[c].name}});
    }
  }
}

// The person counts that published relations tie together, registered with
// the Disclosure (ids) so that complementary suppression can protect them.
// The relations (docs/methodology.md section 6):
//   the seven classes add up to the individual_user rows used (in "rows");
//   each of stayers, joiners, leavers: its age bands add up to its class,
//   and its same/different/unknown company cells too;
//   joiners' and leavers' age n (joiners_vs_leavers) is their known-age bands;
//   leavers by destination add up to leavers, joiners by origin to joiners;
//   the listed multinationals' headcounts add up to the totals;
//   the age-rule counts add up to stayers + joiners + leavers, and the
//   unknown rule is the unknown age band;
//   persistent definition: each persistent class's reclassification column
//   adds up to the class.
// The unknown age band and age rule of stayers, joiners and leavers are zero
// by the method (each of them holds a dated position, so the last age rule
// applies): a reader knows them, so they are constants of the relations, not
// counts to protect; they are still suppressed below k.
struct ProtectedCounts {
  using Id = Disclosure::CellId;
  std::array<Id, kFlowClasses> classes{};
  std::array<std::array<Id, 3>, kAgeBands> bands{};
  std::array<std::array<Id, 2>, kJvlVars> jvl_n{};
  std::map<uint32_t, std::pair<Id, Id>> countries;  // key -> (leave, join)
  std::array<std::array<Id, kCompanyStatuses>, 3> company{};
  std::array<Id, kAgeRules> rules{};
  std::array<std::array<Id, 4>, 4> reclassified{};
  struct Firm {
    std::string_view parent;
    const FirmFlow* flow;
    Id before, after;
  };
  std::vector<Firm> firms;  // multinationals present in the place
  Id firms_before = 0, firms_after = 0;
  int64_t multinationals = 0;
};

ProtectedCounts RegisterCounts(const FlowsContext& ctx, const FlowsResult& result, bool persistent,
                               Disclosure* d) {
  using Term = Disclosure::Term;
  const FlowsAccumulator& acc = result.acc;
  ProtectedCounts p;
  for (int c = 0; c < kFlowClasses; ++c) p.classes[c] = d->Add(acc.classes[c]);
  for (int b = 0; b < kAgeBands; ++b) {
    for (int c = 0; c < 3; ++c) p.bands[b][c] = d->Add(acc.band_counts[b][c]);
  }
  for (int v = 0; v < kJvlVars; ++v) {
    for (int g = 0; g < 2; ++g) p.jvl_n[v][g] = d->Add(result.moments.jvl[v][g].n);
  }
  for (const auto& [key, flow] : acc.countries) {
    const auto leave = d->Add(flow.leave);
    p.countries[key] = {leave, d->Add(flow.join)};
  }
  for (int c = 0; c < 3; ++c) {
    for (int s = 0; s < kCompanyStatuses; ++s) p.company[c][s] = d->Add(acc.company[c][s]);
  }
  for (int r = 0; r < kAgeRules; ++r) {
    int64_t n = 0;
    for (int c = 0; c < 3; ++c) n += acc.age_rules[c][r];
    p.rules[r] = d->Add(n);
  }
  if (persistent) {
    for (int from = 0; from < 4; ++from) {
      for (int to = 0; to < 4; ++to) p.reclassified[from][to] = d->Add(acc.reclassified[from][to]);
    }
  }
  const Dataset& ds = *ctx.dataset;
  int64_t hb = 0, ha = 0;
  for (const auto& [id, flow] : acc.firms) {
    if (flow.countries_before.size() < 3) continue;
    ++p.multinationals;
    if (flow.headcount_before == 0 && flow.headcount_after == 0) continue;
    p.firms.push_back({ds.str(id), &flow, 0, 0});
    hb += flow.headcount_before;
    ha += flow.headcount_after;
  }
  // Ids in parent order: the choice among equal counts must not depend on
  // the hash map's order.
  std::sort(p.firms.begin(), p.firms.end(),
            [](const auto& x, const auto& y) { return x.parent < y.parent; });
  for (auto& f : p.firms) {
    f.before = d->Add(f.flow->headcount_before);
    f.after = d->Add(f.flow->headcount_after);
  }
  p.firms_before = d->Add(hb);
  p.firms_after = d->Add(ha);

  // A zero the method guarantees drops out of the relations; if one is ever
  // not zero it is protected like any count.
  const auto unknown_age = [&](std::vector<Term>* t, Disclosure::CellId id, int coef) {
    if (d->value(id) != 0) t->push_back({id, coef});
  };
  const int unknown_band = kAgeBands - 1, unknown_rule = static_cast<int>(AgeRule::kUnknown);
  std::vector<Term> t;
  for (int c = 0; c < kFlowClasses; ++c) t.push_back({p.classes[c], 1});
  d->Relate(t);
  for (int c = 0; c < 3; ++c) {
    t = {{p.classes[c], -1}};
    for (int b = 0; b < unknown_band; ++b) t.push_back({p.bands[b][c], 1});
    unknown_age(&t, p.bands[unknown_band][c], 1);
    d->Relate(t);
    t = {{p.classes[c], -1}};
    for (int s = 0; s < kCompanyStatuses; ++s) t.push_back({p.company[c][s], 1});
    d->Relate(t);
  }
  const int age = static_cast<int>(JvlVar::kAge);
  for (int g = 0; g < 2; ++g) {
    const int cls =
        g == 0 ? static_cast<int>(FlowClass::kJoiner) : static_cast<int>(FlowClass::kLeaver);
    t = {{p.jvl_n[age][g], -1}};
    for (int b = 0; b < unknown_band; ++b) t.push_back({p.bands[b][cls], 1});
    d->Relate(t);
  }
  for (int side = 0; side < 2; ++side) {
    const int cls =
        side == 0 ? static_cast<int>(FlowClass::kLeaver) : static_cast<int>(FlowClass::kJoiner);
    t = {{p.classes[cls], -1}};
    for (const auto& [key, ids] : p.countries) t.push_back({side == 0 ? ids.first : ids.second, 1});
    d->Relate(t);
  }
  t = {{p.firms_before, -1}};
  for (const auto& f : p.firms) t.push_back({f.before, 1});
  d->Relate(t);
  t = {{p.firms_after, -1}};
  for (const auto& f : p.firms) t.push_back({f.after, 1});
  d->Relate(t);
  t = {};
  for (int c = 0; c < 3; ++c) t.push_back({p.classes[c], -1});
  for (int r = 0; r < unknown_rule; ++r) t.push_back({p.rules[r], 1});
  unknown_age(&t, p.rules[unknown_rule], 1);
  d->Relate(t);
  t = {};
  unknown_age(&t, p.rules[unknown_rule], -1);
  for (int c = 0; c < 3; ++c) unknown_age(&t, p.bands[unknown_band][c], 1);
  if (!t.empty()) d->Relate(t);
  if (persistent) {
    for (int to = 0; to < 4; ++to) {
      t = {{p.classes[to], -1}};
      for (int from = 0; from < 4; ++from) t.push_back({p.reclassified[from][to], 1});
      d->Relate(t);
    }
  }
  return p;
}

constexpr std::string_view kSuppressedBin = "headcount suppressed";
constexpr std::string_view kGrowthBins[] = {
    "shrank over 50%", "shrank 25-50%", "shrank 0-25%",   "unchanged",    "grew 0-25%",
    "grew 25-50%",     "grew 50-100%",  "grew over 100%", "new in place", kSuppressedBin};

const char* kFlowNotesK =
    "Cells counting fewer than k persons are suppressed (empty), as is every value computed "
    "from them, and so are further cells wherever a published total would reveal a "
    "suppressed one (complementary suppression).";

}  // namespace

std::string_view GrowthBin(int64_t before, int64_t after) {
  if (before == 0) return "new in place";
  const double pct = 100.0 * static_cast<double>(after - before) / static_cast<double>(before);
  if (pct < -50) return "shrank over 50%";
  if (pct < -25) return "shrank 25-50%";
  if (pct < 0) return "shrank 0-25%";
  if (pct == 0) return "unchanged";
  if (pct <= 25) return "grew 0-25%";
  if (pct <= 50) return "grew 25-50%";
  if (pct <= 100) return "grew 50-100%";
  return "grew over 100%";
}

Publication Publish(const FlowsContext& ctx, const FlowsResult& result,
                    const PublishOptions& options) {
  const FlowsAccumulator& acc = result.acc;
  const FlowsMoments& mom = result.moments;
  const Dataset& ds = *ctx.dataset;
  Cells cells(options.k);
  Publication pub;
  Json& out = pub.results;
  Json suppressed = Json::array();

  const bool persistent = ctx.params.definition == MoveDefinition::kPersistent;
  const int persist_k = ctx.params.persist_quarters;
  Disclosure d(options.k);
  const ProtectedCounts ids = RegisterCounts(ctx, result, persistent, &d);
  d.Protect();

  // 1. Classes.
  {
    Table t{.name = "classes",
            .title_en = "Persons by class between the two snapshots",
            .title_zh = "兩個時點之間的人員類別",
            .source = "flows",
            .notes = std::string("unknown_*: no active position (or no location) at that "
                                 "snapshot. ") +
                     kFlowNotesK,
            .columns = {},
            .rows = {}};
    if (persistent) {
      t.notes += fmt::format(
          " Persistence-confirmed moves (K = {} quarters): classes by the confirmed status at "
          "each snapshot (see persistence_events and docs/methodology.md).",
          persist_k);
    }
    t.columns = {Col("class", "Class", "類別", ColumnType::kString),
                 Col("count", "Persons", "人數", ColumnType::kInt)};
    for (int c = 0; c < kFlowClasses; ++c) {
      t.rows.push_back(
          {std::string(FlowClassName(static_cast<FlowClass>(c))), d.cell(ids.classes[c])});
    }
    Json j = Json::object();
    for (int c = 0; c < 4; ++c) j[std::string(FlowClassName(FlowClass(c)))] = ToJson(t.rows[c][1]);
    Json un = Json::object();
    for (int c = 4; c < kFlowClasses; ++c) {
      un[std::string(FlowClassName(FlowClass(c)))] = ToJson(t.rows[c][1]);
    }
    j["unclassified"] = un;
    out["classes"] = j;
    ListSuppressed(t, 1, &suppressed);
    pub.tables.push_back(std::move(t));
  }

  // Persistent definition: its events and how it reclassifies persons.
  if (persistent) {
    const Month after = ctx.params.after;
    const Month last_point = after + 3 * ((ds.cutoff - after) / 3);
    Table e{.name = "persistence_events",
            .title_en = "Persistence-confirmed moves: changes of status between the snapshots",
            .title_zh = "持續確認的遷移：兩個時點之間的狀態變化",
            .source = "flows",
            .notes = fmt::format(
                "Persons known at both snapshots; status (in the place / elsewhere / unknown) "
                "at quarter points 3 months apart. A spell of K = {} or more consecutive "
                "points with one known status is confirmed. confirmed_moves: changes of the "
                "confirmed status in (before, after]; the other rows are spells away from the "
                "confirmed status shorter than K that overlap [before, after] and are not "
                "counted as moves: excursion (known points on both sides), "
                "change_across_gap (an unknown point on either side), unconfirmed_at_cutoff "
                "(still running at the last quarter point on or before the cutoff, {}). "
                "Counts of spells, suppressed like counts of persons. {}",
                persist_k, FormatMonth(last_point), kFlowNotesK),
            .columns = {},
            .rows = {}};
    e.columns = {Col("event", "Event", "事件", ColumnType::kString),
                 Col("count", "Count", "次數", ColumnType::kInt)};
    const PersistenceEvents& ev = acc.persistence;
    const std::pair<const char*, int64_t> events[] = {
        {"confirmed_moves", ev.confirmed_moves},
        {"excursions", ev.excursions},
        {"changes_across_gap", ev.changes_across_gap},
        {"unconfirmed_at_cutoff", ev.unconfirmed_at_cutoff}};
    Json ej = Json::object();
    for (const auto& [name, n] : events) {
      e.rows.push_back({std::string(name), cells.Count(n)});
      ej[name] = ToJson(e.rows.back()[1]);
    }
    ListSuppressed(e, 1, &suppressed);

    Table r{.name = "persistence_reclassification",
            .title_en = "Persons by endpoint class and persistence-confirmed class",
            .title_zh = "按端點類別及持續確認類別劃分的人數",
            .source = "flows",
            .notes = std::string("Persons known at both snapshots: their class under the endpoint "
                                 "definition (the study's) and under the persistent one. ") +
                     kFlowNotesK,
            .columns = {},
            .rows = {}};
    r.columns = {Col("endpoint_class", "Endpoint class", "端點類別", ColumnType::kString),
                 Col("persistent_class", "Persistent class", "持續確認類別", ColumnType::kString),
                 Col("persons", "Persons", "人數", ColumnType::kInt)};
    Json rj = Json::object();
    for (int from = 0; from < 4; ++from) {
      Json row = Json::object();
      for (int to = 0; to < 4; ++to) {
        const std::string to_name(FlowClassName(FlowClass(to)));
        r.rows.push_back({std::string(FlowClassName(FlowClass(from))), to_name,
                          d.cell(ids.reclassified[from][to])});
        row[to_name] = ToJson(r.rows.back()[2]);
      }
      rj[std::string(FlowClassName(FlowClass(from)))] = row;
    }
    ListSuppressed(r, 2, &suppressed);
    out["persistence"] = Json{
        {"persist_quarters", persist_k},
        {"quarter_points", (after - ctx.params.before) / 3 + 1},
        {"confirm_through", FormatMonth(std::min<Month>(after + 3 * (persist_k - 1), last_point))},
        {"full_window_at_after", after + 3 * (persist_k - 1) <= ds.cutoff},
        {"events", ej},
        {"endpoint_to_persistent", rj}};
    pub.tables.push_back(std::move(e));
    pub.tables.push_back(std::move(r));
  }

  // 2. Age bands, all and high-pay.
  {
    Table t{.name = "age_bands",
            .title_en = "Net migration by age band",
            .title_zh = "按年齡組別的淨遷移",
            .source = "flows",
            .notes = std::string(
                         "Age at the after snapshot. base = stayers + leavers (in the place at "
                         "before); net_pct = (joiners - leavers) / base * 100; net_per_10k = the "
                         "same per 10,000. high_pay: salary at or above the band's cut "
                         "s[floor(7n/10)] of the n ascending salaries of every classified person "
                         "(stayer, joiner, leaver, outside) of the band; ties at the cut are "
                         "included. ") +
                     kFlowNotesK,
            .columns = {},
            .rows = {}};
    t.columns = {Col("band", "Age band", "年齡組別", ColumnType::kString),
                 Col("group", "Group", "組別", ColumnType::kString),
                 Col("stayer", "Stayers", "留港者", ColumnType::kInt),
                 Col("joiner", "Joiners", "來港者", ColumnType::kInt),
                 Col("leaver", "Leavers", "離港者", ColumnType::kInt),
                 Col("base", "Base (stayers + leavers)", "基數", ColumnType::kInt),
                 Col("net", "Net (joiners - leavers)", "淨流入", ColumnType::kInt),
                 Col("net_pct", "Net rate (%)", "淨流入率 (%)", ColumnType::kDouble),
                 Col("net_per_10k", "Net per 10,000", "每萬人淨流入", ColumnType::kDouble)};
    auto add_row = [&](int band, const char* group, int64_t s, int64_t j, int64_t l,
                       const std::array<Cell, 3>& counts) {
      const Cell &cs = counts[0], &cj = counts[1], &cl = counts[2];
      Cell base_raw = cells.Count(s + l);
      Cell base = IsSuppressed(cs) || IsSuppressed(cl) ? Cell(Suppressed{}) : base_raw;
      Cell net = Cells::DerivedInt(j - l, {&cj, &cl});
      const double rate =
          s + l == 0 ? NAN : static_cast<double>(j - l) / static_cast<double>(s + l);
      Cell pct = Cells::Derived(rate * 100, {&cj, &cl, &base});
      Cell per10k = Cells::Derived(rate * 10000, {&cj, &cl, &base});
      t.rows.push_back(
          {std::string(AgeBandName(band)), std::string(group), cs, cj, cl, base, net, pct, per10k});
    };
    Json bands = Json::array();
    const std::vector<std::string> fields = {"stayer", "joiner",  "leaver",     "base",
                                             "net",    "net_pct", "net_per_10k"};
    for (int band = 0; band < kAgeBands; ++band) {
      const auto& c = acc.band_counts[band];
      add_row(band, "all", c[0], c[1], c[2],
              {d.cell(ids.bands[band][0]), d.cell(ids.bands[band][1]), d.cell(ids.bands[band][2])});
      std::vector<double> salaries;
      salaries.reserve(acc.band_salaries[band].size());
      for (const SalaryEntry& e : acc.band_salaries[band]) salaries.push_back(e.salary);
      std::optional<double> cut = HighPayCut(&salaries);
      int64_t hp[3] = {0, 0, 0};
      if (cut) {
        for (const SalaryEntry& e : acc.band_salaries[band]) {
          if (e.salary >= *cut && static_cast<int>(e.cls) < 3) ++hp[static_cast<int>(e.cls)];
        }
      }
      add_row(band, "high_pay", hp[0], hp[1], hp[2],
              {cells.Count(hp[0]), cells.Count(hp[1]), cells.Count(hp[2])});
      const size_t all = t.rows.size() - 2, high = t.rows.size() - 1;
      Json row = Json::object();
      row["band"] = std::string(AgeBandName(band));
      Json rest = RowJson(t, all, fields);
      row.insert(rest.begin(), rest.end());
      row["high_pay"] = RowJson(t, high, fields);
      bands.push_back(row);
    }
    out["age_bands"] = bands;
    ListSuppressed(t, 2, &suppressed);
    pub.tables.push_back(std::move(t));
  }

  // 3. Joiners versus leavers.
  {
    Table t{.name = "joiners_vs_leavers",
            .title_en = "Joiners versus leavers: means and Welch's t-test",
            .title_zh = "來港者與離港者比較：平均值及韋爾奇 t 檢定",
            .source = "flows",
            .notes = std::string(
                         "n = persons with the variable known. diff = joiner mean - leaver mean; "
                         "t, df (Welch-Satterthwaite) and two-sided p of Welch's unequal-variance "
                         "t-test. uni_rank_*: best (lowest) rank of the institutions where the "
                         "person holds that degree. ") +
                     kFlowNotesK,
            .columns = {},
            .rows = {}};
    t.columns = {Col("variable", "Variable", "變量", ColumnType::kString),
                 Col("joiner_n", "Joiners n", "來港者人數", ColumnType::kInt),
                 Col("joiner_mean", "Joiners mean", "來港者平均值", ColumnType::kDouble),
                 Col("joiner_sd", "Joiners SD", "來港者標準差", ColumnType::kDouble),
                 Col("leaver_n", "Leavers n", "離港者人數", ColumnType::kInt),
                 Col("leaver_mean", "Leavers mean", "離港者平均值", ColumnType::kDouble),
                 Col("leaver_sd", "Leavers SD", "離港者標準差", ColumnType::kDouble),
                 Col("diff", "Difference", "差異", ColumnType::kDouble),
                 Col("t", "t statistic", "t 值", ColumnType::kDouble),
                 Col("df", "Degrees of freedom", "自由度", ColumnType::kDouble),
                 Col("p", "p-value (two-sided)", "p 值（雙尾）", ColumnType::kDouble)};
    Json rows = Json::array();
    for (int v = 0; v < kJvlVars; ++v) {
      const Moments& a = mom.jvl[v][0];
      const Moments& b = mom.jvl[v][1];
      Cell an = d.cell(ids.jvl_n[v][0]), bn = d.cell(ids.jvl_n[v][1]);
      // A group below k hides its mean and sd. An n suppressed only to
      // protect another count keeps them (they do not reveal n), but t, df
      // and p go with it: with both sds and the other n they would.
      // The Asian share is a 0/1 mean: with n it counts the Asians and the
      // others, and both must reach k for the mean (and sd) to show.
      const auto hides_mean = [&](const Moments& m, Disclosure::CellId n_id) {
        if (d.below_k(n_id)) return true;
        if (v != static_cast<int>(JvlVar::kAsian) || options.k <= 0) return false;
        const int64_t asians = std::llround(m.mean * static_cast<double>(m.n));
        return asians < options.k || m.n - asians < options.k;
      };
      const Cell a_small = hides_mean(a, ids.jvl_n[v][0]) ? Cell(Suppressed{}) : Cell(a.n);
      const Cell b_small = hides_mean(b, ids.jvl_n[v][1]) ? Cell(Suppressed{}) : Cell(b.n);
      Cell am = Cells::Derived(a.n ? a.mean : NAN, {&a_small});
      Cell asd = Cells::Derived(a.Sd(), {&a_small});
      Cell bm = Cells::Derived(b.n ? b.mean : NAN, {&b_small});
      Cell bsd = Cells::Derived(b.Sd(), {&b_small});
      WelchResult w = WelchTTest(a, b);
      Cell diff = Cells::Derived(w.diff, {&a_small, &b_small});
      // With the published sds and ns, t and df would give a hidden n, mean
      // or sd back.
      Cell tt = Cells::Derived(w.t, {&an, &bn, &a_small, &b_small});
      Cell df = Cells::Derived(w.df, {&an, &bn, &a_small, &b_small});
      Cell p = Cells::Derived(w.p, {&an, &bn, &a_small, &b_small});
      std::string name(JvlVarName(static_cast<JvlVar>(v)));
      t.rows.push_back({name, an, am, asd, bn, bm, bsd, diff, tt, df, p});
      Json row = Json::object();
      row["variable"] = name;
      row["joiner"] = Json{{"n", ToJson(an)}, {"mean", ToJson(am)}, {"sd", ToJson(asd)}};
      row["leaver"] = Json{{"n", ToJson(bn)}, {"mean", ToJson(bm)}, {"sd", ToJson(bsd)}};
      row["diff"] = ToJson(diff);
      row["t"] = ToJson(tt);
      row["df"] = ToJson(df);
      row["p"] = ToJson(p);
      rows.push_back(row);
    }
    out["joiners_vs_leavers"] = rows;
    ListSuppressed(t, 1, &suppressed);
    pub.tables.push_back(std::move(t));
  }

  // 4. Flows by country.
  {
    Table t{
        .name = "flows_by_country",
        .title_en = "Leavers' destinations and joiners' origins by country",
        .title_zh = "按國家／地區的離港去向及來港來源",
        .source = "flows",
        .notes = std::string("Country as written in the dataset (trimmed; grouped case-"
                             "insensitively; spelling of the first person in user_id order). Empty "
                             "country: located by the profile's location only. he_*: highly "
                             "educated (doctorate, or bachelor/master/MBA from a top-50 "
                             "institution). Sorted by turnover (descending), then country. ") +
                 kFlowNotesK,
        .columns = {},
        .rows = {}};
    t.columns = {
        Col("country", "Country", "國家／地區", ColumnType::kString),
        Col("leave", "Leavers to", "離港人數", ColumnType::kInt),
        Col("join", "Joiners from", "來港人數", ColumnType::kInt),
        Col("net", "Net (join - leave)", "淨流入", ColumnType::kInt),
        Col("turnover", "Turnover (join + leave)", "流動總數", ColumnType::kInt),
        Col("he_leave", "Highly educated leavers", "高學歷離港人數", ColumnType::kInt),
        Col("he_join", "Highly educated joiners", "高學歷來港人數", ColumnType::kInt),
        Col("he_net", "Highly educated net", "高學歷淨流入", ColumnType::kInt),
        Col("he_turnover", "Highly educated turnover", "高學歷流動總數", ColumnType::kInt)};
    // Sorted by published turnover only (rows without one last, by name): an
    // order by true values would place a suppressed row between two bounds.
    struct Row {
      uint32_t key;
      const CountryFlow* flow;
      Cell leave, join;
      int64_t sort_turnover;  // -1 when suppressed
    };
    std::vector<Row> order;
    for (const auto& [key, flow] : acc.countries) {
      const auto& [leave_id, join_id] = ids.countries.at(key);
      Row row{key, &flow, d.cell(leave_id), d.cell(join_id), flow.join + flow.leave};
      if (IsSuppressed(row.leave) || IsSuppressed(row.join)) row.sort_turnover = -1;
      order.push_back(std::move(row));
    }
    std::sort(order.begin(), order.end(), [&](const Row& x, const Row& y) {
      if (x.sort_turnover != y.sort_turnover) return x.sort_turnover > y.sort_turnover;
      return ctx.country_key_text[x.key] < ctx.country_key_text[y.key];
    });
    Json rows = Json::array();
    for (const Row& entry : order) {
      const CountryFlow* f = entry.flow;
      Cell name = entry.key == 0 ? Cell(Missing{}) : Cell(std::string(ds.str(f->display)));
      const Cell &l = entry.leave, &j = entry.join;
      Cell net = Cells::DerivedInt(f->join - f->leave, {&l, &j});
      Cell to = Cells::DerivedInt(f->join + f->leave, {&l, &j});
      Cell hl = cells.Count(f->he_leave), hj = cells.Count(f->he_join);
      Cell hnet = Cells::DerivedInt(f->he_join - f->he_leave, {&hl, &hj});
      Cell hto = Cells::DerivedInt(f->he_join + f->he_leave, {&hl, &hj});
      t.rows.push_back({name, l, j, net, to, hl, hj, hnet, hto});
      Json row = Json::object();
      row["country"] = ToJson(name);
      row["leave"] = ToJson(l);
      row["join"] = ToJson(j);
      row["net"] = ToJson(net);
      row["turnover"] = ToJson(to);
      row["highly_educated"] = Json{{"leave", ToJson(hl)},
                                    {"join", ToJson(hj)},
                                    {"net", ToJson(hnet)},
                                    {"turnover", ToJson(hto)}};
      rows.push_back(row);
    }
    out["flows_by_country"] = rows;
    ListSuppressed(t, 1, &suppressed);
    pub.tables.push_back(std::move(t));
  }

  // 5. Same versus different company.
  {
    Table t{.name = "same_company",
            .title_en = "Same versus different company between the snapshots",
            .title_zh = "前後時點是否同一公司",
            .source = "flows",
            .notes = std::string(
                         "Company = ultimate parent (rcid when the parent is missing) of the "
                         "primary position at each snapshot. share_pct = count / (sum of the six "
                         "same/different cells) * 100; unknown cells are not in the total. If "
                         "any of the six cells is suppressed every share is, since the total "
                         "would reveal it. ") +
                     kFlowNotesK,
            .columns = {},
            .rows = {}};
    t.columns = {
        Col("class", "Class", "類別", ColumnType::kString),
        Col("company", "Company", "公司", ColumnType::kString),
        Col("count", "Persons", "人數", ColumnType::kInt),
        Col("share_pct", "Share of the six cells (%)", "佔六格總數 (%)", ColumnType::kDouble)};
    const FlowClass order[3] = {FlowClass::kLeaver, FlowClass::kJoiner, FlowClass::kStayer};
    int64_t total = 0;
    bool any_suppressed = false;
    for (FlowClass c : order) {
      for (int s = 0; s < 2; ++s) {
        total += acc.company[static_cast<int>(c)][s];
        if (d.suppressed(ids.company[static_cast<int>(c)][s])) any_suppressed = true;
      }
    }
    Json j = Json::object();
    Json shares = Json::object();
    for (FlowClass c : order) {
      Json counts = Json::object();
      Json cls_shares = Json::object();
      for (int s = 0; s < kCompanyStatuses; ++s) {
        const int64_t n = acc.company[static_cast<int>(c)][s];
        Cell count = d.cell(ids.company[static_cast<int>(c)][s]);
        Cell share = Missing{};
        if (s < 2) {
          share = any_suppressed ? Cell(Suppressed{}) : Cells::Derived(Pct(n, total), {&count});
          cls_shares[std::string(CompanyStatusName(CompanyStatus(s)))] = ToJson(share);
        }
        t.rows.push_back({std::string(FlowClassName(c)),
                          std::string(CompanyStatusName(CompanyStatus(s))), count, share});
        counts[std::string(CompanyStatusName(CompanyStatus(s)))] = ToJson(count);
      }
      j[std::string(FlowClassName(c))] = counts;
      shares[std::string(FlowClassName(c))] = cls_shares;
    }
    j["share_pct"] = shares;
    out["same_company"] = j;
    ListSuppressed(t, 2, &suppressed);
    pub.tables.push_back(std::move(t));
  }

  // 6. Multinationals.
  {
    Table t{.name = "multinationals",
            .title_en = "Multinationals: headcount in the place",
            .title_zh = "跨國企業：在該地的員工人數",
            .source = "flows",
            .notes = std::string(
                         "Firms (ultimate parent, else rcid) whose primary-position employees "
                         "sit in at least 3 countries at before, listed when they employ someone "
                         "in the place at either snapshot. growth = after - before; growth_pct = "
                         "growth / before * 100. Sorted by headcount_before, headcount_after "
                         "(descending), then parent. ") +
                     kFlowNotesK,
            .columns = {},
            .rows = {}};
    t.columns = {
        Col("parent", "Firm (ultimate parent rcid)", "企業（最終母公司）", ColumnType::kString),
        Col("countries_before", "Countries at before", "前時點所在國家數", ColumnType::kInt),
        Col("headcount_before", "Headcount before", "前時點人數", ColumnType::kInt),
        Col("headcount_after", "Headcount after", "後時點人數", ColumnType::kInt),
        Col("growth", "Growth", "增長", ColumnType::kInt),
        Col("growth_pct", "Growth (%)", "增長 (%)", ColumnType::kDouble)};
    // Sorted by published headcounts only (a suppressed one after every
    // published one), so that a row's place does not bound its hidden count.
    struct Row {
      const ProtectedCounts::Firm* firm;
      Cell before, after;
      int64_t sort_before, sort_after;  // -1 when suppressed
    };
    std::vector<Row> firms;
    for (const auto& f : ids.firms) {
      Row row{&f, d.cell(f.before), d.cell(f.after), f.flow->headcount_before,
              f.flow->headcount_after};
      if (IsSuppressed(row.before)) row.sort_before = -1;
      if (IsSuppressed(row.after)) row.sort_after = -1;
      firms.push_back(std::move(row));
    }
    std::sort(firms.begin(), firms.end(), [](const Row& x, const Row& y) {
      if (x.sort_before != y.sort_before) return x.sort_before > y.sort_before;
      if (x.sort_after != y.sort_after) return x.sort_after > y.sort_after;
      return x.firm->parent < y.firm->parent;
    });
    Json list = Json::array();
    std::map<std::string_view, int64_t> bins;
    for (std::string_view b : kGrowthBins) bins[b] = 0;
    for (const Row& row : firms) {
      const int64_t b = row.firm->flow->headcount_before, a = row.firm->flow->headcount_after;
      const Cell &cb = row.before, &ca = row.after;
      Cell g = Cells::DerivedInt(a - b, {&cb, &ca});
      Cell gp = Cells::Derived(Pct(a - b, b), {&cb, &ca});
      t.rows.push_back({std::string(row.firm->parent),
                        static_cast<int64_t>(row.firm->flow->countries_before.size()), cb, ca, g,
                        gp});
      list.push_back(RowJson(t, t.rows.size() - 1,
                             {"parent", "countries_before", "headcount_before", "headcount_after",
                              "growth", "growth_pct"}));
      // A firm's bin would bound its suppressed headcount (new in place says
      // before = 0): such firms have a bin of their own.
      ++bins[IsSuppressed(cb) || IsSuppressed(ca) ? kSuppressedBin : GrowthBin(b, a)];
    }
    ListSuppressed(t, 1, &suppressed);
    pub.tables.push_back(std::move(t));

    Table h{.name = "multinationals_growth",
            .title_en = "Multinationals: distribution of headcount growth in the place",
            .title_zh = "跨國企業：在該地員工人數增長的分佈",
            .source = "flows",
            .notes =
                "Firms per growth_pct bin (lower bound exclusive for growth, inclusive for "
                "shrinkage: e.g. grew 0-25% is 0 < pct <= 25, shrank 0-25% is -25 <= pct < "
                "0). new in place: no employee there at before. headcount suppressed: a "
                "headcount of the firm is suppressed, so its growth is not shown. Counts of "
                "firms are not suppressed.",
            .columns = {},
            .rows = {}};
    h.columns = {Col("bin", "Growth bin", "增長區間", ColumnType::kString),
                 Col("firms", "Firms", "企業數", ColumnType::kInt)};
    Json dist = Json::array();
    for (std::string_view b : kGrowthBins) {
      h.rows.push_back({std::string(b), bins[b]});
      dist.push_back(Json{{"bin", std::string(b)}, {"firms", bins[b]}});
    }
    pub.tables.push_back(std::move(h));
    const int64_t hb = d.value(ids.firms_before), ha = d.value(ids.firms_after);
    Cell tb = d.cell(ids.firms_before), ta = d.cell(ids.firms_after);
    Cell tg = Cells::DerivedInt(ha - hb, {&tb, &ta});
    Cell tgp = Cells::Derived(Pct(ha - hb, hb), {&tb, &ta});
    Json totals{{"multinationals", ids.multinationals},
                {"present_in_place", static_cast<int64_t>(firms.size())},
                {"headcount_before", ToJson(tb)},
                {"headcount_after", ToJson(ta)},
                {"growth", ToJson(tg)},
                {"growth_pct", ToJson(tgp)}};
    for (const auto& [name, cell] :
         std::vector<std::pair<std::string, Cell>>{{"headcount_before", tb},
                                                   {"headcount_after", ta},
                                                   {"growth", tg},
                                                   {"growth_pct", tgp}}) {
      if (IsSuppressed(cell)) {
        suppressed.push_back(
            Json{{"table", "multinationals_totals"}, {"row", Json::object()}, {"column", name}});
      }
    }
    out["multinationals"] =
        Json{{"firms", list}, {"growth_distribution", dist}, {"totals", totals}};
  }

  // 7. City human capital.
  {
    Table t{
        .name = "city_human_capital",
        .title_en = "Human capital of the study places",
        .title_zh = "研究地點的人力資本",
        .source = "flows",
        .notes = std::string("Persons located in each place at the after snapshot. Rates are "
                             "fractions (0-1) of count: bachelor_rate = bachelor or higher; "
                             "uni ranks are means over holders of that degree with a ranked "
                             "institution. *_rank: 1 = best (highest rate, lowest mean university "
                             "rank); ties share the best rank (1, 2, 2, 4); suppressed or missing "
                             "values are not ranked. ") +
                 kFlowNotesK,
        .columns = {},
        .rows = {}};
    t.columns = {
        Col("place", "Place", "地點", ColumnType::kString),
        Col("place_zh", "Place (Chinese)", "地點（中文）", ColumnType::kString),
        Col("count", "Persons", "人數", ColumnType::kInt),
        Col("bachelor_rate", "Bachelor or higher rate", "學士或以上比率", ColumnType::kDouble),
        Col("mba_rate", "MBA rate", "工商管理碩士比率", ColumnType::kDouble),
        Col("doctorate_rate", "Doctorate rate", "博士比率", ColumnType::kDouble),
        Col("founder_rate", "Founder rate", "創辦人比率", ColumnType::kDouble),
        Col("bachelor_uni_rank", "Mean university rank, bachelor", "學士院校平均排名",
            ColumnType::kDouble),
        Col("master_uni_rank", "Mean university rank, master", "碩士院校平均排名",
            ColumnType::kDouble),
        Col("doctorate_uni_rank", "Mean university rank, doctorate", "博士院校平均排名",
            ColumnType::kDouble)};
    const std::vector<std::string> measures = {
        "bachelor_rate",     "mba_rate",        "doctorate_rate",    "founder_rate",
        "bachelor_uni_rank", "master_uni_rank", "doctorate_uni_rank"};
    for (const std::string& m : measures) {
      t.columns.push_back(Col(m + "_rank", "Rank: " + m, "排名：" + m, ColumnType::kInt));
    }
    const size_t places = ctx.params.study_places.size();
    std::vector<std::vector<Cell>> values(places);
    for (size_t slot = 0; slot < places; ++slot) {
      const CityFlow& c = slot < acc.cities.size() ? acc.cities[slot] : CityFlow{};
      Cell n = cells.Count(c.count);
      // A rate with its count reveals the persons with and without the
      // attribute: both must reach k.
      auto rate = [&](int64_t num) {
        Cell with = cells.Count(num), without = cells.Count(c.count - num);
        return Cells::Derived(Rate(num, c.count), {&n, &with, &without});
      };
      std::vector<Cell> row = {rate(c.bachelor_or_higher), rate(c.mba), rate(c.doctor),
                               rate(c.founder)};
      for (int l = 0; l < 3; ++l) {
        const Moments& m = slot < mom.city_rank.size() ? mom.city_rank[slot][l] : Moments{};
        Cell mn = cells.Count(m.n);
        row.push_back(Cells::Derived(m.n ? m.mean : NAN, {&mn}));
      }
      values[slot] = std::move(row);
    }
    std::vector<std::vector<std::optional<int>>> ranks(measures.size());
    for (size_t mi = 0; mi < measures.size(); ++mi) {
      std::vector<std::optional<double>> column(places);
      for (size_t slot = 0; slot < places; ++slot) {
        if (const auto* d = std::get_if<double>(&values[slot][mi])) column[slot] = *d;
      }
      ranks[mi] = CompetitionRanks(column, /*higher_is_better=*/mi < 4);
    }
    Json rows = Json::array();
    for (size_t slot = 0; slot < places; ++slot) {
      const CityFlow& c = slot < acc.cities.size() ? acc.cities[slot] : CityFlow{};
      const PlaceName& name =
          slot < options.study_place_names.size() ? options.study_place_names[slot] : PlaceName{};
      std::vector<Cell> row = {name.name_en, name.name_zh, cells.Count(c.count)};
      for (const Cell& v : values[slot]) row.push_back(v);
      for (size_t mi = 0; mi < measures.size(); ++mi) {
        if (IsSuppressed(values[slot][mi])) {
          row.emplace_back(Suppressed{});
        } else if (ranks[mi][slot]) {
          row.emplace_back(static_cast<int64_t>(*ranks[mi][slot]));
        } else {
          row.emplace_back(Missing{});
        }
      }
      t.rows.push_back(row);
      Json j = Json::object();
      for (size_t ci = 0; ci < t.columns.size(); ++ci) j[t.columns[ci].name] = ToJson(row[ci]);
      rows.push_back(j);
    }
    out["city_human_capital"] = rows;
    ListSuppressed(t, 1, &suppressed);
    pub.tables.push_back(std::move(t));
  }

  // Age rules, over stayers, joiners and leavers.
  {
    Table t{
        .name = "age_rules",
        .title_en = "How ages were estimated (stayers, joiners and leavers)",
        .title_zh = "年齡估算方法（留港者、來港者及離港者）",
        .source = "flows",
        .notes = std::string("First rule that applies: birth_year; first bachelor's start year - "
                             "18; first bachelor's end year - 22; first position's start year - "
                             "22; else unknown (never, for these classes: each holds a dated "
                             "position). share_pct of the persons of the three classes; "
                             "suppressed if any other rule's count is. ") +
                 kFlowNotesK,
        .columns = {},
        .rows = {}};
    t.columns = {Col("rule", "Rule", "方法", ColumnType::kString),
                 Col("persons", "Persons", "人數", ColumnType::kInt),
                 Col("share_pct", "Share (%)", "比例 (%)", ColumnType::kDouble)};
    int64_t total = 0;
    bool any_suppressed = false;
    // The unknown rule's zero is known by the method (see ProtectedCounts):
    // hidden as a count below k, it does not hide the other shares.
    const auto known_zero = [&](int r) {
      return r == static_cast<int>(AgeRule::kUnknown) && d.value(ids.rules[r]) == 0;
    };
    for (int r = 0; r < kAgeRules; ++r) {
      total += d.value(ids.rules[r]);
      if (d.suppressed(ids.rules[r]) && !known_zero(r)) any_suppressed = true;
    }
    Json rows = Json::array();
    for (int r = 0; r < kAgeRules; ++r) {
      Cell count = d.cell(ids.rules[r]);
      Cell share = any_suppressed ? Cell(Suppressed{})
                                  : Cells::Derived(Pct(d.value(ids.rules[r]), total), {&count});
      t.rows.push_back({std::string(AgeRuleName(AgeRule(r))), count, share});
      rows.push_back(RowJson(t, t.rows.size() - 1, {"rule", "persons", "share_pct"}));
    }
    out["age_rules"] = rows;
    ListSuppressed(t, 1, &suppressed);
    pub.tables.push_back(std::move(t));
  }

  const UniversityMatchStats& u = ctx.university_match;
  out["university_match"] =
      Json{{"education_rows", u.education_rows},
           {"with_university", u.with_university},
           {"matched_institution", u.matched},
           {"ranked", u.ranked},
           {"match_rate", u.with_university ? Json(Rate(u.matched, u.with_university)) : Json()},
           {"ranked_rate", u.with_university ? Json(Rate(u.ranked, u.with_university)) : Json()}};
  out["location"] =
      Json{{"profile_fallback", Json{{"before", acc.fallback[0]}, {"after", acc.fallback[1]}}},
           {"no_location", Json{{"before", acc.no_location[0]}, {"after", acc.no_location[1]}}}};
  // How many person counts were suppressed only to protect others (which
  // ones is not told: it would say which hidden counts are below k), and how
  // many relations are left whose hidden counts add up to a known group
  // below k with nothing published left to hide (tiny data).
  out["disclosure"] =
      Json{{"complementary", d.complementary()}, {"small_groups", d.small_groups()}};
  out["suppressed"] = suppressed;
  return pub;
}

}  // namespace talentflow
