#include "ingest/ingest.h"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <future>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <tuple>
#include <unordered_set>

#include "common/memory.h"
#include "ingest/internal/column_dict.h"
#include "ingest/internal/degree.h"
#include "ingest/internal/keys.h"
#include "ingest/internal/numbers.h"
#include "ingest/internal/progress.h"
#include "io/csv_reader.h"
#include "io/file_util.h"

namespace talentflow {
namespace fs = std::filesystem;
using ingest_internal::DegreeName;
using ingest_internal::HashKey;
using ingest_internal::HashRow;
using ingest_internal::KeyBytes;
using ingest_internal::KeyIndex;
using ingest_internal::NormalizeDegree;
using ingest_internal::ParseDecimal;
using ingest_internal::ParseInt;

namespace {

// ------------------------------------------------------------ schema

enum class Kind : uint8_t { kText, kDate, kInt, kDecimal };

struct ColumnSpec {
  std::string_view name;
  Kind kind;
  bool required;
  bool key;
  int64_t min = 0;  // integer range (the target type's)
  int64_t max = 0;
};

enum class TableId { kUsers, kCompany, kRaw, kPositions, kEducation };

struct TableSpec {
  TableId id;
  std::string_view name;
  bool required_table;
  std::vector<ColumnSpec> columns;
  int user_col = -1;  // column resolved to a user index (positions, education)
  // The key column rows are deduplicated by (users: user_id, positions and
  // positions_raw: position_id, company: rcid); -1 for education, whose key
  // is the whole row. Its values are kept as bytes, not interned.
  int dedup_key = -1;
  // A user id column that is only counted (its distinct values), so it is
  // not interned: individual_positions_raw.user_id. Values are resolved to
  // user indices like a user_col; the few unknown ones are kept as bytes.
  int counted_col = -1;
  // Text columns no Dataset table holds (positions_raw's company_raw and
  // location_raw): only counted for the inventory's missing shares, so
  // staged as kEmptyStr or kPresent, never interned.
  std::vector<int> presence_only = {};
  bool PresenceOnly(int c) const {
    return std::find(presence_only.begin(), presence_only.end(), c) != presence_only.end();
  }
};

constexpr int64_t kI16Min = std::numeric_limits<int16_t>::min();
constexpr int64_t kI16Max = std::numeric_limits<int16_t>::max();
constexpr int64_t kI32Max = std::numeric_limits<int32_t>::max();
constexpr int64_t kI32MinUsable = std::numeric_limits<int32_t>::min() + 1;

// Column order inside each spec; the enums index TableSpec::columns.
enum UserCol {
  kUUserId,
  kULocation,
  kUCountry,
  kUUpdated,
  kUConn,
  kUDegree,
  kUEth,
  kUSex,
  kUBirth
};
enum CompanyCol { kCRcid, kCCompany, kCParent, kCHq };
enum RawCol { kRPositionId, kRTitle, kRUserId, kRCompany, kRLocation };
enum PosCol {
  kPUserId,
  kPPositionId,
  kPStart,
  kPEnd,
  kPCountry,
  kPMetro,
  kPCity,
  kPState,
  kPRegion,
  kPRcid,
  kPParent,
  kPSeniority,
  kPSalary,
  kPWeight,
  kPTitle
};
enum EduCol {
  kEUserId,
  kEUniversity,
  kEDegree,
  kENumber,
  kERsid,
  kEUniCountry,
  kEField,
  kEStart,
  kEEnd
};

const std::vector<TableSpec>& Tables() {
  static const std::vector<TableSpec> kTables = [] {
    using K = Kind;
    std::vector<TableSpec> t;
    t.push_back({TableId::kUsers,
                 "individual_user",
                 true,
                 {{"user_id", K::kText, true, true},
                  {"user_location", K::kText, false, false},
                  {"user_country", K::kText, false, false},
                  {"updated_dt", K::kDate, false, false},
                  {"numconnections", K::kInt, false, false, kI32MinUsable, kI32Max},
                  {"highest_degree", K::kText, false, false},
                  {"ethnicity_predicted", K::kText, false, false},
                  {"sex_predicted", K::kText, false, false},
                  {"birth_year", K::kInt, false, false, kI16Min, kI16Max}}});
    t.push_back({TableId::kCompany,
                 "company_mapping",
                 false,
                 {{"rcid", K::kText, true, true},
                  {"company", K::kText, false, false},
                  {"ultimate_parent_rcid", K::kText, false, false},
                  {"hq_country", K::kText, false, false}}});
    t.push_back({TableId::kRaw,
                 "individual_positions_raw",
                 false,
                 {{"position_id", K::kText, true, true},
                  {"title_raw", K::kText, true, false},
                  {"user_id", K::kText, false, false},
                  {"company_raw", K::kText, false, false},
                  {"location_raw", K::kText, false, false}}});
    t.push_back({TableId::kPositions,
                 "individual_positions",
                 true,
                 {{"user_id", K::kText, true, true},
                  {"position_id", K::kText, true, true},
                  {"startdate", K::kDate, true, false},
                  {"enddate", K::kDate, false, false},
                  {"country", K::kText, false, false},
                  {"metro_area", K::kText, false, false},
                  {"city", K::kText, false, false},
                  {"state", K::kText, false, false},
                  {"region", K::kText, false, false},
                  {"rcid", K::kText, false, false},
                  {"ultimate_parent_rcid", K::kText, false, false},
                  {"seniority", K::kInt, false, false, kI16Min, kI16Max},
                  {"salary", K::kDecimal, false, false},
                  {"weight", K::kDecimal, false, false},
                  {"title_raw", K::kText, false, false}},
                 kPUserId});
    t.push_back({TableId::kEducation,
                 "individual_user_education",
                 true,
                 {{"user_id", K::kText, true, true},
                  {"university_name", K::kText, true, false},
                  {"degree", K::kText, true, false},
                  {"education_number", K::kInt, false, false, kI32MinUsable, kI32Max},
                  {"rsid", K::kText, false, false},
                  {"university_country", K::kText, false, false},
                  {"field", K::kText, false, false},
                  {"startdate", K::kDate, false, false},
                  {"enddate", K::kDate, false, false}},
                 kEUserId});
    t[0].dedup_key = kUUserId;
    t[1].dedup_key = kCRcid;
    t[2].dedup_key = kRPositionId;
    t[2].counted_col = kRUserId;
    t[2].presence_only = {kRCompany, kRLocation};
    t[3].dedup_key = kPPositionId;
    for (const TableSpec& spec : t) {
      // TableSink::Stage takes these as constants of the table.
      const bool by_user = spec.id == TableId::kPositions || spec.id == TableId::kEducation;
      if ((spec.dedup_key >= 0) != (spec.id != TableId::kEducation) ||
          (spec.user_col >= 0) != by_user || (spec.counted_col >= 0) != (spec.id == TableId::kRaw))
        throw std::logic_error("ingest schema: key, user or counted column not as Stage expects");
      bool decimal_seen = false;
      for (const ColumnSpec& cs : spec.columns) {
        if (cs.kind == K::kInt && decimal_seen)
          throw std::logic_error("ingest schema: integer column after a decimal column");
        decimal_seen = decimal_seen || cs.kind == K::kDecimal;
      }
    }
    return t;
  }();
  return kTables;
}

// ------------------------------------------------------------ reasons

enum class Reason : uint8_t {
  kMalformed,
  kMissingKey,
  kBadDate,
  kBadNumber,
  kNoStart,
  kBefore1950,
  kAfterCutoff,
  kEndBeforeStart,
  kConflicting,
  kUnknownUser,
};

const char* const kReasonNames[] = {
    "malformed_row", "missing_key",      "bad_date",
    "bad_number",    "no_start",         "before_1950",
    "after_cutoff",  "end_before_start", "conflicting_duplicate",
    "unknown_user",
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Hash of a whole row's field values, for tables without a key column
// (education): it only groups rows that may be duplicates; whether two rows
// are the same is then decided on their fields (ReparseCsvRecord), so rows
// with equal fields must hash equally, whatever their quoting. The hash is of
// the fields joined by commas, and their count; a record whose fields lie
// back to back in its text, one separator apart (no quotes, no carriage
// return: nearly every record), is that join already, so its text is hashed
// in one pass. Others are joined in `scratch` first.
uint64_t RowHash(const CsvRecord& rec, std::string* scratch) {
  const std::string_view* f = rec.fields;
  const size_t n = rec.num_fields;
  const char* raw_end = rec.raw.data() + rec.raw.size();
  bool joined =
      n > 0 && f[0].data() == rec.raw.data() && f[n - 1].data() + f[n - 1].size() == raw_end;
  for (size_t i = 1; joined && i < n; ++i)
    joined = f[i].data() == f[i - 1].data() + f[i - 1].size() + 1;
  std::string_view text = rec.raw;
  if (!joined) {
    scratch->clear();
    for (size_t i = 0; i < n; ++i) {
      if (i > 0) scratch->push_back(',');
      scratch->append(f[i]);
    }
    text = *scratch;
  }
  return ingest_internal::HashKey(text) ^ (static_cast<uint64_t>(n) * 0x9E3779B97F4A7C15ULL);
}

constexpr int32_t kMissingInt = std::numeric_limits<int32_t>::min();
constexpr uint32_t kCountedEmpty = std::numeric_limits<uint32_t>::max();
constexpr uint32_t kCountedOther = uint32_t{1} << 31;
constexpr uint32_t kNoUser = std::numeric_limits<uint32_t>::max();
// A staged value of a TableSpec::presence_only column that is not empty (not
// a string id: those columns are never interned).
constexpr StrId kPresent = 1;

// ------------------------------------------------------------ row storage

// Chunks larger than this are not used, so that a staged row's line within
// its chunk fits 32 bits (RowStore::line).
constexpr size_t kMaxChunkBytes = size_t{1} << 30;
// The ingest's chunk: small enough that a chunk's staging stays in a core's
// cache until it is merged. ABBA rounds at messy 1M users: the positions
// parse took 1.355 CPU-s with 1 MiB chunks against 1.481 with the reader's
// 16 MiB; 512 KiB and 2 MiB were the same as 1 MiB (docs/performance.md,
// eighth session).
constexpr size_t kDefaultChunkBytes = size_t{1} << 20;

struct Column {
  std::vector<StrId> text;
  std::vector<Month> date;
  std::vector<int32_t> ints;
  std::vector<double> dec;
};

// A staged positions row: every column the Dataset keeps but the position
// id (RowStore::key), in one cache line, since the finish reads the rows in
// user order, not in file order:
// a gather from one array of rows misses the caches about once a row, from
// thirteen columns about once a column (docs/performance.md, tenth
// session). An absent column is staged as its missing value.
struct alignas(64) PositionRow {
  uint32_t user;
  Month start;
  Month end;          // kNoMonth when empty
  StrId text[8];      // kEmptyStr when empty; the order of kPositionTextCols
  int32_t seniority;  // kMissingInt when empty
  float weight;       // NaN when empty (the Dataset's type)
  double salary;      // NaN when empty
};
static_assert(sizeof(PositionRow) == 64);
constexpr int kPositionTextCols[8] = {kPCountry, kPMetro, kPCity,   kPState,
                                      kPRegion,  kPRcid,  kPParent, kPTitle};
static_assert(std::is_sorted(std::begin(kPositionTextCols), std::end(kPositionTextCols)),
              "the merge interns a row's text columns in schema order");
// The slot of a positions text column in PositionRow::text, -1 for others.
constexpr int PositionTextSlot(int col) {
  for (int s = 0; s < 8; ++s)
    if (kPositionTextCols[s] == col) return s;
  return -1;
}

// A date column's range over a table's used rows, counted over every staged
// row in sequence, with how many rows sit at each end, then corrected by the
// rows not used (Remove); a removed row at an end it alone held leaves
// Exact() false, and the range is then recounted over the used rows.
struct DateRange {
  int64_t missing = 0;
  Month lo = kNoMonth, hi = kNoMonth;
  int64_t at_lo = 0, at_hi = 0;
  void Add(Month m) {
    if (m == kNoMonth) {
      ++missing;
      return;
    }
    if (lo == kNoMonth || m < lo) {
      lo = m;
      at_lo = 0;
    }
    if (hi == kNoMonth || m > hi) {
      hi = m;
      at_hi = 0;
    }
    at_lo += m == lo;
    at_hi += m == hi;
  }
  void Remove(Month m) {
    if (m == kNoMonth) {
      --missing;
      return;
    }
    at_lo -= m == lo;
    at_hi -= m == hi;
  }
  // As if `o`'s rows had been added here.
  void Merge(const DateRange& o) {
    missing += o.missing;
    if (o.lo != kNoMonth) {
      if (lo == kNoMonth || o.lo < lo) {
        lo = o.lo;
        at_lo = 0;
      }
      at_lo += o.lo == lo ? o.at_lo : 0;
    }
    if (o.hi != kNoMonth) {
      if (hi == kNoMonth || o.hi > hi) {
        hi = o.hi;
        at_hi = 0;
      }
      at_hi += o.hi == hi ? o.at_hi : 0;
    }
  }
  bool Exact() const { return at_lo != 0 && at_hi != 0; }
  template <typename Get>
  void Recount(const std::vector<uint32_t>& used, Get month) {
    lo = hi = kNoMonth;
    for (uint32_t r : used) {
      const Month m = month(r);
      if (m == kNoMonth) continue;
      if (lo == kNoMonth || m < lo) lo = m;
      if (hi == kNoMonth || m > hi) hi = m;
    }
  }
};

// The inventory's counts over staged positions rows, kept by each sink as it
// stages rows (the values are at hand then) and summed by the merge, so the
// finish does not read every staged row again; the rows Classify does not
// use are then removed.
struct PositionCounts {
  int64_t text[8] = {};  // rows with the slot empty
  int64_t seniority = 0, salary = 0, weight = 0;
  DateRange start, end;
  void Add(const PositionRow& o) {
    for (int slot = 0; slot < 8; ++slot) text[slot] += o.text[slot] == kEmptyStr;
    seniority += o.seniority == kMissingInt;
    salary += std::isnan(o.salary);
    weight += std::isnan(o.weight);
    start.Add(o.start);
    end.Add(o.end);
  }
  void Remove(const PositionRow& o) {
    for (int slot = 0; slot < 8; ++slot) text[slot] -= o.text[slot] == kEmptyStr;
    seniority -= o.seniority == kMissingInt;
    salary -= std::isnan(o.salary);
    weight -= std::isnan(o.weight);
    start.Remove(o.start);
    end.Remove(o.end);
  }
  void Merge(const PositionCounts& o) {
    for (int slot = 0; slot < 8; ++slot) text[slot] += o.text[slot];
    seniority += o.seniority;
    salary += o.salary;
    weight += o.weight;
    start.Merge(o.start);
    end.Merge(o.end);
  }
};

// Rows that passed rules 1-3, column by column (absent columns stay empty),
// except positions, whose columns are staged as PositionRows (with the user
// and startdate also as columns: Classify and the grouping read them in
// sequence, where 64-byte rows would cost sixteen times the reads).
struct RowStore {
  std::vector<Column> cols;
  std::vector<PositionRow> positions;
  PositionCounts position_counts;
  std::vector<uint64_t> untitled;  // positions: a bit per row without a title
  KeyBytes key;                    // the dedup_key column's values (keyed tables)
  // The counted_col per row: a user index, kCountedEmpty, or kCountedOther
  // plus the position of the value in `counted` (ids of no used user).
  std::vector<uint32_t> counted_user;
  KeyBytes counted;
  std::vector<uint32_t> row_hash;  // HashTag(RowHash), for tables without a dedup_key
  std::vector<uint32_t> user;      // tables with a user_col
  // Provenance, for quarantining a staged row: the record's byte offset in
  // its file and its line within its chunk (a chunk is at most
  // kMaxChunkBytes plus one record, so fewer than 2^32 lines), with per chunk (in the table's
  // rows, not a sink's) the file and first line. The record's text is found
  // again by parsing at the offset.
  std::vector<uint64_t> offset;
  std::vector<uint32_t> line;
  struct ChunkRun {
    uint32_t first_row;
    uint32_t file;
    int64_t first_line;
  };
  std::vector<ChunkRun> chunks;
  const ChunkRun& ChunkOf(uint32_t r) const {
    auto it = std::upper_bound(chunks.begin(), chunks.end(), r,
                               [](uint32_t row, const ChunkRun& c) { return row < c.first_row; });
    return *(it - 1);
  }
  // Rows staged; REQUIRES: before Classify, which frees the provenance.
  size_t size() const { return line.size(); }
  size_t staged = 0;  // size() as Classify found it
};

struct QuarantineRow {
  uint32_t file;
  int64_t line;
  Reason reason;
  std::string detail;
  uint64_t offset;
  uint64_t length;
};

// Read-only state shared by the parsing threads of one file.
struct ParseContext {
  const TableSpec* spec = nullptr;
  std::vector<int> field_of_col;  // schema column -> header field index, or -1
  size_t num_fields = 0;
  Month cutoff = kNoMonth;
  // Used user ids in user order (index = user index). An index of its own,
  // because `strings` is written by the merging thread during the parse.
  const KeyIndex* users = nullptr;
  uint32_t file = 0;
  std::string_view data;   // the file's text (values inside it may be read past)
  size_t chunk_bytes = 0;  // CsvParseOptions::chunk_bytes
  size_t kept_values = 0;  // IngestOptions::kept_values

  // The schema columns found in the header, by what the row path
  // (TableSink::Stage) does with them.
  struct Plan {
    struct Fetch {
      int col, field;
    };
    std::vector<Fetch> keys;  // key columns (rule 2)
    std::vector<Fetch> dates;
    // Integer and decimal columns. Every schema lists its integers before
    // its decimals (checked in Tables()), so checking all integers first
    // finds a row's first bad number in column order, as one loop would.
    std::vector<Fetch> ints;
    std::vector<Fetch> decimals;
    std::vector<int> texts;     // text columns interned per chunk
    std::vector<int> presence;  // TableSpec::presence_only columns found
    bool counted = false;       // counted_col found
  };
  Plan plan;

  void MakePlan() {
    plan = Plan();
    for (size_t i = 0; i < spec->columns.size(); ++i) {
      const int c = static_cast<int>(i);
      if (field_of_col[i] < 0) continue;
      const ColumnSpec& cs = spec->columns[i];
      const ParseContext::Plan::Fetch f{c, field_of_col[i]};
      if (cs.key) plan.keys.push_back(f);
      switch (cs.kind) {
        case Kind::kDate:
          plan.dates.push_back(f);
          break;
        case Kind::kInt:
          plan.ints.push_back(f);
          break;
        case Kind::kDecimal:
          plan.decimals.push_back(f);
          break;
        case Kind::kText:
          if (c == spec->counted_col) {
            plan.counted = true;
          } else if (spec->PresenceOnly(c)) {
            plan.presence.push_back(c);
          } else if (c != spec->user_col && c != spec->dedup_key) {
            plan.texts.push_back(c);
          }
          break;
      }
    }
  }
};

// Space and tab are both at most 0x20, so one unsigned compare per end
// rules out nearly every value; the exact test follows only for the rare
// value that starts or ends with a control character or a space.
inline std::string_view Trim(std::string_view s) {
  if (!s.empty() && (static_cast<unsigned char>(s.front()) <= 0x20 ||
                     static_cast<unsigned char>(s.back()) <= 0x20)) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  }
  return s;
}

class TableSink : public CsvChunkSink {
 public:
  explicit TableSink(const ParseContext* ctx) : ctx_(ctx) {
    rows.cols.resize(ctx->spec->columns.size());
    dicts.resize(ctx->spec->columns.size());
    string_of.resize(ctx->spec->columns.size());
    // rows.cols and dicts keep their size, so these pointers stay valid.
    const std::vector<int>& field = ctx->field_of_col;
    for (int c : ctx->plan.texts)
      texts_.push_back({field[c], ctx->spec->id == TableId::kPositions ? PositionTextSlot(c) : -1,
                        &dicts[c], &rows.cols[c].text});
    for (int c : ctx->plan.presence) presence_.push_back({field[c], &rows.cols[c].text});
    for (auto [c, f] : ctx->plan.dates) dates_.push_back({c, &rows.cols[c].date});
    for (auto [c, f] : ctx->plan.ints) ints_.push_back({c, &rows.cols[c].ints});
    for (auto [c, f] : ctx->plan.decimals) decimals_.push_back({c, &rows.cols[c].dec});
    const TableSpec& spec = *ctx->spec;
    if (spec.dedup_key >= 0) key_field_ = field[spec.dedup_key];
    if (spec.user_col >= 0) user_field_ = field[spec.user_col];
    if (spec.counted_col >= 0) counted_field_ = field[spec.counted_col];
  }

  void OnRecord(const CsvRecord& rec) override;
  // A new sink's staging sized for a whole chunk of rows like `first` (the
  // sink is recycled, so this happens once), instead of growing by doubling.
  void ReserveChunk(const CsvRecord& first);
  // Empties the sink for the next chunk, keeping its memory: fresh buffers
  // for every chunk cost more in page faults than the parse itself.
  void Reset() {
    for (size_t c = 0; c < dicts.size(); ++c) {
      if (dicts[c].size() <= ctx_->kept_values) continue;
      dicts[c].Clear();
      string_of[c].clear();
    }
    for (Column& c : rows.cols) {
      c.text.clear();
      c.date.clear();
      c.ints.clear();
      c.dec.clear();
    }
    rows.key.Clear(/*keep_memory=*/true);
    rows.counted.Clear(/*keep_memory=*/true);
    rows.counted_user.clear();
    rows.positions.clear();
    rows.position_counts = PositionCounts();
    rows.row_hash.clear();
    rows.user.clear();
    rows.line.clear();
    rows.offset.clear();
    quarantine.clear();
    has_last_user_ = false;
    last_user_entry_ = KeyIndex::kNotFound;
    last_counted_entry_ = KeyIndex::kNotFound;
  }

  // Per schema column (text columns only): the distinct values of every
  // chunk this sink parsed; staged text columns hold ids local to these.
  // Kept from chunk to chunk (Reset clears one only when it holds more than
  // IngestOptions::kept_values), so after a few chunks nearly every value is
  // found, not added: whether a value is new depends on the data, and a
  // branch on it is mispredicted as often as values are new. `string_of` maps the local ids the
  // merge has seen to Dataset string ids, so each value is looked up in the pool once per sink.
  std::vector<ingest_internal::ColumnDict> dicts;
  std::vector<std::vector<StrId>> string_of;
  RowStore rows;
  std::vector<QuarantineRow> quarantine;

 private:
  void Quarantine(const CsvRecord& rec, Reason reason, std::string detail) {
    quarantine.push_back(
        {ctx_->file, rec.line_in_chunk, reason, std::move(detail), rec.offset, rec.raw.size()});
  }

  template <TableId kTable>
  void Stage(const CsvRecord& rec);

  // Where the plan's columns are staged, resolved once per sink so that a
  // cell costs no index arithmetic. Text targets name the record's field,
  // the others the schema column (their values are parsed first).
  struct TextTarget {
    int field;
    int slot;  // positions: the PositionRow::text slot
    ingest_internal::ColumnDict* dict;
    std::vector<StrId>* out;
  };
  struct PresenceTarget {
    int field;
    std::vector<StrId>* out;
  };
  template <typename T>
  struct Target {
    int col;
    std::vector<T>* out;
  };

  const ParseContext* ctx_;
  std::vector<TextTarget> texts_;
  std::vector<PresenceTarget> presence_;
  std::vector<Target<Month>> dates_;
  std::vector<Target<int32_t>> ints_;
  std::vector<Target<double>> decimals_;
  // The record fields of the dedup key, user and counted columns (-1: none).
  int key_field_ = -1, user_field_ = -1, counted_field_ = -1;
  std::string join_scratch_;  // RowHash's
  std::string last_user_;
  uint32_t last_user_entry_ = KeyIndex::kNotFound;
  uint32_t last_counted_entry_ = KeyIndex::kNotFound;
  uint32_t last_user_index_ = kNoUser;
  bool has_last_user_ = false;
};

// The common date forms without building a Status: YYYY-MM and YYYY-MM-DD
// with a valid month and day. Anything else goes to ParseMonth, which also
// gives the error message.
inline bool ParseMonthFast(std::string_view v, Month* out) {
  if (v.size() != 7 && v.size() != 10) return false;
  auto digit = [&](size_t i) { return static_cast<unsigned>(v[i] - '0'); };
  for (size_t i : {0, 1, 2, 3, 5, 6})
    if (digit(i) > 9) return false;
  if (v[4] != '-') return false;
  unsigned month = digit(5) * 10 + digit(6);
  if (month < 1 || month > 12) return false;
  if (v.size() == 10) {
    if (v[7] != '-' || digit(8) > 9 || digit(9) > 9) return false;
    unsigned day = digit(8) * 10 + digit(9);
    if (day < 1 || day > 31) return false;
  }
  int year = static_cast<int>(digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3));
  *out = MakeMonth(year, static_cast<int>(month));
  return true;
}

void TableSink::OnRecord(const CsvRecord& rec) {
  if (rows.line.capacity() == 0) ReserveChunk(rec);
  if (rec.malformed) return Quarantine(rec, Reason::kMalformed, rec.error);
  // One row path per table, so that the table's fixed properties (its key,
  // user and counted columns, the positions rules) are constants in it.
  switch (ctx_->spec->id) {
    case TableId::kUsers:
      return Stage<TableId::kUsers>(rec);
    case TableId::kCompany:
      return Stage<TableId::kCompany>(rec);
    case TableId::kRaw:
      return Stage<TableId::kRaw>(rec);
    case TableId::kPositions:
      return Stage<TableId::kPositions>(rec);
    case TableId::kEducation:
      return Stage<TableId::kEducation>(rec);
  }
}

template <TableId kTable>
void TableSink::Stage(const CsvRecord& rec) {
  // The tables' fixed columns (Tables()): a dedup key in all but
  // education, a user column in positions and education, a counted user
  // column in positions_raw.
  constexpr bool kKeyed = kTable != TableId::kEducation;
  constexpr bool kByUser = kTable == TableId::kPositions || kTable == TableId::kEducation;
  constexpr bool kCounted = kTable == TableId::kRaw;
  const TableSpec& spec = *ctx_->spec;
  const ParseContext::Plan& plan = ctx_->plan;
  // Each value is read (and trimmed) where it is used, not gathered first.
  const std::string_view* fields = rec.fields;
  auto value = [fields](int field) { return Trim(fields[field]); };
  // Rule 2: keys.
  for (auto [c, f] : plan.keys) {
    if (value(f).empty())
      return Quarantine(rec, Reason::kMissingKey, fmt::format("{} is empty", spec.columns[c].name));
  }
  // Rule 3: dates, then numbers.
  Month dates[16];
  int64_t ints[16];
  double decs[16];
  for (auto [c, f] : plan.dates) {
    dates[c] = kNoMonth;
    std::string_view v = value(f);
    if (v.empty() || ParseMonthFast(v, &dates[c])) continue;
    StatusOr<Month> m = ParseMonth(v);
    if (!m.ok())
      return Quarantine(rec, Reason::kBadDate,
                        fmt::format("{} {}", spec.columns[c].name, m.status().message()));
    dates[c] = *m;
  }
  for (auto [c, f] : plan.ints) {
    std::string_view v = value(f);
    ints[c] = kMissingInt;
    if (v.empty()) continue;
    const ColumnSpec& cs = spec.columns[c];
    if (!ParseInt(v, &ints[c]))
      return Quarantine(rec, Reason::kBadNumber,
                        fmt::format("{} \"{}\": expected an integer", cs.name, v));
    if (ints[c] < cs.min || ints[c] > cs.max)
      return Quarantine(
          rec, Reason::kBadNumber,
          fmt::format("{} \"{}\": must be between {} and {}", cs.name, v, cs.min, cs.max));
  }
  for (auto [c, f] : plan.decimals) {
    std::string_view v = value(f);
    decs[c] = std::numeric_limits<double>::quiet_NaN();
    if (v.empty()) continue;
    if (!ParseDecimal(v, &decs[c]))
      return Quarantine(
          rec, Reason::kBadNumber,
          fmt::format("{} \"{}\": expected a decimal number", spec.columns[c].name, v));
  }
  if constexpr (kTable == TableId::kPositions) {
    Month start = ctx_->field_of_col[kPStart] >= 0 ? dates[kPStart] : kNoMonth;
    Month end = ctx_->field_of_col[kPEnd] >= 0 ? dates[kPEnd] : kNoMonth;
    if (start == kNoMonth) return Quarantine(rec, Reason::kNoStart, "startdate is empty");
    if (start < MakeMonth(1950, 1))
      return Quarantine(rec, Reason::kBefore1950,
                        fmt::format("startdate {} is before 1950-01", FormatMonth(start)));
    if (start > ctx_->cutoff)
      return Quarantine(rec, Reason::kAfterCutoff,
                        fmt::format("startdate {} is after the cutoff {}", FormatMonth(start),
                                    FormatMonth(ctx_->cutoff)));
    if (end != kNoMonth && end < start)
      return Quarantine(
          rec, Reason::kEndBeforeStart,
          fmt::format("enddate {} is before startdate {}", FormatMonth(end), FormatMonth(start)));
  }
  // Passed rules 1-3: stage the row.
  const char* base = ctx_->data.data();
  const char* data_end = base + ctx_->data.size();
  auto intern = [&](const TextTarget& t) {
    std::string_view v = value(t.field);
    const char* readable_end =
        v.data() >= base && v.data() <= data_end ? data_end : v.data() + v.size();
    return t.dict->Intern(v, readable_end);
  };
  [[maybe_unused]] PositionRow prow;  // positions only; its user is set below
  if constexpr (kTable == TableId::kPositions) {
    const std::vector<int>& found = ctx_->field_of_col;
    std::fill(std::begin(prow.text), std::end(prow.text), kEmptyStr);
    for (const TextTarget& t : texts_) prow.text[t.slot] = intern(t);
    prow.start = dates[kPStart];  // a required column
    prow.end = found[kPEnd] >= 0 ? dates[kPEnd] : kNoMonth;
    prow.seniority =
        found[kPSeniority] >= 0 ? static_cast<int32_t>(ints[kPSeniority]) : kMissingInt;
    prow.salary = found[kPSalary] >= 0 ? decs[kPSalary] : std::numeric_limits<double>::quiet_NaN();
    prow.weight = found[kPWeight] >= 0 ? static_cast<float>(decs[kPWeight])
                                       : std::numeric_limits<float>::quiet_NaN();
  } else {
    for (const TextTarget& t : texts_) t.out->push_back(intern(t));
    for (const PresenceTarget& t : presence_)
      t.out->push_back(value(t.field).empty() ? kEmptyStr : kPresent);
    for (const Target<Month>& t : dates_) t.out->push_back(dates[t.col]);
    for (const Target<int32_t>& t : ints_) t.out->push_back(static_cast<int32_t>(ints[t.col]));
    for (const Target<double>& t : decimals_) t.out->push_back(decs[t.col]);
  }
  if constexpr (kKeyed) {
    std::string_view v = value(key_field_);
    rows.key.Add(v, HashKey(v));
  }
  if constexpr (kCounted) {
    if (plan.counted) {
      std::string_view v = value(counted_field_);
      uint32_t code = kCountedEmpty;
      if (!v.empty()) {
        KeyIndex::Hit hit = ctx_->users->Find(v, last_counted_entry_);
        if (hit.entry != KeyIndex::kNotFound) {
          last_counted_entry_ = hit.entry;
          code = hit.value;
        } else {
          code = kCountedOther | static_cast<uint32_t>(rows.counted.size());
          rows.counted.Add(v, HashKey(v));
        }
      }
      rows.counted_user.push_back(code);
    }
  }
  if constexpr (kByUser) {
    std::string_view uid = value(user_field_);
    if (!has_last_user_ || !ingest_internal::SameBytes(uid, last_user_)) {
      KeyIndex::Hit hit = ctx_->users->Find(uid, last_user_entry_);
      last_user_index_ = hit.value == KeyIndex::kNotFound ? kNoUser : hit.value;
      if (hit.entry != KeyIndex::kNotFound) last_user_entry_ = hit.entry;
      last_user_.assign(uid);
      has_last_user_ = true;
    }
    rows.user.push_back(last_user_index_);
    if constexpr (kTable == TableId::kPositions) {
      prow.user = last_user_index_;
      rows.positions.push_back(prow);
      rows.position_counts.Add(prow);
      rows.cols[kPStart].date.push_back(prow.start);
    }
  }
  if constexpr (!kKeyed)
    rows.row_hash.push_back(ingest_internal::HashTag(RowHash(rec, &join_scratch_)));
  rows.line.push_back(static_cast<uint32_t>(rec.line_in_chunk));
  rows.offset.push_back(rec.offset);
}

template <typename T>
void Append(std::vector<T>& dst, const std::vector<T>& src) {
  dst.insert(dst.end(), src.begin(), src.end());
}

void Reserve(RowStore& rows, const TableSpec& spec, const std::vector<int>& field_of_col, size_t n,
             size_t key_bytes) {
  if (spec.id == TableId::kPositions) {
    ReservePopulated(&rows.positions, n);
    ReservePopulated(&rows.cols[kPStart].date, n);
  }
  for (size_t c = 0; c < rows.cols.size(); ++c) {
    if (field_of_col[c] < 0 || spec.id == TableId::kPositions) continue;
    const int ci = static_cast<int>(c);
    switch (spec.columns[c].kind) {
      case Kind::kText:
        if (ci != spec.user_col && ci != spec.dedup_key && ci != spec.counted_col)
          ReservePopulated(&rows.cols[c].text, n);
        break;
      case Kind::kDate:
        ReservePopulated(&rows.cols[c].date, n);
        break;
      case Kind::kInt:
        ReservePopulated(&rows.cols[c].ints, n);
        break;
      case Kind::kDecimal:
        ReservePopulated(&rows.cols[c].dec, n);
        break;
    }
  }
  if (spec.dedup_key >= 0) rows.key.Reserve(n, key_bytes);
  if (spec.dedup_key < 0) ReservePopulated(&rows.row_hash, n);
  if (spec.user_col >= 0) ReservePopulated(&rows.user, n);
  ReservePopulated(&rows.line, n);
  ReservePopulated(&rows.offset, n);
}

void TableSink::ReserveChunk(const CsvRecord& first) {
  const size_t fields = std::max<size_t>(ctx_->num_fields, 1);
  const size_t row_bytes = std::max(first.raw.size() + 1, fields);
  const size_t chunk = std::min(ctx_->chunk_bytes, ctx_->data.size());
  const size_t n = chunk / row_bytes + chunk / row_bytes / 4 + 16;
  const int key = ctx_->spec->dedup_key;
  const size_t key_bytes = key >= 0 && ctx_->field_of_col[key] >= 0 && !first.malformed &&
                                   first.num_fields == ctx_->num_fields
                               ? n * (first.fields[ctx_->field_of_col[key]].size() + 1)
                               : 0;
  Reserve(rows, *ctx_->spec, ctx_->field_of_col, n, key_bytes);
}

// ------------------------------------------------------------ table files

struct TableSource {
  std::vector<fs::path> files;      // absolute or as given
  std::vector<std::string> labels;  // relative to the dataset directory
};

bool IsPartName(const std::string& name) {
  auto ends = [&](std::string_view suffix) {
    return name.size() > suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends(".csv") || ends(".csv.gz");
}

// Finds NAME.csv, NAME.csv.gz or NAME/; nullopt when the table is absent.
StatusOr<std::optional<TableSource>> FindTable(const fs::path& dir, std::string_view name) {
  std::string n(name);
  std::error_code ec;
  std::vector<std::string> forms;
  if (fs::is_regular_file(dir / (n + ".csv"), ec)) forms.push_back(n + ".csv");
  if (fs::is_regular_file(dir / (n + ".csv.gz"), ec)) forms.push_back(n + ".csv.gz");
  if (fs::is_directory(dir / n, ec)) forms.push_back(n + "/");
  if (forms.empty()) return std::optional<TableSource>();
  if (forms.size() > 1)
    return DataError(fmt::format("{}: table {} is present in more than one form ({}); keep one",
                                 dir.string(), name, fmt::join(forms, ", ")));
  TableSource src;
  if (forms[0].back() != '/') {
    src.files.push_back(dir / forms[0]);
    src.labels.push_back(forms[0]);
    return std::optional<TableSource>(std::move(src));
  }
  std::vector<std::string> parts;
  for (fs::directory_iterator it(dir / n, ec), end; !ec && it != end; it.increment(ec)) {
    std::string file = it->path().filename().string();
    if (IsPartName(file) && it->is_regular_file(ec)) parts.push_back(file);
  }
  if (ec) return IoError(fmt::format("{}: cannot list: {}", (dir / n).string(), ec.message()));
  if (parts.empty())
    return DataError(
        fmt::format("{}/: folder has no part files (*.csv or *.csv.gz)", (dir / n).string()));
  std::sort(parts.begin(), parts.end());  // byte-wise
  for (const std::string& p : parts) {
    src.files.push_back(dir / n / p);
    src.labels.push_back(n + "/" + p);
  }
  return std::optional<TableSource>(std::move(src));
}

// Resident memory of the process now, from /proc/self/statm (0 if unknown).
double ResidentMegabytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long size = 0, resident = 0;
  int got = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  return got == 2
             ? static_cast<double>(resident) * static_cast<double>(::sysconf(_SC_PAGESIZE)) / 1e6
             : 0;
}

// User + system CPU time of the whole process so far (all threads).
double CpuSeconds() {
  struct rusage usage {};
  ::getrusage(RUSAGE_SELF, &usage);
  auto sec = [](const timeval& tv) { return tv.tv_sec + tv.tv_usec / 1e6; };
  return sec(usage.ru_utime) + sec(usage.ru_stime);
}

// ------------------------------------------------------------ loader

class Loader {
 public:
  Loader(const fs::path& dir, const IngestOptions& options) : dir_(dir), options_(options) {
    threads_ = options.threads > 0
                   ? options.threads
                   : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }

  StatusOr<Dataset> Run();

 private:
  struct TableState {
    const TableSpec* spec = nullptr;
    RowStore rows;
    std::vector<QuarantineRow> quarantine;
    std::vector<CsvFile> files;  // kept until the table is finished (record texts)
    std::vector<std::string> labels;
    std::vector<std::string> header;
    std::vector<int> field_of_col;
    int64_t read = 0;
    // Every staged row as (key or row hash, row), by hash then row (Classify).
    std::vector<HashRow> by_hash;
    // TALENTFLOW_INGEST_TIMING: when the parse started and ended, the
    // finish's steps, and the process CPU seconds during the parse.
    std::chrono::steady_clock::time_point t_parse, t_finish, t_done, mark;
    double parse_cpu = 0;
    double mark_cpu = 0;                        // CpuSeconds() at `mark` (serial timing only)
    double table_cpu = -1;                      // parse and finish (serial timing only)
    double rss_parsed_mb = 0, rss_done_mb = 0;  // resident memory after parse, finish
    uint64_t stored_bytes = 0;                  // of its files as stored (compressed for gzip)
    std::string phases;
  };

  // individual_positions_raw after cleaning, for the title join.
  struct RawTitles {
    KeyBytes keys;                 // position_id per raw row
    std::vector<HashRow> by_hash;  // used raw rows only, by hash then row
    std::vector<StrId> title;      // per raw row
  };

  Status ReadTable(const TableSpec& spec, const TableSource& src, TableState* state);
  // Rule 4 (and 5): returns the used rows in file order; fills accounting.
  std::vector<uint32_t> Classify(TableState* state, TableRows* acct);
  Status FinishUsers(TableState* state);
  void FinishCompany(TableState* state);
  void FinishRaw(TableState* state);
  void FinishPositions(TableState* state);
  void FinishEducation(TableState* state);
  void Inventory(const TableState& state, const std::vector<uint32_t>& used);
  Status WriteQuarantine(const TableState& state);

  fs::path dir_;
  IngestOptions options_;
  int threads_ = 1;
  Dataset data_;
  KeyIndex user_index_;                // used user ids -> user index
  std::vector<StrId> parent_by_rcid_;  // company_mapping: rcid -> ultimate parent
  RawTitles raw_;
  bool have_raw_ = false;
  std::unique_ptr<ingest_internal::Progress> progress_;
  uint64_t bytes_before_ = 0;
  // TALENTFLOW_INGEST_TIMING: wall seconds of the steps of finishing a table.
  bool timing_ = false;
  // IngestOptions::serial or TALENTFLOW_INGEST_TIMING=serial: each table is
  // finished before the next is parsed, so the process CPU from a table's
  // parse to the end of its finish is that table's alone (the load's result
  // is the same).
  bool serial_ = false;
  // Serial runs also give each step's process CPU (step_cpu_s), which is
  // then the table's alone.
  void Mark(TableState* state, std::string_view step) const {
    if (!timing_) return;
    auto now = std::chrono::steady_clock::now();
    state->phases +=
        fmt::format(" {}_s={:.3f}", step, std::chrono::duration<double>(now - state->mark).count());
    state->mark = now;
    if (serial_) {
      const double cpu = CpuSeconds();
      state->phases += fmt::format(" {}_cpu_s={:.3f}", step, cpu - state->mark_cpu);
      state->mark_cpu = cpu;
    }
  }
};

Status Loader::ReadTable(const TableSpec& spec, const TableSource& src, TableState* state) {
  state->spec = &spec;
  state->rows.cols.resize(spec.columns.size());
  for (size_t f = 0; f < src.files.size(); ++f) {
    const std::string& label = src.labels[f];
    TF_ASSIGN_OR_RETURN(CsvFile file, CsvFile::Open(src.files[f]));
    InputFile input;
    input.table = std::string(spec.name);
    input.path = label;
    input.bytes = file.stored().size();
    // The SHA-256 of the bytes as stored, with the file read from memory
    // once: a plain file's bytes are hashed by the parse, chunk by chunk
    // while in cache (CsvParseOptions::hash); a gzip file's compressed bytes
    // by a thread of their own beside the parse.
    const bool hash_by_parse = !file.gzipped();  // then stored() is data()
    Sha256Stream by_parse;
    std::future<std::string> sha;
    if (!hash_by_parse)
      sha = std::async(std::launch::async, [&file] { return Sha256Hex(file.stored()); });
    if (file.data().empty() && label.find('/') != std::string::npos) {
      // An empty part file (no header) carries no rows.
      input.sha256 = hash_by_parse ? Sha256Hex(file.stored()) : sha.get();
      data_.inputs.push_back(std::move(input));
      bytes_before_ += file.stored().size();
      state->stored_bytes += file.stored().size();
      state->files.push_back(std::move(file));
      state->labels.push_back(label);
      continue;
    }
    StatusOr<CsvHeader> header_or = ParseCsvHeader(file.data(), label);
    if (!header_or.ok()) {
      return header_or.status();
    }
    CsvHeader header = std::move(header_or).value();
    if (state->header.empty()) {
      state->header = header.names;
      state->field_of_col.assign(spec.columns.size(), -1);
      for (size_t c = 0; c < spec.columns.size(); ++c) {
        for (size_t h = 0; h < header.names.size(); ++h) {
          if (Lower(header.names[h]) != spec.columns[c].name) continue;
          if (state->field_of_col[c] >= 0) {
            return DataError(fmt::format("{}: header: column {} appears more than once", label,
                                         spec.columns[c].name));
          }
          state->field_of_col[c] = static_cast<int>(h);
        }
        if (spec.columns[c].required && state->field_of_col[c] < 0) {
          return DataError(
              fmt::format("{}: missing required column {}", label, spec.columns[c].name));
        }
      }
    } else if (header.names != state->header) {
      return DataError(
          fmt::format("{}: header differs from the first part file {} (all parts "
                      "must share one header)",
                      label, state->labels.front()));
    }

    ParseContext ctx;
    ctx.spec = &spec;
    ctx.field_of_col = state->field_of_col;
    ctx.num_fields = header.names.size();
    ctx.cutoff = data_.cutoff;
    ctx.users = &user_index_;
    ctx.file = static_cast<uint32_t>(state->files.size());
    ctx.data = file.data();
    ctx.MakePlan();

    CsvParseOptions popts;
    popts.column_names = header.names;
    popts.threads = threads_;
    // One chunk ahead per thread and one more: enough to keep every thread
    // busy while the merge works, and no more sinks (each a chunk's staging
    // in fresh memory) than that. The reader's default of 8 held about 50 MB
    // more at 1M users and was no faster (docs/performance.md, fifth session).
    popts.window = static_cast<size_t>(threads_) + 1;
    popts.chunk_bytes = options_.chunk_bytes > 0 ? std::min(options_.chunk_bytes, kMaxChunkBytes)
                                                 : kDefaultChunkBytes;
    ctx.chunk_bytes = popts.chunk_bytes;
    if (hash_by_parse) popts.hash = &by_parse;
    ctx.kept_values = options_.kept_values;
    int64_t records = 0;
    const uint64_t stored = file.stored().size();
    const uint64_t text = std::max<uint64_t>(file.data().size(), 1);
    RowStore& rows = state->rows;
    // Sinks are recycled: a consumed chunk's sink parses a later chunk.
    std::mutex free_mu;
    std::vector<std::unique_ptr<CsvChunkSink>> free_sinks;
    auto make_sink = [&]() -> std::unique_ptr<CsvChunkSink> {
      std::lock_guard lock(free_mu);
      if (free_sinks.empty()) return std::make_unique<TableSink>(&ctx);
      std::unique_ptr<CsvChunkSink> sink = std::move(free_sinks.back());
      free_sinks.pop_back();
      return sink;
    };
    Status st = ParseCsvBody(
        file, header.body_begin, header.body_line, popts, make_sink,
        [&](std::unique_ptr<CsvChunkSink> base, const CsvChunkInfo& info) -> Status {
          auto* sink = static_cast<TableSink*>(base.get());
          if (rows.size() == 0 && info.records > 0 && info.end > info.begin) {
            // Reserve for the whole file from the first chunk's row size, so
            // the staged columns do not double (and copy) as they grow.
            double per_row =
                static_cast<double>(info.end - info.begin) / static_cast<double>(info.records);
            size_t expect =
                static_cast<size_t>(static_cast<double>(file.data().size() - header.body_begin) /
                                    per_row * 1.05 * static_cast<double>(src.files.size()));
            size_t key_bytes = static_cast<size_t>(static_cast<double>(sink->rows.key.byte_size()) /
                                                   static_cast<double>(info.records) *
                                                   static_cast<double>(expect));
            Reserve(rows, spec, state->field_of_col, expect, key_bytes);
          }
          records += info.records;
          // Column c's values new to this sink, in the order it first saw
          // them, to the pool; returns the map of its local ids. A value
          // new to the pool is new to the sink too, so the pool's ids do not
          // depend on which sink parsed which chunk.
          auto string_ids = [&](size_t c) {
            const ingest_internal::ColumnDict& dict = sink->dicts[c];
            std::vector<StrId>& remap = sink->string_of[c];
            for (size_t id = remap.size(); id < dict.size(); ++id)
              remap.push_back(data_.strings.Intern(dict.Get(static_cast<uint32_t>(id))));
            return remap.data();
          };
          for (size_t c = 0; c < spec.columns.size(); ++c) {
            Column& dst = rows.cols[c];
            Column& in = sink->rows.cols[c];
            if (spec.PresenceOnly(static_cast<int>(c))) {
              Append(dst.text, in.text);
            } else if (!in.text.empty()) {
              const StrId* map = string_ids(c);
              const size_t at = dst.text.size();
              dst.text.resize(at + in.text.size());
              StrId* out = dst.text.data() + at;
              for (StrId id : in.text) *out++ = map[id];
            }
            Append(dst.date, in.date);
            Append(dst.ints, in.ints);
            Append(dst.dec, in.dec);
          }
          if (!sink->rows.positions.empty()) {
            // The slots in column order, as the loop above would intern them.
            static constexpr StrId kOnlyEmpty[1] = {kEmptyStr};  // an absent column's map
            const StrId* map[8];
            for (int slot = 0; slot < 8; ++slot) {
              const int c = kPositionTextCols[slot];
              map[slot] = state->field_of_col[c] >= 0 ? string_ids(c) : kOnlyEmpty;
            }
            constexpr int kTitle = PositionTextSlot(kPTitle);
            for (const PositionRow& in : sink->rows.positions) {
              const size_t r = rows.positions.size();
              if ((r & 63) == 0) rows.untitled.push_back(0);
              rows.untitled.back() |= static_cast<uint64_t>(in.text[kTitle] == kEmptyStr)
                                      << (r & 63);
              PositionRow out = in;
              for (int slot = 0; slot < 8; ++slot) out.text[slot] = map[slot][in.text[slot]];
              rows.positions.push_back(out);
            }
            rows.position_counts.Merge(sink->rows.position_counts);
          }
          rows.key.Append(sink->rows.key);
          {
            const uint32_t before = static_cast<uint32_t>(rows.counted.size());
            rows.counted.Append(sink->rows.counted);
            for (uint32_t code : sink->rows.counted_user)
              rows.counted_user.push_back(
                  (code & kCountedOther) && code != kCountedEmpty ? code + before : code);
          }
          Append(rows.row_hash, sink->rows.row_hash);
          Append(rows.user, sink->rows.user);
          rows.chunks.push_back(
              {static_cast<uint32_t>(rows.line.size()), ctx.file, info.first_line});
          Append(rows.line, sink->rows.line);
          Append(rows.offset, sink->rows.offset);
          for (QuarantineRow& q : sink->quarantine) {
            q.line += info.first_line;
            state->quarantine.push_back(std::move(q));
          }
          sink->Reset();
          {
            std::lock_guard lock(free_mu);
            free_sinks.push_back(std::move(base));
          }
          file.Release(info.begin, info.end);
          if (progress_)
            progress_->Update(std::string(spec.name),
                              bytes_before_ + static_cast<uint64_t>(static_cast<double>(stored) *
                                                                    static_cast<double>(info.end) /
                                                                    static_cast<double>(text)),
                              state->read + records);
          return Status::Ok();
        });
    input.sha256 = hash_by_parse ? by_parse.HexDigest() : sha.get();
    TF_RETURN_IF_ERROR(st);
    input.rows = records;
    state->read += records;
    state->stored_bytes += stored;
    bytes_before_ += stored;
    data_.inputs.push_back(std::move(input));
    state->files.push_back(std::move(file));
    state->labels.push_back(label);
  }
  if (state->header.empty())
    return DataError(fmt::format("{}: no part file has a header row", spec.name));
  return Status::Ok();
}

std::vector<uint32_t> Loader::Classify(TableState* state, TableRows* acct) {
  RowStore& rows = state->rows;
  const TableSpec& spec = *state->spec;
  const size_t n = rows.size();
  rows.staged = n;
  enum Fate : uint8_t { kKeep, kCollapsed, kConflict };
  std::vector<uint8_t> fate(n, kKeep);
  const bool keyed = spec.dedup_key >= 0;
  state->by_hash = ingest_internal::SortByHash(keyed ? rows.key.hashes() : rows.row_hash, threads_);
  Mark(state, "hash_sort");
  const std::vector<HashRow>& by_hash = state->by_hash;

  // Rows of equal hash are candidates only: keys are compared as bytes and
  // contents field by field, from the file (kept until the table is done).
  std::vector<std::string> fields_a, fields_b;
  auto content = [&](uint32_t r, std::vector<std::string>* out) {
    ReparseCsvRecord(state->files[rows.ChunkOf(r).file].data(), rows.offset[r], out);
  };
  // A staged row as a quarantine row: its text found again from the offset.
  auto staged_row = [&](uint32_t r, Reason reason, std::string detail) {
    const RowStore::ChunkRun& chunk = rows.ChunkOf(r);
    const uint64_t length = CsvRecordLength(state->files[chunk.file].data(), rows.offset[r]);
    return QuarantineRow{chunk.file,     chunk.first_line + rows.line[r],
                         reason,         std::move(detail),
                         rows.offset[r], length};
  };
  std::vector<uint32_t> run;
  std::vector<std::vector<uint32_t>> groups;
  for (size_t i = 0; i < by_hash.size();) {
    size_t j = i + 1;
    while (j < by_hash.size() && by_hash[j].hash() == by_hash[i].hash()) ++j;
    if (j - i == 1) {
      i = j;
      continue;
    }
    run.clear();
    for (size_t k = i; k < j; ++k) run.push_back(by_hash[k].row());  // in file order
    i = j;
    groups.clear();
    if (keyed) {
      // Group the run by key text; each key group is collapsed or conflicting.
      for (uint32_t r : run) {
        auto same_key = [&](const std::vector<uint32_t>& g) {
          return rows.key.Get(g[0]) == rows.key.Get(r);
        };
        auto g = std::find_if(groups.begin(), groups.end(), same_key);
        if (g == groups.end()) {
          groups.push_back({r});
        } else {
          g->push_back(r);
        }
      }
      for (const std::vector<uint32_t>& g : groups) {
        if (g.size() < 2) continue;
        content(g[0], &fields_a);
        bool same = true;
        for (size_t k = 1; k < g.size() && same; ++k) {
          content(g[k], &fields_b);
          same = fields_a == fields_b;
        }
        if (same) {
          for (size_t k = 1; k < g.size(); ++k) fate[g[k]] = kCollapsed;
          continue;
        }
        for (uint32_t r : g) {
          fate[r] = kConflict;
          state->quarantine.push_back(staged_row(
              r, Reason::kConflicting,
              fmt::format("{} \"{}\" has {} rows with different contents",
                          spec.columns[spec.dedup_key].name, rows.key.Get(r), g.size())));
        }
      }
    } else {
      // The key is the whole row: a row equal to an earlier one is collapsed.
      std::vector<std::vector<std::string>> kept;
      for (uint32_t r : run) {
        content(r, &fields_a);
        if (std::find(kept.begin(), kept.end(), fields_a) != kept.end()) {
          fate[r] = kCollapsed;
        } else {
          kept.push_back(fields_a);
        }
      }
    }
  }
  Mark(state, "duplicates");
  std::vector<uint32_t> used;
  used.reserve(n);
  for (uint32_t r = 0; r < n; ++r) {
    if (fate[r] == kCollapsed) {
      ++acct->exact_duplicates_collapsed;
      continue;
    }
    if (fate[r] == kConflict) continue;
    if (spec.user_col >= 0 && rows.user[r] == kNoUser) {
      state->quarantine.push_back(
          staged_row(r, Reason::kUnknownUser, "user_id is not a used individual_user"));
      continue;
    }
    used.push_back(r);
  }
  acct->read = state->read;
  acct->used = static_cast<int64_t>(used.size());
  // Row provenance is only needed to quarantine; free it before finishing.
  std::vector<uint32_t>().swap(rows.row_hash);
  std::vector<uint32_t>().swap(rows.line);
  std::vector<uint64_t>().swap(rows.offset);
  std::vector<RowStore::ChunkRun>().swap(rows.chunks);
  for (const QuarantineRow& q : state->quarantine)
    ++acct->quarantined[kReasonNames[static_cast<int>(q.reason)]];
  return used;
}

template <typename T, typename Get>
std::vector<T> Gather(const std::vector<uint32_t>& order, Get get) {
  std::vector<T> out;
  ReservePopulated(&out, order.size());
  out.resize(order.size());
  for (size_t i = 0; i < order.size(); ++i) out[i] = get(order[i]);
  return out;
}

// Independent pieces of finishing a table (one output column each), run on
// `threads` threads; Run() returns when all are done.
class TaskGroup {
 public:
  explicit TaskGroup(int threads) : threads_(std::max(1, threads)) {}
  void Add(std::function<void()> task) { tasks_.push_back(std::move(task)); }
  void Run() {
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t i; (i = next.fetch_add(1)) < tasks_.size();) tasks_[i]();
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < std::min<int>(threads_, static_cast<int>(tasks_.size())); ++t)
      pool.emplace_back(work);
    work();
    for (std::thread& t : pool) t.join();
    tasks_.clear();
  }

 private:
  int threads_;
  std::vector<std::function<void()>> tasks_;
};

// Eight bytes of `s` from `from` as a big-endian number, zero-padded:
// ordering by the first sixteen bytes this way agrees with byte-wise string
// order wherever they differ.
inline uint64_t Prefix8(std::string_view s, size_t from = 0) {
  uint64_t p = 0;
  for (size_t i = from; i < from + 8; ++i)
    p = (p << 8) | (i < s.size() ? static_cast<unsigned char>(s[i]) : 0u);
  return p;
}

// Orders rows by their key bytes (plain byte-wise order), on two threads.
// REQUIRES: the keys of `rows` are distinct.
void SortByKeyBytes(const KeyBytes& keys, std::vector<uint32_t>* rows) {
  struct Item {
    uint64_t prefix, prefix2;
    uint32_t row;
  };
  std::vector<Item> items;
  items.reserve(rows->size());
  for (uint32_t r : *rows) {
    std::string_view k = keys.Get(r);
    items.push_back({Prefix8(k), Prefix8(k, 8), r});
  }
  auto less = [&](const Item& a, const Item& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    if (a.prefix2 != b.prefix2) return a.prefix2 < b.prefix2;
    return keys.Get(a.row) < keys.Get(b.row);
  };
  // Extracts often come ordered by user id already.
  if (std::is_sorted(items.begin(), items.end(), less)) return;
  size_t mid = items.size() / 2;
  std::thread half([&] { std::sort(items.begin(), items.begin() + mid, less); });
  std::sort(items.begin() + mid, items.end(), less);
  half.join();
  std::inplace_merge(items.begin(), items.begin() + mid, items.end(), less);
  for (size_t i = 0; i < items.size(); ++i) (*rows)[i] = items[i].row;
}

Status Loader::FinishUsers(TableState* state) {
  TableRows& acct = data_.rows[std::string(state->spec->name)];
  std::vector<uint32_t> used = Classify(state, &acct);
  Mark(state, "classify");
  Inventory(*state, used);
  Mark(state, "inventory");
  RowStore& rows = state->rows;
  // Degrees are normalised once per distinct value, before the tasks below
  // (the pool is read here and appended to by one task there).
  const auto& deg = rows.cols[kUDegree].text;
  // By pool id (the pool holds the distinct values of the users' text
  // columns so far: small beside the rows).
  constexpr uint8_t kUnseen = 0xFF;
  std::vector<uint8_t> degree_of(data_.strings.size(), kUnseen);
  for (StrId d : deg) {
    if (degree_of[d] == kUnseen) degree_of[d] = static_cast<uint8_t>(NormalizeDegree(data_.str(d)));
  }
  const std::vector<uint32_t> file_order = used;
  SortByKeyBytes(rows.key, &used);
  Mark(state, "sort");

  UserTable& u = data_.users;
  TaskGroup tasks(threads_);
  auto text = [&](int c, std::vector<StrId>* out) {
    tasks.Add([&, c, out] {
      const auto& v = rows.cols[c].text;
      *out = Gather<StrId>(used, [&](uint32_t r) { return v.empty() ? kEmptyStr : v[r]; });
    });
  };
  // User ids are distinct and looked up through user_index_, never by text
  // in the pool: stored without indexing, appended in file order (reading
  // the key bytes in sequence).
  tasks.Add([&] {
    std::vector<StrId> id_of_row(rows.key.size(), kEmptyStr);
    for (uint32_t r : file_order) id_of_row[r] = data_.strings.Append(rows.key.Get(r));
    u.user_id = Gather<StrId>(used, [&](uint32_t r) { return id_of_row[r]; });
  });
  tasks.Add([&] {
    // The index lists users in file order, mapping each to its user index.
    std::vector<uint32_t> index_of_row(rows.key.size(), 0);
    for (uint32_t i = 0; i < used.size(); ++i) index_of_row[used[i]] = i;
    std::vector<std::string_view> ids;
    std::vector<uint32_t> values;
    std::vector<uint32_t> hashes;
    ids.reserve(file_order.size());
    values.reserve(file_order.size());
    hashes.reserve(file_order.size());
    for (uint32_t r : file_order) {
      ids.push_back(rows.key.Get(r));
      values.push_back(index_of_row[r]);
      hashes.push_back(rows.key.hashes()[r]);
    }
    user_index_.Build(ids, values, &hashes);
  });
  text(kULocation, &u.user_location);
  text(kUCountry, &u.user_country);
  text(kUEth, &u.ethnicity_predicted);
  text(kUSex, &u.sex_predicted);
  tasks.Add([&] {
    const auto& upd = rows.cols[kUUpdated].date;
    u.updated_dt = Gather<Month>(used, [&](uint32_t r) { return upd.empty() ? kNoMonth : upd[r]; });
    const auto& conn = rows.cols[kUConn].ints;
    u.numconnections = Gather<int32_t>(
        used, [&](uint32_t r) { return conn.empty() || conn[r] == kMissingInt ? -1 : conn[r]; });
    const auto& by = rows.cols[kUBirth].ints;
    u.birth_year = Gather<int16_t>(used, [&](uint32_t r) {
      return static_cast<int16_t>(by.empty() || by[r] == kMissingInt ? 0 : by[r]);
    });
    u.highest_degree = Gather<Degree>(used, [&](uint32_t r) {
      return deg.empty() ? Degree::kNone : static_cast<Degree>(degree_of[deg[r]]);
    });
  });
  tasks.Run();
  Mark(state, "columns");

  if (options_.cutoff != kNoMonth) {
    data_.cutoff = options_.cutoff;
  } else {
    Month latest = kNoMonth;
    for (Month m : u.updated_dt) latest = std::max(latest, m);
    if (latest == kNoMonth)
      return InvalidArgument(
          "no cutoff month: no used individual_user row has an updated_dt; pass --cutoff "
          "YYYY-MM");
    data_.cutoff = latest;
  }
  return Status::Ok();
}

void Loader::FinishCompany(TableState* state) {
  TableRows& acct = data_.rows[std::string(state->spec->name)];
  std::vector<uint32_t> used = Classify(state, &acct);
  Mark(state, "classify");
  Inventory(*state, used);
  Mark(state, "inventory");
  const KeyBytes& rcid = state->rows.key;
  const auto& parent = state->rows.cols[kCParent].text;
  // rcid is matched against the positions' rcid column: interned.
  std::vector<StrId> rcid_id;
  rcid_id.reserve(used.size());
  for (uint32_t r : used) rcid_id.push_back(data_.strings.Intern(rcid.Get(r)));
  parent_by_rcid_.assign(data_.strings.size(), kEmptyStr);
  if (!parent.empty())
    for (size_t i = 0; i < used.size(); ++i) parent_by_rcid_[rcid_id[i]] = parent[used[i]];
}

void Loader::FinishRaw(TableState* state) {
  TableRows& acct = data_.rows[std::string(state->spec->name)];
  std::vector<uint32_t> used = Classify(state, &acct);
  Mark(state, "classify");
  Inventory(*state, used);
  Mark(state, "inventory");
  std::vector<uint8_t> is_used(state->rows.key.size(), 0);
  for (uint32_t r : used) is_used[r] = 1;
  raw_.by_hash.clear();
  for (const HashRow& hr : state->by_hash)
    if (is_used[hr.row()]) raw_.by_hash.push_back(hr);
  raw_.keys = std::move(state->rows.key);
  raw_.title = std::move(state->rows.cols[kRTitle].text);
  have_raw_ = true;
}

// Orders `used` rows by user, then within a user by `less`.
template <typename Less>
std::vector<uint32_t> GroupByUser(const std::vector<uint32_t>& used,
                                  const std::vector<uint32_t>& user, size_t num_users,
                                  std::vector<uint32_t>* begin, Less less) {
  begin->assign(num_users + 1, 0);
  for (uint32_t r : used) ++(*begin)[user[r] + 1];
  for (size_t i = 0; i < num_users; ++i) (*begin)[i + 1] += (*begin)[i];
  std::vector<uint32_t> order(used.size());
  std::vector<uint32_t> fill(begin->begin(), begin->end() - 1);
  for (uint32_t r : used) order[fill[user[r]]++] = r;
  auto sort_range = [&](size_t from, size_t to) {
    for (size_t u = from; u < to; ++u)
      std::sort(order.begin() + (*begin)[u], order.begin() + (*begin)[u + 1], less);
  };
  size_t mid = num_users / 2;
  std::thread half([&] { sort_range(0, mid); });
  sort_range(mid, num_users);
  half.join();
  return order;
}

// Orders used positions rows by user, then within a user by startdate and
// position id, as GroupByUser would with that order, but sorting (start,
// row) pairs packed in one word each (start in the high half), so that
// comparisons read no other array; only rows of one user and start month
// (few) are then ordered by their ids.
std::vector<uint32_t> GroupPositionsByUser(const std::vector<uint32_t>& used,
                                           const std::vector<uint32_t>& user,
                                           const std::vector<Month>& start, const KeyBytes& pid,
                                           size_t num_users, std::vector<uint32_t>* begin) {
  begin->assign(num_users + 1, 0);
  for (uint32_t r : used) ++(*begin)[user[r] + 1];
  for (size_t i = 0; i < num_users; ++i) (*begin)[i + 1] += (*begin)[i];
  std::vector<uint64_t> keys(used.size());
  std::vector<uint32_t> fill(begin->begin(), begin->end() - 1);
  // start >= 1950-01 (rule 3), so it orders as an unsigned number.
  for (uint32_t r : used)
    keys[fill[user[r]]++] = static_cast<uint64_t>(static_cast<uint32_t>(start[r])) << 32 | r;
  std::vector<uint32_t>().swap(fill);
  std::vector<uint32_t> order(used.size());
  auto row_of = [](uint64_t key) { return static_cast<uint32_t>(key); };
  auto by_id = [&](uint64_t a, uint64_t b) { return pid.Get(row_of(a)) < pid.Get(row_of(b)); };
  auto sort_range = [&](size_t from, size_t to) {
    for (size_t u = from; u < to; ++u) {
      uint64_t* b = keys.data() + (*begin)[u];
      uint64_t* e = keys.data() + (*begin)[u + 1];
      if (e - b > 1) {
        std::sort(b, e);
        for (uint64_t* i = b; i < e;) {
          uint64_t* j = i + 1;
          while (j < e && *j >> 32 == *i >> 32) ++j;
          if (j - i > 1) std::sort(i, j, by_id);
          i = j;
        }
      }
      for (const uint64_t* i = b; i < e; ++i)
        order[static_cast<size_t>(i - keys.data())] = row_of(*i);
    }
  };
  size_t mid = num_users / 2;
  std::thread half([&] { sort_range(0, mid); });
  sort_range(mid, num_users);
  half.join();
  return order;
}

void Loader::FinishPositions(TableState* state) {
  TableRows& acct = data_.rows[std::string(state->spec->name)];
  std::vector<uint32_t> used = Classify(state, &acct);
  Mark(state, "classify");
  Inventory(*state, used);
  Mark(state, "inventory");
  RowStore& rows = state->rows;
  const KeyBytes& pid = rows.key;
  std::vector<PositionRow>& staged = rows.positions;
  constexpr int kTitleSlot = PositionTextSlot(kPTitle);
  if (have_raw_) {
    // Titles missing here come from individual_positions_raw by position_id:
    // a merge of the two tables' rows in hash order. Which rows lack a
    // title is a bit set (RowStore::untitled): the merge visits rows in
    // hash order, where a bit is cheaper to test than the row's title.
    const std::vector<uint64_t>& untitled = rows.untitled;
    // First the candidate pairs (an untitled row, a raw row of equal hash),
    // in the merge's hash order; then each pair's ids compared, with the
    // pairs in row order (below). The raw rows' ids still lie all over
    // their table, so the second pass fetches them a few pairs ahead: one
    // cache miss after another, each waited for in turn, was most of the
    // join's time.
    struct Candidate {
      uint32_t row, raw_row;
    };
    std::vector<Candidate> candidates;
    const std::vector<HashRow>& a = state->by_hash;
    const std::vector<HashRow>& b = raw_.by_hash;
    size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
      if (a[i].hash() < b[j].hash()) {
        ++i;
      } else if (a[i].hash() > b[j].hash()) {
        ++j;
      } else {
        size_t j_end = j;
        while (j_end < b.size() && b[j_end].hash() == a[i].hash()) ++j_end;
        for (; i < a.size() && a[i].hash() == b[j].hash(); ++i) {
          const uint32_t row = a[i].row();
          if ((untitled[row >> 6] >> (row & 63) & 1) == 0) continue;
          for (size_t k = j; k < j_end; ++k) candidates.push_back({row, b[k].row()});
        }
        j = j_end;
      }
    }
    // Then in row order (a radix sort by row, 16 bits a pass): the staged
    // rows and the ids' bytes are then read front to back, and only the raw
    // rows' ids and titles are fetched from all over their table. Raw ids
    // are distinct among used raw rows, so at most one candidate of a row
    // matches, whatever the candidates' order.
    {
      std::vector<Candidate> tmp(candidates.size());
      for (uint32_t shift = 0; (size_t{1} << shift) < staged.size() && shift < 32; shift += 16) {
        std::vector<size_t> count((size_t{1} << 16) + 1, 0);
        for (const Candidate& cand : candidates) ++count[((cand.row >> shift) & 0xFFFF) + 1];
        for (size_t d = 1; d < count.size(); ++d) count[d] += count[d - 1];
        for (const Candidate& cand : candidates) tmp[count[(cand.row >> shift) & 0xFFFF]++] = cand;
        candidates.swap(tmp);
      }
    }
    constexpr size_t kBytesAhead = 8, kOffsetsAhead = 16;
    const KeyBytes& raw_keys = raw_.keys;
    uint32_t matched = kNoUser;  // the last row given a title (its later pairs are skipped)
    for (size_t c = 0; c < candidates.size(); ++c) {
      if (c + kOffsetsAhead < candidates.size()) {
        pid.PrefetchOffsets(candidates[c + kOffsetsAhead].row);
        raw_keys.PrefetchOffsets(candidates[c + kOffsetsAhead].raw_row);
      }
      if (c + kBytesAhead < candidates.size()) {
        const Candidate& ahead = candidates[c + kBytesAhead];
        pid.PrefetchBytes(ahead.row);
        raw_keys.PrefetchBytes(ahead.raw_row);
        __builtin_prefetch(&raw_.title[ahead.raw_row]);
        __builtin_prefetch(&staged[ahead.row].text[kTitleSlot], 1);
      }
      const Candidate& cand = candidates[c];
      if (cand.row == matched) continue;  // the first matching raw row gave the title
      if (ingest_internal::SameBytes(raw_keys.Get(cand.raw_row), pid.Get(cand.row))) {
        staged[cand.row].text[kTitleSlot] = raw_.title[cand.raw_row];
        matched = cand.row;
      }
    }
    raw_ = RawTitles();
  }
  Mark(state, "title_join");
  std::vector<uint32_t> order = GroupPositionsByUser(used, rows.user, rows.cols[kPStart].date, pid,
                                                     data_.users.size(), &data_.users.pos_begin);
  // Everything but the staged rows and the ids' bytes is freed before the
  // Dataset's columns are sized: pages just freed are mapped again much
  // faster than fresh ones on this VM (at 5M users, the sizing took 0.77-0.82
  // CPU-s for 750 MB of fresh pages).
  std::vector<HashRow>().swap(state->by_hash);
  std::vector<uint32_t>().swap(used);
  std::vector<uint32_t>().swap(rows.user);
  std::vector<Month>().swap(rows.cols[kPStart].date);
  rows.key.FreeHashes();
  Mark(state, "group");
  // The Dataset's columns, sized on all threads (their pages are mapped as
  // they are reserved), then filled in one pass over the rows in user
  // order, a share of the rows on each thread: the staged rows are in
  // file order and users in id order, so the pass jumps about them, one
  // cache line per row.
  PositionTable& p = data_.positions;
  const size_t n = order.size();
  auto sized = [n](auto*... v) { (..., (ReservePopulated(v, n), v->resize(n))); };
  TaskGroup tasks(threads_);
  tasks.Add([&] { sized(&p.user, &p.start, &p.end, &p.end_open); });
  tasks.Add([&] { sized(&p.country, &p.metro_area, &p.city, &p.state); });
  tasks.Add([&] { sized(&p.region, &p.title_raw, &p.rcid, &p.ultimate_parent_rcid); });
  tasks.Add([&] { sized(&p.seniority, &p.salary, &p.weight); });
  tasks.Run();
  Mark(state, "sizing");
  const Month cutoff = data_.cutoff;
  auto gather = [&](size_t from, size_t to) {
    constexpr size_t kAhead = 16;
    for (size_t i = from; i < to; ++i) {
      if (i + kAhead < to) __builtin_prefetch(&staged[order[i + kAhead]]);
      const PositionRow& o = staged[order[i]];
      p.user[i] = o.user;
      p.start[i] = o.start;
      const bool open = o.end == kNoMonth;
      p.end[i] = open ? cutoff : o.end;
      p.end_open[i] = open ? 1 : 0;
      p.country[i] = o.text[PositionTextSlot(kPCountry)];
      p.metro_area[i] = o.text[PositionTextSlot(kPMetro)];
      p.city[i] = o.text[PositionTextSlot(kPCity)];
      p.state[i] = o.text[PositionTextSlot(kPState)];
      p.region[i] = o.text[PositionTextSlot(kPRegion)];
      p.title_raw[i] = o.text[kTitleSlot];
      const StrId rcid = o.text[PositionTextSlot(kPRcid)];
      p.rcid[i] = rcid;
      // A position's own ultimate parent, else its company's, from
      // company_mapping.
      StrId parent = o.text[PositionTextSlot(kPParent)];
      if (parent == kEmptyStr && rcid != kEmptyStr && rcid < parent_by_rcid_.size())
        parent = parent_by_rcid_[rcid];
      p.ultimate_parent_rcid[i] = parent;
      p.seniority[i] = static_cast<int16_t>(o.seniority == kMissingInt ? -1 : o.seniority);
      p.salary[i] = o.salary;
      p.weight[i] = o.weight;
    }
  };
  const size_t parts = static_cast<size_t>(threads_);
  for (size_t k = 0; k < parts; ++k)
    tasks.Add([&, k] { gather(n * k / parts, n * (k + 1) / parts); });
  tasks.Run();
  std::vector<PositionRow>().swap(staged);
  Mark(state, "columns");
  // Position ids are compared by text downstream, never looked up: the
  // staged ids' bytes become the Dataset's (in file order, with the
  // Dataset's order of them), not copied into the pool.
  std::string id_bytes;
  std::vector<uint64_t> id_ends;
  rows.key.Release(&id_bytes, &id_ends);
  p.position_id = IdColumn(std::move(id_bytes), std::move(id_ends), std::move(order));
  Mark(state, "ids");
}

void Loader::FinishEducation(TableState* state) {
  TableRows& acct = data_.rows[std::string(state->spec->name)];
  std::vector<uint32_t> used = Classify(state, &acct);
  Mark(state, "classify");
  RowStore& rows = state->rows;
  auto tx = [&](int c, uint32_t r) {
    const auto& v = rows.cols[c].text;
    return v.empty() ? kEmptyStr : v[r];
  };
  auto num = [&](uint32_t r) {
    const auto& v = rows.cols[kENumber].ints;
    return v.empty() || v[r] == kMissingInt ? -1 : v[r];
  };
  auto dt = [&](int c, uint32_t r) {
    const auto& v = rows.cols[c].date;
    return v.empty() ? kNoMonth : v[r];
  };
  std::vector<uint32_t> order = GroupByUser(
      used, rows.user, data_.users.size(), &data_.users.edu_begin, [&](uint32_t a, uint32_t b) {
        if (num(a) != num(b)) return num(a) < num(b);
        if (dt(kEStart, a) != dt(kEStart, b)) return dt(kEStart, a) < dt(kEStart, b);
        for (int c : {kEUniversity, kEDegree, kEField, kERsid, kEUniCountry}) {
          std::string_view x = data_.str(tx(c, a)), y = data_.str(tx(c, b));
          if (x != y) return x < y;
        }
        if (dt(kEEnd, a) != dt(kEEnd, b)) return dt(kEEnd, a) < dt(kEEnd, b);
        return a < b;  // identical cleaned values: keep file order
      });
  Mark(state, "group");
  EducationTable& e = data_.education;
  // Every task only reads the pool (nothing writes it while they run).
  TaskGroup tasks(threads_);
  auto text = [&](int c, std::vector<StrId>* out) {
    tasks.Add([&, c, out] { *out = Gather<StrId>(order, [&](uint32_t r) { return tx(c, r); }); });
  };
  text(kEUniversity, &e.university_name);
  text(kERsid, &e.rsid);
  text(kEUniCountry, &e.university_country);
  text(kEField, &e.field);
  tasks.Add([&] {
    e.degree_raw = Gather<StrId>(order, [&](uint32_t r) { return tx(kEDegree, r); });
    // Normalised once per distinct value, through a table by pool id (the
    // column's largest id bounds it: the pool may be growing meanwhile).
    constexpr uint8_t kUnseen = 0xFF;
    StrId largest = 0;
    for (StrId d : e.degree_raw) largest = std::max(largest, d);
    std::vector<uint8_t> memo(size_t{largest} + 1, kUnseen);
    e.degree.resize(e.degree_raw.size());
    for (size_t i = 0; i < e.degree_raw.size(); ++i) {
      uint8_t& m = memo[e.degree_raw[i]];
      if (m == kUnseen) m = static_cast<uint8_t>(NormalizeDegree(data_.str(e.degree_raw[i])));
      e.degree[i] = static_cast<Degree>(m);
    }
  });
  tasks.Add([&] {
    e.user = Gather<uint32_t>(order, [&](uint32_t r) { return rows.user[r]; });
    e.education_number = Gather<int32_t>(order, num);
    e.start = Gather<Month>(order, [&](uint32_t r) { return dt(kEStart, r); });
    e.end = Gather<Month>(order, [&](uint32_t r) { return dt(kEEnd, r); });
  });
  tasks.Add([&] { Inventory(*state, used); });
  tasks.Run();
  Mark(state, "columns");
  TableInventory& inv = data_.tables[std::string(state->spec->name)];
  for (Degree d : {Degree::kNone, Degree::kHighSchool, Degree::kAssociate, Degree::kBachelor,
                   Degree::kMaster, Degree::kMba, Degree::kDoctor, Degree::kOther})
    inv.degree_counts[std::string(DegreeName(d))] = 0;
  for (Degree d : e.degree) ++inv.degree_counts[std::string(DegreeName(d))];
}

void Loader::Inventory(const TableState& state, const std::vector<uint32_t>& used) {
  const TableSpec& spec = *state.spec;
  TableInventory& inv = data_.tables[std::string(spec.name)];
  inv.columns_found = state.header;
  const RowStore& rows = state.rows;
  // Counted over every staged row in sequence, then corrected by the few
  // rows Classify did not use (`used` is ascending): cheaper than reading
  // each column through `used`.
  const size_t n = rows.staged;
  std::vector<uint32_t> removed;
  for (size_t r = 0, k = 0; r < n; ++r) {
    if (k < used.size() && used[k] == r) {
      ++k;
    } else {
      removed.push_back(static_cast<uint32_t>(r));
    }
  }
  auto count_missing = [&](const auto& v, auto is_missing) {
    int64_t missing = 0;
    for (size_t r = 0; r < n; ++r) missing += is_missing(v[r]) ? 1 : 0;
    for (uint32_t r : removed) missing -= is_missing(v[r]) ? 1 : 0;
    return missing;
  };
  auto date_range = [&](const ColumnSpec& cs, DateRange& range, auto month) {
    if (!range.Exact()) range.Recount(used, month);
    inv.date_range[std::string(cs.name)] = {range.lo, range.hi};
  };
  if (spec.id == TableId::kPositions) {
    const std::vector<PositionRow>& pr = rows.positions;
    PositionCounts counts = rows.position_counts;
    for (uint32_t r : removed) counts.Remove(pr[r]);
    auto& [text, seniority, salary, weight, start, end] = counts;
    for (size_t c = 0; c < spec.columns.size(); ++c) {
      if (state.field_of_col[c] < 0) continue;
      const ColumnSpec& cs = spec.columns[c];
      const int ci = static_cast<int>(c);
      int64_t missing = 0;  // the keys: never empty in a used row
      if (PositionTextSlot(ci) >= 0) {
        missing = text[PositionTextSlot(ci)];
      } else if (ci == kPStart || ci == kPEnd) {
        DateRange& range = ci == kPStart ? start : end;
        missing = range.missing;
        date_range(cs, range, [&](uint32_t r) { return ci == kPStart ? pr[r].start : pr[r].end; });
      } else if (ci == kPSeniority) {
        missing = seniority;
      } else if (ci == kPSalary) {
        missing = salary;
      } else if (ci == kPWeight) {
        missing = weight;
      }
      inv.missing[std::string(cs.name)] = missing;
    }
  }
  for (size_t c = 0; c < spec.columns.size() && spec.id != TableId::kPositions; ++c) {
    if (state.field_of_col[c] < 0) continue;
    const ColumnSpec& cs = spec.columns[c];
    const Column& col = rows.cols[c];
    int64_t missing = 0;
    if (static_cast<int>(c) == spec.user_col || static_cast<int>(c) == spec.dedup_key) {
      missing = 0;  // a key: never empty in a used row
    } else if (static_cast<int>(c) == spec.counted_col) {
      missing = count_missing(rows.counted_user, [](uint32_t v) { return v == kCountedEmpty; });
    } else if (cs.kind == Kind::kText) {
      missing = count_missing(col.text, [](StrId v) { return v == kEmptyStr; });
    } else if (cs.kind == Kind::kDate) {
      const std::vector<Month>& d = col.date;
      DateRange range;
      for (size_t r = 0; r < n; ++r) range.Add(d[r]);
      for (uint32_t r : removed) range.Remove(d[r]);
      missing = range.missing;
      date_range(cs, range, [&](uint32_t r) { return d[r]; });
    } else if (cs.kind == Kind::kInt) {
      missing = count_missing(col.ints, [](int32_t v) { return v == kMissingInt; });
    } else {
      missing = count_missing(col.dec, [](double v) { return std::isnan(v); });
    }
    inv.missing[std::string(cs.name)] = missing;
  }
  if (spec.id == TableId::kUsers) {
    inv.distinct_users = static_cast<int64_t>(used.size());
  } else if (spec.user_col >= 0) {
    std::vector<uint8_t> seen(data_.users.size(), 0);
    int64_t distinct = 0;
    for (uint32_t r : used) {
      uint8_t& s = seen[rows.user[r]];
      distinct += s == 0;
      s = 1;
    }
    inv.distinct_users = distinct;
  } else if (spec.counted_col >= 0 && state.field_of_col[spec.counted_col] >= 0) {
    // Distinct non-empty values of the used rows: users by index, other
    // values by text.
    std::vector<uint8_t> seen(data_.users.size(), 0);
    std::unordered_set<std::string_view> other;
    int64_t distinct = 0;
    for (uint32_t r : used) {
      const uint32_t code = rows.counted_user[r];
      if (code == kCountedEmpty) continue;
      if (code & kCountedOther) {
        distinct += other.insert(rows.counted.Get(code & ~kCountedOther)).second ? 1 : 0;
      } else {
        distinct += seen[code] == 0;
        seen[code] = 1;
      }
    }
    inv.distinct_users = distinct;
  }
}

Status Loader::WriteQuarantine(const TableState& state) {
  if (options_.quarantine_dir.empty()) return Status::Ok();
  std::vector<const QuarantineRow*> order;
  order.reserve(state.quarantine.size());
  for (const QuarantineRow& q : state.quarantine) order.push_back(&q);
  std::sort(order.begin(), order.end(), [&](const QuarantineRow* a, const QuarantineRow* b) {
    const std::string& fa = state.labels[a->file];
    const std::string& fb = state.labels[b->file];
    if (fa != fb) return fa < fb;
    return a->line < b->line;
  });
  std::string out = "source_file,line,reason,detail,record\n";
  for (const QuarantineRow* q : order) {
    AppendCsvField(out, state.labels[q->file]);
    out += fmt::format(",{},{},", q->line, kReasonNames[static_cast<int>(q->reason)]);
    AppendCsvField(out, q->detail);
    out.push_back(',');
    AppendCsvField(out, state.files[q->file].data().substr(q->offset, q->length));
    out.push_back('\n');
  }
  return WriteFileAtomic(options_.quarantine_dir / (std::string(state.spec->name) + ".csv"), out);
}

StatusOr<Dataset> Loader::Run() {
  std::error_code ec;
  if (!fs::is_directory(dir_, ec))
    return NotFound(fmt::format("{}: dataset directory not found", dir_.string()));
  // Locate every table first so that a missing table fails before any work.
  std::vector<std::pair<const TableSpec*, TableSource>> sources;
  uint64_t total_bytes = 0;
  for (const TableSpec& spec : Tables()) {
    TF_ASSIGN_OR_RETURN(std::optional<TableSource> src, FindTable(dir_, spec.name));
    if (!src) {
      if (spec.required_table)
        return NotFound(fmt::format(
            "{}: missing required table {} (expected {}.csv, {}.csv.gz or a folder {}/)",
            dir_.string(), spec.name, spec.name, spec.name, spec.name));
      continue;
    }
    for (const fs::path& f : src->files) total_bytes += fs::file_size(f, ec);
    sources.emplace_back(&spec, std::move(*src));
  }
  progress_ = std::make_unique<ingest_internal::Progress>(options_.progress, total_bytes);
  const char* timing = std::getenv("TALENTFLOW_INGEST_TIMING");
  timing_ = timing != nullptr;
  serial_ = options_.serial || (timing_ && std::string_view(timing) == "serial");
  const auto t_start = std::chrono::steady_clock::now();
  const double cpu_start = CpuSeconds();
  // Tables are read one after another (each with all threads). Finishing
  // positions_raw and positions touches neither the pool nor anything the
  // next table's parse uses, so it runs beside that parse; every other
  // finish waits for it.
  std::vector<std::unique_ptr<TableState>> states;
  std::future<Status> background;
  auto join = [&]() -> Status { return background.valid() ? background.get() : Status::Ok(); };
  auto finish = [this](TableState* st) -> Status {
    st->t_finish = st->mark = std::chrono::steady_clock::now();
    if (serial_) st->mark_cpu = CpuSeconds();
    switch (st->spec->id) {
      case TableId::kUsers:
        TF_RETURN_IF_ERROR(FinishUsers(st));
        break;
      case TableId::kCompany:
        FinishCompany(st);
        break;
      case TableId::kRaw:
        FinishRaw(st);
        break;
      case TableId::kPositions:
        FinishPositions(st);
        break;
      case TableId::kEducation:
        FinishEducation(st);
        break;
    }
    st->t_done = std::chrono::steady_clock::now();
    if (timing_) st->rss_done_mb = ResidentMegabytes();
    Status written = WriteQuarantine(*st);
    Mark(st, "quarantine");
    st->rows = RowStore();  // free what is no longer needed
    std::vector<CsvFile>().swap(st->files);
    std::vector<QuarantineRow>().swap(st->quarantine);
    Mark(st, "free");
    return written;
  };
  for (size_t i = 0; i < sources.size(); ++i) {
    const TableSpec* spec = sources[i].first;
    const TableSource& src = sources[i].second;
    states.push_back(std::make_unique<TableState>());
    TableState* st = states.back().get();
    st->t_parse = std::chrono::steady_clock::now();
    double cpu0 = CpuSeconds();
    Status read = ReadTable(*spec, src, st);
    st->parse_cpu = CpuSeconds() - cpu0;
    if (timing_) st->rss_parsed_mb = ResidentMegabytes();
    Status previous = join();
    TF_RETURN_IF_ERROR(read);
    TF_RETURN_IF_ERROR(previous);
    if (serial_) {
      TF_RETURN_IF_ERROR(finish(st));
      st->table_cpu = CpuSeconds() - cpu0;
      continue;
    }
    if (spec->id == TableId::kRaw || spec->id == TableId::kPositions) {
      background = std::async(std::launch::async, finish, st);
      continue;
    }
    TF_RETURN_IF_ERROR(finish(st));
  }
  TF_RETURN_IF_ERROR(join());
  if (timing_) {
    // For bench/ingest_bench.sh: one machine-readable line per table, then
    // the whole load. parse_cpu_s is the process's CPU while the table was
    // parsed (a finish running beside it included).
    auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
    for (const auto& st : states) {
      fmt::print(stderr,
                 "ingest-timing table={} bytes={} rows={} parse_s={:.3f} finish_s={:.3f} "
                 "parse_cpu_s={:.3f}{} rss_parsed_mb={:.0f} rss_finished_mb={:.0f}{}\n",
                 st->spec->name, st->stored_bytes, st->read, secs(st->t_parse, st->t_finish),
                 secs(st->t_finish, st->t_done), st->parse_cpu,
                 st->table_cpu < 0 ? "" : fmt::format(" table_cpu_s={:.3f}", st->table_cpu),
                 st->rss_parsed_mb, st->rss_done_mb, st->phases);
    }
    fmt::print(stderr, "ingest-timing total wall_s={:.3f} cpu_s={:.3f}\n",
               secs(t_start, std::chrono::steady_clock::now()), CpuSeconds() - cpu_start);
  }
  progress_->Finish();
  std::sort(data_.inputs.begin(), data_.inputs.end(), [](const InputFile& a, const InputFile& b) {
    return std::tie(a.table, a.path) < std::tie(b.table, b.path);
  });
  return std::move(data_);
}

}  // namespace

StatusOr<Dataset> LoadDataset(const fs::path& dataset_dir, const IngestOptions& options) {
  Loader loader(dataset_dir, options);
  return loader.Run();
}

const std::vector<std::string>& QuarantineReasons() {
  static const std::vector<std::string> kReasons(std::begin(kReasonNames), std::end(kReasonNames));
  return kReasons;
}

nlohmann::ordered_json InputsJson(const Dataset& dataset) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const InputFile& f : dataset.inputs) {
    nlohmann::ordered_json j;
    j["table"] = f.table;
    j["path"] = f.path;
    j["bytes"] = f.bytes;
    j["sha256"] = f.sha256;
    j["rows"] = f.rows;
    out.push_back(std::move(j));
  }
  return out;
}

nlohmann::ordered_json RowsJson(const Dataset& dataset) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& [table, rows] : dataset.rows) {
    nlohmann::ordered_json j;
    j["read"] = rows.read;
    j["used"] = rows.used;
    j["exact_duplicates_collapsed"] = rows.exact_duplicates_collapsed;
    nlohmann::ordered_json q = nlohmann::ordered_json::object();
    for (const auto& [reason, n] : rows.quarantined) q[reason] = n;  // std::map: sorted
    j["quarantined"] = std::move(q);
    out[table] = std::move(j);
  }
  return out;
}

}  // namespace talentflow
