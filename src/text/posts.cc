#include "text/posts.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "common/utf8.h"
#include "io/csv_reader.h"
#include "io/file_util.h"

namespace talentflow::text {
namespace {

using Fields = std::vector<std::string>;

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Canonical field name of a column header.
std::string Canonical(const std::string& header) {
  std::string h = Lower(Trim(header));
  if (h == "target") return "topic";
  if (h == "label") return "viewpoint";
  return h;
}

std::string Truncated(std::string_view s) {
  if (s.size() <= 80) return std::string(s);
  return std::string(s.substr(0, Utf8PrefixLength(s, 80))) + "...";
}

class Builder {
 public:
  Builder(std::string file, const PostFields& fields) : file_(std::move(file)), fields_(fields) {}

  void Quarantine(int64_t line, std::string reason, std::string detail) {
    ++set_.accounting.rows_read;
    ++set_.accounting.rows_quarantined;
    ++set_.accounting.by_reason[reason];
    set_.quarantine.push_back({file_, line, std::move(reason), std::move(detail)});
  }

  // `values` maps canonical field names to values.
  void Add(int64_t line, std::unordered_map<std::string, std::string>& values) {
    Post p;
    p.line = line;
    auto take = [&](const char* key) {
      auto it = values.find(key);
      return it == values.end() ? std::string() : Trim(it->second);
    };
    p.id = take("id");
    p.community = take("community");
    p.source = take("source");
    p.date = take("date");
    auto text_it = values.find("text");
    if (text_it != values.end()) p.text = text_it->second;
    p.topic = take("topic");
    p.viewpoint = take("viewpoint");
    p.stance = take("stance");
    std::vector<std::string> missing;
    if (p.id.empty()) missing.push_back("id");
    if (fields_.need_community && p.community.empty()) missing.push_back("community");
    if (fields_.need_date && p.date.empty()) missing.push_back("date");
    if (Trim(p.text).empty()) missing.push_back("text");
    if (!fields_.label_field.empty() && LabelOf(p, fields_.label_field).empty())
      missing.push_back(fields_.label_field);
    if (!missing.empty()) {
      std::string list;
      for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
      Quarantine(line, "missing_key", fmt::format("missing or empty: {}", list));
      return;
    }
    // Every field: labels and dates reach JSON output and messages too.
    for (const std::string* f :
         {&p.id, &p.community, &p.source, &p.date, &p.text, &p.topic, &p.viewpoint, &p.stance}) {
      // Checked by bit pattern only, as posts always have been: overlong forms
      // and surrogates pass (IsValidUtf8 would quarantine them).
      if (!IsLooseUtf8(*f)) {
        Quarantine(line, "invalid_utf8", fmt::format("id {}: a field is not valid UTF-8", p.id));
        return;
      }
    }
    if (!p.date.empty()) {
      std::string_view d = p.date;
      if (d.size() > 10 && (d[10] == 'T' || d[10] == ' ')) d = d.substr(0, 10);
      auto m = ParseMonth(d);
      if (!m.ok()) {
        Quarantine(line, "bad_date",
                   fmt::format("date \"{}\": {}", Truncated(p.date), m.status().message()));
        return;
      }
      p.month = *m;
    }
    auto [it, inserted] = first_by_id_.emplace(p.id, set_.posts.size());
    if (!inserted) {
      const Post& first = set_.posts[it->second];
      bool same = first.community == p.community && first.source == p.source &&
                  first.date == p.date && first.text == p.text && first.topic == p.topic &&
                  first.viewpoint == p.viewpoint && first.stance == p.stance;
      Quarantine(line, same ? "duplicate_row" : "conflicting_duplicate",
                 fmt::format("id {} first seen on line {}", p.id, first.line));
      return;
    }
    ++set_.accounting.rows_read;
    ++set_.accounting.rows_accepted;
    set_.posts.push_back(std::move(p));
  }

  PostSet Take() { return std::move(set_); }

 private:
  std::string file_;
  PostFields fields_;
  PostSet set_;
  std::unordered_map<std::string, size_t> first_by_id_;
};

std::string ScalarText(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number()) return v.dump();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return "";
}

void ReadJsonLines(std::string_view content, Builder* b) {
  size_t pos = 0;
  int64_t line_no = 0;
  while (pos < content.size()) {
    size_t end = content.find('\n', pos);
    if (end == std::string_view::npos) end = content.size();
    std::string_view line = content.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (Trim(line).empty()) continue;
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
      b->Quarantine(line_no, "malformed_row", "not valid JSON");
      continue;
    }
    if (!j.is_object()) {
      b->Quarantine(line_no, "malformed_row", "a line must be a JSON object");
      continue;
    }
    std::unordered_map<std::string, std::string> values;
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.value().is_object() || it.value().is_array()) continue;
      values[Canonical(it.key())] = ScalarText(it.value());
    }
    b->Add(line_no, values);
  }
}

// Splits delimited text into records of fields. CSV honours RFC 4180 quotes
// (fields may span lines); TSV does not quote. Each record keeps its first
// line number. `error` is set for a record with an unterminated quote.
struct Record {
  int64_t line;
  Fields fields;
  bool unterminated = false;
};

std::vector<Record> SplitDelimited(std::string_view content, char delim, bool quoting) {
  std::vector<Record> records;
  size_t pos = 0;
  int64_t line_no = 1;
  while (pos < content.size()) {
    Record rec;
    rec.line = line_no;
    std::string field;
    bool in_quotes = false;
    bool done = false;
    while (!done) {
      if (pos >= content.size()) {
        if (in_quotes) rec.unterminated = true;
        rec.fields.push_back(std::move(field));
        break;
      }
      char c = content[pos++];
      if (in_quotes) {
        if (c == '"') {
          if (pos < content.size() && content[pos] == '"') {
            field += '"';
            ++pos;
          } else {
            in_quotes = false;
          }
        } else {
          if (c == '\n') ++line_no;
          field += c;
        }
      } else if (quoting && c == '"' && field.empty()) {
        in_quotes = true;
      } else if (c == delim) {
        rec.fields.push_back(std::move(field));
        field.clear();
      } else if (c == '\n') {
        ++line_no;
        if (!field.empty() && field.back() == '\r') field.pop_back();
        rec.fields.push_back(std::move(field));
        done = true;
      } else {
        field += c;
      }
    }
    bool blank = rec.fields.size() == 1 && rec.fields[0].empty();
    if (!blank) records.push_back(std::move(rec));
  }
  return records;
}

Status ReadDelimited(const std::string& path, std::string_view content, char delim, bool quoting,
                     Builder* b) {
  std::vector<Record> records = SplitDelimited(content, delim, quoting);
  if (records.empty()) return DataError(fmt::format("{}: no header row", path));
  std::vector<std::string> names;
  for (const auto& h : records[0].fields) names.push_back(Canonical(h));
  if (std::find(names.begin(), names.end(), "text") == names.end()) {
    return DataError(fmt::format("{} line 1: header has no \"text\" column", path));
  }
  for (size_t r = 1; r < records.size(); ++r) {
    const Record& rec = records[r];
    if (rec.unterminated) {
      b->Quarantine(rec.line, "malformed_row", "unterminated quoted field");
      continue;
    }
    if (rec.fields.size() != names.size()) {
      b->Quarantine(rec.line, "malformed_row",
                    fmt::format("{} fields, header has {}", rec.fields.size(), names.size()));
      continue;
    }
    std::unordered_map<std::string, std::string> values;
    for (size_t c = 0; c < names.size(); ++c) values[names[c]] = rec.fields[c];
    b->Add(rec.line, values);
  }
  return Status::Ok();
}

}  // namespace

const std::string& LabelOf(const Post& post, const std::string& field) {
  if (field == "viewpoint") return post.viewpoint;
  if (field == "topic") return post.topic;
  return post.stance;
}

StatusOr<PostSet> ReadPosts(const std::string& path, const PostFields& fields) {
  if (!fields.label_field.empty() && fields.label_field != "stance" &&
      fields.label_field != "viewpoint" && fields.label_field != "topic") {
    return InvalidArgument(
        fmt::format("label field \"{}\": expected stance, viewpoint or topic", fields.label_field));
  }
  std::string lower = Lower(path);
  auto ends = [&](std::string_view suf) {
    return lower.size() >= suf.size() &&
           lower.compare(lower.size() - suf.size(), suf.size(), suf) == 0;
  };
  const bool json = ends(".jsonl") || ends(".json") || ends(".ndjson");
  const bool csv = ends(".csv");
  if (!json && !csv && !ends(".tsv") && !ends(".txt")) {
    return InvalidArgument(
        fmt::format("{}: unknown input format; expected .jsonl, .csv or .tsv", path));
  }
  auto content_or = ReadFile(path);
  if (!content_or.ok()) return content_or.status();
  std::string_view content = *content_or;
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  Builder b(path, fields);
  if (json) {
    ReadJsonLines(content, &b);
  } else if (csv) {
    TF_RETURN_IF_ERROR(ReadDelimited(path, content, ',', true, &b));
  } else {
    TF_RETURN_IF_ERROR(ReadDelimited(path, content, '\t', false, &b));
  }
  return b.Take();
}

std::string QuarantineCsv(const std::vector<QuarantineEntry>& entries) {
  std::string out = "file,line,reason,detail\n";
  for (const auto& e : entries) {
    AppendCsvField(out, e.file);
    out += fmt::format(",{},", e.line);
    AppendCsvField(out, e.reason);
    out += ',';
    AppendCsvField(out, e.detail);
    out += '\n';
  }
  return out;
}

}  // namespace talentflow::text
