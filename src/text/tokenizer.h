// Tokenizer: turns one post (already unified to simplified Chinese by
// ChineseConverter) into typed tokens: Chinese words from a dictionary-based
// segmenter that knows Mandarin and Cantonese words, lower-cased English
// words, numbers, URLs, @mentions, #hashtags and emoji.
//
// Chinese runs are segmented by the maximum-probability path through the
// word lattice (every dictionary word that starts at each character is an
// edge weighted by its log relative frequency; unknown characters are single
// characters with the lowest frequency). The dictionary merges jieba's
// (Debian python3-jieba, MIT), Cantonese word frequencies from rime-cantonese
// (Debian rime-data-jyut6ping3, CC-BY-4.0: the curated word list with corpus
// frequencies) converted to simplified by OpenCC,
// and the project's own domain words (data/opinion/user_words.txt).
//
// A Dictionary is immutable after loading; Tokenize() is const and may be
// called from many threads at once.
//
// Example:
//   TF_ASSIGN_OR_RETURN(auto dict, Dictionary::LoadDefault(DictionaryPaths::Defaults()));
//   Tokenizer tok(dict.get());
//   std::vector<Token> tokens = tok.Tokenize("我哋唔该晒 #高才通 https://x.hk");
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/status.h"

namespace talentflow::text {

enum class TokenKind { kWord, kLatin, kNumber, kUrl, kMention, kHashtag, kEmoji };

std::string_view TokenKindName(TokenKind kind);

struct Token {
  TokenKind kind;
  // kWord: the Chinese word; kLatin: lower-cased word; kHashtag: "#" + tag
  // (lower-cased, trailing "#" dropped); kMention: "@" + name; kUrl: the URL;
  // kEmoji: the emoji sequence; kNumber: the digits.
  std::string text;
};

// Where the dictionary files are. Empty paths are skipped.
struct DictionaryPaths {
  std::string jieba_dict;                  // "word freq [tag]" per line
  std::string cantonese_words;             // rime dictionary: "word<TAB>jyutping" lines
  std::string cantonese_freq;              // "word<TAB>freq" per line, traditional script
  std::string user_words;                  // "word freq" per line, our own additions
  std::string opencc_config = "t2s.json";  // converts the Cantonese list

  // Debian's installed locations and the project's data directory.
  static DictionaryPaths Defaults(const std::string& data_dir);
};

class Dictionary {
 public:
  // Loads and merges the dictionaries. A word in several lists keeps the
  // first list's frequency (jieba, then user words, then Cantonese). The
  // Cantonese words are rime-cantonese's curated word list; their
  // frequencies come from its corpus counts (essay-cantonese.txt), rescaled
  // to jieba's total so the lists are comparable, with a floor of 3.
  static StatusOr<std::unique_ptr<Dictionary>> Load(const DictionaryPaths& paths);

  // From in-memory "word freq" pairs; for tests.
  static std::unique_ptr<Dictionary> FromEntries(
      const std::vector<std::pair<std::string, double>>& entries);

  // Log relative frequency of `word`, or nullptr when it is not a word.
  const float* Find(std::string_view word) const {
    auto it = words_.find(word);
    return it == words_.end() ? nullptr : &it->second;
  }
  float unknown_log_prob() const { return unknown_log_prob_; }
  int max_word_chars() const { return max_word_chars_; }
  size_t size() const { return words_.size(); }

 private:
  Dictionary() = default;
  void Add(std::string_view word, double freq);
  void Finish();

  std::vector<std::unique_ptr<std::string>> arena_;  // owns the key bytes
  std::unordered_map<std::string_view, float> words_;
  std::unordered_map<std::string_view, double> freq_;  // only while loading
  double total_ = 0;
  float unknown_log_prob_ = 0;
  int max_word_chars_ = 1;
};

class Tokenizer {
 public:
  // REQUIRES: dict outlives the tokenizer.
  explicit Tokenizer(const Dictionary* dict) : dict_(dict) {}

  std::vector<Token> Tokenize(std::string_view text) const;

  // The Chinese words of one run of Han characters, by maximum probability.
  void SegmentHan(std::string_view run, std::vector<std::string>* words) const;

 private:
  const Dictionary* dict_;
};

// A stop-word list: one word per line, "#" starts a comment.
StatusOr<std::unordered_set<std::string>> LoadStopWords(const std::vector<std::string>& paths);

}  // namespace talentflow::text
