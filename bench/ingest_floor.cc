// ingest_floor: what an ingest of one CSV file cannot avoid, measured on
// this machine: the SHA-256 of its bytes (validate records every input's
// hash) and the CSV parse itself with a sink that only looks at each
// field. Their CPU time bounds any ingest of the file from below; the rest
// of a target's budget is what is left for cleaning, interning and storing
// the rows.
//
//   ingest_floor FILE.csv [--threads N] [--target MB_PER_CPU_S] [--repeat K]
//
// Prints one line per stage (wall seconds, CPU seconds, MB/s, MB per
// CPU-second; the best of K runs by CPU): the hash alone (from memory), the
// parse alone, and the two together as the ingest runs them (each chunk hashed
// while in cache), which is the floor; then, for the target (default 500 MB per
// CPU-second), the CPU time per row left for everything else. The file is read
// once into memory (mapped) first, so the stages measure work, not the disk.
#include <fmt/format.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>

#include "io/csv_reader.h"
#include "io/file_util.h"

namespace talentflow {
namespace {

double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Timing {
  double wall = 0, cpu = 0;
};

// The cheapest sink that still reads what a real one reads: each field's
// first byte and length.
class TouchSink : public CsvChunkSink {
 public:
  void OnRecord(const CsvRecord& rec) override {
    ++records;
    if (rec.malformed) {
      ++malformed;
      return;
    }
    for (size_t i = 0; i < rec.num_fields; ++i) {
      const std::string_view f = rec.fields[i];
      checksum += f.size() + (f.empty() ? 0 : static_cast<unsigned char>(f.front()));
    }
  }
  uint64_t records = 0, malformed = 0, checksum = 0;
};

int Run(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr,
               "usage: ingest_floor FILE.csv [--threads N] [--target MB_PER_CPU_S] "
               "[--repeat K]\n");
    return 2;
  }
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  double target = 500;
  int repeat = 3;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--threads") == 0) {
      threads = std::max(1, std::atoi(argv[i + 1]));
    } else if (std::strcmp(argv[i], "--target") == 0) {
      target = std::atof(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--repeat") == 0) {
      repeat = std::max(1, std::atoi(argv[i + 1]));
    } else {
      fmt::print(stderr, "ingest_floor: unknown option {}\n", argv[i]);
      return 2;
    }
  }
  StatusOr<CsvFile> file_or = CsvFile::Open(argv[1]);
  if (!file_or.ok()) {
    fmt::print(stderr, "ingest_floor: {}\n", file_or.status().message());
    return 3;
  }
  const CsvFile& file = *file_or;
  const std::string_view data = file.data();
  StatusOr<CsvHeader> header = ParseCsvHeader(data, argv[1]);
  if (!header.ok()) {
    fmt::print(stderr, "ingest_floor: {}\n", header.status().message());
    return 3;
  }
  // Touch every page once so that neither stage pays for mapping the file.
  uint64_t touched = 0;
  for (size_t p = 0; p < data.size(); p += 4096) touched += static_cast<unsigned char>(data[p]);

  auto best = [&](auto&& stage) {
    Timing out{1e300, 1e300};
    for (int k = 0; k < repeat; ++k) {
      const double w0 = WallSeconds(), c0 = ProcessCpuSeconds();
      stage();
      const double w = WallSeconds() - w0, c = ProcessCpuSeconds() - c0;
      if (c < out.cpu) out = {w, c};
    }
    return out;
  };

  std::string digest;
  const Timing sha = best([&] { digest = Sha256Hex(file.stored()); });

  uint64_t records = 0, malformed = 0, checksum = 0;
  std::string digest_by_parse;
  auto parse_with = [&](bool hash) {
    CsvParseOptions options;
    options.column_names = header->names;
    options.threads = threads;
    options.chunk_bytes = size_t{1} << 20;  // the ingest's chunk
    options.window = static_cast<size_t>(threads) + 1;
    Sha256Stream by_parse;
    if (hash) options.hash = &by_parse;
    std::atomic<uint64_t> sum{0};
    records = malformed = 0;
    Status st = ParseCsvBody(
        file, header->body_begin, header->body_line, options,
        [] { return std::make_unique<TouchSink>(); },
        [&](std::unique_ptr<CsvChunkSink> base, const CsvChunkInfo&) -> Status {
          auto* sink = static_cast<TouchSink*>(base.get());
          records += sink->records;
          malformed += sink->malformed;
          sum += sink->checksum;
          return Status();
        });
    checksum = sum.load();
    if (!st.ok()) fmt::print(stderr, "ingest_floor: {}\n", st.message());
    if (hash) digest_by_parse = by_parse.HexDigest();
  };
  const Timing parse = best([&] { parse_with(false); });
  // As the ingest does it: each chunk hashed by its parsing thread while the
  // bytes are in cache (CsvParseOptions::hash).
  const Timing both = best([&] { parse_with(true); });
  if (digest_by_parse != digest) {
    fmt::print(stderr, "ingest_floor: the hash fed by the parse differs from the file's\n");
    return 1;
  }

  const double mb = static_cast<double>(data.size()) / 1e6;
  fmt::print(
      "file: {} ({:.1f} MB, {} records, {} malformed, {} parse threads; sha256 {}...; "
      "check {})\n",
      argv[1], mb, records, malformed, threads, digest.substr(0, 12), (checksum + touched) % 1000);
  auto line = [&](const char* name, const Timing& t) {
    fmt::print("{:<22} wall {:6.3f} s  cpu {:6.3f} s  {:7.0f} MB/s  {:7.0f} MB per cpu-s\n", name,
               t.wall, t.cpu, mb / t.wall, mb / t.cpu);
  };
  line("sha256 (from memory)", sha);
  line("parse (touch sink)", parse);
  line("parse and sha256", both);
  const double floor_cpu = both.cpu;
  fmt::print("{:<22} cpu {:6.3f} s: at most {:.0f} MB per cpu-s with no other work\n",
             "floor (parse and sha)", floor_cpu, mb / floor_cpu);
  const double budget = mb / target;
  const double left = budget - floor_cpu;
  fmt::print(
      "target {:.0f} MB per cpu-s: {:.3f} cpu-s in all, {:.3f} left after the floor = {:.0f} ns "
      "per record for everything else\n",
      target, budget, left, records > 0 ? left / static_cast<double>(records) * 1e9 : 0.0);
  return 0;
}

}  // namespace
}  // namespace talentflow

int main(int argc, char** argv) { return talentflow::Run(argc, argv); }
