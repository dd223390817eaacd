// UTF-8: validating, decoding, encoding and cutting byte strings, the one
// place the project reads UTF-8 byte patterns. Stateless free functions,
// safe to call from any thread.
//
// There are two levels of checking, and each caller says which it wants:
//  - strict (FindInvalidUtf8, IsValidUtf8): well-formed UTF-8 as Unicode
//    defines it (Table 3-7): no overlong forms, no surrogates U+D800..U+DFFF,
//    nothing above U+10FFFF, so no C0, C1 or F5..FF bytes;
//  - by bit pattern (IsLooseUtf8, DecodeUtf8, Utf8SequenceLength): a lead
//    byte 0xxxxxxx, 110xxxxx, 1110xxxx or 11110xxx followed by as many
//    10xxxxxx bytes as it announces. Overlong forms, surrogates and values
//    up to 0x1FFFFF (leads F5..F7) pass. Cheaper, and what best-effort text
//    handling (tokenizing, name folding, width estimates) has always used.
//
// Example:
//   size_t bad = FindInvalidUtf8("ok\xC0\xAF");   // 2: an overlong '/'
//   size_t pos = 0; char32_t cp;
//   DecodeUtf8("香港", &pos, &cp);                // cp == U+9999, pos == 3
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace talentflow {

// Index of the first byte of `text` that does not start a well-formed
// (strict) sequence, or std::string_view::npos when all of `text` is valid.
// A sequence cut off by the end of `text` is invalid at its lead byte.
// Hot: the CSV reader calls it on every record with a non-ASCII byte; ASCII
// is skipped eight bytes at a time. Pure (reads `text`, changes nothing), so
// callers in other files keep values in registers across the call.
[[gnu::pure]] size_t FindInvalidUtf8(std::string_view text);

// True when all of `text` is well-formed (strict) UTF-8.
bool IsValidUtf8(std::string_view text);

// True when every sequence of `text` is right by bit pattern (see the top of
// this file): weaker than IsValidUtf8, true exactly when DecodeUtf8 reads all
// of `text` without substituting U+FFFD.
bool IsLooseUtf8(std::string_view text);

// True for a continuation byte (10xxxxxx), which never starts a character.
inline bool IsUtf8Continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// The length a lead byte announces by its bit pattern: 1 for ASCII, 2 for
// C0..DF, 3 for E0..EF, 4 for F0..F7, and 0 for a continuation byte or
// F8..FF. The following bytes are not looked at.
inline size_t Utf8SequenceLength(unsigned char lead) {
  return lead < 0x80             ? 1
         : (lead & 0xE0) == 0xC0 ? 2
         : (lead & 0xF0) == 0xE0 ? 3
         : (lead & 0xF8) == 0xF0 ? 4
                                 : 0;
}

// Decodes the sequence at text[*pos], checked by bit pattern only, into *out
// and advances *pos past it. On a bad lead byte, a missing continuation byte
// or a sequence cut off by the end, sets *out to U+FFFD, advances *pos by one
// byte (so a loop over bad input never stalls) and returns false.
// REQUIRES: *pos < text.size().
// Example:
//   for (size_t pos = 0; pos < text.size();) { DecodeUtf8(text, &pos, &cp); ... }
inline bool DecodeUtf8(std::string_view text, size_t* pos, char32_t* out) {
  const auto lead = static_cast<unsigned char>(text[*pos]);
  const size_t len = Utf8SequenceLength(lead);
  if (len == 1) {
    *out = lead;
    ++*pos;
    return true;
  }
  if (len == 0 || text.size() - *pos < len) {
    *out = 0xFFFD;
    ++*pos;
    return false;
  }
  // The lead keeps 7 - len payload bits: 5, 4 or 3.
  char32_t code = lead & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) {
    const auto cont = static_cast<unsigned char>(text[*pos + k]);
    if (!IsUtf8Continuation(cont)) {
      *out = 0xFFFD;
      ++*pos;
      return false;
    }
    code = (code << 6) | (cont & 0x3F);
  }
  *out = code;
  *pos += len;
  return true;
}

// Appends the UTF-8 encoding of `code` to *out: 1 to 4 bytes, by the size of
// the value alone. What DecodeUtf8 reads from valid text (IsValidUtf8)
// encodes back to the same bytes; an overlong form does not.
// REQUIRES: code <= 0x1FFFFF.
void AppendUtf8(char32_t code, std::string* out);

// The length of the longest prefix of `text` of at most `max_bytes` bytes that
// does not end inside a sequence: text.size() when it fits, else `max_bytes`
// moved back over continuation bytes.
// Example:
//   Utf8PrefixLength("a香港", 3);   // 1: "a", since "a" plus two bytes of 香 would split it
size_t Utf8PrefixLength(std::string_view text, size_t max_bytes);

}  // namespace talentflow
