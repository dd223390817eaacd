// RunSynth: writes a synthetic Revelio-layout dataset and its truth.json.
//
// The dataset directory receives individual_user, individual_positions,
// individual_user_education, individual_positions_raw and company_mapping,
// each as NAME.csv, NAME.csv.gz (--gzip) or a folder NAME/ of part files
// (--parts K), plus truth.json (docs/synth.md gives its schema). Users are
// generated in blocks on `threads` threads and written in user order, so the
// files are byte-identical for the same parameters whatever the thread count;
// at most a few blocks are in memory at once, whatever the number of users.
// Files are written under a temporary name and renamed when complete.
//
// Threads: RunSynth starts and joins its own threads; call it from any thread.
//
// Example:
//   SynthOptions options;
//   options.params.users = 10000;
//   options.out_dir = "/tmp/ds";
//   TF_ASSIGN_OR_RETURN(SynthSummary summary, RunSynth(options));
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "synth/generator.h"

namespace talentflow::synth {

struct SynthOptions {
  SynthParams params;
  std::filesystem::path out_dir;
  bool gzip = false;
  int parts = 1;                   // >1: one folder of part files per table
  int threads = 0;                 // 0: all cores
  std::filesystem::path data_dir;  // empty: TALENTFLOW_DATA_DIR/synth
  int block_users = 4096;          // users per unit of work
  bool progress = true;            // only shown when stderr is a terminal
};

struct SynthSummary {
  uint64_t bytes_written = 0;  // file bytes as stored (compressed if --gzip)
  uint64_t csv_bytes = 0;      // uncompressed CSV bytes
  double seconds = 0;
  nlohmann::ordered_json truth;  // as written to truth.json
};

// Errors: invalid parameters (kInvalidArgument, naming the flag), unreadable
// reference data (kNotFound / kDataError), unwritable output (kIoError).
StatusOr<SynthSummary> RunSynth(const SynthOptions& options);

}  // namespace talentflow::synth
