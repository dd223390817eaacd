// Cross-checks of generated datasets against the ingest stage: ingest must
// reproduce truth.json's row accounting exactly, and on the Dataset it
// builds, a primary-position rule written here (keyword side roles, latest
// start, byte-wise id) must give truth.json's classes, same-company counts
// and flows. Neither side uses the other's code.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "ingest/ingest.h"
#include "io/file_util.h"
#include "synth/synth.h"

namespace talentflow::synth {
namespace {
namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

StatusOr<SynthSummary> Generate(int64_t users, uint64_t seed, bool gzip, int parts,
                                const fs::path& out, double mess_rate = 1.0) {
  SynthOptions o;
  o.params.users = users;
  o.params.seed = seed;
  o.params.mess_rate = mess_rate;
  o.out_dir = out;
  o.gzip = gzip;
  o.parts = parts;
  o.data_dir = fs::path(TALENTFLOW_SOURCE_DIR) / "data" / "synth";
  o.progress = false;
  fs::remove_all(out);
  return RunSynth(o);
}

Json RowsOf(const Dataset& ds) {
  Json rows = Json::object();
  for (const auto& [table, r] : ds.rows) {
    Json q = Json::object();
    for (const auto& [reason, n] : r.quarantined)
      if (n > 0) q[reason] = n;
    rows[table] = {{"read", r.read},
                   {"used", r.used},
                   {"exact_duplicates_collapsed", r.exact_duplicates_collapsed},
                   {"quarantined", q}};
  }
  return rows;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Side-role keywords of the spec (s.3), matched on whole words; executive
// titles never count as side roles.
bool IsSideRole(std::string_view title) {
  std::string t = Lower(title);
  for (const char* cjk : {"非執行董事", "實習", "兼職", "董事會成員"})
    if (t.find(cjk) != std::string::npos) return true;
  if (t.find("non-executive") != std::string::npos) return true;
  std::vector<std::string> words;
  std::string w;
  for (char c : t) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      w += c;
    } else if (!w.empty()) {
      words.push_back(w);
      w.clear();
    }
  }
  if (!w.empty()) words.push_back(w);
  for (const std::string& word : words)
    if (word == "intern" || word == "trustee" || word == "volunteer" || word == "board")
      return true;
  return t.find("part-time") != std::string::npos;
}

struct Where {
  int64_t pos = -1;
  std::string country;
};

Where LocateAt(const Dataset& ds, uint32_t user, Month m) {
  const auto& p = ds.positions;
  int64_t best = -1;
  bool best_side = false;
  for (uint32_t i = ds.users.pos_begin[user]; i < ds.users.pos_begin[user + 1]; ++i) {
    if (!(p.start[i] <= m && m <= p.end[i])) continue;
    bool side = IsSideRole(ds.str(p.title_raw[i]));
    bool better = best < 0 || (side != best_side ? !side
                                                 : (p.start[i] != p.start[best]
                                                        ? p.start[i] > p.start[best]
                                                        : p.position_id[i] < p.position_id[best]));
    if (better) {
      best = i;
      best_side = side;
    }
  }
  Where w;
  if (best < 0) return w;
  w.pos = best;
  std::string_view c = ds.str(p.country[best]);
  if (c.empty()) c = ds.str(ds.users.user_country[user]);
  w.country = std::string(c);
  if (w.country.empty()) w.pos = -1;
  return w;
}

std::string FirmKey(const Dataset& ds, int64_t pos) {
  std::string_view parent = ds.str(ds.positions.ultimate_parent_rcid[pos]);
  if (!parent.empty()) return std::string(parent);
  return std::string(ds.str(ds.positions.rcid[pos]));
}

void CheckClassesOnDataset(const Dataset& ds, const Json& truth) {
  const Month before = MakeMonth(2019, 12), after = MakeMonth(2023, 6);
  std::map<std::string, int64_t> classes;
  std::map<std::string, std::array<int64_t, 3>> same;
  std::map<std::string, std::pair<int64_t, int64_t>> flows;  // country -> (leave, join)
  for (uint32_t u = 0; u < ds.users.size(); ++u) {
    Where b = LocateAt(ds, u, before), a = LocateAt(ds, u, after);
    std::string cls;
    if (b.pos < 0 && a.pos < 0) {
      cls = "unknown_both";
    } else if (b.pos < 0) {
      cls = "unknown_before";
    } else if (a.pos < 0) {
      cls = "unknown_after";
    } else {
      bool in_b = Lower(b.country) == "hong kong", in_a = Lower(a.country) == "hong kong";
      cls = in_b ? (in_a ? "stayer" : "leaver") : (in_a ? "joiner" : "outside");
      std::string fb = FirmKey(ds, b.pos), fa = FirmKey(ds, a.pos);
      int s = (fb.empty() || fa.empty()) ? 2 : (fb == fa ? 0 : 1);
      same[cls][s]++;
      if (cls == "joiner") flows[b.country].second++;
      if (cls == "leaver") flows[a.country].first++;
    }
    classes[cls]++;
  }
  const Json& tc = truth["classes"];
  EXPECT_EQ(classes["stayer"], tc["stayer"].get<int64_t>());
  EXPECT_EQ(classes["joiner"], tc["joiner"].get<int64_t>());
  EXPECT_EQ(classes["leaver"], tc["leaver"].get<int64_t>());
  EXPECT_EQ(classes["outside"], tc["outside"].get<int64_t>());
  for (const char* u : {"unknown_before", "unknown_after", "unknown_both"})
    EXPECT_EQ(classes[u], tc["unclassified"][u].get<int64_t>()) << u;
  for (const char* cls : {"stayer", "joiner", "leaver", "outside"}) {
    const Json& ts = truth["same_company"][cls];
    EXPECT_EQ(same[cls][0], ts["same"].get<int64_t>()) << cls;
    EXPECT_EQ(same[cls][1], ts["different"].get<int64_t>()) << cls;
    EXPECT_EQ(same[cls][2], ts["unknown"].get<int64_t>()) << cls;
  }
  for (const Json& f : truth["flows_by_country"]) {
    auto got = flows[f["country"].get<std::string>()];
    EXPECT_EQ(got.first, f["leave"].get<int64_t>()) << f["country"];
    EXPECT_EQ(got.second, f["join"].get<int64_t>()) << f["country"];
  }

  // Age rule (spec s.5) and where persons are at `after`, by written
  // location (country case-folded; the profile fallback has no metro).
  std::map<std::string, int64_t> rules;
  std::map<std::string, int64_t> located;
  for (uint32_t u = 0; u < ds.users.size(); ++u) {
    std::string rule = "unknown";
    if (ds.users.birth_year[u] != 0) {
      rule = "birth_year";
    } else {
      Month bs = kNoMonth, be = kNoMonth, first = kNoMonth;
      for (uint32_t e = ds.users.edu_begin[u]; e < ds.users.edu_begin[u + 1]; ++e) {
        if (ds.education.degree[e] != Degree::kBachelor) continue;
        if (ds.education.start[e] != kNoMonth && (bs == kNoMonth || ds.education.start[e] < bs))
          bs = ds.education.start[e];
        if (ds.education.end[e] != kNoMonth && (be == kNoMonth || ds.education.end[e] < be))
          be = ds.education.end[e];
      }
      for (uint32_t i = ds.users.pos_begin[u]; i < ds.users.pos_begin[u + 1]; ++i)
        if (first == kNoMonth || ds.positions.start[i] < first) first = ds.positions.start[i];
      rule = bs != kNoMonth      ? "bachelor_start"
             : be != kNoMonth    ? "bachelor_end"
             : first != kNoMonth ? "first_position"
                                 : "unknown";
    }
    rules[rule]++;
    Where a = LocateAt(ds, u, after);
    if (a.pos < 0) continue;
    bool fallback = ds.str(ds.positions.country[a.pos]).empty();
    std::string key = Lower(a.country) + "|" +
                      (fallback ? "" : std::string(ds.str(ds.positions.metro_area[a.pos]))) + "|" +
                      (fallback ? "" : std::string(ds.str(ds.positions.city[a.pos])));
    located[key]++;
  }
  for (const auto& [rule, n] : truth["age_rule"]["all"].items())
    EXPECT_EQ(rules[rule], n.get<int64_t>()) << rule;
  std::map<std::string, int64_t> expected_located;
  for (const Json& l : truth["located_after"])
    expected_located[Lower(l["country"].get<std::string>()) + "|" +
                     l["metro_area"].get<std::string>() + "|" + l["city"].get<std::string>()] +=
        l["persons"].get<int64_t>();
  EXPECT_EQ(located, expected_located);
}

struct Case {
  int64_t users;
  uint64_t seed;
  bool gzip;
  int parts;
  double mess_rate;
};

class SynthIngestTest : public ::testing::TestWithParam<Case> {};

TEST_P(SynthIngestTest, IngestReproducesTruthRowsAndClasses) {
  const Case c = GetParam();
  fs::path dir = fs::temp_directory_path() /
                 ("synth_ingest_" + std::to_string(c.users) + "_" + std::to_string(c.seed) +
                  (c.gzip ? "_gz" : "") + "_" + std::to_string(c.parts));
  auto summary = Generate(c.users, c.seed, c.gzip, c.parts, dir, c.mess_rate);
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  IngestOptions options;
  options.progress = false;  // cutoff left to the default: the latest updated_dt
  auto ds = LoadDataset(dir, options);
  ASSERT_TRUE(ds.ok()) << ds.status().message();
  EXPECT_EQ(FormatMonth(ds->cutoff), summary->truth["params"]["cutoff"].get<std::string>());
  const Json& truth_rows = summary->truth["rows"];
  Json got = RowsOf(*ds);
  for (const auto& [table, expected] : truth_rows.items())
    EXPECT_EQ(got[table].dump(), expected.dump()) << table;
  CheckClassesOnDataset(*ds, summary->truth);
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Sizes, SynthIngestTest,
                         ::testing::Values(Case{1, 1, false, 1, 1.0}, Case{1000, 1, false, 1, 1.0},
                                           Case{4000, 2, true, 1, 1.0},
                                           Case{6000, 3, false, 4, 1.0},
                                           Case{5000, 4, true, 3, 3.0},
                                           Case{3000, 5, false, 1, 0.0},
                                           Case{20000, 6, false, 2, 1.0}),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           const Case& c = info.param;
                           return "users" + std::to_string(c.users) + "_seed" +
                                  std::to_string(c.seed) + (c.gzip ? "_gzip" : "") + "_parts" +
                                  std::to_string(c.parts) + "_mess" +
                                  std::to_string(static_cast<int>(c.mess_rate));
                         });

// Files of a directory (name -> contents), for comparing quarantine output.
std::map<std::string, std::string> FilesOf(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    StatusOr<std::string> text = ReadFile(entry.path());
    files[entry.path().filename().string()] = text.ok() ? *text : "(unreadable)";
  }
  return files;
}

// A load of DIR/data on two threads, options set by `set`, its quarantine
// files written to DIR/quarantineRUN: the Dataset's dump and those files.
struct Loaded {
  bool ok = false;
  std::string dump;
  std::map<std::string, std::string> quarantine;
};
template <typename Set>
Loaded LoadWith(const fs::path& dir, int run, Set set) {
  IngestOptions options;
  options.progress = false;
  options.threads = 2;
  options.quarantine_dir = dir / ("quarantine" + std::to_string(run));
  set(&options);
  Loaded out;
  auto ds = LoadDataset(dir / "data", options);
  EXPECT_TRUE(ds.ok()) << ds.status().message();
  if (!ds.ok()) return out;
  out.ok = true;
  out.dump = DatasetDump(*ds);
  out.quarantine = FilesOf(options.quarantine_dir);
  return out;
}

// The load must not depend on how files are cut into chunks: with chunks of
// a few kilobytes (hundreds per file, recycled sinks, records straddling
// every boundary) the Dataset, the row accounting and the quarantine files
// (source file, line and record text of every row, including duplicates
// found after staging) equal those of one chunk per file.
TEST(SynthIngestChunksTest, SmallChunksGiveTheSameLoad) {
  for (bool gzip : {false, true}) {
    const fs::path dir =
        fs::temp_directory_path() / (std::string("synth_ingest_chunks") + (gzip ? "_gz" : ""));
    auto summary = Generate(3000, 8, gzip, 3, dir / "data", 2.0);
    ASSERT_TRUE(summary.ok()) << summary.status().message();
    Loaded one_chunk = LoadWith(dir, 0, [](IngestOptions* o) { o->chunk_bytes = size_t{1} << 30; });
    Loaded small = LoadWith(dir, 1, [](IngestOptions* o) { o->chunk_bytes = 3000; });
    ASSERT_TRUE(one_chunk.ok && small.ok);
    EXPECT_GT(one_chunk.dump.size(), 100000u);
    EXPECT_TRUE(one_chunk.dump == small.dump) << (gzip ? "gzip" : "plain");
    ASSERT_FALSE(one_chunk.quarantine.empty());
    EXPECT_EQ(one_chunk.quarantine, small.quarantine) << (gzip ? "gzip" : "plain");
    fs::remove_all(dir);
  }
}

// Finishing each table before the next parse (IngestOptions::serial, for
// measuring) instead of beside it must give the same load.
TEST(SynthIngestChunksTest, SerialFinishGivesTheSameLoad) {
  const fs::path dir = fs::temp_directory_path() / "synth_ingest_serial";
  auto summary = Generate(3000, 9, false, 3, dir / "data", 2.0);
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  auto chunks = [](IngestOptions* o) { o->chunk_bytes = 5000; };
  Loaded overlapped = LoadWith(dir, 0, chunks);
  Loaded serial = LoadWith(dir, 1, [&](IngestOptions* o) {
    chunks(o);
    o->serial = true;
  });
  ASSERT_TRUE(overlapped.ok && serial.ok);
  EXPECT_GT(overlapped.dump.size(), 100000u);
  EXPECT_TRUE(overlapped.dump == serial.dump);
  ASSERT_FALSE(overlapped.quarantine.empty());
  EXPECT_EQ(overlapped.quarantine, serial.quarantine);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace talentflow::synth
