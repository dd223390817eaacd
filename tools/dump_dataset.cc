// dump_dataset: prints an ingested Dataset as text, every column of every
// row with strings resolved, followed by the row accounting and inventory.
// Two ingest implementations are equivalent on an input when their dumps are
// byte-identical, whatever string ids they assign; the ingest work uses it to
// check a rewrite against the previous version on large synthetic data.
//
//   dump_dataset DATASET_DIR [--cutoff YYYY-MM] [--threads N] [--chunk-bytes N] [--load-only] >
//   dump.txt
// --load-only ingests and prints nothing (for profiling the ingest alone).
#include <fmt/format.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "ingest/ingest.h"

namespace talentflow {
namespace {

int Run(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(
        "usage: dump_dataset DATASET_DIR [--cutoff YYYY-MM] [--threads N] [--chunk-bytes N]\n",
        stderr);
    return 2;
  }
  IngestOptions options;
  options.progress = false;
  bool load_only = false;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--load-only") == 0) {
      load_only = true;
      continue;
    }
    if (i + 1 >= argc) break;
    if (std::strcmp(argv[i], "--cutoff") == 0) {
      StatusOr<Month> m = ParseMonth(argv[i + 1]);
      if (!m.ok()) {
        fmt::print(stderr, "--cutoff: {}\n", m.status().message());
        return 2;
      }
      options.cutoff = *m;
    } else if (std::strcmp(argv[i], "--threads") == 0) {
      options.threads = std::atoi(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--chunk-bytes") == 0) {
      options.chunk_bytes = static_cast<size_t>(std::atoll(argv[i + 1]));
    }
    ++i;
  }
  StatusOr<Dataset> loaded = LoadDataset(argv[1], options);
  if (!loaded.ok()) {
    fmt::print(stderr, "{}\n", loaded.status().message());
    return 3;
  }
  if (load_only) return 0;
  const std::string out = DatasetDump(*loaded);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace
}  // namespace talentflow

int main(int argc, char** argv) { return talentflow::Run(argc, argv); }
