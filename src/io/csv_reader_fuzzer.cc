// Differential fuzz target for the CSV reader (csv_reader.h).
//
// The reader has two record parsers (the general one and a fast path for
// regular records) and a speculative parallel chunking that must give exactly
// what one sequential parse gives. The first input byte picks a small chunk
// size (1-256 bytes, so records straddle chunks and chunk guesses land inside
// quoted fields); the rest is the file. The reference is one chunk, one
// thread, general parser only; the candidate is the fast path on 2 threads
// with the small chunks. Every record (fields, raw text, offset, absolute
// line, malformed flag, error) must be identical, and ReparseCsvRecord and
// CsvRecordLength at each record's offset must give back what the sink saw.
// A difference traps; the sanitizers catch memory errors on the way.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/csv_reader.h"
#include "io/file_util.h"

namespace talentflow {
namespace {

struct Row {
  std::vector<std::string> fields;
  std::string raw;
  uint64_t offset = 0;
  int64_t line = 0;
  bool malformed = false;
  std::string error;
  bool operator==(const Row&) const = default;
};

class CollectSink : public CsvChunkSink {
 public:
  void OnRecord(const CsvRecord& record) override {
    Row row;
    row.fields.assign(record.fields, record.fields + record.num_fields);
    row.raw = std::string(record.raw);
    row.offset = record.offset;
    row.line = record.line_in_chunk;
    row.malformed = record.malformed;
    row.error = record.error;
    rows.push_back(std::move(row));
  }
  std::vector<Row> rows;
};

std::vector<Row> ParseAll(const CsvFile& file, const CsvHeader& header, int threads,
                          size_t chunk_bytes, bool fast_path, Sha256Stream* hash = nullptr) {
  CsvParseOptions options;
  options.hash = hash;
  options.column_names = header.names;
  options.threads = threads;
  options.chunk_bytes = chunk_bytes;
  options.window = 3;
  options.fast_path = fast_path;
  std::vector<Row> out;
  Status status = ParseCsvBody(
      file, header.body_begin, header.body_line, options,
      [] { return std::make_unique<CollectSink>(); },
      [&](std::unique_ptr<CsvChunkSink> sink, const CsvChunkInfo& info) {
        for (Row& row : static_cast<CollectSink*>(sink.get())->rows) {
          row.line += info.first_line;
          out.push_back(std::move(row));
        }
        return Status::Ok();
      });
  // The consumer never fails, so neither may the parse.
  if (!status.ok()) __builtin_trap();
  return out;
}

}  // namespace
}  // namespace talentflow

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace talentflow;
  if (size < 1) return 0;
  const size_t chunk_bytes = 1 + size_t{data[0]};
  CsvFile file =
      CsvFile::FromString(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  StatusOr<CsvHeader> header = ParseCsvHeader(file.data(), "fuzz.csv");
  if (!header.ok()) return 0;
  if (header->body_begin > file.data().size()) __builtin_trap();

  const std::vector<Row> want =
      ParseAll(file, *header, 1, file.data().size() + 1, /*fast_path=*/false);
  // The chunked parse also feeds the hash (CsvParseOptions::hash): it must
  // see the whole data, header included, in order.
  Sha256Stream hash;
  const std::vector<Row> got = ParseAll(file, *header, 2, chunk_bytes, /*fast_path=*/true, &hash);
  if (got != want) __builtin_trap();
  if (hash.HexDigest() != Sha256Hex(file.data())) __builtin_trap();

  std::vector<std::string> fields;
  uint64_t previous_end = header->body_begin;
  for (const Row& row : want) {
    // Records are disjoint, in file order, and `raw` is the file's own text.
    if (row.offset < previous_end || row.offset + row.raw.size() > file.data().size())
      __builtin_trap();
    if (file.data().substr(row.offset, row.raw.size()) != row.raw) __builtin_trap();
    previous_end = row.offset + row.raw.size();
    ReparseCsvRecord(file.data(), row.offset, &fields);
    if (fields != row.fields) __builtin_trap();
    if (CsvRecordLength(file.data(), row.offset) != row.raw.size()) __builtin_trap();
    if (row.malformed == row.error.empty()) __builtin_trap();
  }
  return 0;
}
