#include "text/tokenizer.h"

#include <gtest/gtest.h>

#include "text/chinese_converter.h"

namespace talentflow::text {
namespace {

std::string Joined(const std::vector<Token>& tokens) {
  std::string out;
  for (const auto& t : tokens) {
    if (!out.empty()) out += " | ";
    out += t.text;
  }
  return out;
}

class TokenizerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto dict = Dictionary::Load(DictionaryPaths::Defaults(TALENTFLOW_DATA_DIR));
    ASSERT_TRUE(dict.ok()) << dict.status().message();
    dict_ = std::move(dict).value().release();
    auto conv = ChineseConverter::Open("hk2s.json");
    ASSERT_TRUE(conv.ok()) << conv.status().message();
    conv_ = std::move(conv).value().release();
  }
  static void TearDownTestSuite() {
    delete dict_;
    delete conv_;
  }
  std::string Seg(const std::string& raw) {
    Tokenizer tok(dict_);
    return Joined(tok.Tokenize(conv_->Convert(raw)));
  }
  static Dictionary* dict_;
  static ChineseConverter* conv_;
};
Dictionary* TokenizerTest::dict_ = nullptr;
ChineseConverter* TokenizerTest::conv_ = nullptr;

TEST_F(TokenizerTest, OpenccUnifiesTraditional) {
  EXPECT_EQ(conv_->Convert("香港人才入境計劃"), "香港人才入境计划");
  EXPECT_EQ(conv_->Convert("plain ascii"), "plain ascii");
}

// Hand-segmented sentences (segmentation by the authors, following the
// Peking University convention that jieba's dictionary follows).
TEST_F(TokenizerTest, MandarinSentence) {
  EXPECT_EQ(Seg("我们欢迎更多人才来香港工作"), "我们 | 欢迎 | 更 | 多 | 人才 | 来 | 香港 | 工作");
}

TEST_F(TokenizerTest, TraditionalSentenceIsConvertedThenSegmented) {
  EXPECT_EQ(Seg("香港政府推出高才通計劃吸引人才"), "香港政府 | 推出 | 高才通 | 计划 | 吸引 | 人才");
}

TEST_F(TokenizerTest, CantoneseSentence) {
  EXPECT_EQ(Seg("我哋覺得啲租金點解咁貴"), "我哋 | 觉得 | 啲 | 租金 | 点解 | 咁 | 贵");
  EXPECT_EQ(Seg("佢哋返工好辛苦，搵工唔容易"), "佢哋 | 返工 | 好 | 辛苦 | 揾工 | 唔 | 容易");
}

TEST_F(TokenizerTest, UrlsMentionsHashtagsEmojiAndEnglish) {
  Tokenizer tok(dict_);
  auto tokens = tok.Tokenize(
      "@HK_News 睇 #高才通# Top Talent Pass 2023 https://www.gov.hk/a?b=1 👍🏻!");
  ASSERT_EQ(tokens.size(), 9u) << Joined(tokens);
  EXPECT_EQ(tokens[0].kind, TokenKind::kMention);
  EXPECT_EQ(tokens[0].text, "@hk_news");
  EXPECT_EQ(tokens[2].kind, TokenKind::kHashtag);
  EXPECT_EQ(tokens[2].text, "#高才通");
  EXPECT_EQ(tokens[3].text, "top");
  EXPECT_EQ(tokens[6].kind, TokenKind::kNumber);
  EXPECT_EQ(tokens[7].kind, TokenKind::kUrl);
  EXPECT_EQ(tokens[7].text, "https://www.gov.hk/a?b=1");
  EXPECT_EQ(tokens[8].kind, TokenKind::kEmoji);
  EXPECT_EQ(tokens[8].text, "👍🏻");
}

// A "#话题#" span is trimmed of white space; one of white space only is no
// tag (found by the tokenizer fuzzer: "# #" gave the tag "#").
TEST_F(TokenizerTest, HashtagsAreTrimmedAndNeverEmpty) {
  Tokenizer tok(dict_);
  EXPECT_EQ(Joined(tok.Tokenize("# #")), "");
  EXPECT_EQ(Joined(tok.Tokenize("#\t#")), "");
  EXPECT_EQ(Joined(tok.Tokenize("# 高才通 #好")), "#高才通 | 好");
  EXPECT_EQ(Joined(tok.Tokenize("#\u3000高才通\u3000#")), "#高才通");
  EXPECT_EQ(Joined(tok.Tokenize("@ x")), "x");
  auto tokens = tok.Tokenize("# Top Talent #");
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].kind, TokenKind::kHashtag);
  EXPECT_EQ(tokens[0].text, "#top talent");
}

TEST(SegmentHanTest, PicksMaximumProbabilityPath) {
  // "ABC" with words AB (rare) and BC (common): A + BC wins when
  // p(A) p(BC) > p(AB) p(C).
  auto dict = Dictionary::FromEntries(
      {{"研究", 10}, {"究生", 1}, {"研", 5}, {"生", 50}, {"研究生", 1}, {"命", 50}});
  Tokenizer tok(dict.get());
  std::vector<std::string> words;
  tok.SegmentHan("研究生命", &words);
  // Paths: 研究|生|命 = 10*50*50 ; 研究生|命 = 1*50 ; 研|究生|命 = 5*1*50.
  ASSERT_EQ(words.size(), 3u);
  EXPECT_EQ(words[0], "研究");
  EXPECT_EQ(words[1], "生");
  EXPECT_EQ(words[2], "命");
}

TEST(SegmentHanTest, MalformedUtf8DoesNotCrash) {
  auto dict = Dictionary::FromEntries({{"人才", 10}});
  Tokenizer tok(dict.get());
  std::string bad = "\xE4\xBA人才\xFF\xC0";
  auto tokens = tok.Tokenize(bad);
  bool found = false;
  for (const auto& t : tokens) found = found || t.text == "人才";
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace talentflow::text
