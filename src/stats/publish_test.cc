#include "stats/publish.h"

#include <gtest/gtest.h>

namespace talentflow {
namespace {

using Json = nlohmann::ordered_json;

// A context with just what Publish reads: strings and country keys.
struct Fixture {
  Dataset ds;
  FlowsContext ctx;
  FlowsResult r;
  Fixture() {
    ctx.dataset = &ds;
    ctx.country_key_text = {"", "japan", "singapore"};
    r.acc.cities.resize(3);
    r.moments.city_rank.resize(3);
    ctx.params.study_places = {0, 1, 2};
  }
  // Class totals that agree with the tables adding up to them, as a run's
  // do (Publish protects counts through those relations): stayers, joiners
  // and leavers with a birth year, one origin and destination country (key
  // 1), the given age bands, and the joiners' and leavers' age n.
  void SetClasses(int64_t stayers, std::vector<std::pair<int, int64_t>> joiner_bands,
                  std::vector<std::pair<int, int64_t>> leaver_bands) {
    int64_t joiners = 0, leavers = 0;
    for (auto [band, n] : joiner_bands) {
      r.acc.band_counts[band][1] += n;
      joiners += n;
    }
    for (auto [band, n] : leaver_bands) {
      r.acc.band_counts[band][2] += n;
      leavers += n;
    }
    r.acc.band_counts[2][0] += stayers;
    r.acc.classes[0] = stayers;
    r.acc.classes[1] = joiners;
    r.acc.classes[2] = leavers;
    // Outside and unclassified persons as many as a real place has: no
    // hidden zeros there for the relation of the classes to protect.
    r.acc.classes[3] = 5000;
    for (int c = 4; c < kFlowClasses; ++c) r.acc.classes[c] = 1000;
    // Age rules: a quarter each by bachelor start, bachelor end and first
    // position (rounded down), the rest by birth year.
    for (int c = 0; c < 3; ++c) {
      const int64_t n = r.acc.classes[c];
      r.acc.age_rules[c] = {n - 3 * (n / 4), n / 4, n / 4, n / 4, 0};
      // Same, different and unknown company (unless the test set them).
      auto& company = r.acc.company[c];
      if (company[0] + company[1] + company[2] == 0) company = {n / 2, n - n / 2 - n / 10, n / 10};
    }
    r.acc.countries[1].join = joiners;
    r.acc.countries[1].leave = leavers;
    r.moments.jvl[static_cast<int>(JvlVar::kAge)][0].n = joiners;
    r.moments.jvl[static_cast<int>(JvlVar::kAge)][1].n = leavers;
  }
  Json Run(int k) {
    return Publish(ctx, r, {.k = k, .study_place_names = {{"A", "甲"}, {"B", "乙"}, {"C", "丙"}}})
        .results;
  }
};

TEST(Publish, AgeBandRatesByHand) {
  Fixture f;
  // Band 30-34 (index 2): 80 stayers, 30 joiners, 20 leavers.
  f.r.acc.band_counts[2] = {80, 30, 20};
  Json j = f.Run(0);
  const Json& b = j["age_bands"][2];
  EXPECT_EQ(b["band"], "30-34");
  EXPECT_EQ(b["base"], 100);
  EXPECT_EQ(b["net"], 10);
  EXPECT_DOUBLE_EQ(b["net_pct"].get<double>(), 10.0);        // 10 / 100 * 100
  EXPECT_DOUBLE_EQ(b["net_per_10k"].get<double>(), 1000.0);  // 10 / 100 * 10000
  // Empty band: no base, so no rate (null), not zero.
  EXPECT_TRUE(j["age_bands"][0]["net_pct"].is_null());
}

TEST(Publish, HighPayTopThreeDecilesWithTies) {
  Fixture f;
  // Band 25-29 (index 1), ten classified persons with salaries 1..10 except a
  // tie: sorted 1 2 3 4 5 6 7 8 8 10 -> cut s[7] = 8: three high-pay
  // (8, 8, 10). The outside person at 10 counts for the cut, not the table.
  auto& s = f.r.acc.band_salaries[1];
  const double sal[] = {1, 2, 3, 4, 5, 6, 7, 8, 8, 10};
  const FlowClass cls[] = {FlowClass::kStayer, FlowClass::kStayer,  FlowClass::kLeaver,
                           FlowClass::kJoiner, FlowClass::kOutside, FlowClass::kStayer,
                           FlowClass::kStayer, FlowClass::kJoiner,  FlowClass::kLeaver,
                           FlowClass::kOutside};
  for (int i = 0; i < 10; ++i) s.push_back({sal[i], cls[i]});
  Json hp = f.Run(0)["age_bands"][1]["high_pay"];
  EXPECT_EQ(hp["stayer"], 0);
  EXPECT_EQ(hp["joiner"], 1);
  EXPECT_EQ(hp["leaver"], 1);
  EXPECT_EQ(hp["base"], 1);
  EXPECT_EQ(hp["net"], 0);
}

TEST(Publish, JoinersVsLeaversSuppressedBelowK) {
  Fixture f;
  // Three stayers: the hidden leavers (2 < 3) take the stayers (3, in four
  // relations: cost 12) as partner among the classes, not the joiners (3,
  // in five: 15), so the joiners' side stays published.
  f.SetClasses(3, {{2, 3}}, {{0, 1}, {2, 1}});
  auto& age = f.r.moments.jvl[static_cast<int>(JvlVar::kAge)];
  age = {};
  for (double x : {30, 32, 34}) age[0].Add(x);  // mean 32, sd 2
  for (double x : {20, 30}) age[1].Add(x);      // mean 25, sd sqrt(50)
  Json open = f.Run(0)["joiners_vs_leavers"][4];
  EXPECT_EQ(open["variable"], "age");
  EXPECT_DOUBLE_EQ(open["joiner"]["mean"].get<double>(), 32);
  EXPECT_DOUBLE_EQ(open["joiner"]["sd"].get<double>(), 2);
  EXPECT_DOUBLE_EQ(open["diff"].get<double>(), 7);
  // t = 7 / sqrt(4/3 + 50/2) = 7 / sqrt(26.3333...)
  EXPECT_NEAR(open["t"].get<double>(), 7 / std::sqrt(4.0 / 3 + 25), 1e-12);
  Json closed = f.Run(3)["joiners_vs_leavers"][4];
  EXPECT_EQ(closed["joiner"]["n"], 3);
  EXPECT_TRUE(closed["leaver"]["n"].is_null());
  EXPECT_TRUE(closed["leaver"]["mean"].is_null());
  EXPECT_TRUE(closed["t"].is_null());
  EXPECT_TRUE(closed["p"].is_null());
  EXPECT_DOUBLE_EQ(closed["joiner"]["mean"].get<double>(), 32);
}

TEST(Publish, AsianShareNeedsKPersonsOnEachSide) {
  // Joiners: 49 Asian of 50 (mean 0.98 says one is not); leavers: 20 of 40.
  Fixture f;
  auto& asian = f.r.moments.jvl[static_cast<int>(JvlVar::kAsian)];
  for (int i = 0; i < 50; ++i) asian[0].Add(i < 49 ? 1 : 0);
  for (int i = 0; i < 40; ++i) asian[1].Add(i < 20 ? 1 : 0);
  Json open = f.Run(0)["joiners_vs_leavers"][6];
  EXPECT_EQ(open["variable"], "asian_share");
  EXPECT_DOUBLE_EQ(open["joiner"]["mean"].get<double>(), 0.98);
  EXPECT_FALSE(open["t"].is_null());
  Json closed = f.Run(10)["joiners_vs_leavers"][6];
  EXPECT_EQ(closed["joiner"]["n"], 50);
  EXPECT_TRUE(closed["joiner"]["mean"].is_null());
  EXPECT_TRUE(closed["joiner"]["sd"].is_null());  // a 0/1 sd gives the mean back
  EXPECT_TRUE(closed["diff"].is_null());
  EXPECT_TRUE(closed["t"].is_null());
  EXPECT_TRUE(closed["df"].is_null());
  EXPECT_TRUE(closed["p"].is_null());
  EXPECT_DOUBLE_EQ(closed["leaver"]["mean"].get<double>(), 0.5);
}

TEST(Publish, AgeRuleSharesStayBesideTheKnownZeroOfTheUnknownRule) {
  // 600 stayers, 300 joiners, 100 leavers: birth year 500, bachelor start
  // 300, bachelor end 150, first position 50, unknown 0 (by the method).
  Fixture f;
  f.SetClasses(600, {{2, 300}}, {{2, 100}});
  for (int c = 0; c < 3; ++c) f.r.acc.age_rules[c] = {};
  f.r.acc.age_rules[0] = {300, 200, 70, 30, 0};
  f.r.acc.age_rules[1] = {150, 80, 50, 20, 0};
  f.r.acc.age_rules[2] = {50, 20, 30, 0, 0};
  Json rules = f.Run(10)["age_rules"];
  EXPECT_EQ(rules[0]["persons"], 500);
  EXPECT_DOUBLE_EQ(rules[0]["share_pct"].get<double>(), 50.0);  // 500 / 1000
  EXPECT_DOUBLE_EQ(rules[3]["share_pct"].get<double>(), 5.0);   // 50 / 1000
  EXPECT_TRUE(rules[4]["persons"].is_null());                   // 0 < k, never shown as 0
  EXPECT_TRUE(rules[4]["share_pct"].is_null());
  // A rule count below k (first position: 2 + 2 + 0 = 4) hides every share,
  // and needs a partner in "rules = stayers + joiners + leavers": the
  // cheapest is bachelor end (150, in that relation only), not the leavers
  // (100, but in five relations: 500).
  f.r.acc.age_rules[0] = {328, 200, 70, 2, 0};
  f.r.acc.age_rules[1] = {168, 80, 50, 2, 0};
  Json hidden = f.Run(10);
  EXPECT_TRUE(hidden["age_rules"][3]["persons"].is_null());
  EXPECT_TRUE(hidden["age_rules"][2]["persons"].is_null());
  EXPECT_EQ(hidden["age_rules"][1]["persons"], 300);
  EXPECT_TRUE(hidden["age_rules"][0]["share_pct"].is_null());
  EXPECT_EQ(hidden["classes"]["leaver"], 100);
}

TEST(Publish, FlowsByCountrySortedByTurnoverThenName) {
  Fixture f;
  f.ds.strings.Intern("Japan");
  f.ds.strings.Intern("Singapore");
  f.r.acc.countries[1] = CountryFlow{.leave = 5,
                                     .join = 7,
                                     .he_leave = 1,
                                     .he_join = 2,
                                     .first_user = 0,
                                     .display = *f.ds.strings.Find("Japan")};
  f.r.acc.countries[2] = CountryFlow{
      .leave = 10, .join = 2, .first_user = 1, .display = *f.ds.strings.Find("Singapore")};
  Json rows = f.Run(0)["flows_by_country"];
  ASSERT_EQ(rows.size(), 2u);
  // Equal turnover 12: name order decides.
  EXPECT_EQ(rows[0]["country"], "Japan");
  EXPECT_EQ(rows[0]["net"], 2);
  EXPECT_EQ(rows[0]["highly_educated"]["net"], 1);
  EXPECT_EQ(rows[1]["country"], "Singapore");
  EXPECT_EQ(rows[1]["net"], -8);
  Json k6 = f.Run(6)["flows_by_country"];
  EXPECT_TRUE(k6[0]["leave"].is_null());
  EXPECT_EQ(k6[0]["join"], 7);
  EXPECT_TRUE(k6[0]["net"].is_null());
  EXPECT_TRUE(k6[0]["turnover"].is_null());
}

TEST(Publish, SameCompanySharesOfSixCells) {
  Fixture f;
  // The study's table 3 counts: shares over the six cells (317,783 total).
  f.r.acc.company[static_cast<int>(FlowClass::kLeaver)] = {5206, 21690, 4};
  f.r.acc.company[static_cast<int>(FlowClass::kJoiner)] = {11775, 21136, 0};
  f.r.acc.company[static_cast<int>(FlowClass::kStayer)] = {185317, 72659, 9};
  Json j = f.Run(0)["same_company"];
  EXPECT_NEAR(j["share_pct"]["leaver"]["different"].get<double>(), 100.0 * 21690 / 317783, 1e-12);
  EXPECT_NEAR(j["share_pct"]["stayer"]["same"].get<double>(), 58.31558, 1e-5);  // study: 58.32
  // k = 10: the unknown cells (4, 0, 9) are suppressed, and each would be its
  // class total minus the same and different cells: the smallest of those
  // three published counts hides with it (leavers' same 5,206 before their
  // different 21,690 and total 26,900; joiners' same 11,775; stayers'
  // different 72,659). A hidden same/different cell hides every share.
  f.SetClasses(185317 + 72659 + 9, {{2, 11775 + 21136}}, {{2, 5206 + 21690 + 4}});
  Json k10 = f.Run(10);
  const Json& sc = k10["same_company"];
  EXPECT_TRUE(sc["leaver"]["unknown"].is_null());
  EXPECT_TRUE(sc["leaver"]["same"].is_null());
  EXPECT_EQ(sc["leaver"]["different"], 21690);
  EXPECT_TRUE(sc["joiner"]["same"].is_null());
  EXPECT_EQ(sc["joiner"]["different"], 21136);
  EXPECT_EQ(sc["stayer"]["same"], 185317);
  EXPECT_TRUE(sc["stayer"]["different"].is_null());
  EXPECT_TRUE(sc["share_pct"]["stayer"]["same"].is_null());
  EXPECT_EQ(k10["classes"]["leaver"], 26900);
  // Three more: each class sits in band 30-34 alone, so its other age bands
  // are hidden zeros that add up to 0 (each would read as 0); the band's
  // count (its value x 1 or 2 relations) hides with them, not the class
  // total (x 4 or 5).
  for (const char* c : {"stayer", "joiner", "leaver"}) {
    EXPECT_TRUE(k10["age_bands"][2][c].is_null()) << c;
  }
  EXPECT_EQ(k10["disclosure"]["complementary"], 6);
  EXPECT_EQ(k10["disclosure"]["small_groups"], 0);
  // Listed like any suppressed cell (not told apart from those below k).
  bool listed = false;
  for (const Json& e : k10["suppressed"]) {
    listed = listed || e == Json{{"table", "same_company"},
                                 {"row", {{"class", "leaver"}, {"company", "same"}}},
                                 {"column", "count"}};
  }
  EXPECT_TRUE(listed);
}

TEST(Publish, MultinationalsAndGrowthBins) {
  Fixture f;
  StrId a = f.ds.strings.Intern("A"), b = f.ds.strings.Intern("B"), c = f.ds.strings.Intern("C"),
        d = f.ds.strings.Intern("D");
  f.r.acc.firms[a] = FirmFlow{{1, 2, 3}, 20, 30};    // +50% -> grew 25-50%
  f.r.acc.firms[b] = FirmFlow{{1, 2, 3, 4}, 0, 12};  // new in place
  f.r.acc.firms[c] = FirmFlow{{1, 2}, 50, 10};       // two countries: not a multinational
  f.r.acc.firms[d] = FirmFlow{{1, 2, 3}, 0, 0};      // multinational, absent from the place
  Json m = f.Run(0)["multinationals"];
  ASSERT_EQ(m["firms"].size(), 2u);
  EXPECT_EQ(m["firms"][0]["parent"], "A");
  EXPECT_EQ(m["firms"][0]["growth"], 10);
  EXPECT_DOUBLE_EQ(m["firms"][0]["growth_pct"].get<double>(), 50);
  EXPECT_TRUE(m["firms"][1]["growth_pct"].is_null());  // from zero: undefined
  EXPECT_EQ(m["totals"]["multinationals"], 3);
  EXPECT_EQ(m["totals"]["present_in_place"], 2);
  EXPECT_EQ(m["totals"]["headcount_before"], 20);
  EXPECT_EQ(m["totals"]["headcount_after"], 42);
  for (const auto& bin : m["growth_distribution"]) {
    int expected = (bin["bin"] == "grew 25-50%" || bin["bin"] == "new in place") ? 1 : 0;
    EXPECT_EQ(bin["firms"], expected) << bin["bin"];
  }
  EXPECT_EQ(GrowthBin(10, 10), "unchanged");
  EXPECT_EQ(GrowthBin(10, 5), "shrank 25-50%");  // -50% is in [-50, -25)
  EXPECT_EQ(GrowthBin(10, 4), "shrank over 50%");
  EXPECT_EQ(GrowthBin(10, 20), "grew 50-100%");  // +100% is in (50, 100]
}

TEST(Publish, CityHumanCapitalRatesAndRanks) {
  Fixture f;
  f.r.acc.cities[0] =
      CityFlow{.count = 100, .bachelor_or_higher = 60, .mba = 10, .doctor = 5, .founder = 20};
  f.r.acc.cities[1] =
      CityFlow{.count = 200, .bachelor_or_higher = 120, .mba = 40, .doctor = 30, .founder = 10};
  f.r.acc.cities[2] =
      CityFlow{.count = 50, .bachelor_or_higher = 40, .mba = 10, .doctor = 2, .founder = 12};
  for (double x : {100, 200}) f.r.moments.city_rank[0][0].Add(x);  // mean 150
  for (double x : {50, 70}) f.r.moments.city_rank[1][0].Add(x);    // mean 60
  Json rows = f.Run(0)["city_human_capital"];
  EXPECT_DOUBLE_EQ(rows[0]["bachelor_rate"].get<double>(), 0.6);
  // Bachelor rates 0.6, 0.6, 0.8: C first, A and B tie at 2.
  EXPECT_EQ(rows[2]["bachelor_rate_rank"], 1);
  EXPECT_EQ(rows[0]["bachelor_rate_rank"], 2);
  EXPECT_EQ(rows[1]["bachelor_rate_rank"], 2);
  // Lower mean university rank is better; C has no ranked holders.
  EXPECT_EQ(rows[1]["bachelor_uni_rank_rank"], 1);
  EXPECT_EQ(rows[0]["bachelor_uni_rank_rank"], 2);
  EXPECT_TRUE(rows[2]["bachelor_uni_rank_rank"].is_null());
  // k = 10: C's doctorate numerator (2) is below k: its rate and rank are suppressed.
  Json k10 = f.Run(10)["city_human_capital"];
  EXPECT_TRUE(k10[2]["doctorate_rate"].is_null());
  EXPECT_TRUE(k10[2]["doctorate_rate_rank"].is_null());
  EXPECT_EQ(k10[1]["doctorate_rate_rank"], 1);
  EXPECT_TRUE(k10[0]["bachelor_uni_rank"].is_null());  // two ranked holders < 10
}

TEST(Publish, PersistenceOnlyForItsDefinitionAndSuppressedBelowK) {
  Fixture f;
  f.ds.cutoff = MakeMonth(2023, 9);
  f.ctx.params.before = MakeMonth(2019, 12);
  f.ctx.params.after = MakeMonth(2023, 6);
  f.r.acc.persistence = {
      .confirmed_moves = 40, .excursions = 12, .changes_across_gap = 3, .unconfirmed_at_cutoff = 0};
  f.r.acc.reclassified[2][0] = 11;                  // endpoint leaver, persistent stayer
  EXPECT_FALSE(f.Run(10).contains("persistence"));  // endpoint: no such section

  f.ctx.params.definition = MoveDefinition::kPersistent;
  f.ctx.params.persist_quarters = 3;
  Json j = f.Run(10);
  const Json& p = j["persistence"];
  EXPECT_EQ(p["persist_quarters"], 3);
  EXPECT_EQ(p["quarter_points"], 15);
  EXPECT_EQ(p["confirm_through"], "2023-09");  // 2023-12 would be past the cutoff
  EXPECT_EQ(p["full_window_at_after"], false);
  EXPECT_EQ(p["events"]["confirmed_moves"], 40);
  EXPECT_EQ(p["events"]["excursions"], 12);
  EXPECT_TRUE(p["events"]["changes_across_gap"].is_null());     // 3 < k
  EXPECT_TRUE(p["events"]["unconfirmed_at_cutoff"].is_null());  // a true zero, suppressed too
  EXPECT_EQ(p["endpoint_to_persistent"]["leaver"]["stayer"], 11);
  EXPECT_TRUE(p["endpoint_to_persistent"]["leaver"]["leaver"].is_null());
  bool listed = false;
  for (const Json& e : j["suppressed"]) {
    listed = listed || e == Json{{"table", "persistence_events"},
                                 {"row", {{"event", "changes_across_gap"}}},
                                 {"column", "count"}};
  }
  EXPECT_TRUE(listed);
}

}  // namespace
}  // namespace talentflow
