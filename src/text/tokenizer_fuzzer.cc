// Fuzz target for the opinion engine's text normalisation (text_processor.h:
// OpenCC's hk2s conversion, then the tokenizer), with the bundled
// dictionaries loaded once.
//
// The input is one post's text; input that is not valid UTF-8 is skipped,
// since the posts reader quarantines such rows. Checks, each a trap when it
// fails:
//   - the converted text is valid UTF-8, and so is every token;
//   - no token is empty; a hashtag is "#" and a mention "@" followed by a
//     name that neither starts nor ends with white space;
//   - a number token holds only digits and the separators ' - . ; a Latin
//     token has no upper-case ASCII letter;
//   - segmentation neither drops nor adds text: the Chinese words of the
//     post, joined and segmented again, give words that join to the same
//     text;
//   - processing is deterministic.
// The sanitizers catch memory errors and undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/utf8.h"
#include "text/text_processor.h"
#include "text/tokenizer.h"

namespace talentflow::text {
namespace {

const TextProcessor& Processor() {
  static const TextProcessor* processor = [] {
    StatusOr<std::unique_ptr<TextProcessor>> opened = TextProcessor::Open({});
    if (!opened.ok()) __builtin_trap();  // the fuzzer's own setup failed
    return opened->release();
  }();
  return *processor;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

void CheckToken(const Token& token) {
  const std::string& t = token.text;
  if (t.empty() || !IsValidUtf8(t)) __builtin_trap();
  switch (token.kind) {
    case TokenKind::kHashtag:
    case TokenKind::kMention:
      if (t[0] != (token.kind == TokenKind::kHashtag ? '#' : '@')) __builtin_trap();
      if (t.size() < 2 || IsSpace(t[1]) || IsSpace(t.back())) __builtin_trap();
      break;
    case TokenKind::kNumber:
      for (char c : t) {
        if (!((c >= '0' && c <= '9') || c == '\'' || c == '-' || c == '.')) __builtin_trap();
      }
      break;
    case TokenKind::kLatin:
      for (char c : t) {
        if (c >= 'A' && c <= 'Z') __builtin_trap();
      }
      break;
    default:
      break;
  }
}

}  // namespace
}  // namespace talentflow::text

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace talentflow;
  using namespace talentflow::text;
  const std::string input(reinterpret_cast<const char*>(data), size);
  if (!IsValidUtf8(input)) return 0;
  const TextProcessor& processor = Processor();
  const std::vector<ProcessedText> out = processor.Process({&input}, 1);
  if (out.size() != 1 || !IsValidUtf8(out[0].unified)) __builtin_trap();
  std::string han;
  for (const Token& token : out[0].tokens) {
    CheckToken(token);
    processor.IsContentToken(token);
    if (token.kind == TokenKind::kWord) han += token.text;
  }
  std::vector<std::string> words;
  Tokenizer(&processor.dictionary()).SegmentHan(han, &words);
  std::string joined;
  for (const std::string& word : words) {
    if (word.empty()) __builtin_trap();
    joined += word;
  }
  if (joined != han) __builtin_trap();

  const std::vector<ProcessedText> again = processor.Process({&input}, 1);
  if (again[0].unified != out[0].unified || again[0].tokens.size() != out[0].tokens.size())
    __builtin_trap();
  for (size_t i = 0; i < again[0].tokens.size(); ++i) {
    if (again[0].tokens[i].text != out[0].tokens[i].text ||
        again[0].tokens[i].kind != out[0].tokens[i].kind)
      __builtin_trap();
  }
  return 0;
}
