#include "synth/synth.h"

#include <fmt/format.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <bit>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <tuple>

#include "io/file_util.h"
#include "synth/reference.h"

namespace talentflow::synth {
namespace fs = std::filesystem;

namespace {

constexpr Table kUserTables[] = {Table::kUser, Table::kPositions, Table::kEducation, Table::kRaw};

// A piece of a gzip member: raw deflate data ending on a byte boundary
// (Z_SYNC_FLUSH), with the CRC-32 and length of its input. Pieces made on
// different threads are concatenated into one valid gzip member.
struct Segment {
  std::string data;
  uLong crc = 0;
  uint64_t length = 0;
};

Status Deflate(std::string_view in, bool final, Segment* seg) {
  z_stream zs{};
  if (deflateInit2(&zs, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return Internal("deflateInit2 failed");
  seg->data.resize(deflateBound(&zs, in.size()) + 64);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  size_t produced = 0;
  int flush = final ? Z_FINISH : Z_SYNC_FLUSH;
  for (;;) {
    zs.next_out = reinterpret_cast<Bytef*>(seg->data.data() + produced);
    zs.avail_out = static_cast<uInt>(seg->data.size() - produced);
    int rc = deflate(&zs, flush);
    produced = seg->data.size() - zs.avail_out;
    if (rc == Z_STREAM_ERROR) {
      deflateEnd(&zs);
      return Internal("deflate failed");
    }
    bool done = final ? rc == Z_STREAM_END : (zs.avail_in == 0 && zs.avail_out > 0);
    if (done) break;
    seg->data.resize(seg->data.size() * 2);
  }
  deflateEnd(&zs);
  seg->data.resize(produced);
  seg->crc = crc32(0L, reinterpret_cast<const Bytef*>(in.data()), static_cast<uInt>(in.size()));
  seg->length = in.size();
  return Status::Ok();
}

// One output file, written under a temporary name and renamed on Close().
class OutFile {
 public:
  ~OutFile() {
    if (file_ != nullptr) {
      std::fclose(file_);
      std::error_code ec;
      fs::remove(tmp_, ec);
    }
  }

  Status Open(const fs::path& path, bool gzip, std::string_view header) {
    path_ = path;
    tmp_ = path;
    tmp_ += ".tmp";
    gzip_ = gzip;
    TF_RETURN_IF_ERROR(EnsureDirectory(path.parent_path()));
    file_ = std::fopen(tmp_.c_str(), "wb");
    if (file_ == nullptr) return IoError(fmt::format("{}: cannot write", path.string()));
    std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
    if (gzip_) {
      // Fixed header: no name, mtime 0 (reproducible), OS unix.
      static constexpr unsigned char kHeader[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
      TF_RETURN_IF_ERROR(Write(std::string_view(reinterpret_cast<const char*>(kHeader), 10)));
      crc_ = crc32(0L, Z_NULL, 0);
    }
    std::string line(header);
    line.push_back('\n');
    if (gzip_) {
      Segment seg;
      TF_RETURN_IF_ERROR(Deflate(line, false, &seg));
      return Append(seg);
    }
    csv_bytes_ += line.size();
    return Write(line);
  }

  Status AppendText(std::string_view text) {
    csv_bytes_ += text.size();
    return Write(text);
  }

  Status Append(const Segment& seg) {
    crc_ = crc32_combine(crc_, seg.crc, static_cast<z_off_t>(seg.length));
    length_ += seg.length;
    csv_bytes_ += seg.length;
    return Write(seg.data);
  }

  Status Close() {
    if (gzip_) {
      Segment last;
      TF_RETURN_IF_ERROR(Deflate({}, true, &last));
      TF_RETURN_IF_ERROR(Write(last.data));
      unsigned char trailer[8];
      uint32_t isize = static_cast<uint32_t>(length_ & 0xFFFFFFFFu);
      for (int i = 0; i < 4; ++i) {
        trailer[i] = static_cast<unsigned char>((crc_ >> (8 * i)) & 0xFF);
        trailer[4 + i] = static_cast<unsigned char>((isize >> (8 * i)) & 0xFF);
      }
      TF_RETURN_IF_ERROR(Write(std::string_view(reinterpret_cast<const char*>(trailer), 8)));
    }
    bool ok = std::fflush(file_) == 0;
    ok = (std::fclose(file_) == 0) && ok;
    file_ = nullptr;
    if (!ok) return IoError(fmt::format("{}: write failed", path_.string()));
    std::error_code ec;
    fs::rename(tmp_, path_, ec);
    if (ec) return IoError(fmt::format("{}: cannot rename: {}", path_.string(), ec.message()));
    return Status::Ok();
  }

  uint64_t bytes() const { return bytes_; }
  uint64_t csv_bytes() const { return csv_bytes_; }

 private:
  Status Write(std::string_view data) {
    if (data.empty()) return Status::Ok();
    if (std::fwrite(data.data(), 1, data.size(), file_) != data.size())
      return IoError(fmt::format("{}: write failed (disk full?)", path_.string()));
    bytes_ += data.size();
    return Status::Ok();
  }

  fs::path path_, tmp_;
  std::FILE* file_ = nullptr;
  bool gzip_ = false;
  uLong crc_ = 0;
  uint64_t length_ = 0;
  uint64_t bytes_ = 0;
  uint64_t csv_bytes_ = 0;
};

const char* HeaderOf(Table t) {
  switch (t) {
    case Table::kUser:
      return kUserHeader;
    case Table::kPositions:
      return kPositionsHeader;
    case Table::kEducation:
      return kEducationHeader;
    case Table::kRaw:
      return kRawHeader;
    case Table::kMapping:
      return kMappingHeader;
  }
  return "";
}

fs::path FilePath(const fs::path& out, Table t, int part, int parts, bool gzip) {
  const char* ext = gzip ? ".csv.gz" : ".csv";
  if (parts <= 1) return out / (std::string(TableName(t)) + ext);
  return out / TableName(t) / fmt::format("part-{:05d}{}", part, ext);
}

struct Task {
  int part;
  int64_t begin, end;
};

struct BlockResult {
  UserBuffers text;  // plain CSV rows (moved out when gzip)
  std::array<Segment, 4> segments;
  TruthPartial truth;
  Status status;
};

std::string_view TableText(const UserBuffers& b, int i) {
  switch (i) {
    case 0:
      return b.users;
    case 1:
      return b.positions;
    case 2:
      return b.education;
    default:
      return b.raw;
  }
}

nlohmann::ordered_json MomentsJson(const Moments& m) {
  nlohmann::ordered_json j;
  j["n"] = m.n;
  j["mean"] = m.Mean();
  j["sd"] = m.SampleSd();
  return j;
}

nlohmann::ordered_json TruthJson(const Generator& gen, const SynthOptions& options,
                                 const TruthPartial& t) {
  const SynthReference& ref = gen.reference();
  const SynthParams& p = options.params;
  nlohmann::ordered_json j;
  j["generator"] = {{"name", "talentflow synth"}, {"version", TALENTFLOW_VERSION}};
  j["params"] = {{"users", p.users},
                 {"seed", p.seed},
                 {"place", p.place},
                 {"before", FormatMonth(p.before)},
                 {"after", FormatMonth(p.after)},
                 {"cutoff", FormatMonth(p.cutoff)},
                 {"gzip", options.gzip},
                 {"parts", options.parts},
                 {"mess_rate", p.mess_rate}};

  nlohmann::ordered_json rows = nlohmann::ordered_json::object();
  std::map<std::string, int> table_order;
  for (int ti = 0; ti < kTableCount; ++ti) table_order[TableName(static_cast<Table>(ti))] = ti;
  for (const auto& [name, ti] : table_order) {
    const auto& counts = t.rows[ti];
    int64_t read = 0;
    for (int64_t c : counts) read += c;
    nlohmann::ordered_json q = nlohmann::ordered_json::object();
    std::map<std::string, int64_t> reasons;
    for (int f = static_cast<int>(Fate::kMalformedRow); f < kFateCount; ++f)
      if (counts[f] > 0) reasons[FateName(static_cast<Fate>(f))] = counts[f];
    for (const auto& [reason, n] : reasons) q[reason] = n;
    rows[name] = {{"read", read},
                  {"used", counts[static_cast<int>(Fate::kUsed)]},
                  {"exact_duplicates_collapsed", counts[static_cast<int>(Fate::kCollapsed)]},
                  {"quarantined", q}};
  }
  j["rows"] = rows;
  j["persons"] = t.persons;
  auto cls = [&](PersonClass c) { return t.classes[static_cast<int>(c)]; };
  j["classes"] = {{"stayer", cls(PersonClass::kStayer)},
                  {"joiner", cls(PersonClass::kJoiner)},
                  {"leaver", cls(PersonClass::kLeaver)},
                  {"outside", cls(PersonClass::kOutside)},
                  {"unclassified",
                   {{"unknown_before", cls(PersonClass::kUnknownBefore)},
                    {"unknown_after", cls(PersonClass::kUnknownAfter)},
                    {"unknown_both", cls(PersonClass::kUnknownBoth)}}}};
  nlohmann::ordered_json same;
  for (PersonClass c :
       {PersonClass::kLeaver, PersonClass::kJoiner, PersonClass::kStayer, PersonClass::kOutside}) {
    const auto& s = t.same_company[static_cast<int>(c)];
    same[ClassName(c)] = {{"same", s[0]}, {"different", s[1]}, {"unknown", s[2]}};
  }
  j["same_company"] = same;

  struct FlowRow {
    std::string country;
    int64_t leave, join;
  };
  std::vector<FlowRow> flows;
  for (size_t c = 0; c < ref.countries.size(); ++c)
    if (t.join_from[c] + t.leave_to[c] > 0)
      flows.push_back({ref.countries[c].name, t.leave_to[c], t.join_from[c]});
  std::sort(flows.begin(), flows.end(), [](const FlowRow& a, const FlowRow& b) {
    if (a.leave + a.join != b.leave + b.join) return a.leave + a.join > b.leave + b.join;
    return a.country < b.country;
  });
  nlohmann::ordered_json fj = nlohmann::ordered_json::array();
  for (const FlowRow& f : flows)
    fj.push_back({{"country", f.country},
                  {"leave", f.leave},
                  {"join", f.join},
                  {"net", f.join - f.leave},
                  {"turnover", f.join + f.leave}});
  j["flows_by_country"] = fj;
  j["location_fallback"] = {{"before", t.fallback_before}, {"after", t.fallback_after}};

  nlohmann::ordered_json ages;
  std::array<int64_t, kAgeRuleCount> all{};
  for (int c = 0; c < kClassCount; ++c)
    for (int r = 0; r < kAgeRuleCount; ++r) all[r] += t.age_rule[c][r];
  auto rule_json = [](const std::array<int64_t, kAgeRuleCount>& a) {
    nlohmann::ordered_json r;
    for (int i = 0; i < kAgeRuleCount; ++i) r[AgeRuleName(static_cast<AgeRule>(i))] = a[i];
    return r;
  };
  ages["all"] = rule_json(all);
  for (int c = 0; c < kClassCount; ++c)
    ages[ClassName(static_cast<PersonClass>(c))] = rule_json(t.age_rule[c]);
  j["age_rule"] = ages;

  nlohmann::ordered_json jvl = nlohmann::ordered_json::array();
  for (int v = 0; v < kPersonVarCount; ++v) {
    nlohmann::ordered_json row;
    row["variable"] = PersonVarName(static_cast<PersonVar>(v));
    row["joiner"] = MomentsJson(t.moments[static_cast<int>(PersonClass::kJoiner)][v]);
    row["leaver"] = MomentsJson(t.moments[static_cast<int>(PersonClass::kLeaver)][v]);
    row["stayer"] = MomentsJson(t.moments[static_cast<int>(PersonClass::kStayer)][v]);
    jvl.push_back(row);
  }
  j["joiners_vs_leavers"] = jvl;

  nlohmann::ordered_json firms = nlohmann::ordered_json::array();
  std::vector<std::pair<std::string, int>> keyed;
  for (size_t f = 0; f < t.firms.size(); ++f)
    if (std::popcount(t.firms[f].countries_before) >= 3)
      keyed.emplace_back(gen.firm_keys()[f], static_cast<int>(f));
  std::sort(keyed.begin(), keyed.end());
  int64_t total_before = 0, total_after = 0;
  for (const auto& [key, f] : keyed) {
    const FirmAggregate& a = t.firms[f];
    firms.push_back({{"ultimate_parent_rcid", key},
                     {"countries_before", std::popcount(a.countries_before)},
                     {"before", a.in_place_before},
                     {"after", a.in_place_after},
                     {"growth", a.in_place_after - a.in_place_before}});
    total_before += a.in_place_before;
    total_after += a.in_place_after;
  }
  j["multinationals"] = {{"min_countries", 3},
                         {"firms", firms},
                         {"totals",
                          {{"firms", static_cast<int64_t>(keyed.size())},
                           {"before", total_before},
                           {"after", total_after}}}};

  std::map<std::tuple<std::string, std::string, std::string>, std::array<int64_t, 5>> located;
  for (size_t slot = 0; slot < t.located_after.size(); ++slot) {
    if (t.located_after[slot] == 0) continue;
    std::tuple<std::string, std::string, std::string> key;
    if (slot < ref.metros.size()) {
      const SynthMetro& m = ref.metros[slot];
      key = {ref.countries[m.country].name, m.metro_area, m.city};
    } else {
      key = {ref.countries[slot - ref.metros.size()].name, "", ""};
    }
    auto& cell = located[key];
    cell[0] += t.located_after[slot];
    for (int k = 0; k < 4; ++k) cell[k + 1] += t.located_traits[slot][k];
  }
  nlohmann::ordered_json lj = nlohmann::ordered_json::array();
  for (const auto& [key, n] : located)
    lj.push_back({{"country", std::get<0>(key)},
                  {"metro_area", std::get<1>(key)},
                  {"city", std::get<2>(key)},
                  {"persons", n[0]},
                  {"bachelor_or_higher", n[1]},
                  {"mba", n[2]},
                  {"doctorate", n[3]},
                  {"founders", n[4]}});
  j["located_after"] = lj;

  static constexpr const char* kBands[9] = {"under 25", "25-29", "30-34", "35-39",      "40-44",
                                            "45-49",    "50-54", "55-59", "60 and over"};
  nlohmann::ordered_json bands = nlohmann::ordered_json::array();
  for (int b = 0; b < 9; ++b) {
    const auto& row = t.age_bands[b];
    bands.push_back({{"band", kBands[b]},
                     {"stayer", row[0]},
                     {"joiner", row[1]},
                     {"leaver", row[2]},
                     {"outside", row[3]},
                     {"base", row[0] + row[2]}});
  }
  j["age_bands"] = bands;

  nlohmann::ordered_json plants;
  for (int i = 0; i < kPlantCount; ++i) plants[PlantName(static_cast<Plant>(i))] = t.plants[i];
  j["plants"] = plants;
  j["self_check"] = {{"class_mismatches", t.self_check_mismatches}};
  return j;
}

Status ValidateOptions(const SynthOptions& o, const SynthReference& ref) {
  const SynthParams& p = o.params;
  if (p.users < 1 || p.users > 100000000)
    return InvalidArgument(fmt::format("--users {}: must be 1 to 100000000", p.users));
  if (ref.FindCountry(p.place) < 0) {
    std::string names;
    for (const SynthCountry& c : ref.countries) names += (names.empty() ? "" : ", ") + c.name;
    return InvalidArgument(fmt::format(
        "--place \"{}\": synth plants truth for a country place; one of: {}", p.place, names));
  }
  if (p.after < p.before + 3)
    return InvalidArgument(
        fmt::format("--before {} --after {}: after must be at least 3 months "
                    "later than before",
                    FormatMonth(p.before), FormatMonth(p.after)));
  if (p.cutoff < p.after)
    return InvalidArgument(fmt::format("--cutoff {}: must not be earlier than --after {}",
                                       FormatMonth(p.cutoff), FormatMonth(p.after)));
  if (p.before < MakeMonth(1990, 1))
    return InvalidArgument(
        fmt::format("--before {}: must be 1990-01 or later", FormatMonth(p.before)));
  if (!(p.mess_rate >= 0 && p.mess_rate <= 20))
    return InvalidArgument(fmt::format("--mess-rate {}: must be 0 to 20", p.mess_rate));
  if (o.parts < 1 || o.parts > 10000)
    return InvalidArgument(fmt::format("--parts {}: must be 1 to 10000", o.parts));
  if (o.out_dir.empty()) return InvalidArgument("--out: a dataset directory is required");
  return Status::Ok();
}

}  // namespace

StatusOr<SynthSummary> RunSynth(const SynthOptions& options) {
  auto t0 = std::chrono::steady_clock::now();
  fs::path data_dir =
      options.data_dir.empty() ? fs::path(TALENTFLOW_DATA_DIR) / "synth" : options.data_dir;
  TF_ASSIGN_OR_RETURN(SynthReference ref, LoadSynthReference(data_dir));
  TF_RETURN_IF_ERROR(ValidateOptions(options, ref));
  Generator gen(ref, options.params);
  const SynthParams& p = options.params;
  const int parts = options.parts;
  const bool gzip = options.gzip;

  // Replace any previous dataset of ours in the directory (another form of
  // a table left behind would make the dataset ambiguous).
  TF_RETURN_IF_ERROR(EnsureDirectory(options.out_dir));
  for (int ti = 0; ti < kTableCount; ++ti) {
    std::string name = TableName(static_cast<Table>(ti));
    std::error_code ec;
    for (const char* suffix : {".csv", ".csv.gz", ""}) {
      fs::remove_all(options.out_dir / (name + suffix), ec);
      if (ec)
        return IoError(fmt::format("{}: cannot remove: {}",
                                   (options.out_dir / (name + suffix)).string(), ec.message()));
    }
  }

  std::vector<Task> tasks;
  const int64_t block = std::max(1, options.block_users);
  for (int part = 0; part < parts; ++part) {
    int64_t begin = p.users * part / parts, end = p.users * (part + 1) / parts;
    for (int64_t b = begin; b < end; b += block)
      tasks.push_back({part, b, std::min(end, b + block)});
    if (begin == end) tasks.push_back({part, begin, end});  // an empty part still gets its files
  }

  int threads = options.threads > 0
                    ? options.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const size_t window = static_cast<size_t>(threads) * 2 + 2;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::unique_ptr<BlockResult>> slots(window);
  size_t next_write = 0;
  std::atomic<size_t> next_task{0};
  std::atomic<bool> stop{false};

  auto worker = [&] {
    for (;;) {
      size_t i = next_task.fetch_add(1);
      if (i >= tasks.size()) return;
      {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return i < next_write + window || stop.load(); });
        if (stop.load()) return;
      }
      auto result = std::make_unique<BlockResult>();
      result->truth = gen.NewPartial();
      UserBuffers& buffers = result->text;
      size_t users = static_cast<size_t>(tasks[i].end - tasks[i].begin);
      buffers.users.reserve(users * 120);
      buffers.positions.reserve(users * 420);
      buffers.education.reserve(users * 180);
      buffers.raw.reserve(users * 150);
      for (int64_t u = tasks[i].begin; u < tasks[i].end; ++u)
        gen.GenerateUser(u, &buffers, &result->truth);
      if (gzip) {
        for (int k = 0; k < 4; ++k) {
          Status s = Deflate(TableText(buffers, k), false, &result->segments[k]);
          if (!s.ok()) result->status = s;
        }
        buffers = UserBuffers();
      }
      {
        std::lock_guard<std::mutex> lock(mu);
        slots[i % window] = std::move(result);
      }
      cv.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (int k = 0; k < threads; ++k) pool.emplace_back(worker);

  TruthPartial truth = gen.NewPartial();
  SynthSummary summary;
  Status status;
  std::array<std::unique_ptr<OutFile>, 4> files;
  int open_part = -1;
  const bool show_progress = options.progress && ::isatty(2);
  auto close_part = [&]() -> Status {
    for (auto& f : files) {
      if (!f) continue;
      TF_RETURN_IF_ERROR(f->Close());
      summary.bytes_written += f->bytes();
      summary.csv_bytes += f->csv_bytes();
      f.reset();
    }
    return Status::Ok();
  };
  for (size_t i = 0; i < tasks.size() && status.ok(); ++i) {
    std::unique_ptr<BlockResult> result;
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return slots[i % window] != nullptr; });
      result = std::move(slots[i % window]);
      next_write = i + 1;
    }
    cv.notify_all();
    if (!result->status.ok()) {
      status = result->status;
      break;
    }
    if (tasks[i].part != open_part) {
      status = close_part();
      if (!status.ok()) break;
      open_part = tasks[i].part;
      for (int k = 0; k < 4 && status.ok(); ++k) {
        files[k] = std::make_unique<OutFile>();
        status = files[k]->Open(FilePath(options.out_dir, kUserTables[k], open_part, parts, gzip),
                                gzip, HeaderOf(kUserTables[k]));
      }
      if (!status.ok()) break;
    }
    for (int k = 0; k < 4 && status.ok(); ++k)
      status = gzip ? files[k]->Append(result->segments[k])
                    : files[k]->AppendText(TableText(result->text, k));
    truth.Merge(result->truth);
    if (show_progress && (i % 16 == 15 || i + 1 == tasks.size())) {
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      fmt::print(stderr, "\rsynth: {} / {} users, {:.0f} MB, {:.0f} MB/s   ", tasks[i].end, p.users,
                 static_cast<double>(summary.csv_bytes) / 1e6,
                 static_cast<double>(summary.csv_bytes) / 1e6 / std::max(secs, 1e-9));
    }
  }
  if (status.ok()) status = close_part();
  {
    std::lock_guard<std::mutex> lock(mu);
    stop = true;
  }
  cv.notify_all();
  for (std::thread& t : pool) t.join();
  if (show_progress) fmt::print(stderr, "\n");
  TF_RETURN_IF_ERROR(status);

  // company_mapping: not per user; split in two parts when parts are asked for.
  std::string mapping;
  gen.GenerateCompanyMapping(&mapping, &truth);
  int mapping_parts = parts > 1 ? 2 : 1;
  size_t cut = mapping.size();
  if (mapping_parts == 2) {
    cut = mapping.find('\n', mapping.size() / 2);
    cut = cut == std::string::npos ? mapping.size() : cut + 1;
  }
  for (int part = 0; part < mapping_parts; ++part) {
    std::string_view text = part == 0 ? std::string_view(mapping).substr(0, cut)
                                      : std::string_view(mapping).substr(cut);
    OutFile f;
    TF_RETURN_IF_ERROR(f.Open(FilePath(options.out_dir, Table::kMapping, part, mapping_parts, gzip),
                              gzip, kMappingHeader));
    if (gzip) {
      Segment seg;
      TF_RETURN_IF_ERROR(Deflate(text, false, &seg));
      TF_RETURN_IF_ERROR(f.Append(seg));
    } else {
      TF_RETURN_IF_ERROR(f.AppendText(text));
    }
    TF_RETURN_IF_ERROR(f.Close());
    summary.bytes_written += f.bytes();
    summary.csv_bytes += f.csv_bytes();
  }

  summary.truth = TruthJson(gen, options, truth);
  TF_RETURN_IF_ERROR(WriteFileAtomic(options.out_dir / "truth.json", summary.truth.dump(2) + "\n"));
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return summary;
}

}  // namespace talentflow::synth
