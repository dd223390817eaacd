// Fuzz target for the dataset ingest (ingest.h LoadDataset).
//
// The input is a whole dataset: the first byte holds options, the rest is
// cut at each ASCII record separator (0x1E) into the table files, in this
// order: individual_user, individual_positions, individual_user_education
// (required: written, empty if the input has fewer pieces), then
// company_mapping and individual_positions_raw (written only when present).
// They go to a per-process folder under /dev/shm, with a quarantine folder
// beside it, and the dataset is loaded twice: on one thread with the default
// chunk size, and on two threads with a chunk size of 1-128 bytes taken from
// the options byte (its top bit: column dictionaries kept for at most 2
// values). Each load must return an error Status or a Dataset whose
// row accounting balances (read = used + collapsed + quarantined, per table)
// and whose person grouping is consistent; the two loads must agree exactly
// (same error, or equal DatasetDump), since the chunking must not change the
// result. Anything else traps; the sanitizers catch memory errors.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/month.h"
#include "ingest/dataset.h"
#include "ingest/ingest.h"
#include "ingest/internal/fuzz_dataset.h"

namespace talentflow {
namespace {
namespace fs = std::filesystem;

// REQUIRES: begin is non-empty; the rows of person u are [begin[u], begin[u + 1]).
void CheckGrouping(const std::vector<uint32_t>& begin, const std::vector<uint32_t>& user,
                   size_t users) {
  if (begin.size() != users + 1 || begin.front() != 0 || begin.back() != user.size())
    __builtin_trap();
  for (size_t user_idx = 0; user_idx < users; ++user_idx) {
    if (begin[user_idx] > begin[user_idx + 1]) __builtin_trap();
    for (uint32_t row = begin[user_idx]; row < begin[user_idx + 1]; ++row)
      if (user[row] != user_idx) __builtin_trap();
  }
}

void CheckDataset(const Dataset& data) {
  for (const auto& [table, rows] : data.rows) {
    if (rows.read != rows.used + rows.exact_duplicates_collapsed + rows.quarantined_total())
      __builtin_trap();
    for (const auto& [reason, count] : rows.quarantined)
      if (count <= 0) __builtin_trap();
  }
  const UserTable& users = data.users;
  CheckGrouping(users.pos_begin, data.positions.user, users.size());
  CheckGrouping(users.edu_begin, data.education.user, users.size());
  for (size_t user_idx = 1; user_idx < users.size(); ++user_idx)
    if (!(data.str(users.user_id[user_idx - 1]) < data.str(users.user_id[user_idx])))
      __builtin_trap();
  for (Month start : data.positions.start)
    if (start == kNoMonth) __builtin_trap();
  if (data.cutoff == kNoMonth) __builtin_trap();
}

StatusOr<Dataset> Load(const fs::path& dir, int threads, size_t chunk_bytes,
                       size_t kept_values = IngestOptions().kept_values) {
  IngestOptions options;
  options.kept_values = kept_values;
  options.cutoff = MakeMonth(2023, 6);
  options.quarantine_dir = fuzz::ScratchDir("ingest") / "quarantine";
  options.threads = threads;
  options.progress = false;
  options.chunk_bytes = chunk_bytes;
  return LoadDataset(dir, options);
}

}  // namespace
}  // namespace talentflow

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace talentflow;
  if (size < 1) return 0;
  const uint8_t flags = data[0];
  const fs::path dir =
      fuzz::WriteDataset(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1),
                         fuzz::ScratchDir("ingest"));

  StatusOr<Dataset> reference = Load(dir, 1, 0);
  // The flags' top bit: the chunked load's dictionaries start again past 2 values.
  StatusOr<Dataset> chunked =
      Load(dir, 2, 1 + (flags & 0x7F), (flags & 0x80) != 0 ? 2 : IngestOptions().kept_values);
  if (reference.ok() != chunked.ok()) __builtin_trap();
  if (!reference.ok()) {
    if (reference.status().message() != chunked.status().message()) __builtin_trap();
    return 0;
  }
  CheckDataset(*reference);
  CheckDataset(*chunked);
  if (DatasetDump(*reference) != DatasetDump(*chunked)) __builtin_trap();
  return 0;
}
