#include "common/utf8.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace talentflow {
namespace {

constexpr size_t kNpos = std::string_view::npos;

// Decodes all of `text`, recording each code point and whether it was read
// without substitution.
std::vector<std::pair<char32_t, bool>> DecodeAll(std::string_view text) {
  std::vector<std::pair<char32_t, bool>> out;
  for (size_t pos = 0; pos < text.size();) {
    char32_t code = 0;
    bool ok = DecodeUtf8(text, &pos, &code);
    out.push_back({code, ok});
  }
  return out;
}

TEST(Utf8Test, AcceptsValidSequencesOfOneToFourBytes) {
  for (std::string_view text :
       {"", "plain ascii text over eight bytes", "\x7F", "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80",
        "\xED\x9F\xBF", "\xEE\x80\x80", "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF",
        "香港 中文 é 😀"}) {
    EXPECT_EQ(FindInvalidUtf8(text), kNpos) << text;
    EXPECT_TRUE(IsValidUtf8(text)) << text;
    EXPECT_TRUE(IsLooseUtf8(text)) << text;
  }
}

TEST(Utf8Test, StrictRejectsEveryInvalidClassAtItsLeadByte) {
  struct Case {
    std::string_view text;
    size_t bad;
  };
  const Case cases[] = {
      {"ab\x80", 2},           // stray continuation byte
      {"abcdefghij\xBF", 10},  // stray continuation after the 8-byte skip
      {"x\xC3", 1},            // 2-byte sequence cut off by the end
      {"x\xE9\xA6", 1},        // 3-byte sequence cut off by the end
      {"x\xF0\x9F\x98", 1},    // 4-byte sequence cut off by the end
      {"\xE9"
       "a\xA6",
       0},                          // continuation byte missing
      {"ab\xC0\xAF", 2},            // overlong 2-byte ('/'), lead C0
      {"\xC1\xBF", 0},              // overlong 2-byte, lead C1
      {"\xE0\x80\xAF", 0},          // overlong 3-byte
      {"\xE0\x9F\xBF", 0},          // overlong 3-byte, largest
      {"\xF0\x80\x80\xAF", 0},      // overlong 4-byte
      {"\xF0\x8F\xBF\xBF", 0},      // overlong 4-byte, largest
      {"\xED\xA0\x80", 0},          // surrogate U+D800
      {"ok\xED\xBF\xBF", 2},        // surrogate U+DFFF
      {"\xF4\x90\x80\x80", 0},      // U+110000
      {"\xF5\x80\x80\x80", 0},      // lead F5
      {"\xF7\xBF\xBF\xBF", 0},      // lead F7
      {"\xF8\x88\x80\x80\x80", 0},  // lead F8
      {"\xFE", 0},                  // lead FE
      {"\xFF", 0},                  // lead FF
      {"香\xFF", 3},                // after a valid sequence
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FindInvalidUtf8(c.text), c.bad) << testing::PrintToString(std::string(c.text));
    EXPECT_FALSE(IsValidUtf8(c.text)) << testing::PrintToString(std::string(c.text));
  }
}

TEST(Utf8Test, LooseAcceptsBitPatternsStrictRejects) {
  for (std::string_view text : {"\xC0\xAF", "\xE0\x80\xAF", "\xF0\x80\x80\xAF", "\xED\xA0\x80",
                                "\xF4\x90\x80\x80", "\xF7\xBF\xBF\xBF"}) {
    EXPECT_TRUE(IsLooseUtf8(text)) << testing::PrintToString(std::string(text));
    EXPECT_FALSE(IsValidUtf8(text)) << testing::PrintToString(std::string(text));
  }
  for (std::string_view text : {"\x80", "x\xC3", "\xE9\xA6",
                                "\xE9"
                                "a\xA6",
                                "\xF8\x88\x80\x80\x80", "\xFF"}) {
    EXPECT_FALSE(IsLooseUtf8(text)) << testing::PrintToString(std::string(text));
  }
}

TEST(Utf8Test, SequenceLengthFollowsTheLeadByte) {
  EXPECT_EQ(Utf8SequenceLength('a'), 1u);
  EXPECT_EQ(Utf8SequenceLength(0x80), 0u);
  EXPECT_EQ(Utf8SequenceLength(0xBF), 0u);
  EXPECT_EQ(Utf8SequenceLength(0xC0), 2u);
  EXPECT_EQ(Utf8SequenceLength(0xDF), 2u);
  EXPECT_EQ(Utf8SequenceLength(0xE0), 3u);
  EXPECT_EQ(Utf8SequenceLength(0xEF), 3u);
  EXPECT_EQ(Utf8SequenceLength(0xF0), 4u);
  EXPECT_EQ(Utf8SequenceLength(0xF7), 4u);
  EXPECT_EQ(Utf8SequenceLength(0xF8), 0u);
  EXPECT_EQ(Utf8SequenceLength(0xFF), 0u);
  EXPECT_TRUE(IsUtf8Continuation(0x80));
  EXPECT_TRUE(IsUtf8Continuation(0xBF));
  EXPECT_FALSE(IsUtf8Continuation('a'));
  EXPECT_FALSE(IsUtf8Continuation(0xC2));
}

TEST(Utf8Test, DecodesCodePoints) {
  using Decoded = std::vector<std::pair<char32_t, bool>>;
  EXPECT_EQ(DecodeAll("a\xC3\xA9\xE9\xA6\x99\xF0\x9F\x98\x80"),
            (Decoded{{'a', true}, {0xE9, true}, {0x9999, true}, {0x1F600, true}}));
  // A literal U+FFFD is read as itself, without failure.
  EXPECT_EQ(DecodeAll("\xEF\xBF\xBD"), (Decoded{{0xFFFD, true}}));
}

TEST(Utf8Test, DecodeSubstitutesAndAdvancesOneByteOnBadInput) {
  using Decoded = std::vector<std::pair<char32_t, bool>>;
  // Stray continuation, bad leads, a missing continuation byte.
  EXPECT_EQ(DecodeAll("\x80\xFF"
                      "a"),
            (Decoded{{0xFFFD, false}, {0xFFFD, false}, {'a', true}}));
  EXPECT_EQ(DecodeAll("\xE9"
                      "a\xA6"),
            (Decoded{{0xFFFD, false}, {'a', true}, {0xFFFD, false}}));
  // Cut off by the end: each remaining byte is substituted.
  EXPECT_EQ(DecodeAll("\xE9\xA6"), (Decoded{{0xFFFD, false}, {0xFFFD, false}}));
  // By bit pattern only: overlong forms and surrogates decode to their values.
  EXPECT_EQ(DecodeAll("\xC0\xAF\xED\xA0\x80"), (Decoded{{'/', true}, {0xD800, true}}));
}

TEST(Utf8Test, AppendAndDecodeRoundTrip) {
  for (char32_t code : {char32_t{0}, char32_t{'a'}, char32_t{0x7F}, char32_t{0x80}, char32_t{0x7FF},
                        char32_t{0x800}, char32_t{0x9999}, char32_t{0xFFFD}, char32_t{0xFFFF},
                        char32_t{0x10000}, char32_t{0x1F600}, char32_t{0x10FFFF}}) {
    std::string bytes;
    AppendUtf8(code, &bytes);
    EXPECT_EQ(bytes.size(), code < 0x80 ? 1u : code < 0x800 ? 2u : code < 0x10000 ? 3u : 4u);
    EXPECT_TRUE(IsValidUtf8(bytes)) << static_cast<uint32_t>(code);
    size_t pos = 0;
    char32_t back = 0;
    EXPECT_TRUE(DecodeUtf8(bytes, &pos, &back));
    EXPECT_EQ(pos, bytes.size());
    EXPECT_EQ(back, code);
  }
  // Every valid text re-encodes to itself.
  std::string_view text = "Université de Genève 香港 😀";
  std::string again;
  for (size_t pos = 0; pos < text.size();) {
    char32_t code;
    ASSERT_TRUE(DecodeUtf8(text, &pos, &code));
    AppendUtf8(code, &again);
  }
  EXPECT_EQ(again, text);
}

TEST(Utf8Test, PrefixLengthNeverSplitsASequence) {
  EXPECT_EQ(Utf8PrefixLength("abc", 3), 3u);
  EXPECT_EQ(Utf8PrefixLength("abc", 10), 3u);
  EXPECT_EQ(Utf8PrefixLength("abc", 2), 2u);
  EXPECT_EQ(Utf8PrefixLength("a香港", 1), 1u);
  EXPECT_EQ(Utf8PrefixLength("a香港", 2), 1u);
  EXPECT_EQ(Utf8PrefixLength("a香港", 3), 1u);
  EXPECT_EQ(Utf8PrefixLength("a香港", 4), 4u);
  EXPECT_EQ(Utf8PrefixLength("香港", 0), 0u);
}

}  // namespace
}  // namespace talentflow
