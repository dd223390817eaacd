#include "io/csv_reader.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>

#include "common/utf8.h"
#include "io/file_util.h"

namespace talentflow {
namespace fs = std::filesystem;

// ---------------------------------------------------------------- CsvFile

CsvFile::CsvFile(CsvFile&& other) noexcept { *this = std::move(other); }

CsvFile& CsvFile::operator=(CsvFile&& other) noexcept {
  if (this == &other) return *this;
  Reset();
  bool data_is_owned = other.map_ == nullptr;
  bool stored_is_owned_stored = other.gzipped_;
  owned_ = std::move(other.owned_);
  owned_stored_ = std::move(other.owned_stored_);
  map_ = other.map_;
  map_size_ = other.map_size_;
  gzipped_ = other.gzipped_;
  if (data_is_owned) {
    data_ = owned_;
  } else {
    data_ = other.data_;
  }
  if (stored_is_owned_stored) {
    stored_ = owned_stored_;
  } else {
    stored_ = data_;
  }
  other.map_ = nullptr;
  other.map_size_ = 0;
  other.data_ = {};
  other.stored_ = {};
  other.gzipped_ = false;
  return *this;
}

CsvFile::~CsvFile() { Reset(); }

void CsvFile::Reset() {
  if (map_ != nullptr) ::munmap(map_, map_size_);
  map_ = nullptr;
  map_size_ = 0;
  data_ = {};
  stored_ = {};
  owned_.clear();
  owned_stored_.clear();
  gzipped_ = false;
}

CsvFile CsvFile::FromString(std::string content) {
  CsvFile file;
  file.owned_ = std::move(content);
  file.data_ = file.owned_;
  file.stored_ = file.data_;
  return file;
}

namespace {

Status ReadAll(int fd, size_t size, std::string* out, const fs::path& path) {
  out->resize(size);
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::read(fd, out->data() + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError(fmt::format("{}: read failed: {}", path.string(), std::strerror(errno)));
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  out->resize(done);
  return Status::Ok();
}

// Decompresses every gzip member of `in` (concatenated members are legal).
Status Gunzip(std::string_view in, std::string* out, const fs::path& path) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK)
    return Internal(fmt::format("{}: zlib initialisation failed", path.string()));
  out->clear();
  size_t capacity = std::max<size_t>(in.size() * 4, 1 << 16);
  out->resize(capacity);
  size_t produced = 0;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  size_t in_left = in.size();
  Status status;
  while (true) {
    if (produced == out->size()) out->resize(out->size() * 2);
    // zlib counts in uInt; feed at most 1 GiB at a time.
    uInt in_step = static_cast<uInt>(std::min<size_t>(in_left, size_t{1} << 30));
    uInt out_step = static_cast<uInt>(std::min<size_t>(out->size() - produced, size_t{1} << 30));
    zs.avail_in = in_step;
    zs.next_out = reinterpret_cast<Bytef*>(out->data() + produced);
    zs.avail_out = out_step;
    int rc = inflate(&zs, Z_NO_FLUSH);
    in_left -= in_step - zs.avail_in;
    produced += out_step - zs.avail_out;
    if (rc == Z_STREAM_END) {
      // Skip trailing zero padding; another member may follow.
      while (in_left > 0 && *zs.next_in == 0) {
        ++zs.next_in;
        --in_left;
      }
      if (in_left == 0) break;
      inflateReset(&zs);
      continue;
    }
    if (rc == Z_BUF_ERROR && in_left == 0) {
      status = DataError(fmt::format("{}: unreadable gzip: the file is truncated", path.string()));
      break;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      status = DataError(fmt::format("{}: unreadable gzip: {}", path.string(),
                                     zs.msg != nullptr ? zs.msg : "corrupt data"));
      break;
    }
    if (rc == Z_OK && in_left == 0 && zs.avail_out != 0) {
      status = DataError(fmt::format("{}: unreadable gzip: the file is truncated", path.string()));
      break;
    }
  }
  inflateEnd(&zs);
  if (!status.ok()) return status;
  out->resize(produced);
  out->shrink_to_fit();
  return Status::Ok();
}

}  // namespace

StatusOr<CsvFile> CsvFile::Open(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) return NotFound(fmt::format("{}: no such file", path.string()));
    return IoError(fmt::format("{}: cannot open: {}", path.string(), std::strerror(err)));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return IoError(fmt::format("{}: not a regular file", path.string()));
  }
  size_t size = static_cast<size_t>(st.st_size);
  unsigned char magic[2] = {0, 0};
  bool gzip = size >= 2 && ::pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  bool named_gz = path.extension() == ".gz";
  CsvFile file;
  if (gzip || named_gz) {
    if (!gzip) {
      ::close(fd);
      return DataError(fmt::format("{}: unreadable gzip: not in gzip format", path.string()));
    }
    Status s = ReadAll(fd, size, &file.owned_stored_, path);
    ::close(fd);
    TF_RETURN_IF_ERROR(s);
    file.gzipped_ = true;
    file.stored_ = file.owned_stored_;
    TF_RETURN_IF_ERROR(Gunzip(file.stored_, &file.owned_, path));
    file.data_ = file.owned_;
    return file;
  }
  if (size == 0) {
    ::close(fd);
    return file;
  }
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (map == MAP_FAILED) {
    // Fall back to reading (e.g. a file system without mmap).
    Status s = ReadAll(fd, size, &file.owned_, path);
    ::close(fd);
    TF_RETURN_IF_ERROR(s);
    file.data_ = file.owned_;
    file.stored_ = file.data_;
    return file;
  }
  ::close(fd);
  file.map_ = map;
  file.map_size_ = size;
  file.data_ = std::string_view(static_cast<const char*>(map), size);
  file.stored_ = file.data_;
  return file;
}

void CsvFile::Release(size_t begin, size_t end) const {
  if (map_ == nullptr) return;
  size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  size_t first = (begin + page - 1) / page * page;
  size_t last = std::min(end, map_size_) / page * page;
  if (last > first) ::madvise(static_cast<char*>(map_) + first, last - first, MADV_DONTNEED);
}

void AppendCsvField(std::string& out, std::string_view value) {
  bool quote = value.find_first_of(",\"\r\n") != std::string_view::npos ||
               (!value.empty() && (value.front() == ' ' || value.back() == ' '));
  if (!quote) {
    out.append(value);
    return;
  }
  out.push_back('"');
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void EndCsvRecord(std::string& out, size_t record_begin) {
  if (out.size() == record_begin) out.append("\"\"");
  out.push_back('\n');
}

// ---------------------------------------------------------------- parser

namespace {

struct SpecialTable {
  std::array<bool, 256> is{};
  constexpr SpecialTable() {
    is[static_cast<unsigned char>(',')] = true;
    is[static_cast<unsigned char>('\n')] = true;
    is[static_cast<unsigned char>('"')] = true;
  }
};
constexpr SpecialTable kSpecial;

// Parses records one at a time from a byte range. Not thread-safe; each
// thread uses its own parser.
class RecordParser {
 public:
  RecordParser(std::string_view data, const std::vector<std::string>* names)
      : d_(data.data()),
        n_(data.size()),
        names_(names),
        expected_(names != nullptr ? names->size() : 0) {}

  // Skips blank lines at `*pos`; returns false when `*pos` reaches `limit`
  // (or the end) before a record starts. Counts skipped line feeds.
  bool SkipBlank(size_t* pos, size_t limit, int64_t* newlines) const {
    size_t p = *pos;
    while (p < limit && p < n_) {
      if (d_[p] == '\n') {
        ++p;
        ++*newlines;
      } else if (d_[p] == '\r' && p + 1 < n_ && d_[p + 1] == '\n') {
        p += 2;
        ++*newlines;
      } else {
        break;
      }
    }
    *pos = p;
    return p < limit && p < n_;
  }

  // The path for common records, tried first: the positions of the commas
  // and line feeds outside quotes, and of every quote, are listed ahead of
  // the records, 64 bytes at a time (ScanWindow), so a record is its line
  // feed (the first listed at or after `pos`) and the expected number of
  // commas before it (two compares), and a field is a view between two
  // listed positions. A quoted field must hold no other quote (no "" inside)
  // and no line feed; a record with anything else (or whose field count is
  // not the header's, with invalid UTF-8, near the end of the data, over
  // kPlainRecordBytes) is left to ParseFast: false, nothing changed but
  // `rec`. Otherwise the record is exactly what ParseFast gives.
  //
  // Inside quotes or not is carried from window to window as in ParseFast.
  // The lists start at a record's start, and each record given here has
  // balanced quotes, so the state is right at the next record's start; after
  // a record given elsewhere the lists start again.
  bool ParsePlain(size_t pos, CsvRecord* rec, int64_t* newlines, size_t* next) {
    if (expected_ == 0 || expected_ > kPlainRecordBytes) return false;
    if (index_.comma.empty()) index_.Allocate();
    if (pos != given_end_ || pos > scanned_ || pos - origin_ > kMaxIndexOffset) RestartIndex(pos);
    Index& x = index_;
    const uint32_t at = static_cast<uint32_t>(pos - origin_);
    // Separators before `pos` belong to blank lines skipped since the last
    // record.
    while (x.lf_head < x.lf_tail && x.lf[x.lf_head] < at) ++x.lf_head;
    while (x.lf_head == x.lf_tail) {
      if (scanned_ - pos > kPlainRecordBytes || !ScanWindow()) return false;
    }
    // The window holding the line feed is listed whole, so every comma and
    // quote before it is too.
    const uint32_t lf = x.lf[x.lf_head];
    while (x.lf_in_head < x.lf_in_tail && x.lf_in[x.lf_in_head].last < at) ++x.lf_in_head;
    if (x.lf_in_head < x.lf_in_tail && x.lf_in[x.lf_in_head].first < lf) return false;
    const size_t commas = expected_ - 1;
    if (x.comma_tail - x.comma_head < commas) return false;
    const uint32_t* comma = x.comma.data() + x.comma_head;
    if (commas > 0 && comma[commas - 1] > lf) return false;                        // fewer fields
    if (x.comma_head + commas < x.comma_tail && comma[commas] < lf) return false;  // more fields
    const char* base = d_ + origin_;
    if (fast_views_.empty()) fast_views_.resize(kFastViews);
    std::string_view* const out = fast_views_.data();
    uint32_t b = at;
    uint32_t line_end = lf;
    const uint32_t* quote = x.quote.data() + x.quote_head;
    const uint32_t* const quote_end = x.quote.data() + x.quote_tail;
    if (quote == quote_end || *quote > lf) {
      for (size_t i = 0; i < commas; ++i) {
        out[i] = std::string_view(base + b, comma[i] - b);
        b = comma[i] + 1;
      }
      uint32_t e = lf;
      if (e > b && base[e - 1] == '\r') --e;
      out[commas] = std::string_view(base + b, e - b);
    } else {
      // A field holding a quote must be quoted: its first and last bytes
      // (before a carriage return ending the line), and no other.
      auto field = [&](size_t i, uint32_t e, bool last) {
        if (quote == quote_end || *quote >= e) {
          if (last && e > b && base[e - 1] == '\r') --e;
          out[i] = std::string_view(base + b, e - b);
          return true;
        }
        if (*quote != b) return false;
        if (last && e > b + 1 && base[e - 1] == '\r') {
          --e;
          line_end = e;
        }
        ++quote;
        if (quote == quote_end || *quote != e - 1 || e - 1 == b) return false;
        ++quote;
        out[i] = std::string_view(base + b + 1, e - b - 2);
        return true;
      };
      for (size_t i = 0; i < commas; ++i) {
        if (!field(i, comma[i], false)) return false;
        b = comma[i] + 1;
      }
      if (!field(commas, lf, true)) return false;
    }
    rec->raw = std::string_view(base + at, line_end - at);
    while (x.high_head < x.high_tail && x.high[x.high_head].last < at) ++x.high_head;
    if (x.high_head < x.high_tail && x.high[x.high_head].first < lf &&
        FindInvalidUtf8(rec->raw) != std::string_view::npos)
      return false;
    x.comma_head += static_cast<uint32_t>(commas);
    ++x.lf_head;
    x.quote_head = static_cast<uint32_t>(quote - x.quote.data());
    window_valid_ = false;  // ParseFast's window no longer follows the records
    given_end_ = origin_ + lf + 1;
    SetFields(rec, pos, out, expected_);
    *newlines += 1;
    *next = given_end_;
    return true;
  }

  // The fast path for regular records: finds the record's fields with
  // 64-byte masks of separators and quotes (the quote state carried by a
  // prefix XOR), so a field costs a few bit operations. It accepts only
  // records whose every field is plain or properly quoted, whose field count
  // is the header's, with no field over the limit, and valid UTF-8; then it
  // fills `rec` exactly as Parse() would, sets *next past the record and
  // returns true. Otherwise (including near the end of the data) it returns
  // false having changed nothing but `rec`, and the caller uses Parse().
  bool ParseFast(size_t pos, CsvRecord* rec, int64_t* newlines, size_t* next) {
    if (!window_valid_ || pos < win_.base || pos >= win_.base + 64) {
      if (!LoadWindow(pos, 0)) return false;
    } else {
      win_.sep &= MaskFrom(pos - win_.base);  // separators before pos were consumed
    }
    const size_t expected = expected_;
    // Fields are written through a pointer into a buffer that no record of
    // the fast path can overflow (kFastViews), so a field costs no capacity
    // check.
    if (fast_views_.empty()) fast_views_.resize(kFastViews);
    std::string_view* const first = fast_views_.data();
    std::string_view* out = first;
    escaped_.clear();
    bool high = false;
    int64_t lines = 0;
    uint64_t quotes = 0;  // quotes of the current field in earlier windows
    size_t field = pos;
    // The record's end at separator `sep` (a line feed), its text ending at
    // `line_end`.
    auto finish = [&](size_t sep, size_t line_end) {
      const size_t count = static_cast<size_t>(out - first);
      if (expected != 0 && count != expected) return Fail();
      rec->raw = std::string_view(d_ + pos, line_end - pos);
      if (high && FindInvalidUtf8(rec->raw) != std::string_view::npos) return Fail();
      if (!escaped_.empty() && !Unescape(first)) return Fail();
      SetFields(rec, pos, first, count);
      *newlines += lines + 1;
      *next = sep + 1;
      return true;
    };
    while (true) {
      const size_t rel = field >= win_.base ? field - win_.base : 0;
      if (quotes == 0 && win_.quote == 0 && win_.sep != 0) {
        // No quote in this window (so none opened before it): every
        // separator left in it ends a plain field, and no line feed is
        // quoted. The record's line feed, if it is in this window, is the
        // first line feed bit; the separators before it are commas, so a
        // field costs a bit scan and a view.
        uint64_t sep_bits = win_.sep;
        const uint64_t lf_bits = sep_bits & win_.lf;
        size_t b = field;
        if (lf_bits != 0) {
          const unsigned end = static_cast<unsigned>(__builtin_ctzll(lf_bits));
          const uint64_t below_end = (uint64_t{1} << end) - 1;
          for (uint64_t commas = sep_bits & below_end; commas != 0; commas &= commas - 1) {
            const size_t sep = win_.base + static_cast<unsigned>(__builtin_ctzll(commas));
            *out++ = std::string_view(d_ + b, sep - b);
            b = sep + 1;
          }
          const size_t sep = win_.base + end;
          size_t e = sep;
          if (e > b && d_[e - 1] == '\r') --e;
          *out++ = std::string_view(d_ + b, e - b);
          win_.sep = sep_bits & ~below_end & ~(uint64_t{1} << end);
          high = high || (win_.high & MaskFrom(rel) & ~MaskFrom(end)) != 0;
          return finish(sep, sep);
        }
        for (; sep_bits != 0; sep_bits &= sep_bits - 1) {
          const size_t sep = win_.base + static_cast<unsigned>(__builtin_ctzll(sep_bits));
          *out++ = std::string_view(d_ + b, sep - b);
          b = sep + 1;
        }
        // The record goes on in the next window (loaded below).
        win_.sep = 0;
        high = high || (win_.high & MaskFrom(rel)) != 0;
        field = b;
        continue;
      }
      if (win_.sep == 0) {
        // The field goes on past this window. Long records (or a stray
        // quote that makes the rest of the file look quoted) are left to
        // Parse(), which stops at the line's end.
        if (win_.base + 64 - pos > kFastRecordBytes) return Fail();
        const uint64_t rest = MaskFrom(rel);
        quotes += CountUpTo3(win_.quote & rest);
        lines += CountBits(win_.lf_in & rest);
        high = high || (win_.high & rest) != 0;
        if (!LoadWindow(win_.base + 64, win_.in_end)) return false;
        continue;
      }
      const unsigned bit = static_cast<unsigned>(__builtin_ctzll(win_.sep));
      win_.sep &= win_.sep - 1;
      const size_t sep = win_.base + bit;
      const uint64_t span = MaskFrom(rel) & ~MaskFrom(bit);
      quotes += CountUpTo3(win_.quote & span);
      lines += CountBits(win_.lf_in & span);
      high = high || (win_.high & span) != 0;
      const bool last = d_[sep] == '\n';
      size_t b = field, e = sep;
      if (quotes == 0) {
        if (last && e > b && d_[e - 1] == '\r') --e;
      } else {
        // A quoted field: opens at its first byte, closes at its last (a
        // carriage return may follow at the end of the line); any other
        // quote must be half of a doubled pair (checked when unescaping).
        if (d_[b] != '"') return Fail();
        if (last && e > b + 1 && d_[e - 1] == '\r') --e;
        if (e < b + 2 || d_[e - 1] != '"') return Fail();
        ++b;
        --e;
        if (quotes > 2) escaped_.push_back(static_cast<size_t>(out - first));
      }
      *out++ = std::string_view(d_ + b, e - b);
      quotes = 0;
      if (last) {
        size_t line_end = sep;
        if (d_[field] == '"' && sep > field && d_[sep - 1] == '\r') line_end = sep - 1;
        return finish(sep, line_end);
      }
      field = sep + 1;
    }
  }

  // Parses the record starting at `pos`; returns the position after it.
  // Line feeds consumed (inside quotes and the terminator) go to *newlines.
  size_t Parse(size_t pos, CsvRecord* rec, int64_t* newlines) {
    window_valid_ = false;
    spans_.clear();
    rec->malformed = false;
    rec->error.clear();
    const size_t start = pos;
    size_t line_end = n_;
    bool more = true;
    while (more) {
      Span span{pos, pos, false};
      if (pos < n_ && d_[pos] == '"') {
        size_t p = pos + 1;
        span.b = p;
        bool closed = false;
        while (true) {
          const void* q = std::memchr(d_ + p, '"', n_ - p);
          if (q == nullptr) {
            *newlines += std::count(d_ + p, d_ + n_, '\n');
            span.e = n_;
            pos = n_;
            SetError(rec,
                     fmt::format("unterminated quoted field in {}", ColumnLabel(spans_.size())));
            break;
          }
          size_t qi = static_cast<size_t>(static_cast<const char*>(q) - d_);
          *newlines += std::count(d_ + p, d_ + qi, '\n');
          if (qi + 1 < n_ && d_[qi + 1] == '"') {
            span.escaped = true;
            p = qi + 2;
            continue;
          }
          span.e = qi;
          pos = qi + 1;
          closed = true;
          break;
        }
        if (closed && pos < n_ && d_[pos] != ',' && d_[pos] != '\n' &&
            !(d_[pos] == '\r' && (pos + 1 == n_ || d_[pos + 1] == '\n'))) {
          SetError(rec, fmt::format("text after closing quote in {}", ColumnLabel(spans_.size())));
          size_t p2 = pos;
          while (p2 < n_ && d_[p2] != ',' && d_[p2] != '\n') ++p2;
          span.b = span.b - 1;  // keep the text as written, quotes included
          span.e = p2;
          if (span.e > span.b && d_[span.e - 1] == '\r' && (p2 == n_ || d_[p2] == '\n')) --span.e;
          span.escaped = false;
          pos = p2;
        }
      } else {
        size_t p = pos;
        bool quote_seen = false;
#ifdef __SSE2__
        // Sixteen bytes at a time to the next comma, line feed or quote.
        const __m128i comma = _mm_set1_epi8(',');
        const __m128i lf = _mm_set1_epi8('\n');
        const __m128i quote = _mm_set1_epi8('"');
        while (p + 16 <= n_) {
          __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d_ + p));
          int mask = _mm_movemask_epi8(
              _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, lf)),
                           _mm_cmpeq_epi8(v, quote)));
          if (mask == 0) {
            p += 16;
            continue;
          }
          p += static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
          if (d_[p] != '"') break;
          quote_seen = true;
          ++p;
        }
#endif
        while (p < n_) {
          unsigned char c = static_cast<unsigned char>(d_[p]);
          if (kSpecial.is[c]) {
            if (c != '"') break;
            quote_seen = true;
          }
          ++p;
        }
        if (quote_seen)
          SetError(rec,
                   fmt::format("quote inside unquoted field in {}", ColumnLabel(spans_.size())));
        span.b = pos;
        span.e = p;
        if (span.e > span.b && d_[span.e - 1] == '\r' && (p == n_ || d_[p] == '\n')) --span.e;
        pos = p;
      }
      spans_.push_back(span);
      if (pos >= n_) {
        line_end = n_;
        if (line_end > start && d_[line_end - 1] == '\r') --line_end;
        more = false;
      } else if (d_[pos] == ',') {
        ++pos;
      } else {
        // A line feed, possibly after a carriage return.
        line_end = pos;
        if (d_[pos] == '\r') ++pos;
        if (pos < n_ && d_[pos] == '\n') {
          ++pos;
          ++*newlines;
        }
        more = false;
      }
    }
    rec->raw = std::string_view(d_ + start, line_end - start);
    rec->offset = start;
    Finish(rec);
    return pos;
  }

 private:
  struct Span {
    size_t b, e;
    bool escaped;
  };

  static void SetError(CsvRecord* rec, std::string message) {
    if (rec->malformed) return;
    rec->malformed = true;
    rec->error = std::move(message);
  }

  std::string ColumnLabel(size_t index) const {
    if (names_ != nullptr && index < names_->size())
      return fmt::format("column {}", (*names_)[index]);
    return fmt::format("column {}", index + 1);
  }

  void Finish(CsvRecord* rec) {
    views_.resize(spans_.size());
    scratch_.clear();
    scratch_.reserve(rec->raw.size() + 1);
    for (size_t i = 0; i < spans_.size(); ++i) {
      const Span& s = spans_[i];
      if (!s.escaped) {
        views_[i] = std::string_view(d_ + s.b, s.e - s.b);
        continue;
      }
      size_t from = scratch_.size();
      for (size_t p = s.b; p < s.e; ++p) {
        scratch_.push_back(d_[p]);
        if (d_[p] == '"') ++p;  // the second quote of a doubled pair
      }
      views_[i] = std::string_view(scratch_.data() + from, scratch_.size() - from);
    }
    rec->fields = views_.data();
    rec->num_fields = views_.size();
    if (rec->malformed) return;
    size_t expected = names_ != nullptr ? names_->size() : 0;
    if (expected != 0 && views_.size() != expected) {
      SetError(rec, fmt::format("expected {} fields, found {}", expected, views_.size()));
      return;
    }
    for (size_t i = 0; i < views_.size(); ++i) {
      if (views_[i].size() > kMaxCsvFieldBytes) {
        SetError(rec, fmt::format("field of {} bytes in {} exceeds the limit of 1 MiB",
                                  views_[i].size(), ColumnLabel(i)));
        return;
      }
    }
    if (FindInvalidUtf8(rec->raw) == std::string_view::npos) return;
    for (size_t i = 0; i < views_.size(); ++i) {
      size_t bad = FindInvalidUtf8(views_[i]);
      if (bad != std::string_view::npos) {
        SetError(rec, fmt::format("invalid UTF-8 at byte {} of {}", bad + 1, ColumnLabel(i)));
        return;
      }
    }
  }

  // 64 bytes of the data from `base`: separators (comma, line feed) outside
  // quotes, not yet consumed; all line feeds; quotes; line feeds inside
  // quotes; bytes with the high bit set; and whether the window ends inside
  // quotes.
  struct Window {
    size_t base = 0;
    uint64_t sep = 0, lf = 0, quote = 0, lf_in = 0, high = 0, in_end = 0;
  };

  // The fast path gives up on a record once its text passes this many
  // bytes (checked before each further 64-byte window is read), so a record
  // it accepts has at most kFastRecordBytes + 64 bytes: no field can exceed
  // kMaxCsvFieldBytes there, and at most kFastRecordBytes + 65 fields.
  static constexpr size_t kFastRecordBytes = 16384;
  static constexpr size_t kFastViews = kFastRecordBytes + 128;
  // Records of ParsePlain are at most this long (plus a window); longer
  // ones are ParseFast's.
  static constexpr size_t kPlainRecordBytes = 4096;
  // How far ahead of its window ScanWindow asks for the bytes.
  static constexpr size_t kScanPrefetch = 2048;
  static_assert(kMaxCsvFieldBytes > kFastRecordBytes + 64);

  // Bit counts without a POPCNT instruction (the build targets baseline
  // x86-64): quotes only need 0, 1, 2 or "more"; line feeds inside quotes
  // are rare, so clearing bits one at a time is cheap.
  static uint64_t CountUpTo3(uint64_t x) {
    if (x == 0) return 0;
    x &= x - 1;
    if (x == 0) return 1;
    x &= x - 1;
    return x == 0 ? 2 : 3;
  }
  static int64_t CountBits(uint64_t x) {
    int64_t n = 0;
    for (; x != 0; x &= x - 1) ++n;
    return n;
  }

  static uint64_t MaskFrom(size_t bit) { return bit >= 64 ? 0 : ~uint64_t{0} << bit; }

  bool Fail() {
    window_valid_ = false;
    return false;
  }

  // Bit i of each mask: byte p[i] is a comma, a line feed, a quote, or has
  // its high bit set. REQUIRES: 64 bytes readable at p.
  static void Classify64(const char* p, uint64_t* comma_out, uint64_t* lf_out, uint64_t* quote_out,
                         uint64_t* high_out) {
    uint64_t comma = 0, lf = 0, quote = 0, high = 0;
#ifdef __SSE2__
    const __m128i c = _mm_set1_epi8(',');
    const __m128i l = _mm_set1_epi8('\n');
    const __m128i q = _mm_set1_epi8('"');
    for (int k = 0; k < 4; ++k) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
      const int shift = 16 * k;
      comma |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, c))))
               << shift;
      lf |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, l))))
            << shift;
      quote |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, q))))
               << shift;
      high |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(v))) << shift;
    }
#else
    for (int i = 0; i < 64; ++i) {
      const unsigned char ch = static_cast<unsigned char>(p[i]);
      comma |= static_cast<uint64_t>(ch == ',') << i;
      lf |= static_cast<uint64_t>(ch == '\n') << i;
      quote |= static_cast<uint64_t>(ch == '"') << i;
      high |= static_cast<uint64_t>(ch >= 0x80) << i;
    }
#endif
    *comma_out = comma;
    *lf_out = lf;
    *quote_out = quote;
    *high_out = high;
  }

  // A well-formed record at `pos` (its `raw` already set) for the sink.
  static void SetFields(CsvRecord* rec, size_t pos, const std::string_view* fields, size_t count) {
    rec->offset = pos;
    rec->malformed = false;
    rec->error.clear();
    rec->fields = fields;
    rec->num_fields = count;
  }

  // ParsePlain's lists restart empty at `pos`, a record's start (outside
  // quotes).
  void RestartIndex(size_t pos) {
    origin_ = scanned_ = given_end_ = pos;
    inside_ = 0;
    index_.Clear();
  }

  // Lists the 64 bytes at scanned_ (ParsePlain); false near the end of the
  // data.
  bool ScanWindow() {
    if (scanned_ + 64 > n_) return false;
    index_.MakeRoom();
    // The hardware prefetcher alone leaves the scan waiting on memory: 2 KB
    // ahead took the bare parse of 373 MB from 0.252 to 0.226 CPU-s.
    __builtin_prefetch(d_ + std::min(scanned_ + kScanPrefetch, n_ - 1));
    uint64_t comma, lf, quote, high;
    Classify64(d_ + scanned_, &comma, &lf, &quote, &high);
    const uint32_t rel = static_cast<uint32_t>(scanned_ - origin_);
    auto list = [rel](uint64_t bits, std::vector<uint32_t>& to, uint32_t& tail) {
      uint32_t* out = to.data() + tail;
      for (; bits != 0; bits &= bits - 1)
        *out++ = rel + static_cast<uint32_t>(__builtin_ctzll(bits));
      tail = static_cast<uint32_t>(out - to.data());
    };
    auto span = [rel](uint64_t bits) {
      return Index::Span{rel + static_cast<uint32_t>(__builtin_ctzll(bits)),
                         rel + 63 - static_cast<uint32_t>(__builtin_clzll(bits))};
    };
    if (quote != 0 || inside_ != 0) {
      // As in LoadWindow: bytes inside quotes by a prefix XOR.
      uint64_t in = quote;
      in ^= in << 1;
      in ^= in << 2;
      in ^= in << 4;
      in ^= in << 8;
      in ^= in << 16;
      in ^= in << 32;
      if (inside_ != 0) in = ~in;
      inside_ = in >> 63;
      if ((lf & in) != 0) index_.lf_in[index_.lf_in_tail++] = span(lf & in);
      comma &= ~in;
      lf &= ~in;
      list(quote, index_.quote, index_.quote_tail);
    }
    list(comma, index_.comma, index_.comma_tail);
    list(lf, index_.lf, index_.lf_tail);
    if (high != 0) index_.high[index_.high_tail++] = span(high);
    scanned_ += 64;
    return true;
  }

  bool LoadWindow(size_t base, uint64_t inside) {
    if (base + 64 > n_) return Fail();
    uint64_t comma, lf, quote, high;
    Classify64(d_ + base, &comma, &lf, &quote, &high);
    // in: bit i set when byte i is inside quotes (counting the quote that
    // opens); the prefix XOR of the quote bits, flipped if we start inside.
    uint64_t in = quote;
    in ^= in << 1;
    in ^= in << 2;
    in ^= in << 4;
    in ^= in << 8;
    in ^= in << 16;
    in ^= in << 32;
    if (inside) in = ~in;
    win_.base = base;
    win_.sep = (comma | lf) & ~in;
    win_.lf = lf;
    win_.quote = quote;
    win_.lf_in = lf & in;
    win_.high = high;
    win_.in_end = in >> 63;
    window_valid_ = true;
    return true;
  }

  // Unquotes the fields listed in escaped_ into scratch_ ("" -> ");
  // false if a quote is not doubled (then the record is malformed).
  bool Unescape(std::string_view* views) {
    size_t total = 0;
    for (size_t i : escaped_) total += views[i].size();
    scratch_.clear();
    scratch_.reserve(total);
    for (size_t i : escaped_) {
      std::string_view v = views[i];
      size_t from = scratch_.size();
      for (size_t p = 0; p < v.size(); ++p) {
        scratch_.push_back(v[p]);
        if (v[p] == '"') {
          if (p + 1 >= v.size() || v[p + 1] != '"') return Fail();
          ++p;
        }
      }
      views[i] = std::string_view(scratch_.data() + from, scratch_.size() - from);
    }
    return true;
  }

  const char* d_;
  size_t n_;
  const std::vector<std::string>* names_;
  Window win_;
  bool window_valid_ = false;
  const size_t expected_;  // fields per record (the header's), 0 if unknown

  // ParsePlain's lists, as offsets from origin_ of bytes in [origin_,
  // scanned_): the commas and line feeds outside quotes, every quote, and
  // the first and last line feed inside quotes (and byte with the high bit
  // set) of each window holding one. [head, tail) are those not passed. A
  // record's entries stay listed until it is given, and a record is listed
  // over at most kPlainRecordBytes + 64 bytes, so the lists stay small:
  // MakeRoom moves the entries not passed to the front, and grows a list
  // only if that leaves no room for a window.
  struct Index {
    struct Span {
      uint32_t first, last;
    };
    std::vector<uint32_t> comma, lf, quote;
    std::vector<Span> lf_in, high;
    uint32_t comma_head = 0, comma_tail = 0, lf_head = 0, lf_tail = 0;
    uint32_t quote_head = 0, quote_tail = 0;
    uint32_t lf_in_head = 0, lf_in_tail = 0, high_head = 0, high_tail = 0;
    // Allocated at first use (most chunks of a small file never list).
    void Allocate() {
      comma.resize(1024);
      lf.resize(256);
      quote.resize(256);
      lf_in.resize(16);
      high.resize(16);
    }
    void Clear() {
      comma_head = comma_tail = lf_head = lf_tail = quote_head = quote_tail = 0;
      lf_in_head = lf_in_tail = high_head = high_tail = 0;
    }
    // Room for one more window: 64 entries per list, one per span list.
    void MakeRoom() {
      auto fits = [](const auto& list, uint32_t tail, size_t room) {
        return tail + room <= list.size();
      };
      auto make_room = [&](auto& list, uint32_t& head, uint32_t& tail, size_t room) {
        if (fits(list, tail, room)) return;
        std::copy(list.begin() + head, list.begin() + tail, list.begin());
        tail -= head;
        head = 0;
        if (!fits(list, tail, room)) list.resize(2 * list.size() + room);
      };
      make_room(comma, comma_head, comma_tail, 64);
      make_room(lf, lf_head, lf_tail, 64);
      make_room(quote, quote_head, quote_tail, 64);
      make_room(lf_in, lf_in_head, lf_in_tail, 1);
      make_room(high, high_head, high_tail, 1);
    }
  };
  // Offsets are kept below this, so they fit 32 bits with a window to spare.
  static constexpr size_t kMaxIndexOffset = size_t{1} << 31;
  Index index_;
  size_t origin_ = 0, scanned_ = 0;
  size_t given_end_ = 0;         // where the record ParsePlain gave last ended
  uint64_t inside_ = 0;          // scanned_ is inside quotes
  std::vector<size_t> escaped_;  // fields of the fast path that need unquoting
  std::vector<Span> spans_;
  std::vector<std::string_view> views_;       // Parse's fields
  std::vector<std::string_view> fast_views_;  // ParseFast's (kFastViews)
  std::string scratch_;
};

struct ChunkRun {
  std::unique_ptr<CsvChunkSink> sink;
  size_t begin = 0;  // where parsing started
  size_t end = 0;    // where the next record would start
  int64_t newlines = 0;
  int64_t records = 0;
};

// Parses the records that start in [begin, limit).
ChunkRun RunChunk(std::string_view data, const std::vector<std::string>* names, size_t begin,
                  size_t limit, bool fast_path, std::unique_ptr<CsvChunkSink> sink) {
  ChunkRun run;
  run.sink = std::move(sink);
  run.begin = begin;
  RecordParser parser(data, names);
  CsvRecord rec;
  size_t pos = begin;
  while (parser.SkipBlank(&pos, limit, &run.newlines)) {
    rec.line_in_chunk = run.newlines;
    size_t next;
    pos = fast_path && (parser.ParsePlain(pos, &rec, &run.newlines, &next) ||
                        parser.ParseFast(pos, &rec, &run.newlines, &next))
              ? next
              : parser.Parse(pos, &rec, &run.newlines);
    run.sink->OnRecord(rec);
    ++run.records;
  }
  run.end = pos;
  return run;
}

}  // namespace

StatusOr<CsvHeader> ParseCsvHeader(std::string_view data, std::string_view file_label) {
  size_t pos = 0;
  if (data.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
  RecordParser parser(data, nullptr);
  int64_t newlines = 0;
  if (!parser.SkipBlank(&pos, data.size(), &newlines))
    return DataError(fmt::format("{}: empty file: a header row is required", file_label));
  CsvRecord rec;
  size_t body = parser.Parse(pos, &rec, &newlines);
  if (rec.malformed) return DataError(fmt::format("{}: header: {}", file_label, rec.error));
  if (FindInvalidUtf8(rec.raw) != std::string_view::npos)
    return DataError(fmt::format("{}: header: invalid UTF-8", file_label));
  CsvHeader header;
  header.body_begin = body;
  header.body_line = 1 + newlines;
  for (size_t i = 0; i < rec.num_fields; ++i) {
    std::string_view name = rec.fields[i];
    while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.remove_prefix(1);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
    if (name.empty())
      return DataError(fmt::format("{}: header: column {} has no name", file_label, i + 1));
    header.names.emplace_back(name);
  }
  return header;
}

void ReparseCsvRecord(std::string_view data, uint64_t offset, std::vector<std::string>* fields) {
  RecordParser parser(data, nullptr);
  CsvRecord rec;
  int64_t newlines = 0;
  parser.Parse(static_cast<size_t>(std::min<uint64_t>(offset, data.size())), &rec, &newlines);
  fields->assign(rec.fields, rec.fields + rec.num_fields);
}

uint64_t CsvRecordLength(std::string_view data, uint64_t offset) {
  RecordParser parser(data, nullptr);
  CsvRecord rec;
  int64_t newlines = 0;
  parser.Parse(static_cast<size_t>(std::min<uint64_t>(offset, data.size())), &rec, &newlines);
  return rec.raw.size();
}

Status ParseCsvBody(
    const CsvFile& file, size_t body_begin, int64_t body_line, const CsvParseOptions& options,
    const std::function<std::unique_ptr<CsvChunkSink>()>& make_sink,
    const std::function<Status(std::unique_ptr<CsvChunkSink>, const CsvChunkInfo&)>& consume) {
  std::string_view data = file.data();
  const size_t n = data.size();
  body_begin = std::min(body_begin, n);
  const size_t chunk_bytes = std::max<size_t>(options.chunk_bytes, 1);
  const size_t num_chunks = std::max<size_t>(1, (n - body_begin + chunk_bytes - 1) / chunk_bytes);
  auto nominal = [&](size_t j) { return std::min(n, body_begin + j * chunk_bytes); };
  const std::vector<std::string>* names = &options.column_names;

  std::vector<ChunkRun> runs(num_chunks);
  std::vector<uint8_t> ready(num_chunks, 0);
  std::mutex mu;
  std::condition_variable cv;
  size_t next = 0;
  size_t consumed = 0;
  bool stop = false;
  const size_t window = std::max<size_t>(options.window, 1);

  // options.hash: unit j is the bytes of nominal chunk j (unit 0 from the
  // file's first byte, the last to its end). The thread that parsed chunk j
  // hashes unit j if every unit before it is hashed, and then any later
  // units already parsed; otherwise the thread hashing the unit before it
  // will. One thread hashes at a time (`hashing`).
  std::vector<uint8_t> parsed(num_chunks, 0);
  size_t hash_next = 0;
  bool hashing = false;
  auto unit = [&](size_t j) {
    const size_t from = j == 0 ? 0 : nominal(j);
    return data.substr(from, nominal(j + 1) - from);
  };
  auto hash_parsed = [&](size_t j) {
    std::unique_lock lock(mu);
    parsed[j] = 1;
    if (hashing || hash_next != j) return;
    hashing = true;
    while (hash_next < num_chunks && parsed[hash_next] != 0) {
      const size_t k = hash_next;
      lock.unlock();
      options.hash->Update(unit(k));
      lock.lock();
      ++hash_next;
    }
    hashing = false;
  };

  auto worker = [&] {
    while (true) {
      size_t j;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return stop || next >= num_chunks || next < consumed + window; });
        if (stop || next >= num_chunks) return;
        j = next++;
      }
      size_t start = body_begin;
      if (j > 0) {
        size_t from = nominal(j) - 1;
        const void* nl = std::memchr(data.data() + from, '\n', n - from);
        start =
            nl == nullptr ? n : static_cast<size_t>(static_cast<const char*>(nl) - data.data()) + 1;
      }
      ChunkRun run = RunChunk(data, names, start, nominal(j + 1), options.fast_path, make_sink());
      // Before the chunk is published: consume() may release its pages.
      if (options.hash != nullptr) hash_parsed(j);
      {
        std::lock_guard lock(mu);
        runs[j] = std::move(run);
        ready[j] = 1;
      }
      cv.notify_all();
    }
  };

  int threads = std::max(1, options.threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker);

  Status status;
  size_t cursor = body_begin;
  int64_t line = body_line;
  for (size_t j = 0; j < num_chunks && status.ok(); ++j) {
    ChunkRun run;
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return ready[j] != 0; });
      run = std::move(runs[j]);
    }
    if (run.begin != cursor) {
      // The guessed start was inside a quoted field (or past a record that
      // spans chunks): parse this chunk again from the true boundary.
      run = RunChunk(data, names, cursor, std::max(cursor, nominal(j + 1)), options.fast_path,
                     make_sink());
    }
    CsvChunkInfo info;
    info.first_line = line;
    info.begin = run.begin;
    info.end = run.end;
    info.records = run.records;
    line += run.newlines;
    cursor = run.end;
    status = consume(std::move(run.sink), info);
    {
      std::lock_guard lock(mu);
      ++consumed;
      if (!status.ok()) stop = true;
    }
    cv.notify_all();
  }
  {
    std::lock_guard lock(mu);
    stop = true;
  }
  cv.notify_all();
  for (auto& t : pool) t.join();
  // After an early stop, the units no thread parsed.
  if (options.hash != nullptr)
    for (; hash_next < num_chunks; ++hash_next) options.hash->Update(unit(hash_next));
  return status;
}

}  // namespace talentflow
