// Whole-file helpers used by every stage: atomic output, hashing, reading.
//
// Outputs are written atomically: the content goes to a temporary file in the
// destination's directory, is flushed, and is renamed over the destination,
// so a reader never sees a half-written file and a crashed run leaves the
// previous output intact. All functions are thread-compatible (distinct paths
// may be written from distinct threads).
//
// Example:
//   TF_RETURN_IF_ERROR(WriteFileAtomic(out_dir / "results.json", json_text));
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace talentflow {

// Creates parent directories as needed, writes `content` to a temporary file
// beside `path`, then renames it to `path`.
Status WriteFileAtomic(const std::filesystem::path& path, std::string_view content);

// Reads a whole file into memory.
StatusOr<std::string> ReadFile(const std::filesystem::path& path);

// Lower-case hex SHA-256 of a file's bytes, streamed.
StatusOr<std::string> Sha256File(const std::filesystem::path& path);

// Lower-case hex SHA-256 of a byte string.
std::string Sha256Hex(std::string_view bytes);

// SHA-256 of bytes given piece by piece, in order:
//   Sha256Stream sha;
//   sha.Update(first); sha.Update(second);
//   std::string hex = sha.HexDigest();  // as Sha256Hex(first + second)
// After HexDigest the stream starts again, empty.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(Sha256Stream&&) noexcept;
  Sha256Stream& operator=(Sha256Stream&&) noexcept;
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;

  void Update(std::string_view bytes);
  std::string HexDigest();

 private:
  struct Context;
  std::unique_ptr<Context> ctx_;
};

// Creates `dir` (and parents). Error names the directory.
Status EnsureDirectory(const std::filesystem::path& dir);

}  // namespace talentflow
