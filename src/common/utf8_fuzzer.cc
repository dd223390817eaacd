// Differential fuzz target for the UTF-8 functions (utf8.h). FindInvalidUtf8
// skips ASCII eight bytes at a time and is on the CSV reader's hot path; it
// is checked against a byte-at-a-time reading of Unicode Table 3-7. The
// loose level is checked for consistency: IsLooseUtf8 is true exactly when
// DecodeUtf8 reads the whole text without a substitution, strict-valid text
// is loose-valid and re-encodes (AppendUtf8) to the same bytes, and
// Utf8PrefixLength cuts only before a non-continuation byte (or at 0). A difference traps.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/utf8.h"

namespace {

// Length of the well-formed sequence at text[pos], or 0 (Table 3-7).
size_t StrictSequence(std::string_view text, size_t pos) {
  auto byte = [&](size_t k) -> int {
    return pos + k < text.size() ? static_cast<unsigned char>(text[pos + k]) : -1;
  };
  auto in = [](int b, int lo, int hi) { return b >= lo && b <= hi; };
  const int lead = byte(0);
  if (lead < 0x80) return 1;
  if (in(lead, 0xC2, 0xDF)) return in(byte(1), 0x80, 0xBF) ? 2 : 0;
  int lo = 0x80, hi = 0xBF;
  if (lead == 0xE0) lo = 0xA0;
  if (lead == 0xED) hi = 0x9F;
  if (in(lead, 0xE0, 0xEF)) return in(byte(1), lo, hi) && in(byte(2), 0x80, 0xBF) ? 3 : 0;
  if (lead == 0xF0) lo = 0x90;
  if (lead == 0xF4) hi = 0x8F;
  if (in(lead, 0xF0, 0xF4))
    return in(byte(1), lo, hi) && in(byte(2), 0x80, 0xBF) && in(byte(3), 0x80, 0xBF) ? 4 : 0;
  return 0;
}

size_t ReferenceFindInvalid(std::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    size_t len = StrictSequence(text, pos);
    if (len == 0) return pos;
    pos += len;
  }
  return std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace talentflow;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const size_t bad = FindInvalidUtf8(text);
  if (bad != ReferenceFindInvalid(text)) __builtin_trap();
  if (IsValidUtf8(text) != (bad == std::string_view::npos)) __builtin_trap();

  bool substituted = false;
  std::string encoded;
  for (size_t pos = 0; pos < text.size();) {
    const size_t before = pos;
    char32_t code = 0;
    if (!DecodeUtf8(text, &pos, &code)) substituted = true;
    if (pos <= before || pos > text.size()) __builtin_trap();
    AppendUtf8(code, &encoded);
  }
  if (IsLooseUtf8(text) == substituted) __builtin_trap();
  if (bad == std::string_view::npos && (substituted || encoded != text)) __builtin_trap();

  for (size_t max_bytes = 0; max_bytes <= text.size() + 1; max_bytes += 1 + max_bytes / 4) {
    const size_t cut = Utf8PrefixLength(text, max_bytes);
    if (cut > max_bytes || cut > text.size()) __builtin_trap();
    if (cut > 0 && cut < text.size() && IsUtf8Continuation(static_cast<unsigned char>(text[cut])))
      __builtin_trap();
  }
  return 0;
}
