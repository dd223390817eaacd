#include "ingest/internal/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace talentflow::ingest_internal {

Progress::Progress(bool enabled, uint64_t total_bytes)
    : enabled_(enabled && ::isatty(STDERR_FILENO) == 1),
      total_bytes_(total_bytes),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

Progress::~Progress() { Finish(); }

void Progress::Update(const std::string& table, uint64_t done_bytes, int64_t rows) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  double seconds = std::chrono::duration<double>(now - start_).count();
  double rate = seconds > 0 ? static_cast<double>(done_bytes) / seconds : 0;
  std::string eta = "?";
  if (rate > 0 && total_bytes_ >= done_bytes)
    eta = fmt::format("{:.0f}s", static_cast<double>(total_bytes_ - done_bytes) / rate);
  fmt::print(stderr, "\r\x1b[Kingest {}: {} rows, {:.0f} MB/s, ETA {}", table, rows, rate / 1e6,
             eta);
  std::fflush(stderr);
  shown_ = true;
}

void Progress::Finish() {
  if (!shown_) return;
  fmt::print(stderr, "\r\x1b[K");
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace talentflow::ingest_internal
