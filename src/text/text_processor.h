// TextProcessor: the normalisation step of the opinion engine. For each
// post it unifies the script with OpenCC (hk2s by default: Hong Kong
// variants and traditional characters to simplified) and tokenises the
// result. It owns the dictionary and the stop words; the original text is
// left to the caller for display.
//
// Process() runs on `threads` threads, each with its own OpenCC handle;
// results are in input order, so output does not depend on scheduling.
//
// Example:
//   TF_ASSIGN_OR_RETURN(auto proc, TextProcessor::Open(TextProcessor::Options{}));
//   std::vector<ProcessedText> out = proc->Process({"高才通計劃"}, 2);
#pragma once

#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/status.h"
#include "text/tokenizer.h"

namespace talentflow::text {

struct ProcessedText {
  std::string unified;  // OpenCC output
  std::vector<Token> tokens;
};

class TextProcessor {
 public:
  struct Options {
    std::string data_dir = TALENTFLOW_DATA_DIR;
    std::string opencc_config = "hk2s.json";
  };
  static StatusOr<std::unique_ptr<TextProcessor>> Open(const Options& options);

  std::vector<ProcessedText> Process(const std::vector<const std::string*>& texts,
                                     int threads) const;

  // True for words that carry topic content: Chinese words of two or more
  // characters, English words of two or more letters, hashtags; never stop
  // words, URLs, mentions, numbers or emoji.
  bool IsContentToken(const Token& token) const;

  const std::string& opencc_config() const { return options_.opencc_config; }
  const Dictionary& dictionary() const { return *dict_; }

 private:
  Options options_;
  std::unique_ptr<Dictionary> dict_;
  std::unordered_set<std::string> stop_words_;
};

}  // namespace talentflow::text
