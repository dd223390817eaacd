#include "ingest/ingest.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <random>

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
  EXPECT_EQ(d.str(p.position_id[0]), "100000000000000000000002");  // beyond 64 bits, a string
  EXPECT_EQ(p.start[0], MakeMonth(2012, 1));
  EXPECT_EQ(p.end[0], MakeMonth(2018, 2));
  EXPECT_EQ(p.end_open[0], 0);
  EXPECT_EQ(d.str(p.title_raw[0]), "Analyst\nLevel 2");  // from positions_raw
  EXPECT_EQ(d.str(p.ultimate_parent_rcid[0]), "P2");     // own value wins over mapping
  EXPECT_TRUE(std::isnan(p.salary[0]));
  EXPECT_EQ(p.seniority[0], 3);
  EXPECT_EQ(d.str(p.position_id[1]), "100000000000000000000001");
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
  EXPECT_EQ(d.str(p.position_id[3]), "p13");
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

}  // namespace
}  // namespace talentflow
