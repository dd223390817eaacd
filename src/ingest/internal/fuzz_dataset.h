// What the fuzz targets that read a whole dataset share (ingest_fuzzer.cc,
// stats/flows_fuzzer.cc, rules/pool_fuzzer.cc): a per-process scratch folder
// the layout of their input, and (flows, pool) the ingest options. For fuzz
// targets only.
//
// Input layout: the first byte holds the target's options; the rest is cut
// at each ASCII record separator (0x1E) into the table files, in this order:
// individual_user, individual_positions, individual_user_education (always
// written, empty when the input has fewer pieces), then company_mapping and
// individual_positions_raw (written only when present).
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "common/month.h"
#include "ingest/ingest.h"

namespace talentflow::fuzz {

// /dev/shm/talentflow_<name>_fuzzer_<pid>, removed when the process exits.
// The first call's name is kept.
inline const std::filesystem::path& ScratchDir(std::string_view name) {
  static const std::filesystem::path* dir = [name] {
    auto* path = new std::filesystem::path("/dev/shm/talentflow_" + std::string(name) + "_fuzzer_" +
                                           std::to_string(::getpid()));
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(*dir, ec);
    });
    return path;
  }();
  return *dir;
}

inline void WriteFile(const std::filesystem::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) __builtin_trap();  // the fuzzer's own setup failed, not the code under test
}

// Empties `scratch`, then writes the tables of `tables` (the input without
// its options byte) as CSV files into scratch/dataset, and returns that path.
inline std::filesystem::path WriteDataset(std::string_view tables,
                                          const std::filesystem::path& scratch) {
  static const char* const kTables[] = {"individual_user", "individual_positions",
                                        "individual_user_education", "company_mapping",
                                        "individual_positions_raw"};
  std::vector<std::string_view> pieces;
  while (true) {
    size_t cut = tables.find('\x1e');
    pieces.push_back(tables.substr(0, cut));
    if (cut == std::string_view::npos) break;
    tables.remove_prefix(cut + 1);
  }
  const std::filesystem::path dir = scratch / "dataset";
  std::error_code ec;
  std::filesystem::remove_all(scratch, ec);
  std::filesystem::create_directories(dir);
  for (size_t table_idx = 0; table_idx < std::size(kTables); ++table_idx) {
    if (table_idx >= 3 && table_idx >= pieces.size()) break;
    WriteFile(dir / (std::string(kTables[table_idx]) + ".csv"),
              table_idx < pieces.size() ? pieces[table_idx] : std::string_view());
  }
  return dir;
}

// The dataset in `dir` as the flows and pool targets read it: cutoff
// 2023-09, quarantine files in scratch/quarantine, one thread, no progress.
inline StatusOr<Dataset> LoadWithFuzzOptions(const std::filesystem::path& dir,
                                             const std::filesystem::path& scratch) {
  IngestOptions ingest;
  ingest.cutoff = MakeMonth(2023, 9);
  ingest.quarantine_dir = scratch / "quarantine";
  ingest.threads = 1;
  ingest.progress = false;
  return LoadDataset(dir, ingest);
}

}  // namespace talentflow::fuzz
