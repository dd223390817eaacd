#include "ingest/ingest.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <random>

#include "ingest/internal/keys.h"
#include "ingest/validate.h"
#include "io/file_util.h"

namespace talentflow {
namespace {
namespace fs = std::filesystem;

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_ = fs::temp_directory_path() /
           fmt::format("tf_ingest_{}_{}", ::getpid(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(tmp_);
    fs::create_directories(tmp_);
  }
  void TearDown() override { fs::remove_all(tmp_); }

  StatusOr<Dataset> Load(const fs::path& dir, Month cutoff = kNoMonth, int threads = 2) {
    IngestOptions options;
    options.cutoff = cutoff;
    options.quarantine_dir = tmp_ / "quarantine";
    options.threads = threads;
    options.progress = false;
    return LoadDataset(dir, options);
  }

  std::string Quarantine(const std::string& table) {
    StatusOr<std::string> text = ReadFile(tmp_ / "quarantine" / (table + ".csv"));
    return text.ok() ? *text : "<missing>";
  }

  fs::path tmp_;
};

const fs::path kReasons = "tests/ingest/reasons";

// An IdColumn's row i is stored value index[i]: stored values may be shared,
// left out or in another order, and push_back stores a new one.
TEST(IdColumnTest, RowsReadStoredValuesThroughTheirIndex) {
  // Stored: "p10", "", "abc", "xy" (ends 3, 3, 6, 8).
  IdColumn ids(std::string("p10abcxy"), {3, 3, 6, 8}, {2, 0, 3, 0});
  ASSERT_EQ(ids.size(), 4u);
  EXPECT_EQ(ids[0], "abc");
  EXPECT_EQ(ids[1], "p10");
  EXPECT_EQ(ids[2], "xy");
  EXPECT_EQ(ids[3], "p10");
  ids.push_back("new id");
  ids.push_back("");
  ASSERT_EQ(ids.size(), 6u);
  EXPECT_EQ(ids[4], "new id");
  EXPECT_EQ(ids[5], "");
  EXPECT_EQ(ids[0], "abc");  // earlier rows unchanged
  IdColumn empty;
  EXPECT_EQ(empty.size(), 0u);
}

TEST_F(IngestTest, EveryReasonCountedAsHandChecked) {
  StatusOr<Dataset> data = Load(kReasons);
  ASSERT_TRUE(data.ok()) << data.status().message();
  const Dataset& d = *data;
  EXPECT_EQ(d.cutoff, MakeMonth(2023, 6));  // latest updated_dt among used users (u1)

  const TableRows& users = d.rows.at("individual_user");
  EXPECT_EQ(users.read, 12);
  EXPECT_EQ(users.used, 5);
  EXPECT_EQ(users.exact_duplicates_collapsed, 1);
  EXPECT_EQ(users.quarantined, (std::map<std::string, int64_t>{{"bad_date", 1},
                                                               {"bad_number", 1},
                                                               {"conflicting_duplicate", 2},
                                                               {"malformed_row", 1},
                                                               {"missing_key", 1}}));
  const TableRows& pos = d.rows.at("individual_positions");
  EXPECT_EQ(pos.read, 17);
  EXPECT_EQ(pos.used, 4);
  EXPECT_EQ(pos.exact_duplicates_collapsed, 1);
  EXPECT_EQ(pos.quarantined, (std::map<std::string, int64_t>{{"after_cutoff", 1},
                                                             {"bad_date", 1},
                                                             {"bad_number", 1},
                                                             {"before_1950", 1},
                                                             {"conflicting_duplicate", 2},
                                                             {"end_before_start", 1},
                                                             {"malformed_row", 1},
                                                             {"missing_key", 1},
                                                             {"no_start", 1},
                                                             {"unknown_user", 2}}));
  const TableRows& edu = d.rows.at("individual_user_education");
  EXPECT_EQ(edu.read, 10);
  EXPECT_EQ(edu.used, 5);
  EXPECT_EQ(edu.exact_duplicates_collapsed, 1);
  EXPECT_EQ(edu.quarantined,
            (std::map<std::string, int64_t>{
                {"bad_date", 1}, {"bad_number", 1}, {"missing_key", 1}, {"unknown_user", 1}}));
  EXPECT_EQ(d.rows.at("company_mapping").used, 2);
  EXPECT_EQ(d.rows.at("individual_positions_raw").used, 2);
  for (const auto& [table, rows] : d.rows)
    EXPECT_EQ(rows.read, rows.used + rows.exact_duplicates_collapsed + rows.quarantined_total())
        << table;

  EXPECT_EQ(Quarantine("individual_user"),
            "source_file,line,reason,detail,record\n"
            "individual_user.csv,5,missing_key,user_id is empty,\",Nowhere,,2023-01,1,,,,\"\n"
            "individual_user.csv,6,bad_date,\"updated_dt \"\"2023-13\"\": month must be "
            "01-12\",\"u4,X,,2023-13,1,,,,\"\n"
            "individual_user.csv,7,bad_number,\"numconnections \"\"many\"\": expected an "
            "integer\",\"u5,X,,2023-01,many,,,,\"\n"
            "individual_user.csv,10,conflicting_duplicate,\"user_id \"\"u7\"\" has 2 rows with "
            "different contents\",\"u7,A,,2023-02,10,,,,\"\n"
            "individual_user.csv,11,conflicting_duplicate,\"user_id \"\"u7\"\" has 2 rows with "
            "different contents\",\"u7,B,,2023-02,10,,,,\"\n"
            "individual_user.csv,13,malformed_row,\"expected 9 fields, found 3\",\"u9,x,y\"\n");
  std::string q = Quarantine("individual_positions");
  EXPECT_NE(q.find("individual_positions.csv,11,unknown_user,"), std::string::npos);
  EXPECT_NE(q.find("individual_positions.csv,12,unknown_user,user_id is not a used "
                   "individual_user,\"u7,p10,2020-01,,X,,,,,,,,,,\"\n"),
            std::string::npos)
      << "a user quarantined as a conflicting duplicate cascades to unknown_user";
  EXPECT_NE(q.find("individual_positions.csv,18,malformed_row,\"expected 15 fields, found 16\""),
            std::string::npos);
  EXPECT_EQ(Quarantine("company_mapping"), "source_file,line,reason,detail,record\n");
}

TEST_F(IngestTest, DatasetLayoutAndValues) {
  StatusOr<Dataset> data = Load(kReasons);
  ASSERT_TRUE(data.ok()) << data.status().message();
  const Dataset& d = *data;
  ASSERT_EQ(d.users.size(), 5u);
  std::vector<std::string> ids;
  for (StrId id : d.users.user_id) ids.emplace_back(d.str(id));
  EXPECT_EQ(ids, (std::vector<std::string>{"u1", "u2", "u3", "u6", "u8"}));
  EXPECT_EQ(d.users.pos_begin, (std::vector<uint32_t>{0, 2, 3, 4, 4, 4}));
  EXPECT_EQ(d.users.edu_begin, (std::vector<uint32_t>{0, 2, 3, 5, 5, 5}));
  EXPECT_EQ(d.users.numconnections[2], -1);
  EXPECT_EQ(d.users.birth_year[0], 1990);
  EXPECT_EQ(d.users.birth_year[2], 0);
  EXPECT_EQ(d.users.highest_degree[4], Degree::kDoctor);
  EXPECT_EQ(d.str(d.users.user_location[4]), "Sha Tin, HK");
  EXPECT_EQ(d.users.updated_dt[0], MakeMonth(2023, 6));

  const PositionTable& p = d.positions;
  ASSERT_EQ(p.size(), 4u);
  // u1: ordered by start month.
  EXPECT_EQ(p.position_id[0], "100000000000000000000002");  // beyond 64 bits, a string
  EXPECT_EQ(p.start[0], MakeMonth(2012, 1));
  EXPECT_EQ(p.end[0], MakeMonth(2018, 2));
  EXPECT_EQ(p.end_open[0], 0);
  EXPECT_EQ(d.str(p.title_raw[0]), "Analyst\nLevel 2");  // from positions_raw
  EXPECT_EQ(d.str(p.ultimate_parent_rcid[0]), "P2");     // own value wins over mapping
  EXPECT_TRUE(std::isnan(p.salary[0]));
  EXPECT_EQ(p.seniority[0], 3);
  EXPECT_EQ(p.position_id[1], "100000000000000000000001");
  EXPECT_EQ(p.end[1], MakeMonth(2023, 6));  // open spell carried to the cutoff
  EXPECT_EQ(p.end_open[1], 1);
  EXPECT_EQ(d.str(p.title_raw[1]), "Director, Sales");  // own title wins
  EXPECT_EQ(d.str(p.ultimate_parent_rcid[1]), "P1");    // from company_mapping
  EXPECT_DOUBLE_EQ(p.salary[1], 90000.5);
  EXPECT_FLOAT_EQ(p.weight[1], 1.5f);
  EXPECT_EQ(d.str(p.region[1]), "Asia");
  EXPECT_EQ(p.user[2], 1u);
  EXPECT_EQ(d.str(p.country[2]), "香港");
  EXPECT_EQ(d.str(p.title_raw[2]), "高級經理");
  EXPECT_EQ(p.position_id[3], "p13");
  EXPECT_EQ(d.str(p.ultimate_parent_rcid[3]), "P1");
  EXPECT_EQ(p.seniority[3], -1);

  const EducationTable& e = d.education;
  ASSERT_EQ(e.size(), 5u);
  EXPECT_EQ(e.degree[0], Degree::kBachelor);
  EXPECT_EQ(d.str(e.degree_raw[0]), "B.Sc.");
  EXPECT_EQ(e.degree[1], Degree::kMaster);
  EXPECT_EQ(e.education_number[1], 2);
  EXPECT_EQ(d.str(e.university_name[2]), "香港大學");
  EXPECT_EQ(e.degree[2], Degree::kDoctor);
  EXPECT_EQ(e.education_number[2], -1);
  // u3: "" sorts before "MD" at equal number and start.
  EXPECT_EQ(e.degree[3], Degree::kNone);
  EXPECT_EQ(e.degree[4], Degree::kOther);

  const TableInventory& inv = d.tables.at("individual_user_education");
  EXPECT_EQ(inv.degree_counts.at("Bachelor"), 1);
  EXPECT_EQ(inv.degree_counts.at("other"), 1);
  EXPECT_EQ(inv.degree_counts.at("none"), 1);
  EXPECT_EQ(inv.degree_counts.at("MBA"), 0);
  EXPECT_EQ(inv.distinct_users, 3);
  EXPECT_EQ(inv.missing.at("education_number"), 3);
  EXPECT_EQ(inv.date_range.at("startdate").first, MakeMonth(2000, 1));
  EXPECT_EQ(inv.date_range.at("startdate").second, MakeMonth(2012, 9));
  EXPECT_EQ(d.tables.at("individual_positions").distinct_users, 3);

  ASSERT_EQ(d.inputs.size(), 5u);
  EXPECT_EQ(d.inputs[0].table, "company_mapping");
  EXPECT_EQ(d.inputs[3].path, "individual_user.csv");
  EXPECT_EQ(d.inputs[3].rows, 12);
  EXPECT_EQ(d.inputs[3].sha256, *Sha256File(kReasons / "individual_user.csv"));
  EXPECT_EQ(d.inputs[3].bytes, fs::file_size(kReasons / "individual_user.csv"));
}

TEST_F(IngestTest, ExplicitCutoffOverridesUpdatedDt) {
  StatusOr<Dataset> data = Load(kReasons, MakeMonth(2020, 12));
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(data->cutoff, MakeMonth(2020, 12));
  // p5 (2023-07), both p12 rows and p13 (2021-01) start after 2020-12.
  EXPECT_EQ(data->rows.at("individual_positions").quarantined.at("after_cutoff"), 4);
}

TEST_F(IngestTest, SameResultWithOneThread) {
  StatusOr<Dataset> a = Load(kReasons, kNoMonth, 1);
  StatusOr<Dataset> b = Load(kReasons, kNoMonth, 2);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(RowsJson(*a).dump(), RowsJson(*b).dump());
  EXPECT_EQ(InputsJson(*a).dump(), InputsJson(*b).dump());
}

TEST_F(IngestTest, GzipPartFoldersBomCrlfAndFreeColumnOrder) {
  StatusOr<Dataset> data = Load("tests/ingest/formats");
  ASSERT_TRUE(data.ok()) << data.status().message();
  const Dataset& d = *data;
  EXPECT_EQ(d.cutoff, MakeMonth(2022, 12));
  EXPECT_EQ(d.str(d.users.user_country[1]), "中国");
  const TableRows& pos = d.rows.at("individual_positions");
  EXPECT_EQ(pos.read, 4);
  EXPECT_EQ(pos.used, 3);
  EXPECT_EQ(pos.quarantined, (std::map<std::string, int64_t>{{"malformed_row", 1}}));
  ASSERT_EQ(d.positions.size(), 3u);
  // u1: p3 (2010-01) then p1 (2019-01); u2: p2.
  EXPECT_EQ(d.positions.position_id[0], "p3");
  EXPECT_EQ(d.str(d.positions.country[0]), "multi\nline country");
  EXPECT_EQ(d.str(d.positions.country[1]), "Hong Kong, SAR");
  EXPECT_EQ(d.str(d.positions.country[2]), "The \"Big\" Apple");
  EXPECT_EQ(d.positions.start[2], MakeMonth(2018, 6));
  EXPECT_EQ(d.positions.end[2], MakeMonth(2020, 1));
  EXPECT_EQ(Quarantine("individual_positions"),
            "source_file,line,reason,detail,record\n"
            "individual_positions/part-0002.csv.gz,4,malformed_row,unterminated quoted field in "
            "column country,\"p4,u1,2010-01,2012-12,\"\"UK\n\"\n");
  ASSERT_EQ(d.inputs.size(), 4u);
  EXPECT_EQ(d.inputs[0].path, "individual_positions/part-0001.csv");
  EXPECT_EQ(d.inputs[0].rows, 2);
  EXPECT_EQ(d.inputs[1].path, "individual_positions/part-0002.csv.gz");
  EXPECT_EQ(d.inputs[1].rows, 2);
  EXPECT_EQ(d.inputs[1].sha256,
            *Sha256File("tests/ingest/formats/individual_positions/part-0002.csv.gz"));
  EXPECT_EQ(d.inputs[2].path, "individual_user.csv.gz");
  EXPECT_EQ(d.education.degree[0], Degree::kMba);
  EXPECT_EQ(d.tables.at("individual_positions").columns_found,
            (std::vector<std::string>{"position_id", "user_id", "startdate", "enddate", "country",
                                      "extra_unknown"}));
}

// Writes a minimal valid dataset into `dir`, with `users` as the user table.
void WriteDataset(const fs::path& dir, const std::string& users) {
  ASSERT_TRUE(WriteFileAtomic(dir / "individual_user.csv", users).ok());
  ASSERT_TRUE(WriteFileAtomic(dir / "individual_positions.csv",
                              "user_id,position_id,startdate\nu1,p1,2020-01\n")
                  .ok());
  ASSERT_TRUE(WriteFileAtomic(dir / "individual_user_education.csv",
                              "user_id,university_name,degree\nu1,HKU,BA\n")
                  .ok());
}

// Education has no key: a row equal to an earlier one, field by field, is an
// exact duplicate however it is quoted or ended. The rows are grouped by a
// hash of their text, so these check that differently written equal rows
// still meet (and that a comma inside quotes does not make a row equal to
// one with more fields).
TEST_F(IngestTest, EducationDuplicatesAreFoundWhateverTheQuoting) {
  fs::path ds = tmp_ / "ds";
  WriteDataset(ds, "user_id,updated_dt\nu1,2023-01\nu2,2023-01\n");
  ASSERT_TRUE(WriteFileAtomic(ds / "individual_user_education.csv",
                              "user_id,university_name,degree,field\n"
                              "u1,HKU,BA,Law\n"                // kept
                              "\"u1\",HKU,\"BA\",Law\n"        // same fields, quoted: collapsed
                              "u1,HKU,BA,Law\r\n"              // CRLF: collapsed
                              "u1,\"HKU, Pokfulam\",BA,Law\n"  // kept
                              "u1,\"HKU, Pokfulam\",BA,Law\n"  // collapsed
                              "u2,\"a\"\"b\",MBA,\n"           // kept: a"b
                              "u2,\"a\"\"b\",\"MBA\",\"\"\n"   // collapsed
                              "u2,a,b,MBA\n")                  // kept: other fields
                  .ok());
  StatusOr<Dataset> r = Load(ds);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const TableRows& edu = r->rows.at("individual_user_education");
  EXPECT_EQ(edu.read, 8);
  EXPECT_EQ(edu.used, 4);
  EXPECT_EQ(edu.exact_duplicates_collapsed, 4);
  EXPECT_EQ(edu.quarantined_total(), 0);
}

// Chunk sinks are recycled and keep their column dictionaries from chunk
// to chunk; the merge interns only the values new to a sink. With chunks of
// a few hundred rows (so each sink parses many, and values repeat within and
// across chunks) the Dataset must be exactly what one chunk on one thread
// gives, on one thread or two (where the sinks' histories differ).
TEST_F(IngestTest, ManySmallChunksGiveTheOneChunkDataset) {
  fs::path ds = tmp_ / "ds";
  std::mt19937_64 rng(99);
  const char* country[] = {"Hong Kong", "China", "", "Singapore", "United Kingdom"};
  const char* city[] = {"", "Central", "Shenzhen", "Kowloon Bay", "London"};
  const char* title[] = {"Analyst", "\"Director, Sales\"", "工程師", "", "Associate Professor"};
  std::string users = "user_id,updated_dt\n";
  std::string positions = "user_id,position_id,startdate,country,city,rcid,title_raw,salary\n";
  std::string education = "user_id,university_name,degree,field\n";
  for (int u = 0; u < 600; ++u) {
    users += fmt::format("u{},2023-06\n", u);
    for (int k = 0; k < 1 + u % 4; ++k) {
      positions += fmt::format("u{},p{}-{},20{:02}-0{},{},{},{},{},{}\n", u, u, k, 10 + k, 1 + k,
                               country[rng() % 5], city[rng() % 5], rng() % 40, title[rng() % 5],
                               30000 + rng() % 9);
    }
    education += fmt::format("u{},Uni {},BA,Field {}\n", u, rng() % 30, rng() % 7);
  }
  ASSERT_TRUE(WriteFileAtomic(ds / "individual_user.csv", users).ok());
  ASSERT_TRUE(WriteFileAtomic(ds / "individual_positions.csv", positions).ok());
  ASSERT_TRUE(WriteFileAtomic(ds / "individual_user_education.csv", education).ok());
  auto load = [&](size_t chunk_bytes, int threads, size_t kept_values = size_t{1} << 17) {
    IngestOptions options;
    options.quarantine_dir = tmp_ / "quarantine";
    options.threads = threads;
    options.progress = false;
    options.chunk_bytes = chunk_bytes;
    options.kept_values = kept_values;
    return LoadDataset(ds, options);
  };
  auto pool = [](const Dataset& d) {
    std::string out;
    for (StrId id = 0; id < d.strings.size(); ++id) out += fmt::format("{}|", d.strings.Get(id));
    return out;
  };
  StatusOr<Dataset> want = load(size_t{64} << 20, 1);
  ASSERT_TRUE(want.ok()) << want.status().message();
  ASSERT_EQ(want->positions.size(), 1500u);
  for (size_t chunk : {2000, 700}) {
    StatusOr<Dataset> one = load(chunk, 1);
    StatusOr<Dataset> two = load(chunk, 2);
    ASSERT_TRUE(one.ok() && two.ok());
    EXPECT_EQ(DatasetDump(*one), DatasetDump(*want)) << chunk;
    EXPECT_EQ(DatasetDump(*two), DatasetDump(*want)) << chunk;
    // The pool's order depends on the chunks (each chunk's new values,
    // column by column), never on which sink parsed which chunk.
    EXPECT_EQ(pool(*two), pool(*one)) << chunk;
    // Dictionaries started again whenever they pass 8 values.
    StatusOr<Dataset> small = load(chunk, 2, 8);
    ASSERT_TRUE(small.ok());
    EXPECT_EQ(DatasetDump(*small), DatasetDump(*want)) << chunk;
    EXPECT_EQ(pool(*small), pool(*one)) << chunk;
  }
}

// positions_raw's company_raw and location_raw are in no Dataset table:
// they are only counted for the inventory, never interned.
TEST_F(IngestTest, RawCompanyAndLocationAreCountedNotInterned) {
  fs::path ds = tmp_ / "ds";
  WriteDataset(ds, "user_id,updated_dt\nu1,2023-01\n");
  // Used rows r1-r4 and r6: company_raw empty in r2 (blank after the trim)
  // and r4, location_raw empty in r3, r4 and r6. r1 again (line 7) is
  // collapsed; r5's two rows conflict, so neither is used.
  ASSERT_TRUE(WriteFileAtomic(ds / "individual_positions_raw.csv",
                              "position_id,title_raw,company_raw,location_raw\n"
                              "r1,A,Acme Raw Co,Raw City\n"
                              "r2,B,  ,Raw City\n"
                              "r3,C,\"Quoted \"\"Raw\"\" Ltd\",\n"
                              "r4,D,,\n"
                              "r5,E,Conflict Co,X\n"
                              "r1,A,Acme Raw Co,Raw City\n"
                              "r5,E,Conflict Co,Y\n"
                              "r6,F,Acme Raw Co,\n")
                  .ok());
  StatusOr<Dataset> r = Load(ds);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const TableRows& rows = r->rows.at("individual_positions_raw");
  EXPECT_EQ(rows.used, 5);
  EXPECT_EQ(rows.exact_duplicates_collapsed, 1);
  const TableInventory& inv = r->tables.at("individual_positions_raw");
  EXPECT_EQ(inv.missing.at("company_raw"), 2);
  EXPECT_EQ(inv.missing.at("location_raw"), 3);
  EXPECT_EQ(inv.missing.at("title_raw"), 0);
  EXPECT_FALSE(r->strings.Find("Acme Raw Co").has_value());
  EXPECT_FALSE(r->strings.Find("Raw City").has_value());
  EXPECT_FALSE(r->strings.Find("Quoted \"Raw\" Ltd").has_value());
}

// The positions inventory is counted as rows are staged, then corrected by
// the staged rows Classify does not use; columns absent from the header get
// their missing values in the Dataset and no inventory entry.
TEST_F(IngestTest, PositionsInventoryCountsUsedRowsAndAbsentColumnsAreMissing) {
  fs::path ds = tmp_ / "ds";
  WriteDataset(ds, "user_id,updated_dt\nu1,2023-06\nu2,2023-06\n");
  // Used: p1, p2, p4, p5. Staged but not used: p3 (unknown user; alone at
  // the earliest start and the latest end, so both ranges are recounted),
  // both p6 rows (conflicting; the latest starts) and p1 again (collapsed).
  // p7 has no start, so it is never staged.
  ASSERT_TRUE(WriteFileAtomic(ds / "individual_positions.csv",
                              "user_id,position_id,startdate,enddate,country,seniority,salary\n"
                              "u1,p1,2010-01,2012-05,HK,3,100\n"
                              "u1,p2,2005-03,,,,\n"
                              "u9,p3,2001-01,2020-12,CN,1,5\n"
                              "u2,p4,2015-07,2016-01,CN,,7\n"
                              "u2,p5,2005-03,2015-06,SG,2,\n"
                              "u2,p6,2020-01,,HK,1,1\n"
                              "u2,p6,2020-02,,HK,1,1\n"
                              "u1,p1,2010-01,2012-05,HK,3,100\n"
                              "u1,p7,,,HK,,\n")
                  .ok());
  StatusOr<Dataset> r = Load(ds);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const TableRows& rows = r->rows.at("individual_positions");
  EXPECT_EQ(rows.read, 9);
  EXPECT_EQ(rows.used, 4);
  EXPECT_EQ(rows.exact_duplicates_collapsed, 1);
  const TableInventory& inv = r->tables.at("individual_positions");
  EXPECT_EQ(inv.missing, (std::map<std::string, int64_t>{{"user_id", 0},
                                                         {"position_id", 0},
                                                         {"startdate", 0},
                                                         {"enddate", 1},
                                                         {"country", 1},
                                                         {"seniority", 2},
                                                         {"salary", 2}}));
  EXPECT_EQ(inv.date_range.at("startdate"), std::make_pair(MakeMonth(2005, 3), MakeMonth(2015, 7)));
  EXPECT_EQ(inv.date_range.at("enddate"), std::make_pair(MakeMonth(2012, 5), MakeMonth(2016, 1)));
  EXPECT_EQ(inv.distinct_users, 2);

  const Dataset& d = *r;
  const PositionTable& p = d.positions;
  ASSERT_EQ(p.size(), 4u);
  std::vector<std::string> ids;
  for (size_t i = 0; i < p.size(); ++i) ids.emplace_back(p.position_id[i]);
  EXPECT_EQ(ids, (std::vector<std::string>{"p2", "p1", "p5", "p4"}));
  // p2: every optional value empty or absent.
  EXPECT_EQ(p.end[0], MakeMonth(2023, 6));
  EXPECT_EQ(p.end_open[0], 1);
  EXPECT_EQ(p.country[0], kEmptyStr);
  EXPECT_EQ(p.seniority[0], -1);
  EXPECT_TRUE(std::isnan(p.salary[0]));
  for (size_t i = 0; i < p.size(); ++i) {
    EXPECT_TRUE(std::isnan(p.weight[i])) << i;
    EXPECT_EQ(p.city[i], kEmptyStr) << i;
    EXPECT_EQ(p.title_raw[i], kEmptyStr) << i;
    EXPECT_EQ(p.ultimate_parent_rcid[i], kEmptyStr) << i;
  }
  EXPECT_EQ(d.str(p.country[2]), "SG");
  EXPECT_EQ(p.seniority[2], 2);
  EXPECT_EQ(p.end[3], MakeMonth(2016, 1));
  EXPECT_EQ(p.end_open[3], 0);
  EXPECT_DOUBLE_EQ(p.salary[3], 7.0);
  EXPECT_EQ(p.user[3], 1u);
}

// A user's positions are ordered by startdate, and those of one start month
// by position id, whatever their order in the file.
TEST_F(IngestTest, PositionsOfOneStartMonthAreOrderedById) {
  fs::path ds = tmp_ / "ds";
  WriteDataset(ds, "user_id,updated_dt\nu2,2023-06\nu1,2023-06\n");
  ASSERT_TRUE(WriteFileAtomic(ds / "individual_positions.csv",
                              "user_id,position_id,startdate\n"
                              "u2,pb,2010-01\n"
                              "u1,pz,2012-03\n"
                              "u2,pa,2010-01\n"
                              "u2,pc,2009-05\n"
                              "u1,py,2012-03\n"
                              "u1,px2,2011-01\n")
                  .ok());
  StatusOr<Dataset> r = Load(ds);
  ASSERT_TRUE(r.ok()) << r.status().message();
  std::vector<std::string> ids;
  for (size_t i = 0; i < r->positions.size(); ++i) ids.emplace_back(r->positions.position_id[i]);
  EXPECT_EQ(ids, (std::vector<std::string>{"px2", "py", "pz", "pc", "pa", "pb"}));
  EXPECT_EQ(r->users.pos_begin, (std::vector<uint32_t>{0, 3, 6}));
}

// Rows are matched (duplicates, and titles from positions_raw) by the top
// 32 bits of their id's hash, then by the id's bytes: two ids whose hashes
// agree in those bits must still be told apart.
TEST_F(IngestTest, IdsWhoseHashesShareTheirTop32BitsAreToldApart) {
  std::map<uint32_t, std::string> seen;
  std::string a, b;
  for (int i = 0; a.empty(); ++i) {
    std::string id = fmt::format("c{}", i);
    auto [it, fresh] = seen.emplace(ingest_internal::HashKey(id) >> 32, id);
    if (!fresh) {
      a = it->second;
      b = id;
    }
  }
  ASSERT_NE(ingest_internal::HashKey(a), ingest_internal::HashKey(b));
  fs::path ds = tmp_ / "ds";
  WriteDataset(ds, "user_id,updated_dt\nu1,2023-06\n");
  // a twice, equal (one collapsed); b once; p3 with a title of its own.
  ASSERT_TRUE(WriteFileAtomic(ds / "individual_positions.csv",
                              fmt::format("user_id,position_id,startdate,title_raw\n"
                                          "u1,{0},2010-01,\n"
                                          "u1,{1},2011-01,\n"
                                          "u1,{0},2010-01,\n"
                                          "u1,p3,2012-01,Clerk\n",
                                          a, b))
                  .ok());
  // b twice with different titles (both quarantined), a once.
  ASSERT_TRUE(
      WriteFileAtomic(ds / "individual_positions_raw.csv", fmt::format("position_id,title_raw\n"
                                                                       "{1},Banker\n"
                                                                       "{0},Analyst\n"
                                                                       "{1},Broker\n"
                                                                       "p3,Cook\n",
                                                                       a, b))
          .ok());
  StatusOr<Dataset> r = Load(ds);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const TableRows& pos = r->rows.at("individual_positions");
  EXPECT_EQ(pos.read, 4);
  EXPECT_EQ(pos.used, 3);
  EXPECT_EQ(pos.exact_duplicates_collapsed, 1);
  const TableRows& raw = r->rows.at("individual_positions_raw");
  EXPECT_EQ(raw.used, 2);
  EXPECT_EQ(raw.quarantined.at("conflicting_duplicate"), 2);
  const PositionTable& p = r->positions;
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p.position_id[0], a);
  EXPECT_EQ(r->str(p.title_raw[0]), "Analyst");
  EXPECT_EQ(p.position_id[1], b);
  EXPECT_EQ(p.title_raw[1], kEmptyStr);        // its raw rows conflict
  EXPECT_EQ(r->str(p.title_raw[2]), "Clerk");  // its own title is kept
}

TEST_F(IngestTest, FileLevelErrorsNameFileAndColumn) {
  fs::path ds = tmp_ / "ds";
  StatusOr<Dataset> r = Load(ds);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("dataset directory not found"), std::string::npos);

  WriteDataset(ds, "user_id,updated_dt\nu1,2023-01\n");
  ASSERT_TRUE(Load(ds).ok());

  fs::remove(ds / "individual_user_education.csv");
  r = Load(ds);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("missing required table individual_user_education"),
            std::string::npos);

  WriteDataset(ds, "user_id,updated_dt\nu1,2023-01\n");
  ASSERT_TRUE(
      WriteFileAtomic(ds / "individual_user_education.csv", "user_id,university_name\nu1,HKU\n")
          .ok());
  r = Load(ds);
  EXPECT_EQ(r.status().message(), "individual_user_education.csv: missing required column degree");

  WriteDataset(ds, "user_id,updated_dt\nu1,2023-01\n");
  fs::create_directories(ds / "individual_user");
  r = Load(ds);
  EXPECT_NE(r.status().message().find("table individual_user is present in more than one form"),
            std::string::npos);
  fs::remove_all(ds / "individual_user");

  // Corrupt gzip.
  fs::remove(ds / "individual_user.csv");
  ASSERT_TRUE(WriteFileAtomic(ds / "individual_user.csv.gz", "\x1f\x8b garbage").ok());
  r = Load(ds);
  EXPECT_EQ(r.status().code(), StatusCode::kDataError);
  EXPECT_NE(r.status().message().find("individual_user.csv.gz: unreadable gzip"),
            std::string::npos);
  fs::remove(ds / "individual_user.csv.gz");

  // Part files with different headers.
  fs::create_directories(ds / "individual_user");
  ASSERT_TRUE(WriteFileAtomic(ds / "individual_user" / "a.csv", "user_id\nu1\n").ok());
  ASSERT_TRUE(WriteFileAtomic(ds / "individual_user" / "b.csv", "user_id,x\nu2,1\n").ok());
  r = Load(ds, MakeMonth(2023, 1));
  EXPECT_NE(r.status().message().find("individual_user/b.csv: header differs"), std::string::npos);
  fs::remove_all(ds / "individual_user");

  // Header problems and no cutoff at all.
  WriteDataset(ds, "user_id,user_id\nu1,u1\n");
  EXPECT_NE(Load(ds).status().message().find("column user_id appears more than once"),
            std::string::npos);
  WriteDataset(ds, "");
  EXPECT_NE(Load(ds).status().message().find("individual_user.csv: empty file"), std::string::npos);
  WriteDataset(ds, "user_id\nu1\n");
  r = Load(ds);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("pass --cutoff"), std::string::npos);
  EXPECT_TRUE(Load(ds, MakeMonth(2023, 1)).ok());
}

TEST_F(IngestTest, CutoffDefaultsToLatestUpdatedDtOfUsedUsersOnly) {
  fs::path ds = tmp_ / "ds";
  // u2's 2024-05 row is a conflicting duplicate, so it does not count.
  WriteDataset(ds,
               "user_id,updated_dt,user_country\nu1,2023-02-28,HK\nu2,2024-05,A\nu2,2024-05,B\n"
               "u3,2022-01,\n");
  StatusOr<Dataset> r = Load(ds);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->cutoff, MakeMonth(2023, 2));
}

TEST_F(IngestTest, ValidateWritesResultsAndSummary) {
  fs::path out = tmp_ / "out";
  StatusOr<std::string> summary = RunValidate(kReasons, kNoMonth, out, false, 2);
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_NE(summary->find("individual_positions"), std::string::npos);
  StatusOr<std::string> text = ReadFile(out / "results.json");
  ASSERT_TRUE(text.ok());
  auto j = nlohmann::json::parse(*text);
  EXPECT_EQ(j["params"]["cutoff"], "2023-06");
  EXPECT_EQ(j["rows"]["individual_positions"]["quarantined"]["unknown_user"], 2);
  EXPECT_EQ(j["inventory"]["individual_user"]["distinct_users"], 5);
  EXPECT_EQ(j["inventory"]["individual_user"]["missing_share"]["numconnections"], 0.2);
  EXPECT_EQ(j["inventory"]["individual_positions"]["date_range"]["startdate"]["min"], "2012-01");
  EXPECT_EQ(j["inventory"]["individual_user_education"]["degree_counts"]["Doctor"], 1);
  EXPECT_EQ(j["inputs"].size(), 5u);
  EXPECT_TRUE(fs::exists(out / "quarantine" / "individual_positions.csv"));
  // Same inputs, same bytes.
  fs::path out2 = tmp_ / "out2";
  ASSERT_TRUE(RunValidate(kReasons, kNoMonth, out2, false, 1).ok());
  EXPECT_EQ(*ReadFile(out / "results.json"), *ReadFile(out2 / "results.json"));
  EXPECT_EQ(*ReadFile(out / "quarantine" / "individual_positions.csv"),
            *ReadFile(out2 / "quarantine" / "individual_positions.csv"));
}

TEST_F(IngestTest, FuzzedInputsGiveStatusOrQuarantineNeverACrash) {
  StatusOr<std::string> users = ReadFile(kReasons / "individual_user.csv");
  StatusOr<std::string> positions = ReadFile(kReasons / "individual_positions.csv");
  ASSERT_TRUE(users.ok() && positions.ok());
  std::mt19937_64 rng(99);
  fs::path ds = tmp_ / "fuzz";
  for (int iter = 0; iter < 120; ++iter) {
    std::string u = *users;
    std::string p = *positions;
    std::string& victim = (iter % 2 == 0) ? p : u;
    switch (iter % 4) {
      case 0:
      case 1:
        victim.resize(rng() % (victim.size() + 1));  // truncation
        break;
      case 2:
        for (int k = 0; k < 20; ++k) victim[rng() % victim.size()] = static_cast<char>(rng());
        break;
      case 3: {
        std::string noise(rng() % 300, '\0');
        for (char& c : noise) c = "\",\n\r\xff\xe4x"[rng() % 8];
        victim.insert(rng() % victim.size(), noise);
        break;
      }
    }
    ASSERT_TRUE(WriteFileAtomic(ds / "individual_user.csv", u).ok());
    ASSERT_TRUE(WriteFileAtomic(ds / "individual_positions.csv", p).ok());
    ASSERT_TRUE(WriteFileAtomic(ds / "individual_user_education.csv",
                                *ReadFile(kReasons / "individual_user_education.csv"))
                    .ok());
    StatusOr<Dataset> r = Load(ds, MakeMonth(2023, 6));
    if (!r.ok()) continue;  // a file-level error is an acceptable outcome
    for (const auto& [table, rows] : r->rows)
      EXPECT_EQ(rows.read, rows.used + rows.exact_duplicates_collapsed + rows.quarantined_total())
          << table << " iteration " << iter;
    EXPECT_EQ(r->users.pos_begin.back(), r->positions.size());
  }
}

TEST_F(IngestTest, HugeFieldAndInvalidUtf8AreQuarantinedWithFileLineColumn) {
  fs::path ds = tmp_ / "ds";
  std::string users = "user_id,updated_dt,user_location\nu1,2023-01,HK\nu2,2023-01," +
                      std::string(10 << 20, 'x') + "\nu3,2023-01,Sha\xFFTin\nu4,2023-01,\"ok\"\n";
  WriteDataset(ds, users);
  StatusOr<Dataset> r = Load(ds);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->rows.at("individual_user").used, 2);
  EXPECT_EQ(r->rows.at("individual_user").quarantined.at("malformed_row"), 2);
  std::string q = Quarantine("individual_user");
  EXPECT_NE(q.find("individual_user.csv,3,malformed_row,field of 10485760 bytes in column "
                   "user_location exceeds the limit of 1 MiB,"),
            std::string::npos);
  EXPECT_NE(q.find("individual_user.csv,4,malformed_row,invalid UTF-8 at byte 4 of column "
                   "user_location,"),
            std::string::npos);
}

}  // namespace
}  // namespace talentflow
