#include "text/text_processor.h"

#include <algorithm>
#include <thread>

#include "text/chinese_converter.h"

namespace talentflow::text {

StatusOr<std::unique_ptr<TextProcessor>> TextProcessor::Open(const Options& options) {
  std::unique_ptr<TextProcessor> p(new TextProcessor());
  p->options_ = options;
  TF_ASSIGN_OR_RETURN(p->dict_, Dictionary::Load(DictionaryPaths::Defaults(options.data_dir)));
  TF_ASSIGN_OR_RETURN(p->stop_words_,
                      LoadStopWords({options.data_dir + "/opinion/stopwords_zh.txt",
                                     options.data_dir + "/opinion/stopwords_en.txt"}));
  // Fail early if the configuration cannot be loaded.
  TF_ASSIGN_OR_RETURN(auto probe, ChineseConverter::Open(options.opencc_config));
  return p;
}

std::vector<ProcessedText> TextProcessor::Process(const std::vector<const std::string*>& texts,
                                                  int threads) const {
  std::vector<ProcessedText> out(texts.size());
  threads = std::max(1, std::min<int>(threads, static_cast<int>(texts.size() / 64 + 1)));
  auto work = [&](int shard) {
    auto conv = ChineseConverter::Open(options_.opencc_config);
    Tokenizer tok(dict_.get());
    for (size_t i = shard; i < texts.size(); i += threads) {
      out[i].unified = conv.ok() ? (*conv)->Convert(*texts[i]) : *texts[i];
      out[i].tokens = tok.Tokenize(out[i].unified);
    }
  };
  if (threads == 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    for (int s = 0; s < threads; ++s) pool.emplace_back(work, s);
    for (auto& t : pool) t.join();
  }
  return out;
}

bool TextProcessor::IsContentToken(const Token& token) const {
  switch (token.kind) {
    case TokenKind::kHashtag:
      return true;
    case TokenKind::kWord: {
      if (token.text.size() <= 3) return false;  // one Han character
      return !stop_words_.count(token.text);
    }
    case TokenKind::kLatin:
      return token.text.size() >= 2 && !stop_words_.count(token.text);
    default:
      return false;
  }
}

}  // namespace talentflow::text
