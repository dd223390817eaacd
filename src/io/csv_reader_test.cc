#include "io/csv_reader.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <mutex>
#include <random>

#include "io/file_util.h"

namespace talentflow {
namespace {
namespace fs = std::filesystem;

struct Row {
  std::vector<std::string> fields;
  std::string raw;
  int64_t line = 0;
  uint64_t offset = 0;
  bool malformed = false;
  std::string error;
  bool operator==(const Row& o) const {
    return fields == o.fields && raw == o.raw && line == o.line && offset == o.offset &&
           malformed == o.malformed && error == o.error;
  }
};

class CollectSink : public CsvChunkSink {
 public:
  void OnRecord(const CsvRecord& rec) override {
    Row row;
    for (size_t i = 0; i < rec.num_fields; ++i) row.fields.emplace_back(rec.fields[i]);
    row.raw = std::string(rec.raw);
    row.line = rec.line_in_chunk;
    row.offset = rec.offset;
    row.malformed = rec.malformed;
    row.error = rec.error;
    rows.push_back(std::move(row));
  }
  std::vector<Row> rows;
};

// Parses `text` (header + body) and returns the records with absolute lines.
std::vector<Row> ParseAll(const std::string& text, int threads = 1,
                          size_t chunk_bytes = size_t{16} << 20, bool fast_path = true) {
  CsvFile file = CsvFile::FromString(text);
  StatusOr<CsvHeader> header = ParseCsvHeader(file.data(), "t.csv");
  EXPECT_TRUE(header.ok()) << header.status().message();
  if (!header.ok()) return {};
  CsvParseOptions options;
  options.column_names = header->names;
  options.threads = threads;
  options.chunk_bytes = chunk_bytes;
  options.window = 3;
  options.fast_path = fast_path;
  std::vector<Row> out;
  Status s = ParseCsvBody(
      file, header->body_begin, header->body_line, options,
      [] { return std::make_unique<CollectSink>(); },
      [&](std::unique_ptr<CsvChunkSink> sink, const CsvChunkInfo& info) {
        for (Row& r : static_cast<CollectSink*>(sink.get())->rows) {
          r.line += info.first_line;
          out.push_back(std::move(r));
        }
        return Status::Ok();
      });
  EXPECT_TRUE(s.ok());
  return out;
}

TEST(CsvReaderTest, QuotingEdgeCases) {
  std::string text =
      "\xEF\xBB\xBF"
      "id, name ,note\r\n"
      "1,\"Smith, John\",\"He said \"\"hi\"\"\"\r\n"
      "2,\"two\nlines\",\"\"\r\n"
      "3,plain,\n"
      "4,\"\",\"a\r\nb\"";
  std::vector<Row> rows = ParseAll(text);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].fields, (std::vector<std::string>{"1", "Smith, John", "He said \"hi\""}));
  EXPECT_EQ(rows[0].line, 2);
  EXPECT_EQ(rows[0].raw, "1,\"Smith, John\",\"He said \"\"hi\"\"\"");
  EXPECT_EQ(rows[1].fields, (std::vector<std::string>{"2", "two\nlines", ""}));
  EXPECT_EQ(rows[1].line, 3);
  EXPECT_EQ(rows[2].fields, (std::vector<std::string>{"3", "plain", ""}));
  EXPECT_EQ(rows[2].line, 5);
  EXPECT_EQ(rows[3].fields, (std::vector<std::string>{"4", "", "a\r\nb"}));
  EXPECT_EQ(rows[3].line, 6);
  for (const Row& r : rows) EXPECT_FALSE(r.malformed) << r.error;
}

TEST(CsvReaderTest, HeaderBomAndNames) {
  CsvFile file = CsvFile::FromString("\xEF\xBB\xBF user_id ,\"b,c\"\nx,y\n");
  StatusOr<CsvHeader> h = ParseCsvHeader(file.data(), "f.csv");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->names, (std::vector<std::string>{"user_id", "b,c"}));
  EXPECT_EQ(h->body_line, 2);
  EXPECT_FALSE(ParseCsvHeader("", "f.csv").ok());
  EXPECT_EQ(ParseCsvHeader("a,,b\n", "f.csv").status().message(),
            "f.csv: header: column 2 has no name");
  EXPECT_FALSE(ParseCsvHeader("a,\"b\n", "f.csv").ok());
}

TEST(CsvReaderTest, RowErrors) {
  std::string big(kMaxCsvFieldBytes + 1, 'x');
  std::string text =
      "a,b,c\n"
      "1,2\n"                   // wrong count
      "1,x\"y,3\n"              // quote in unquoted field
      "1,\"x\"y,3\n"            // text after closing quote
      "1,ok\xFF,3\n"            // invalid UTF-8
      "1,\xE4\xB8\xAD\xE6,3\n"  // truncated 3-byte sequence after one char
      "1," +
      big +
      ",3\n"
      "\n"  // blank line: skipped
      "7,8,9\n"
      "1,\"open,3\nmore";  // unterminated at end of file
  std::vector<Row> rows = ParseAll(text);
  ASSERT_EQ(rows.size(), 8u);
  EXPECT_EQ(rows[0].error, "expected 3 fields, found 2");
  EXPECT_EQ(rows[1].error, "quote inside unquoted field in column b");
  EXPECT_EQ(rows[1].fields[1], "x\"y");
  EXPECT_EQ(rows[2].error, "text after closing quote in column b");
  EXPECT_EQ(rows[3].error, "invalid UTF-8 at byte 3 of column b");
  EXPECT_EQ(rows[4].error, "invalid UTF-8 at byte 4 of column b");
  EXPECT_EQ(rows[5].error,
            fmt::format("field of {} bytes in column b exceeds the limit of 1 MiB", big.size()));
  EXPECT_FALSE(rows[6].malformed);
  EXPECT_EQ(rows[6].line, 9);
  EXPECT_EQ(rows[7].error, "unterminated quoted field in column b");
  EXPECT_EQ(rows[7].line, 10);
  for (int i : {0, 1, 2, 3, 4, 5, 7}) EXPECT_TRUE(rows[i].malformed) << i;
}

TEST(CsvReaderTest, Utf8Validator) {
  EXPECT_EQ(FindInvalidUtf8("plain ascii text over eight bytes"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("香港 中文"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("\xF0\x9F\x98\x80"), std::string_view::npos);  // emoji
  EXPECT_EQ(FindInvalidUtf8("ab\xC0\xAF"), 2u);                            // overlong
  EXPECT_EQ(FindInvalidUtf8("\xED\xA0\x80"), 0u);                          // surrogate
  EXPECT_EQ(FindInvalidUtf8("abcdefghij\x80"), 10u);
}

std::string RandomCsv(std::mt19937_64& rng, int rows) {
  const char* pieces[] = {"abc", "\"q,uo\"\"te\"", "\"multi\nline\"", "", "中文",
                          "x y", "\"\"",           "\"\n\n\""};
  std::string text = "a,b,c,d\n";
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < 4; ++c) {
      if (c > 0) text += ',';
      text += pieces[rng() % std::size(pieces)];
    }
    text += (rng() % 3 == 0) ? "\r\n" : "\n";
  }
  return text;
}

TEST(CsvReaderTest, ParallelChunksGiveTheSequentialResult) {
  std::mt19937_64 rng(7);
  std::string text = RandomCsv(rng, 1500);
  std::vector<Row> want = ParseAll(text, 1, text.size() + 1);
  ASSERT_EQ(want.size(), 1500u);
  for (size_t chunk : {3, 64, 1000}) {
    for (int threads : {1, 2, 3}) {
      EXPECT_TRUE(ParseAll(text, threads, chunk) == want) << chunk << " " << threads;
    }
  }
}

// CsvParseOptions::hash receives every byte of the data (header included)
// in order, whatever the chunking and the threads, and also when consume()
// stops the parse early.
TEST(CsvReaderTest, HashWhileParsingIsTheWholeDataInOrder) {
  std::mt19937_64 rng(11);
  const std::string text = RandomCsv(rng, 800);
  const std::string want = Sha256Hex(text);
  CsvFile file = CsvFile::FromString(text);
  StatusOr<CsvHeader> header = ParseCsvHeader(file.data(), "t.csv");
  ASSERT_TRUE(header.ok()) << header.status().message();
  for (size_t chunk : {size_t{1}, size_t{7}, size_t{500}, text.size(), text.size() + 9}) {
    for (int threads : {1, 2, 3}) {
      for (int stop_after : {-1, 0, 3}) {
        Sha256Stream sha;
        CsvParseOptions options;
        options.column_names = header->names;
        options.threads = threads;
        options.chunk_bytes = chunk;
        options.window = 3;
        options.hash = &sha;
        int consumed = 0;
        Status s = ParseCsvBody(
            file, header->body_begin, header->body_line, options,
            [] { return std::make_unique<CollectSink>(); },
            [&](std::unique_ptr<CsvChunkSink>, const CsvChunkInfo&) {
              return consumed++ == stop_after ? Internal("stop") : Status::Ok();
            });
        EXPECT_EQ(s.ok(), stop_after < 0 || consumed <= stop_after);
        EXPECT_EQ(sha.HexDigest(), want) << chunk << " " << threads << " " << stop_after;
      }
    }
  }
}

TEST(CsvReaderTest, FuzzRandomBytesNeverCrashAndMatchSequential) {
  std::mt19937_64 rng(12345);
  const char alphabet[] = {'a', ',', '"', '\n', '\r', ' ', '\xE4', '\xB8', '\xAD', '\xFF', 'b'};
  for (int iter = 0; iter < 300; ++iter) {
    std::string text = "h1,h2,h3\n";
    size_t len = rng() % 400;
    for (size_t i = 0; i < len; ++i) text += alphabet[rng() % sizeof(alphabet)];
    std::vector<Row> want = ParseAll(text, 1, text.size() + 1);
    EXPECT_TRUE(ParseAll(text, 2, 1 + rng() % 50) == want) << iter;
  }
}

// Random records built from fields of every kind the grammar knows: plain,
// quoted, quoted with doubled quotes, commas and line feeds inside quotes,
// CRLF endings, blank lines, non-ASCII and invalid UTF-8, stray quotes,
// text after a closing quote, wrong field counts, an unterminated quote.
// Three fields in `modulus` (on average) are not plain.
std::string RandomRecords(std::mt19937_64& rng, int records, uint64_t modulus = 10) {
  const char* plain[] = {
      "",         "a",        "Hong Kong", "2019-12", "12345678901234567890123", "香港", "x y",
      " padded ", "\xE4\xB8", "\xFF",      "a\rb",    "long value number 42"};
  const char* quoted[] = {
      "\"\"",     "\"a,b\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"", "\"香港, 九龍\"",
      "\"\"\"\"", "\"a\"x",  "\"unterminated",     "\"a\"\"",        "\"\r\""};
  std::string text = "h1,h2,h3\n";
  for (int r = 0; r < records; ++r) {
    int fields = rng() % 10 == 0 ? 2 + static_cast<int>(rng() % 3) : 3;
    for (int f = 0; f < fields; ++f) {
      if (f > 0) text += ',';
      switch (rng() % modulus) {
        case 0:
          text += quoted[rng() % (sizeof(quoted) / sizeof(quoted[0]))];
          break;
        case 1:
          text += "a\"b";  // a quote inside an unquoted field
          break;
        case 2: {
          std::string long_quoted(2 + rng() % 100, 'q');
          long_quoted.front() = long_quoted.back() = '"';
          text += long_quoted;
        } break;
        default:
          text += plain[rng() % (sizeof(plain) / sizeof(plain[0]))];
      }
    }
    switch (rng() % 8) {
      case 0:
        text += "\r\n";
        break;
      case 1:
        text += "\n\n";
        break;
      case 2:
        text += "\r\n\r\n";
        break;
      default:
        text += '\n';
    }
  }
  if (rng() % 2 == 0) text.resize(text.size() - 1);  // no final line feed
  return text;
}

TEST(CsvReaderTest, FastPathGivesExactlyWhatTheGeneralParserGives) {
  std::mt19937_64 rng(2026);
  for (int iter = 0; iter < 400; ++iter) {
    std::string text = RandomRecords(rng, 1 + static_cast<int>(rng() % 120));
    std::vector<Row> want = ParseAll(text, 1, text.size() + 1, /*fast_path=*/false);
    ASSERT_TRUE(ParseAll(text, 1, text.size() + 1, /*fast_path=*/true) == want) << iter;
    ASSERT_TRUE(ParseAll(text, 2, 1 + rng() % 300, /*fast_path=*/true) == want) << iter;
  }
  // Mostly plain fields, so that many 64-byte windows hold no quote at all
  // (the fast path's quote-free loop), with CRLF endings, invalid UTF-8 and
  // blank lines still among them.
  for (int iter = 0; iter < 300; ++iter) {
    std::string text = RandomRecords(rng, 1 + static_cast<int>(rng() % 200), 120);
    std::vector<Row> want = ParseAll(text, 1, text.size() + 1, /*fast_path=*/false);
    ASSERT_TRUE(ParseAll(text, 1, text.size() + 1, /*fast_path=*/true) == want) << iter;
    ASSERT_TRUE(ParseAll(text, 2, 1 + rng() % 300, /*fast_path=*/true) == want) << iter;
  }
  // Random bytes too.
  const char alphabet[] = {'a', ',', '"', '\n', '\r', ' ', '\xE4', '\xB8', '\xAD', '\xFF', 'b'};
  for (int iter = 0; iter < 300; ++iter) {
    std::string text = "h1,h2,h3\n";
    size_t len = rng() % 600;
    for (size_t i = 0; i < len; ++i) text += alphabet[rng() % sizeof(alphabet)];
    std::vector<Row> want = ParseAll(text, 1, text.size() + 1, /*fast_path=*/false);
    ASSERT_TRUE(ParseAll(text, 1, text.size() + 1, /*fast_path=*/true) == want) << iter;
  }
}

// Records as most real files hold them: plain fields, some quoted with
// commas inside (long enough to span 64-byte windows), now and then a quote
// doubled, a line feed inside quotes, CRLF, a record of several KiB (past
// the plain path's limit), a field too many or too few. Thousands of
// records, so the parser's lists of separators wrap many times.
std::string CommonRecords(std::mt19937_64& rng, int records) {
  std::string text = "a,b,c,d\n";
  for (int r = 0; r < records; ++r) {
    const int fields = rng() % 50 == 0 ? 3 + static_cast<int>(rng() % 3) : 4;
    for (int f = 0; f < fields; ++f) {
      if (f > 0) text += ',';
      switch (rng() % 16) {
        case 0:
        case 1:
        case 2: {
          text += '"';
          text.append(rng() % 90, 'q');
          text += ", ";
          text.append(rng() % 90, 'r');
          text += '"';
        } break;
        case 3:
          text += rng() % 10 == 0 ? "\"say \"\"hi\"\"\"" : "\"two\nlines\"";
          break;
        case 4:
          text += rng() % 20 == 0 ? std::string(4000 + rng() % 2000, 'L') : "\xE9\xA6\x99";
          break;
        case 5:
          text += rng() % 10 == 0 ? "\xFF" : "\"\"";
          break;
        default:
          text += std::string(rng() % 30, static_cast<char>('a' + f));
      }
    }
    text += rng() % 6 == 0 ? "\r\n" : rng() % 40 == 0 ? "\n\n" : "\n";
  }
  return text;
}

TEST(CsvReaderTest, CommonRecordsGiveExactlyWhatTheGeneralParserGives) {
  std::mt19937_64 rng(7);
  for (int iter = 0; iter < 12; ++iter) {
    std::string text = CommonRecords(rng, 500 + static_cast<int>(rng() % 2500));
    std::vector<Row> want = ParseAll(text, 1, text.size() + 1, /*fast_path=*/false);
    ASSERT_GT(want.size(), 400u);
    ASSERT_TRUE(ParseAll(text, 1, text.size() + 1, /*fast_path=*/true) == want) << iter;
    ASSERT_TRUE(ParseAll(text, 2, 1 + rng() % 20000, /*fast_path=*/true) == want) << iter;
  }
}

class CsvFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / fmt::format("tf_csv_{}", ::getpid());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Gzip(const std::string& text) {
    uLongf bound = compressBound(text.size()) + 64;
    std::string out(bound, '\0');
    z_stream zs{};
    deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    zs.avail_in = text.size();
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = out.size();
    deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
  }
  fs::path dir_;
};

TEST_F(CsvFileTest, PlainGzipAndErrors) {
  std::string text = "a,b\n1,2\n";
  ASSERT_TRUE(WriteFileAtomic(dir_ / "t.csv", text).ok());
  StatusOr<CsvFile> plain = CsvFile::Open(dir_ / "t.csv");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->data(), text);
  EXPECT_FALSE(plain->gzipped());

  std::string gz = Gzip(text);
  ASSERT_TRUE(WriteFileAtomic(dir_ / "t.csv.gz", gz + Gzip("3,4\n")).ok());  // two members
  StatusOr<CsvFile> zipped = CsvFile::Open(dir_ / "t.csv.gz");
  ASSERT_TRUE(zipped.ok()) << zipped.status().message();
  EXPECT_EQ(zipped->data(), text + "3,4\n");
  EXPECT_TRUE(zipped->gzipped());
  CsvFile moved = std::move(*zipped);
  EXPECT_EQ(moved.data(), text + "3,4\n");

  ASSERT_TRUE(WriteFileAtomic(dir_ / "cut.csv.gz", gz.substr(0, gz.size() / 2)).ok());
  StatusOr<CsvFile> cut = CsvFile::Open(dir_ / "cut.csv.gz");
  ASSERT_FALSE(cut.ok());
  EXPECT_NE(cut.status().message().find("cut.csv.gz: unreadable gzip"), std::string::npos);

  ASSERT_TRUE(WriteFileAtomic(dir_ / "fake.csv.gz", text).ok());
  EXPECT_FALSE(CsvFile::Open(dir_ / "fake.csv.gz").ok());
  StatusOr<CsvFile> missing = CsvFile::Open(dir_ / "none.csv");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST(CsvWriterTest, AppendCsvFieldQuotesWhenNeeded) {
  std::string out;
  AppendCsvField(out, "plain");
  out += ',';
  AppendCsvField(out, "a,\"b\"\nc");
  EXPECT_EQ(out, "plain,\"a,\"\"b\"\"\nc\"");
}

// Found by the csv_lite fuzzer's round trip: a record of one empty field was
// written as a blank line, which readers skip.
TEST(CsvWriterTest, EndCsvRecordQuotesALoneEmptyField) {
  std::string out = "name\n";
  size_t begin = out.size();
  AppendCsvField(out, "");
  EndCsvRecord(out, begin);
  begin = out.size();
  AppendCsvField(out, "x");
  EndCsvRecord(out, begin);
  begin = out.size();
  AppendCsvField(out, "");
  out += ',';
  AppendCsvField(out, "");
  EndCsvRecord(out, begin);
  EXPECT_EQ(out, "name\n\"\"\nx\n,\n");
}

}  // namespace
}  // namespace talentflow
