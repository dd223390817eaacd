// Progress line for long ingests: "ingest individual_positions: 12.3M rows,
// 812 MB/s, ETA 4s", rewritten in place on stderr. Shown only when enabled
// and stderr is a terminal, so logs and pipes stay clean. Single-threaded:
// only the thread that drives the ingest calls it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace talentflow::ingest_internal {

class Progress {
 public:
  // total_bytes: the size of all inputs on disk (the ETA's denominator).
  Progress(bool enabled, uint64_t total_bytes);
  ~Progress();

  // done_bytes: input bytes (on disk) processed so far; rows: of this table.
  void Update(const std::string& table, uint64_t done_bytes, int64_t rows);
  // Clears the line.
  void Finish();

 private:
  bool enabled_;
  bool shown_ = false;
  uint64_t total_bytes_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace talentflow::ingest_internal
