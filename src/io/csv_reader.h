// CSV reading: a fast RFC 4180 reader for whole files held in memory, with
// parallel parsing across cores.
//
// A CsvFile holds one input file's bytes: a plain file is memory-mapped, a
// gzip file (detected by its magic bytes) is fully decompressed into memory
// first. The file is read from disk exactly once. The header is parsed with
// ParseCsvHeader; the body is parsed with ParseCsvBody, which splits the bytes
// into chunks and parses them on several threads.
//
// Record boundaries and parallelism (speculative chunking): the body is cut
// into chunks of about `chunk_bytes`. Each chunk's parser guesses that its
// first record starts right after the first line feed at or after the chunk's
// nominal start, and parses every record that starts before the next chunk's
// nominal start (the last one may run past it). The guess is wrong only when
// that line feed sits inside a quoted field. The chunks are then checked in
// file order on the calling thread: chunk j is accepted when its guessed start
// equals the end of the last record of the accepted chunk before it;
// otherwise it is parsed again from the right place. The result is therefore
// always exactly what one sequential parse gives, and the cost of a wrong
// guess is one chunk parsed twice.
//
// Record grammar (RFC 4180 with recovery, so one bad row never swallows the
// rest of the file): a record ends at a line feed that is not inside a quoted
// field (a preceding carriage return is dropped). A field that starts with a
// quote is quoted and ends at the next quote not doubled; "" inside it is one
// quote. Errors make the record malformed but parsing continues: a quote
// inside an unquoted field is kept literally; text after a closing quote is
// kept literally up to the next comma or line feed; a quoted field still open
// at the end of the file ends there. Completely empty lines are skipped (they
// carry no data and are not counted as records).
//
// Threads: ParseCsvBody calls make_sink and CsvChunkSink::OnRecord from worker
// threads (each sink is used by one thread at a time) and `consume` on the
// calling thread, in chunk order.
//
// Example:
//   TF_ASSIGN_OR_RETURN(CsvFile file, CsvFile::Open(path));
//   TF_ASSIGN_OR_RETURN(CsvHeader header, ParseCsvHeader(file.data(), path.string()));
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/utf8.h"  // FindInvalidUtf8, the check applied to every record

namespace talentflow {

class Sha256Stream;  // io/file_util.h

// A field longer than this (after unquoting) makes its row malformed.
inline constexpr size_t kMaxCsvFieldBytes = size_t{1} << 20;

class CsvFile {
 public:
  CsvFile() = default;
  CsvFile(CsvFile&& other) noexcept;
  CsvFile& operator=(CsvFile&& other) noexcept;
  CsvFile(const CsvFile&) = delete;
  CsvFile& operator=(const CsvFile&) = delete;
  ~CsvFile();

  // Maps or reads `path`; gzip content (magic bytes 1f 8b) is decompressed.
  // Errors name the path: not found, unreadable, corrupt or truncated gzip.
  static StatusOr<CsvFile> Open(const std::filesystem::path& path);
  // Wraps bytes already in memory (tests, fuzzing). Gzip is not detected.
  static CsvFile FromString(std::string content);

  // The (decompressed) CSV text.
  std::string_view data() const { return data_; }
  // The file as stored on disk (compressed for gzip); for hashing.
  std::string_view stored() const { return stored_; }
  bool gzipped() const { return gzipped_; }
  // Tells the kernel that the bytes of [begin, end) will not be needed soon,
  // so a memory-mapped file does not stay resident after it was parsed.
  // Later reads of that range still work (the pages are read back).
  void Release(size_t begin, size_t end) const;

 private:
  void Reset();

  std::string_view data_;
  std::string_view stored_;
  std::string owned_;         // decompressed text, or FromString content
  std::string owned_stored_;  // compressed bytes of a gzip file
  void* map_ = nullptr;
  size_t map_size_ = 0;
  bool gzipped_ = false;
};

struct CsvHeader {
  std::vector<std::string> names;  // as written, unquoted, surrounding spaces trimmed
  size_t body_begin = 0;           // byte offset of the first data record
  int64_t body_line = 2;           // 1-based line number where the body starts
};

// Parses the first record of `data` as the header (a UTF-8 byte-order mark is
// skipped). Errors (empty file, bad quoting, invalid UTF-8, empty column name)
// are prefixed with `file_label`.
StatusOr<CsvHeader> ParseCsvHeader(std::string_view data, std::string_view file_label);

struct CsvRecord {
  // Unquoted field values (views into the file or a per-parser scratch
  // buffer); valid only during the OnRecord call.
  const std::string_view* fields = nullptr;
  size_t num_fields = 0;
  std::string_view raw;       // the record's text without its line break
  uint64_t offset = 0;        // byte offset of `raw` in the file's data
  int64_t line_in_chunk = 0;  // line feeds between the chunk start and the record
  bool malformed = false;     // then `error` says why (first problem found)
  std::string error;          // e.g. "expected 12 fields, found 11"
};

class CsvChunkSink {
 public:
  virtual ~CsvChunkSink() = default;
  virtual void OnRecord(const CsvRecord& record) = 0;
};

struct CsvParseOptions {
  std::vector<std::string> column_names;  // for error details; size = expected fields
  int threads = 1;
  size_t chunk_bytes = size_t{16} << 20;
  // At most this many chunks are parsed ahead of the one being consumed,
  // bounding memory held by sinks.
  size_t window = 8;
  // false: every record goes through the general parser, not the fast path
  // for regular records (tests compare the two).
  bool fast_path = true;
  // When set, ParseCsvBody also feeds the whole of the file's data, from its
  // first byte to its last, to this hash in order, each chunk's bytes from
  // the thread that parsed them while they are still in its cache (so the
  // data is read from memory once, not once for the parse and once for the
  // hash). Complete when ParseCsvBody returns, whatever its status.
  Sha256Stream* hash = nullptr;
};

struct CsvChunkInfo {
  int64_t first_line = 0;  // 1-based line number of the chunk's first byte
  size_t begin = 0;        // byte range the chunk's records cover
  size_t end = 0;
  int64_t records = 0;
};

// Parses data[body_begin, end) (body_line = line number at body_begin).
// make_sink() gives a fresh sink per chunk attempt; consume() receives each
// accepted chunk's sink in file order, with its first line number.
Status ParseCsvBody(
    const CsvFile& file, size_t body_begin, int64_t body_line, const CsvParseOptions& options,
    const std::function<std::unique_ptr<CsvChunkSink>()>& make_sink,
    const std::function<Status(std::unique_ptr<CsvChunkSink>, const CsvChunkInfo&)>& consume);

// Parses the one record that starts at `offset` of `data` again and returns
// its unquoted field values, exactly as ParseCsvBody gave them to the sink
// (CsvRecord::offset is such an offset). For comparing rows after the parse
// without keeping every row's fields.
void ReparseCsvRecord(std::string_view data, uint64_t offset, std::vector<std::string>* fields);
// The length of the same record's text (CsvRecord::raw) as ParseCsvBody gave it.
uint64_t CsvRecordLength(std::string_view data, uint64_t offset);

// Appends `value` to `out` as one CSV field, quoted when needed.
void AppendCsvField(std::string& out, std::string_view value);
// Ends the record that began at offset `record_begin` of `out`. A record
// that wrote nothing (one field, empty) is written as "": as a blank line it
// would be skipped by most readers (ours, pandas, R), and the row lost.
void EndCsvRecord(std::string& out, size_t record_begin);

}  // namespace talentflow
