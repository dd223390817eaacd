// Fuzz target for the opinion engine's post reader (posts.h ReadPosts). The
// low two bits of the first input byte pick the format (.jsonl, .csv, .tsv,
// .json) and the next bit analysis or training fields; the rest is the file,
// written to a per-process file under /dev/shm since ReadPosts reads a path.
// A file that reads must account for every row (read = accepted +
// quarantined = posts + quarantine entries, and the reasons sum up), and
// every accepted post must carry the fields the use requires, with text
// that is UTF-8 by bit pattern (the level posts.cc checks). Any exception escaping, or other
// outcome, ends the run.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "common/utf8.h"
#include "text/posts.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace talentflow;
  using namespace talentflow::text;
  if (size < 1) return 0;
  static const char* const kExtensions[] = {".jsonl", ".csv", ".tsv", ".json"};
  const std::string path =
      "/dev/shm/talentflow_posts_fuzzer_" + std::to_string(::getpid()) + kExtensions[data[0] & 3];
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data) + 1, static_cast<std::streamsize>(size - 1));
    if (!out) __builtin_trap();
  }
  const bool training = (data[0] & 4) != 0;
  const PostFields fields =
      training ? PostFields::ForTraining("stance") : PostFields::ForAnalysis();
  StatusOr<PostSet> posts = ReadPosts(path, fields);
  std::filesystem::remove(path);
  if (!posts.ok()) {
    if (posts.status().message().empty()) __builtin_trap();
    return 0;
  }
  const RowAccounting& rows = posts->accounting;
  if (rows.rows_read != rows.rows_accepted + rows.rows_quarantined) __builtin_trap();
  if (rows.rows_accepted != static_cast<int64_t>(posts->posts.size())) __builtin_trap();
  if (rows.rows_quarantined != static_cast<int64_t>(posts->quarantine.size())) __builtin_trap();
  int64_t by_reason = 0;
  for (const auto& [reason, count] : rows.by_reason) by_reason += count;
  if (by_reason != rows.rows_quarantined) __builtin_trap();
  for (const Post& post : posts->posts) {
    if (post.id.empty() || post.text.empty() || !IsLooseUtf8(post.text)) __builtin_trap();
    if (!training && (post.community.empty() || post.month == kNoMonth)) __builtin_trap();
    if (training && post.stance.empty()) __builtin_trap();
  }
  QuarantineCsv(posts->quarantine);
  return 0;
}
