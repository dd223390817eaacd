// Posts: reading the opinion engine's input (JSON Lines, CSV or TSV) with
// row accounting and quarantine, as the profile ingest does.
//
// Fields: id, community, source, date, text, and optional topic, viewpoint,
// stance (labels for training and evaluation; "target" is read as topic, as
// in the NLPCC 2016 files). Which fields are required depends on the use:
// analysis needs id, community, date and text; training needs text and the
// label field. A row that cannot be used is not dropped silently: it goes to
// the quarantine with file, line, reason and detail; reasons are
//   malformed_row          not a JSON object / wrong number of CSV fields
//   missing_key            a required field is absent or empty
//   bad_date               date is not YYYY-MM[-DD][THH:MM...]
//   invalid_utf8           text is not valid UTF-8
//   duplicate_row          same id and same content as an earlier row
//   conflicting_duplicate  same id as an earlier row, different content
// The first row with an id wins. A PostSet is a plain value.
//
// Example:
//   TF_ASSIGN_OR_RETURN(PostSet posts, ReadPosts("posts.jsonl", PostFields::ForAnalysis()));
//   posts.accounting.rows_read == posts.posts.size() + posts.quarantine.size()
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/month.h"
#include "common/status.h"

namespace talentflow::text {

struct Post {
  std::string id;
  std::string community;
  std::string source;
  std::string date;  // as given
  Month month = kNoMonth;
  std::string text;  // original, for display
  std::string topic;
  std::string viewpoint;
  std::string stance;
  int64_t line = 0;  // first line of the row in its file
};

struct QuarantineEntry {
  std::string file;
  int64_t line = 0;
  std::string reason;
  std::string detail;
};

struct RowAccounting {
  int64_t rows_read = 0;
  int64_t rows_accepted = 0;
  int64_t rows_quarantined = 0;
  std::map<std::string, int64_t> by_reason;
};

struct PostSet {
  std::vector<Post> posts;
  std::vector<QuarantineEntry> quarantine;
  RowAccounting accounting;
};

struct PostFields {
  bool need_community = true;
  bool need_date = true;
  // A label field that must be present ("" for none): "stance", "viewpoint", "topic".
  std::string label_field;

  static PostFields ForAnalysis() { return {}; }
  static PostFields ForTraining(std::string label) { return {false, false, std::move(label)}; }
};

// Reads a file; the format follows the extension: .jsonl/.json (JSON Lines),
// .csv (RFC 4180, header row), .tsv (tab-separated, header row, no quoting).
// A UTF-8 byte-order mark is skipped. Errors only when the file cannot be
// read or has no usable header; bad rows are quarantined.
StatusOr<PostSet> ReadPosts(const std::string& path, const PostFields& fields);

// The label value of `post` for a field name ("stance", "viewpoint", "topic").
const std::string& LabelOf(const Post& post, const std::string& field);

// quarantine.csv text: file,line,reason,detail.
std::string QuarantineCsv(const std::vector<QuarantineEntry>& entries);

}  // namespace talentflow::text
