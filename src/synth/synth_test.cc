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
  for (const char* cls : {"stayer", "joiner", "leaver", "outside"}) {
    int64_t banded = 0;
    for (const Json& b : t["age_bands"]) banded += b[cls].get<int64_t>();
    EXPECT_EQ(banded, c[cls].get<int64_t>() - t["age_rule"][cls]["unknown"].get<int64_t>()) << cls;
  }
  int64_t located = 0;
  for (const Json& l : t["located_after"]) {
    located += l["persons"].get<int64_t>();
    EXPECT_LE(l["doctorate"].get<int64_t>(), l["bachelor_or_higher"].get<int64_t>());
  }
  EXPECT_EQ(located, c["stayer"].get<int64_t>() + c["joiner"].get<int64_t>() +
                         c["leaver"].get<int64_t>() + c["outside"].get<int64_t>() +
                         c["unclassified"]["unknown_before"].get<int64_t>());
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

// ---------------------------------------------------------------------------
// Independent check: a tiny clean dataset (mess rate 0) read back with a
// parser and rules written only for this test.

// RFC 4180 records of a whole file (quoted fields may hold commas, quotes
// and newlines). The data has no malformed rows at mess rate 0.
std::vector<std::vector<std::string>> ParseCsvForTest(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (quoted) {
      if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      record.push_back(field);
      field.clear();
    } else if (ch == '\n') {
      record.push_back(field);
      field.clear();
      records.push_back(record);
      record.clear();
    } else {
      field += ch;
    }
  }
  return records;
}

std::vector<std::map<std::string, std::string>> ReadTableForTest(const fs::path& path) {
  auto text = ReadFile(path);
  EXPECT_TRUE(text.ok());
  auto records = ParseCsvForTest(*text);
  std::vector<std::map<std::string, std::string>> rows;
  for (size_t r = 1; r < records.size(); ++r) {
    EXPECT_EQ(records[r].size(), records[0].size()) << path << " record " << r;
    std::map<std::string, std::string> row;
    for (size_t c = 0; c < records[0].size() && c < records[r].size(); ++c)
      row[records[0][c]] = records[r][c];
    rows.push_back(row);
  }
  return rows;
}

int MonthForTest(const std::string& date) {  // YYYY-MM[-DD] -> months since year 0
  return std::stoi(date.substr(0, 4)) * 12 + std::stoi(date.substr(5, 2)) - 1;
}

TEST(SynthTest, PlantedClassesMatchASimpleReadingOfTheCsv) {
  fs::path dir = TempDir("simple");
  SynthOptions o = Options(300, 21, dir);
  o.params.mess_rate = 0;
  auto s = RunSynth(o);
  ASSERT_TRUE(s.ok()) << s.status().message();
  auto users = ReadTableForTest(dir / "individual_user.csv");
  auto positions = ReadTableForTest(dir / "individual_positions.csv");
  auto raw = ReadTableForTest(dir / "individual_positions_raw.csv");
  auto mapping = ReadTableForTest(dir / "company_mapping.csv");
  ASSERT_EQ(users.size(), 300u);
  std::map<std::string, std::string> raw_title, parent_of, profile;
  for (auto& r : raw) raw_title[r["position_id"]] = r["title_raw"];
  for (auto& r : mapping) parent_of[r["rcid"]] = r["ultimate_parent_rcid"];
  for (auto& r : users) profile[r["user_id"]] = r["user_country"];
  std::map<std::string, std::vector<std::map<std::string, std::string>>> by_user;
  for (auto& r : positions) {
    if (r["title_raw"].empty()) r["title_raw"] = raw_title[r["position_id"]];
    if (r["ultimate_parent_rcid"].empty()) r["ultimate_parent_rcid"] = parent_of[r["rcid"]];
    by_user[r["user_id"]].push_back(r);
  }
  // Side roles as the spec lists them (our titles use these words).
  auto side = [](const std::string& t) {
    for (const char* k : {"Non-Executive", "Board", "Trustee", "Intern", "Part-time", "Volunteer",
                          "非執行董事", "實習", "兼職", "董事會成員"}) {
      size_t at = t.find(k);
      if (at == std::string::npos) continue;
      // "Intern" must be a whole word ("Internal Auditor" is a main job).
      size_t after = at + std::string(k).size();
      if (std::string(k) == "Intern" && after < t.size() && std::isalpha(t[after])) continue;
      return true;
    }
    return false;
  };
  const int cutoff = MonthForTest("2023-10");
  auto locate = [&](const std::string& user, int m, std::string* firm) -> std::string {
    const std::map<std::string, std::string>* best = nullptr;
    for (const auto& p : by_user[user]) {
      int start = MonthForTest(p.at("startdate"));
      int end = p.at("enddate").empty() ? cutoff : MonthForTest(p.at("enddate"));
      if (start > m || m > end) continue;
      if (best == nullptr) {
        best = &p;
        continue;
      }
      bool ps = side(p.at("title_raw")), bs = side(best->at("title_raw"));
      int bstart = MonthForTest(best->at("startdate"));
      if (ps != bs
              ? !ps
              : (start != bstart ? start > bstart : p.at("position_id") < best->at("position_id")))
        best = &p;
    }
    if (best == nullptr) return "";
    *firm = best->at("ultimate_parent_rcid").empty() ? best->at("rcid")
                                                     : best->at("ultimate_parent_rcid");
    std::string country = best->at("country");
    while (!country.empty() && country.front() == ' ') country.erase(0, 1);
    while (!country.empty() && country.back() == ' ') country.pop_back();
    if (country.empty()) country = profile[user];
    std::string lower;
    for (char ch : country)
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return lower;
  };
  std::map<std::string, int64_t> classes, same_stayers;
  for (auto& u : users) {
    std::string fb, fa;
    std::string b = locate(u["user_id"], MonthForTest("2019-12"), &fb);
    std::string a = locate(u["user_id"], MonthForTest("2023-06"), &fa);
    std::string cls;
    if (b.empty() && a.empty()) {
      cls = "unknown_both";
    } else if (b.empty()) {
      cls = "unknown_before";
    } else if (a.empty()) {
      cls = "unknown_after";
    } else {
      bool in_b = b == "hong kong", in_a = a == "hong kong";
      cls = in_b ? (in_a ? "stayer" : "leaver") : (in_a ? "joiner" : "outside");
      if (cls == "stayer")
        same_stayers[(fb.empty() || fa.empty()) ? "unknown" : (fb == fa ? "same" : "different")]++;
    }
    classes[cls]++;
  }
  const Json& tc = s->truth["classes"];
  for (const char* cls : {"stayer", "joiner", "leaver", "outside"})
    EXPECT_EQ(classes[cls], tc[cls].get<int64_t>()) << cls;
  for (const char* cls : {"unknown_before", "unknown_after", "unknown_both"})
    EXPECT_EQ(classes[cls], tc["unclassified"][cls].get<int64_t>()) << cls;
  for (const char* sc : {"same", "different", "unknown"})
    EXPECT_EQ(same_stayers[sc], s->truth["same_company"]["stayer"][sc].get<int64_t>()) << sc;
  EXPECT_GT(classes["stayer"], 30);
  EXPECT_GT(classes["joiner"] + classes["leaver"], 5);
}

}  // namespace
}  // namespace talentflow::synth
