#include "flows/flows.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <random>
#include <string_view>

#include "panel/test_dataset.h"

namespace talentflow {
namespace {

using testing::NameMatcher;
using testing::TestDataset;

const TitleRules& Rules() {
  static const TitleRules rules = *TitleRules::LoadDefault();
  return rules;
}

class FakeRanker : public UniversityRanker {
 public:
  Lookup Find(std::string_view name, int year) const override {
    if (name == "HKU") return {true, 35.0};
    if (name == "Big U") return {true, 225.5};
    if (name == "Known Unranked") return {true, std::nullopt};
    return {};
  }
};

// Places: 0 Hong Kong, 1 Singapore, 2 London (a city).
const NameMatcher kPlaces({"Hong Kong", "Singapore", "London"});

FlowsResult RunOn(const Dataset& ds, int threads = 1, FlowsContext* keep = nullptr) {
  FlowsParams params{.target_place = 0,
                     .before = MakeMonth(2019, 12),
                     .after = MakeMonth(2023, 6),
                     .study_places = {0, 1, 2},
                     .threads = threads};
  static FakeRanker ranker;
  auto ctx = FlowsContext::Build(ds, kPlaces, Rules(), &ranker, params);
  EXPECT_TRUE(ctx.ok()) << ctx.status().ToString();
  FlowsResult r = RunFlows(*ctx);
  if (keep) *keep = std::move(ctx).value();
  return r;
}

int64_t Count(const FlowsResult& r, FlowClass c) { return r.acc.classes[static_cast<int>(c)]; }

TEST(Flows, ClassesAndUnclassifiedReasons) {
  TestDataset t;
  for (const char* u : {"a", "b", "c", "d", "e", "f", "g"}) t.User(u);
  t.Position("a", "1", "2015-01", "", "Hong Kong");         // stayer
  t.Position("b", "2", "2015-01", "2020-12", "Singapore");  // joiner
  t.Position("b", "3", "2021-01", "", "hong kong");
  t.Position("c", "4", "2015-01", "2020-12", "Hong Kong");  // leaver
  t.Position("c", "5", "2021-01", "", "United States");
  t.Position("d", "6", "2015-01", "", "Japan");             // outside
  t.Position("e", "7", "2021-01", "", "Hong Kong");         // unknown before
  t.Position("f", "8", "2015-01", "2020-01", "Hong Kong");  // unknown after
  // g: no positions at all: unknown both.
  Dataset ds = t.Build(MakeMonth(2023, 9));
  FlowsResult r = RunOn(ds);
  EXPECT_EQ(Count(r, FlowClass::kStayer), 1);
  EXPECT_EQ(Count(r, FlowClass::kJoiner), 1);
  EXPECT_EQ(Count(r, FlowClass::kLeaver), 1);
  EXPECT_EQ(Count(r, FlowClass::kOutside), 1);
  EXPECT_EQ(Count(r, FlowClass::kUnknownBefore), 1);
  EXPECT_EQ(Count(r, FlowClass::kUnknownAfter), 1);
  EXPECT_EQ(Count(r, FlowClass::kUnknownBoth), 1);
}

TEST(Flows, CountriesGroupedCaseInsensitivelyFirstSeenInUserOrder) {
  TestDataset t;
  // User ids sort "u1" < "u2" < "u3": the display is u1's spelling.
  for (const char* u : {"u3", "u1", "u2"}) t.User(u);
  t.Position("u1", "1", "2015-01", "2020-12", "Hong Kong");
  t.Position("u1", "2", "2021-01", "", "united  states");
  t.Position("u2", "3", "2015-01", "2020-12", "Hong Kong");
  t.Position("u2", "4", "2021-01", "", "United States");
  t.Position("u3", "5", "2015-01", "2020-12", "UNITED STATES");
  t.Position("u3", "6", "2021-01", "", "Hong Kong");
  Dataset ds = t.Build(MakeMonth(2023, 9));
  FlowsContext ctx;
  FlowsResult r = RunOn(ds, 1, &ctx);
  ASSERT_EQ(r.acc.countries.size(), 1u);
  const CountryFlow& us = r.acc.countries.begin()->second;
  EXPECT_EQ(us.leave, 2);
  EXPECT_EQ(us.join, 1);
  EXPECT_EQ(ds.str(us.display), "united  states");
  EXPECT_EQ(ctx.country_key_text[r.acc.countries.begin()->first], "united states");
}

TEST(Flows, SameCompanyUsesParentThenRcid) {
  TestDataset t;
  for (const char* u : {"a", "b", "c", "d"}) t.User(u);
  // a: same parent P across countries (leaver, same company).
  auto& a1 = t.Position("a", "1", "2015-01", "2020-12", "Hong Kong");
  a1.rcid = "r1";
  a1.parent = "P";
  auto& a2 = t.Position("a", "2", "2021-01", "", "Singapore");
  a2.rcid = "r2";
  a2.parent = "P";
  // b: no parents, same rcid (stayer, same).
  auto& b1 = t.Position("b", "3", "2015-01", "", "Hong Kong");
  b1.rcid = "r9";
  // c: different firms (joiner, different).
  t.Position("c", "4", "2015-01", "2020-12", "Japan").rcid = "x";
  t.Position("c", "5", "2021-01", "", "Hong Kong").rcid = "y";
  // d: missing employer after (joiner, unknown).
  t.Position("d", "6", "2015-01", "2020-12", "Japan").rcid = "x";
  t.Position("d", "7", "2021-01", "", "Hong Kong");
  Dataset ds = t.Build(MakeMonth(2023, 9));
  FlowsResult r = RunOn(ds);
  auto company = [&](FlowClass c, CompanyStatus s) {
    return r.acc.company[static_cast<int>(c)][static_cast<int>(s)];
  };
  EXPECT_EQ(company(FlowClass::kLeaver, CompanyStatus::kSame), 1);
  EXPECT_EQ(company(FlowClass::kStayer, CompanyStatus::kSame), 1);
  EXPECT_EQ(company(FlowClass::kJoiner, CompanyStatus::kDifferent), 1);
  EXPECT_EQ(company(FlowClass::kJoiner, CompanyStatus::kUnknown), 1);
}

TEST(Flows, AgeRuleChain) {
  TestDataset t;
  t.User("a").birth_year = 1990;  // 2023 - 1990 = 33
  t.User("b");
  t.Education("b", "HKU", Degree::kBachelor).start = "2010-09";  // born 1992 -> 31
  t.User("c");
  t.Education("c", "HKU", Degree::kBachelor).end = "2012-06";  // born 1990 -> 33
  t.User("d");
  t.Position("d", "1", "2008-01", "", "Hong Kong");  // born 1986 -> 37
  t.User("e");
  t.Education("e", "HKU", Degree::kMaster);  // no usable rule
  for (const char* u : {"a", "b", "c", "e"})
    t.Position(u, std::string("p") + u, "2015-01", "", "Hong Kong");
  Dataset ds = t.Build(MakeMonth(2023, 9));
  FlowsContext ctx;
  RunOn(ds, 1, &ctx);
  Snapshot none;
  auto age = [&](uint32_t u) { return ComputeAttributes(ctx, u, none); };
  EXPECT_EQ(age(0).age_rule, AgeRule::kBirthYear);
  EXPECT_EQ(*age(0).age, 33);
  EXPECT_EQ(age(1).age_rule, AgeRule::kBachelorStart);
  EXPECT_EQ(*age(1).age, 31);
  EXPECT_EQ(age(2).age_rule, AgeRule::kBachelorEnd);
  EXPECT_EQ(*age(2).age, 33);
  EXPECT_EQ(age(3).age_rule, AgeRule::kFirstPosition);
  EXPECT_EQ(*age(3).age, 37);
  // e has a position (2015) -> first_position rule: 2023 - (2015 - 22) = 30.
  EXPECT_EQ(age(4).age_rule, AgeRule::kFirstPosition);
  EXPECT_EQ(*age(4).age, 30);
}

TEST(Flows, AttributesRanksHighlyEducatedAsianFounder) {
  TestDataset t;
  auto& u = t.User("a");
  u.ethnicity = "API";
  u.connections = 300;
  t.Education("a", "Big U", Degree::kBachelor);
  t.Education("a", "HKU", Degree::kBachelor);
  t.Education("a", "Nowhere", Degree::kMaster);
  t.Position("a", "1", "2015-01", "", "Hong Kong").title = "Co-Founder";
  t.User("b").ethnicity = "White";
  t.Education("b", "Big U", Degree::kMba);
  Dataset ds = t.Build(MakeMonth(2023, 9));
  FlowsContext ctx;
  RunOn(ds, 1, &ctx);
  Snapshot none;
  PersonAttributes a = ComputeAttributes(ctx, 0, none);
  EXPECT_EQ(a.best_rank[0], 35.0);  // best of 225.5 and 35
  EXPECT_TRUE(std::isnan(a.best_rank[1]));
  EXPECT_TRUE(a.holds[1]);
  EXPECT_TRUE(a.highly_educated);
  EXPECT_EQ(a.asian, 1);
  EXPECT_TRUE(a.founder);
  PersonAttributes b = ComputeAttributes(ctx, 1, none);
  EXPECT_EQ(b.best_rank[2], 225.5);
  EXPECT_FALSE(b.highly_educated);
  EXPECT_EQ(b.asian, 0);
  EXPECT_FALSE(b.founder);
  EXPECT_EQ(ctx.university_match.with_university, 4);
  EXPECT_EQ(ctx.university_match.matched, 3);
  EXPECT_EQ(ctx.university_match.ranked, 3);
}

TEST(Flows, MultinationalsNeedThreeCountriesAtBefore) {
  TestDataset t;
  const char* countries[] = {"Hong Kong", "Japan", "France", "Hong Kong", "Hong Kong"};
  for (int i = 0; i < 5; ++i) {
    std::string u = "m" + std::to_string(i);
    t.User(u);
    t.Position(u, "p" + u, "2015-01", i == 4 ? "2020-01" : "", countries[i]).parent = "M";
  }
  t.User("s");
  t.Position("s", "ps", "2015-01", "", "Hong Kong").parent = "S";
  Dataset ds = t.Build(MakeMonth(2023, 9));
  FlowsResult r = RunOn(ds);
  const FirmFlow& m = r.acc.firms.at(*ds.strings.Find("M"));
  EXPECT_EQ(m.countries_before.size(), 3u);
  EXPECT_EQ(m.headcount_before, 3);
  EXPECT_EQ(m.headcount_after, 2);
  EXPECT_EQ(r.acc.firms.at(*ds.strings.Find("S")).countries_before.size(), 1u);
}

TEST(Flows, CityHumanCapitalMatchesEveryStudyPlace) {
  TestDataset t;
  t.User("a").highest = Degree::kDoctor;
  auto& p = t.Position("a", "1", "2015-01", "", "United Kingdom");
  p.city = "London";
  t.User("b");
  t.Position("b", "2", "2015-01", "", "Singapore");
  Dataset ds = t.Build(MakeMonth(2023, 9));
  FlowsResult r = RunOn(ds);
  EXPECT_EQ(r.acc.cities[0].count, 0);
  EXPECT_EQ(r.acc.cities[1].count, 1);
  EXPECT_EQ(r.acc.cities[2].count, 1);
  EXPECT_EQ(r.acc.cities[2].doctor, 1);
  EXPECT_EQ(r.acc.cities[2].bachelor_or_higher, 1);
}

TEST(Flows, ResultsDoNotDependOnThreadCount) {
  TestDataset t;
  // Enough users for several blocks.
  for (int i = 0; i < 40000; ++i) {
    std::string u = fmt::format("u{}", i);
    auto& user = t.User(u);
    user.birth_year = 1960 + i % 40;
    user.connections = i % 500;
    const char* c1 = i % 3 ? "Hong Kong" : "Japan";
    const char* c2 = i % 5 ? "Hong Kong" : "Singapore";
    t.Position(u, "a" + u, "2015-01", "2020-12", c1).salary =
        1000.0 + (int64_t{i} * 7919) % 100000 / 7.0;
    t.Position(u, "b" + u, "2021-01", "", c2).salary =
        1000.0 + (int64_t{i} * 104729) % 100000 / 3.0;
  }
  Dataset ds = t.Build(MakeMonth(2023, 9));
  FlowsResult one = RunOn(ds, 1), two = RunOn(ds, 2), three = RunOn(ds, 3);
  for (int v = 0; v < kJvlVars; ++v) {
    for (int g = 0; g < 2; ++g) {
      EXPECT_EQ(one.moments.jvl[v][g].mean, two.moments.jvl[v][g].mean);
      EXPECT_EQ(one.moments.jvl[v][g].m2, three.moments.jvl[v][g].m2);
    }
  }
  EXPECT_EQ(one.acc.classes, two.acc.classes);
  EXPECT_EQ(one.acc.band_counts, three.acc.band_counts);
}

// ---- Persistence-confirmed moves -----------------------------------------

// "I" in the place, "O" known elsewhere, "." unknown: one quarter point each.
std::vector<QuarterStatus> Points(std::string_view text) {
  std::vector<QuarterStatus> out;
  for (char c : text) {
    out.push_back(c == 'I'   ? QuarterStatus::kIn
                  : c == 'O' ? QuarterStatus::kOut
                             : QuarterStatus::kUnknown);
  }
  return out;
}

struct ResolveCase {
  const char* why;
  const char* points;
  int before, after, k;
  QuarterStatus want_before, want_after;
  int want_before_point, want_after_point;
  int moves, excursions, across_gap, at_cutoff;
};

TEST(Persistence, ResolvesHandCheckedSequences) {
  using enum QuarterStatus;
  const ResolveCase cases[] = {
      {"no change", "IIIII", 1, 3, 2, kIn, kIn, 1, 3, 0, 0, 0, 0},
      {"one quarter away, back: excursion", "IIOII", 1, 3, 2, kIn, kIn, 1, 3, 0, 1, 0, 0},
      {"away exactly K points: a move", "IIOOI", 0, 3, 2, kIn, kOut, 0, 3, 1, 0, 0, 0},
      {"away one point short of K, back", "IIOOI", 0, 3, 3, kIn, kIn, 0, 1, 0, 1, 0, 0},
      {"excursion holding after: representative is before it", "IIIOI", 0, 3, 2, kIn, kIn, 0, 2, 0,
       1, 0, 0},
      {"excursion holding before: established by the earlier spell", "IIOII", 2, 4, 2, kIn, kIn, 1,
       4, 0, 1, 0, 0},
      {"a gap after a short spell: across a gap", "IIOU.I", 0, 5, 2, kIn, kIn, 0, 5, 0, 0, 1, 0},
      {"a gap before a short spell", "I.OII", 0, 4, 2, kIn, kIn, 0, 4, 0, 0, 1, 0},
      {"a gap, then a lasting spell: a move", "I..OOO", 0, 4, 2, kIn, kOut, 0, 4, 1, 0, 0, 0},
      {"gap breaks the run, a later run confirms", "IO.OO", 0, 4, 2, kIn, kOut, 0, 4, 1, 0, 1, 0},
      {"short at the cutoff", "IIIOO", 0, 3, 3, kIn, kIn, 0, 2, 0, 0, 0, 1},
      {"gap and cutoff: the gap counts", "II.OO", 0, 3, 3, kIn, kIn, 0, 1, 0, 0, 1, 0},
      {"no confirmed spell by before: the status seen there", ".OIII", 1, 3, 2, kOut, kIn, 1, 3, 1,
       0, 0, 0},
      {"there and back, both confirmed", "IOOII", 0, 4, 2, kIn, kIn, 0, 4, 2, 0, 0, 0},
      {"a leaver's short visit home", "IOOIOO", 0, 3, 2, kIn, kOut, 0, 2, 1, 1, 0, 0},
      {"no confirmed spell by before: the short one there is established", "OIOOO", 1, 3, 2, kIn,
       kOut, 1, 3, 1, 0, 0, 0},
      {"short spells of the status in force are no events", "II.I.II", 0, 6, 2, kIn, kIn, 0, 6, 0,
       0, 0, 0},
      {"K = 1: every change is a move", "IOIOI", 0, 4, 1, kIn, kIn, 0, 4, 4, 0, 0, 0},
      {"only spells overlapping [before, after] are events", "OIOOOIOI", 2, 4, 2, kOut, kOut, 2, 4,
       0, 0, 0, 0},
  };
  for (const ResolveCase& c : cases) {
    const std::vector<QuarterStatus> st = Points(c.points);
    const PersistenceOutcome o = ResolvePersistence(st, c.before, c.after, c.k);
    SCOPED_TRACE(std::string(c.why) + ": " + c.points);
    EXPECT_EQ(o.before, c.want_before);
    EXPECT_EQ(o.after, c.want_after);
    EXPECT_EQ(o.before_point, c.want_before_point);
    EXPECT_EQ(o.after_point, c.want_after_point);
    EXPECT_EQ(o.events.confirmed_moves, c.moves);
    EXPECT_EQ(o.events.excursions, c.excursions);
    EXPECT_EQ(o.events.changes_across_gap, c.across_gap);
    EXPECT_EQ(o.events.unconfirmed_at_cutoff, c.at_cutoff);
  }
}

FlowsContext PersistentContext(const Dataset& ds, int k, int threads = 1) {
  FlowsParams params{.target_place = 0,
                     .before = MakeMonth(2019, 12),
                     .after = MakeMonth(2023, 6),
                     .study_places = {0, 1, 2},
                     .threads = threads,
                     .definition = MoveDefinition::kPersistent,
                     .persist_quarters = k};
  auto ctx = FlowsContext::Build(ds, kPlaces, Rules(), nullptr, params);
  EXPECT_TRUE(ctx.ok()) << ctx.status().ToString();
  return std::move(ctx).value();
}

TEST(Persistence, ContextChecksItsParameters) {
  TestDataset t;
  t.User("a");
  t.Position("a", "1", "2015-01", "", "Hong Kong");
  Dataset ds = t.Build(MakeMonth(2023, 9));
  FlowsParams params{.target_place = 0,
                     .before = MakeMonth(2019, 12),
                     .after = MakeMonth(2023, 6),
                     .study_places = {},
                     .definition = MoveDefinition::kPersistent,
                     .persist_quarters = 2};
  EXPECT_TRUE(FlowsContext::Build(ds, kPlaces, Rules(), nullptr, params).ok());
  FlowsParams p = params;
  p.persist_quarters = 0;
  EXPECT_FALSE(FlowsContext::Build(ds, kPlaces, Rules(), nullptr, p).ok());
  p.persist_quarters = kMaxPersistQuarters + 1;
  EXPECT_FALSE(FlowsContext::Build(ds, kPlaces, Rules(), nullptr, p).ok());
  p = params;
  p.after = MakeMonth(2023, 5);  // 41 months: not whole quarters
  auto bad = FlowsContext::Build(ds, kPlaces, Rules(), nullptr, p);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("41 months"), std::string::npos);
  p.definition = MoveDefinition::kEndpoint;  // the endpoint definition has no such rule
  EXPECT_TRUE(FlowsContext::Build(ds, kPlaces, Rules(), nullptr, p).ok());
  p = params;
  p.after = MakeMonth(2023, 12);  // later than the cutoff
  EXPECT_FALSE(FlowsContext::Build(ds, kPlaces, Rules(), nullptr, p).ok());
}

TEST(Persistence, RepresentativePositionsFeedTheTables) {
  TestDataset t;
  t.User("a");  // leaves for Singapore, visits Hong Kong at after
  t.Position("a", "a1", "2015-01", "2020-12", "Hong Kong").rcid = "H";
  t.Position("a", "a2", "2021-01", "2023-04", "Singapore").rcid = "S";
  t.Position("a", "a3", "2023-05", "2023-07", "Hong Kong").rcid = "H";
  t.Position("a", "a4", "2023-08", "", "Singapore").rcid = "S";
  Dataset ds = t.Build(MakeMonth(2023, 9));
  FlowsContext ctx = PersistentContext(ds, 2);
  LocationCache cache(ctx.places, 0, ctx.params.study_places);
  FlowsAccumulator acc;
  acc.cities.resize(3);
  FlowsMoments moments;
  moments.city_rank.resize(3);
  PersonFlow f = ProcessPerson(ctx, 0, &cache, &acc, &moments);
  EXPECT_EQ(f.endpoint_cls, FlowClass::kStayer);
  EXPECT_EQ(f.cls, FlowClass::kLeaver);
  EXPECT_EQ(f.events.confirmed_moves, 1);
  EXPECT_EQ(f.events.excursions, 1);
  // The after position is Singapore's of 2023-03, not the visit.
  EXPECT_EQ(ds.positions.position_id[f.after.position], "a2");
  EXPECT_EQ(f.company, CompanyStatus::kDifferent);
  ASSERT_EQ(acc.countries.size(), 1u);
  EXPECT_EQ(ds.str(acc.countries.begin()->second.display), "Singapore");
  EXPECT_EQ(acc.cities[0].count, 0);  // not in Hong Kong's human capital
  EXPECT_EQ(acc.cities[1].count, 1);
  EXPECT_EQ(acc.reclassified[0][2], 1);  // endpoint stayer -> persistent leaver
}

// Random careers, each checked against the definition written out directly:
// the confirmed status at t is the status of the latest spell of at least K
// points that starts at or before t (else the status seen at before), over
// every quarter point from 2009 to the cutoff.
struct Oracle {
  FlowClass cls;
  PersistenceEvents events;
  int after_point;  // index into the grid
};

Oracle OracleOf(const std::vector<QuarterStatus>& st, int b, int a, int k) {
  using enum QuarterStatus;
  const int n = static_cast<int>(st.size());
  auto is_start = [&](int j) { return st[j] != kUnknown && (j == 0 || st[j - 1] != st[j]); };
  auto length = [&](int j) {
    int len = 0;
    while (j + len < n && st[j + len] == st[j]) ++len;
    return len;
  };
  auto confirmed = [&](int t) {
    for (int j = t; j >= 0; --j) {
      if (is_start(j) && length(j) >= k) return st[j];
    }
    return st[b];
  };
  Oracle o{};
  const QuarterStatus at_b = confirmed(b), at_a = confirmed(a);
  const bool in_b = at_b == kIn, in_a = at_a == kIn;
  o.cls = in_b && in_a ? FlowClass::kStayer
          : in_a       ? FlowClass::kJoiner
          : in_b       ? FlowClass::kLeaver
                       : FlowClass::kOutside;
  for (int t = b + 1; t <= a; ++t) o.events.confirmed_moves += confirmed(t) != confirmed(t - 1);
  for (int j = 0; j <= a; ++j) {
    if (!is_start(j)) continue;
    const int len = length(j), end = j + len - 1;
    if (end < b || len >= k || st[j] == confirmed(std::max(j - 1, b))) continue;
    if (j == 0 || st[j - 1] == kUnknown || (end + 1 < n && st[end + 1] == kUnknown)) {
      ++o.events.changes_across_gap;
    } else if (end + 1 == n) {
      ++o.events.unconfirmed_at_cutoff;
    } else {
      ++o.events.excursions;
    }
  }
  o.after_point = a;
  while (st[o.after_point] != at_a) --o.after_point;
  return o;
}

TEST(Persistence, RandomCareersMatchTheDefinitionWrittenOut) {
  std::mt19937 rng(20240601);
  const char* countries[] = {"Hong Kong", "Singapore", "Japan", "Hong Kong", ""};
  for (Month cutoff : {MakeMonth(2023, 9), MakeMonth(2024, 5)}) {
    TestDataset t;
    const int persons = 3000;
    for (int i = 0; i < persons; ++i) {
      const std::string u = "u" + std::to_string(100000 + i);
      t.User(u).country = (i % 7 == 0) ? "Singapore" : "";
      const int spells = 1 + static_cast<int>(rng() % 8);
      for (int p = 0; p < spells; ++p) {
        const Month start = MakeMonth(2012, 1) + static_cast<Month>(rng() % 140);
        const bool short_spell = rng() % 2 == 0;
        const Month len = static_cast<Month>(short_spell ? rng() % 8 : rng() % 48);
        const bool open = rng() % 6 == 0;
        const Month end = std::min(start + len, cutoff);
        t.Position(u, u + "p" + std::to_string(p), FormatMonth(start), open ? "" : FormatMonth(end),
                   countries[rng() % 5]);
      }
    }
    Dataset ds = t.Build(cutoff);
    for (int k = 1; k <= 4; ++k) {
      SCOPED_TRACE("cutoff " + FormatMonth(cutoff) + " K " + std::to_string(k));
      FlowsContext ctx = PersistentContext(ds, k);
      LocationCache cache(ctx.places, 0, ctx.params.study_places);
      FlowsAccumulator acc;
      acc.cities.resize(3);
      FlowsMoments moments;
      moments.city_rank.resize(3);
      FlowsScratch scratch;
      const Month first = MakeMonth(2009, 12);
      const Month last = ctx.params.after + 3 * ((cutoff - ctx.params.after) / 3);
      const int b = (ctx.params.before - first) / 3, a = (ctx.params.after - first) / 3;
      int checked = 0, differ = 0;
      PersistenceEvents total;
      for (uint32_t user = 0; user < ds.users.size(); ++user) {
        PersonFlow f = ProcessPerson(ctx, user, &cache, &acc, &moments, &scratch);
        if (!f.before.known() || !f.after.known()) {
          EXPECT_EQ(f.cls, f.endpoint_cls) << ds.str(ds.users.user_id[user]);
          continue;
        }
        std::vector<QuarterStatus> st;
        for (Month m = first; m <= last; m += 3) {
          Snapshot s = LocateAt(ds, ctx.titles, user, m);
          st.push_back(!s.known() ? QuarterStatus::kUnknown
                       : cache.Get(ds, s.country, s.metro_area, s.city).in_target
                           ? QuarterStatus::kIn
                           : QuarterStatus::kOut);
        }
        const Oracle want = OracleOf(st, b, a, k);
        const std::string who = std::string(ds.str(ds.users.user_id[user]));
        ASSERT_EQ(f.cls, want.cls) << who;
        EXPECT_EQ(f.events.confirmed_moves, want.events.confirmed_moves) << who;
        EXPECT_EQ(f.events.excursions, want.events.excursions) << who;
        EXPECT_EQ(f.events.changes_across_gap, want.events.changes_across_gap) << who;
        EXPECT_EQ(f.events.unconfirmed_at_cutoff, want.events.unconfirmed_at_cutoff) << who;
        const Snapshot rep = LocateAt(ds, ctx.titles, user, first + 3 * want.after_point);
        EXPECT_EQ(f.after.position, rep.position) << who;
        if (k == 1) {
          EXPECT_EQ(f.cls, f.endpoint_cls) << who;
        }
        differ += f.cls != f.endpoint_cls;
        total.Merge(f.events);
        ++checked;
      }
      // The random careers exercise every rule.
      EXPECT_GT(checked, persons / 4);
      if (k >= 2) {
        EXPECT_GT(differ, 0);
        EXPECT_GT(total.excursions, 0);
        EXPECT_GT(total.changes_across_gap, 0);
        // With one quarter after `after`, only K >= 3 leaves spells short at the cutoff.
        if (cutoff == MakeMonth(2023, 9) && k >= 3) {
          EXPECT_GT(total.unconfirmed_at_cutoff, 0);
        }
      }
    }
  }
}

TEST(Persistence, ResultsDoNotDependOnThreadCount) {
  TestDataset t;
  for (int i = 0; i < 40000; ++i) {
    std::string u = fmt::format("u{}", i);
    t.User(u).birth_year = 1960 + i % 40;
    const char* c1 = i % 3 ? "Hong Kong" : "Japan";
    const char* c2 = i % 5 ? "Hong Kong" : "Singapore";
    t.Position(u, "a" + u, "2015-01", FormatMonth(MakeMonth(2019, 1) + i % 30), c1).salary =
        1000.0 + (int64_t{i} * 7919) % 100000 / 7.0;
    t.Position(u, "b" + u, FormatMonth(MakeMonth(2019, 2) + i % 30), "", c2).salary =
        1000.0 + (int64_t{i} * 104729) % 100000 / 3.0;
    if (i % 4 == 0) {
      t.Position(u, "c" + u, FormatMonth(MakeMonth(2021, 1) + i % 9),
                 FormatMonth(MakeMonth(2021, 1) + i % 9 + i % 7),
                 i % 8 ? "Singapore" : "Hong Kong");
    }
  }
  Dataset ds = t.Build(MakeMonth(2023, 9));
  FlowsResult one = RunFlows(PersistentContext(ds, 2, 1));
  FlowsResult three = RunFlows(PersistentContext(ds, 2, 3));
  EXPECT_EQ(one.acc.classes, three.acc.classes);
  EXPECT_EQ(one.acc.reclassified, three.acc.reclassified);
  EXPECT_EQ(one.acc.persistence.excursions, three.acc.persistence.excursions);
  EXPECT_EQ(one.acc.persistence.confirmed_moves, three.acc.persistence.confirmed_moves);
  EXPECT_EQ(one.acc.band_counts, three.acc.band_counts);
  for (int v = 0; v < kJvlVars; ++v) {
    for (int g = 0; g < 2; ++g) {
      EXPECT_EQ(one.moments.jvl[v][g].mean, three.moments.jvl[v][g].mean);
      EXPECT_EQ(one.moments.jvl[v][g].m2, three.moments.jvl[v][g].m2);
    }
  }
  EXPECT_GT(one.acc.persistence.excursions, 0);
}

}  // namespace
}  // namespace talentflow
