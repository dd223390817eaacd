// Ingest: reads a Revelio-layout dataset directory into a Dataset
// (dataset.h), applying the cleaning rules (docs/input-format.md) so that
// every input row is used, collapsed as an exact duplicate, or quarantined
// with a reason.
//
// Tables are read in the order individual_user, company_mapping,
// individual_positions_raw, individual_positions, individual_user_education;
// each from NAME.csv, NAME.csv.gz or a folder NAME/ of part files. Each file
// is read once and parsed on `threads` threads (io/csv_reader.h).
//
// Threads: LoadDataset may be called from any thread; it starts and joins its
// own worker threads. The returned Dataset is immutable and shareable.
//
// Example:
//   IngestOptions options;
//   options.quarantine_dir = out_dir / "quarantine";
//   TF_ASSIGN_OR_RETURN(Dataset data, LoadDataset(dataset_dir, options));
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "common/month.h"
#include "common/status.h"
#include "ingest/dataset.h"

namespace talentflow {

struct IngestOptions {
  Month cutoff = kNoMonth;               // kNoMonth: the latest updated_dt of used users
  std::filesystem::path quarantine_dir;  // empty = do not write quarantine files
  int threads = 0;                       // 0 = all cores
  bool progress = true;                  // only shown if stderr is a terminal
  // Bytes per parsing chunk; 0: the ingest's default (1 MiB). At most
  // 1 GiB (larger values are reduced), so a chunk's lines fit 32 bits. Small
  // values are for tests: the result must not depend on the chunking.
  size_t chunk_bytes = 0;
  // A parsing sink keeps each text column's dictionary from chunk to chunk
  // until it holds more than this many values; then it starts it again, so
  // a column of a billion distinct values costs no more memory than one of
  // a chunk's. Small values are for tests (the result must not depend on
  // it).
  size_t kept_values = size_t{1} << 17;
  // Finish each table before the next is parsed, rather than beside it, so
  // that each table's CPU can be measured alone (the environment variable
  // TALENTFLOW_INGEST_TIMING=serial sets it and prints the figures). The
  // result is the same; the load takes longer.
  bool serial = false;
};

// The whole Dataset as text: every column of every row with strings
// resolved, then the row accounting, inputs and inventory. Two loads are
// equivalent when their dumps are equal, whatever string ids they assigned
// (tools/dump_dataset prints it; tests compare loads with it).
std::string DatasetDump(const Dataset& dataset);

// Errors (file-level): the dataset directory or a required table missing, a
// table present in two forms, an unreadable or corrupt gzip, a bad header, a
// missing required column, part files with different headers, no cutoff
// available. Row-level problems never fail the load; they are quarantined.
StatusOr<Dataset> LoadDataset(const std::filesystem::path& dataset_dir,
                              const IngestOptions& options);

// The spec section 7 `inputs` value: one object per input file, sorted by
// (table, path): {"table", "path", "bytes", "sha256", "rows"}.
nlohmann::ordered_json InputsJson(const Dataset& dataset);

// The spec section 7 `rows` value: per table read (in name order)
// {"read", "used", "exact_duplicates_collapsed", "quarantined": {reason: n}}
// with reasons in name order (only reasons that occurred).
nlohmann::ordered_json RowsJson(const Dataset& dataset);

// Names of the quarantine reasons, in rule order.
const std::vector<std::string>& QuarantineReasons();

}  // namespace talentflow
