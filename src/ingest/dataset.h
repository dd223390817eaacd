// Dataset: the in-memory form of a Revelio-layout profile extract, after
// ingest and cleaning. This is the contract between ingest (which builds it)
// and every later stage (panel, flows, stats, rules' population mode).
//
// Layout, chosen for speed and size:
//  - Columnar: one std::vector per column, parallel by row index.
//  - Strings (identifiers, places, companies, titles, universities) are
//    interned in `strings`; a column holds StrId, and kEmptyStr means missing.
//    Position ids, nearly all distinct and never looked up by text, are an
//    IdColumn of their own instead.
//  - Dates are Month numbers (common/month.h); kNoMonth means missing.
//  - Users are sorted by user_id in plain byte-wise order, so every run sees
//    persons in the same order whatever the input's file or row order.
//  - Positions and education rows are grouped by person: the rows of user u
//    are [users.pos_begin[u], users.pos_begin[u + 1]) and likewise edu_begin.
//    Within a person, positions are ordered by (start, position_id bytes) and
//    education rows by (education_number, start, university_name bytes).
//  - Only rows that survived cleaning are here ("used" rows); exact duplicates
//    are collapsed to one row and quarantined rows are absent. The accounting
//    of every input row is in `rows`.
//
// Partitioning: nothing here is global to the population. A later stage may
// split users across processes by UserPartitionHash(user_id) and merge the
// per-partition aggregates; the ingest of one partition yields a Dataset with
// the same layout.
//
// Threads: a Dataset is immutable after ingest returns it; any number of
// threads may read it concurrently (e.g. each walking its own range of users).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/month.h"
#include "ingest/string_pool.h"

namespace talentflow {

enum class Degree : uint8_t {
  kNone = 0,  // empty
  kHighSchool,
  kAssociate,
  kBachelor,
  kMaster,
  kMba,
  kDoctor,
  kOther,  // a non-empty value no rule maps; kept, counted in the inventory
};

// Identifiers that are nearly all distinct and never looked up by text
// (position ids): stored values back to back, and per row the stored value
// it holds. Ingest hands over the ids' bytes as it staged them (in file
// order, every staged row's) with the Dataset's order of them, instead of
// copying each id into the pool.
class IdColumn {
 public:
  IdColumn() = default;
  // REQUIRES: `ends` ascending, ends.back() <= bytes.size(), every index
  // entry < ends.size().
  IdColumn(std::string bytes, std::vector<uint64_t> ends, std::vector<uint32_t> index)
      : bytes_(std::move(bytes)), end_(std::move(ends)), index_(std::move(index)) {}

  // REQUIRES: row < size()
  std::string_view operator[](size_t row) const {
    const uint32_t v = index_[row];
    const uint64_t begin = v == 0 ? 0 : end_[v - 1];
    return std::string_view(bytes_.data() + begin, end_[v] - begin);
  }
  size_t size() const { return index_.size(); }
  // Stores `id` as a new value for a new last row (for building a Dataset
  // by hand).
  void push_back(std::string_view id) {
    bytes_.append(id);
    end_.push_back(bytes_.size());
    index_.push_back(static_cast<uint32_t>(end_.size() - 1));
  }

 private:
  std::string bytes_;
  std::vector<uint64_t> end_;
  std::vector<uint32_t> index_;
};

// Users: one row per distinct user_id.
struct UserTable {
  std::vector<StrId> user_id;
  std::vector<StrId> user_location;
  std::vector<StrId> user_country;
  std::vector<Month> updated_dt;
  std::vector<int32_t> numconnections;  // -1 when missing
  std::vector<Degree> highest_degree;
  std::vector<StrId> ethnicity_predicted;
  std::vector<StrId> sex_predicted;
  std::vector<int16_t> birth_year;  // 0 when missing
  // Row ranges into PositionTable / EducationTable; size() == users + 1.
  std::vector<uint32_t> pos_begin;
  std::vector<uint32_t> edu_begin;

  size_t size() const { return user_id.size(); }
};

struct PositionTable {
  std::vector<uint32_t> user;  // index into UserTable
  IdColumn position_id;
  std::vector<Month> start;       // never kNoMonth (no_start rows are quarantined)
  std::vector<Month> end;         // last worked month; the cutoff for open spells
  std::vector<uint8_t> end_open;  // 1 when enddate was empty (carried to cutoff)
  std::vector<StrId> country;
  std::vector<StrId> metro_area;
  std::vector<StrId> city;
  std::vector<StrId> state;
  std::vector<StrId> region;
  std::vector<StrId> rcid;
  // From the positions table, else from company_mapping by rcid, else empty.
  std::vector<StrId> ultimate_parent_rcid;
  std::vector<int16_t> seniority;  // -1 when missing
  std::vector<double> salary;      // NaN when missing
  std::vector<float> weight;       // NaN when missing
  // From the positions table, else from individual_positions_raw by position_id.
  std::vector<StrId> title_raw;

  size_t size() const { return position_id.size(); }
};

struct EducationTable {
  std::vector<uint32_t> user;
  std::vector<StrId> university_name;
  std::vector<Degree> degree;
  std::vector<StrId> degree_raw;          // the value as written, for reporting
  std::vector<int32_t> education_number;  // -1 when missing
  std::vector<StrId> rsid;
  std::vector<StrId> university_country;
  std::vector<StrId> field;
  std::vector<Month> start;  // kNoMonth when missing
  std::vector<Month> end;    // kNoMonth when missing

  size_t size() const { return university_name.size(); }
};

// Accounting of one input table: every row read ends in exactly one of
// used, exact_duplicates_collapsed, or quarantined[reason].
struct TableRows {
  int64_t read = 0;
  int64_t used = 0;
  int64_t exact_duplicates_collapsed = 0;
  std::map<std::string, int64_t> quarantined;  // reason name -> rows

  int64_t quarantined_total() const {
    int64_t n = 0;
    for (const auto& [reason, count] : quarantined) n += count;
    return n;
  }
};

// One input file as read (a table may have several part files).
struct InputFile {
  std::string table;
  std::string path;
  uint64_t bytes = 0;
  std::string sha256;
  int64_t rows = 0;  // data rows (header excluded)
};

// What ingest saw of one table, for `talentflow validate`'s inventory.
// (Added by ingest; later stages need not read it.) Counts are over used rows.
struct TableInventory {
  std::vector<std::string> columns_found;  // header names as written, in file order
  std::map<std::string, int64_t> missing;  // known column found -> used rows with it empty
  int64_t distinct_users = -1;             // -1 when the table has no user_id column
  // Known date column found -> {min, max} over used rows (kNoMonth if none).
  std::map<std::string, std::pair<Month, Month>> date_range;
  std::map<std::string, int64_t> degree_counts;  // education: DegreeName -> used rows
};

struct Dataset {
  StringPool strings;
  UserTable users;
  PositionTable positions;
  EducationTable education;
  Month cutoff = kNoMonth;                       // --cutoff, else the latest updated_dt
  std::map<std::string, TableRows> rows;         // by table name
  std::vector<InputFile> inputs;                 // sorted by (table, path)
  std::map<std::string, TableInventory> tables;  // by table name, tables read only

  std::string_view str(StrId id) const { return strings.Get(id); }
};

// Stable 64-bit hash of a user id (FNV-1a over its bytes), for partitioning
// users across processes. Never changes between versions.
inline uint64_t UserPartitionHash(std::string_view user_id) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : user_id) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace talentflow
