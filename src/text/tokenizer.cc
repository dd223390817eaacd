#include "text/tokenizer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "common/utf8.h"
#include "io/file_util.h"
#include "text/chinese_converter.h"

namespace talentflow::text {
namespace {

// Decodes the sequence at text[pos] (see DecodeUtf8) and sets *len to its
// length; bad bytes decode as U+FFFD of length 1 so input never derails us.
char32_t Decode(std::string_view text, size_t pos, size_t* len) {
  size_t end = pos;
  char32_t code;
  DecodeUtf8(text, &end, &code);
  *len = end - pos;
  return code;
}

bool IsHan(char32_t cp) {
  return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F) || cp == 0x3007;
}

bool IsEmoji(char32_t cp) {
  return (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) ||
         (cp >= 0x2B00 && cp <= 0x2BFF) || cp == 0x2764;
}

// Joiners and modifiers that continue an emoji sequence.
bool IsEmojiContinuation(char32_t cp) {
  return cp == 0x200D || cp == 0xFE0F || (cp >= 0x1F3FB && cp <= 0x1F3FF);
}

bool IsAsciiAlnum(char32_t cp) {
  return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
}

// Characters that end a mention or an open hashtag.
bool EndsName(char32_t cp) {
  if (cp <= ' ') return true;
  if (cp < 0x80) return !(IsAsciiAlnum(cp) || cp == '_' || cp == '-' || cp == '.');
  if (cp >= 0x3000 && cp <= 0x303F) return true;  // CJK punctuation
  if (cp >= 0xFF00 && cp <= 0xFF65) return true;  // full-width forms
  if (IsEmoji(cp)) return true;
  return false;
}

// Without white space (ASCII, and the ideographic space U+3000) at either end.
std::string_view TrimSpace(std::string_view s) {
  static constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
  while (true) {
    if (!s.empty() && (s.front() == ' ' || (s.front() >= '\t' && s.front() <= '\r'))) {
      s.remove_prefix(1);
    } else if (s.substr(0, 3) == kIdeographicSpace) {
      s.remove_prefix(3);
    } else {
      break;
    }
  }
  while (true) {
    if (!s.empty() && (s.back() == ' ' || (s.back() >= '\t' && s.back() <= '\r'))) {
      s.remove_suffix(1);
    } else if (s.size() >= 3 && s.substr(s.size() - 3) == kIdeographicSpace) {
      s.remove_suffix(3);
    } else {
      break;
    }
  }
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool HasAsciiAlnum(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return IsAsciiAlnum(static_cast<unsigned char>(c)); });
}

// Reads "word freq ..." lines (space or tab separated) into `out`.
Status ReadFreqFile(const std::string& path, std::vector<std::pair<std::string, double>>* out) {
  TF_ASSIGN_OR_RETURN(std::string content, ReadFile(path));
  size_t pos = 0;
  size_t line_no = 0;
  while (pos < content.size()) {
    size_t end = content.find('\n', pos);
    if (end == std::string::npos) end = content.size();
    std::string_view line(content.data() + pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    size_t sep = line.find_first_of(" \t");
    if (sep == std::string_view::npos) continue;
    std::string_view word = line.substr(0, sep);
    std::string_view rest = line.substr(sep + 1);
    size_t fend = rest.find_first_of(" \t");
    std::string freq_text(rest.substr(0, fend));
    char* parse_end = nullptr;
    double freq = std::strtod(freq_text.c_str(), &parse_end);
    if (parse_end == freq_text.c_str()) {
      return DataError(
          fmt::format("{} line {}: frequency \"{}\" is not a number", path, line_no, freq_text));
    }
    out->emplace_back(std::string(word), freq);
  }
  return Status::Ok();
}

}  // namespace

std::string_view TokenKindName(TokenKind kind) {
  switch (kind) {
    case TokenKind::kWord:
      return "word";
    case TokenKind::kLatin:
      return "latin";
    case TokenKind::kNumber:
      return "number";
    case TokenKind::kUrl:
      return "url";
    case TokenKind::kMention:
      return "mention";
    case TokenKind::kHashtag:
      return "hashtag";
    case TokenKind::kEmoji:
      return "emoji";
  }
  return "?";
}

DictionaryPaths DictionaryPaths::Defaults(const std::string& data_dir) {
  DictionaryPaths p;
  p.jieba_dict = "/usr/lib/python3/dist-packages/jieba/dict.txt";
  p.cantonese_words = "/usr/share/rime-data/jyut6ping3.words.dict.yaml";
  p.cantonese_freq = "/usr/share/rime-data/essay-cantonese.txt";
  p.user_words = data_dir + "/opinion/user_words.txt";
  return p;
}

void Dictionary::Add(std::string_view word, double freq) {
  if (word.empty() || freq <= 0 || HasAsciiAlnum(word)) return;
  if (freq_.count(word)) return;
  arena_.push_back(std::make_unique<std::string>(word));
  freq_.emplace(*arena_.back(), freq);
  total_ += freq;
}

void Dictionary::Finish() {
  double log_total = std::log(total_ > 0 ? total_ : 1.0);
  words_.reserve(freq_.size());
  for (const auto& [word, freq] : freq_) {
    words_.emplace(word, static_cast<float>(std::log(freq) - log_total));
    int chars = 0;
    for (unsigned char c : word) chars += !IsUtf8Continuation(c);
    max_word_chars_ = std::max(max_word_chars_, std::min(chars, 16));
  }
  freq_.clear();
  // An unknown character is rarer than any listed word.
  unknown_log_prob_ = static_cast<float>(std::log(0.5) - log_total);
}

std::unique_ptr<Dictionary> Dictionary::FromEntries(
    const std::vector<std::pair<std::string, double>>& entries) {
  std::unique_ptr<Dictionary> dict(new Dictionary());
  for (const auto& [w, f] : entries) dict->Add(w, f);
  dict->Finish();
  return dict;
}

StatusOr<std::unique_ptr<Dictionary>> Dictionary::Load(const DictionaryPaths& paths) {
  std::unique_ptr<Dictionary> dict(new Dictionary());
  std::vector<std::pair<std::string, double>> entries;
  if (!paths.jieba_dict.empty()) {
    Status s = ReadFreqFile(paths.jieba_dict, &entries);
    if (!s.ok()) return s.WithContext("jieba dictionary (Debian package python3-jieba)");
    for (const auto& [w, f] : entries) dict->Add(w, f);
  }
  double jieba_total = dict->total_;
  if (!paths.user_words.empty()) {
    entries.clear();
    TF_RETURN_IF_ERROR(ReadFreqFile(paths.user_words, &entries));
    for (const auto& [w, f] : entries) dict->Add(w, f);
  }
  if (!paths.cantonese_words.empty()) {
    TF_ASSIGN_OR_RETURN(std::string yaml, ReadFile(paths.cantonese_words));
    std::unordered_map<std::string, double> corpus_freq;
    double canto_total = 0;
    if (!paths.cantonese_freq.empty()) {
      entries.clear();
      Status s = ReadFreqFile(paths.cantonese_freq, &entries);
      if (!s.ok()) return s.WithContext("Cantonese frequencies (Debian rime-data-jyut6ping3)");
      for (const auto& [w, f] : entries) {
        corpus_freq.emplace(w, f);
        canto_total += f;
      }
    }
    // Word list: entries follow the "..." line that ends the YAML header.
    std::vector<std::string> words;
    size_t body = yaml.find("\n...\n");
    size_t pos = body == std::string::npos ? 0 : body + 5;
    std::string joined;
    while (pos < yaml.size()) {
      size_t end = yaml.find('\n', pos);
      if (end == std::string::npos) end = yaml.size();
      std::string_view line(yaml.data() + pos, end - pos);
      pos = end + 1;
      size_t tab = line.find('\t');
      if (line.empty() || line[0] == '#' || tab == std::string_view::npos || tab <= 3) continue;
      words.emplace_back(line.substr(0, tab));
      joined += words.back();
      joined += '\n';
    }
    TF_ASSIGN_OR_RETURN(auto conv, ChineseConverter::Open(paths.opencc_config));
    // One OpenCC call for the whole list: a newline never joins two phrases.
    std::string converted = conv->Convert(joined);
    double scale = (jieba_total > 0 && canto_total > 0) ? jieba_total / canto_total : 1.0;
    pos = 0;
    for (const auto& word : words) {
      size_t end = converted.find('\n', pos);
      if (end == std::string::npos) break;
      std::string_view simp(converted.data() + pos, end - pos);
      pos = end + 1;
      auto it = corpus_freq.find(word);
      double freq = it == corpus_freq.end() ? 0.0 : it->second * scale;
      dict->Add(simp, std::max(freq, 3.0));
    }
  }
  if (dict->total_ == 0) return NotFound("word segmentation dictionary: no words were loaded");
  dict->Finish();
  return dict;
}

void Tokenizer::SegmentHan(std::string_view run, std::vector<std::string>* words) const {
  // Character boundaries.
  std::vector<size_t> starts;
  for (size_t pos = 0; pos < run.size();) {
    size_t len;
    Decode(run, pos, &len);
    starts.push_back(pos);
    pos += len;
  }
  const size_t n = starts.size();
  starts.push_back(run.size());
  // best[i]: best log probability of segmenting chars [i, n); next[i]: end of
  // the first word on that path. Filled right to left.
  std::vector<double> best(n + 1, 0.0);
  std::vector<size_t> next(n + 1, n);
  const size_t max_chars = static_cast<size_t>(dict_->max_word_chars());
  for (size_t i = n; i-- > 0;) {
    best[i] = -1e300;
    size_t limit = std::min(n, i + max_chars);
    for (size_t j = i + 1; j <= limit; ++j) {
      std::string_view piece = run.substr(starts[i], starts[j] - starts[i]);
      const float* lp = dict_->Find(piece);
      double score;
      if (lp != nullptr) {
        score = *lp + best[j];
      } else if (j == i + 1) {
        score = dict_->unknown_log_prob() + best[j];
      } else {
        continue;
      }
      if (score > best[i]) {
        best[i] = score;
        next[i] = j;
      }
    }
  }
  for (size_t i = 0; i < n; i = next[i]) {
    words->emplace_back(run.substr(starts[i], starts[next[i]] - starts[i]));
  }
}

std::vector<Token> Tokenizer::Tokenize(std::string_view text) const {
  std::vector<Token> tokens;
  std::vector<std::string> words;
  size_t pos = 0;
  const size_t n = text.size();
  auto starts_with = [&](size_t at, std::string_view prefix) {
    if (at + prefix.size() > n) return false;
    for (size_t k = 0; k < prefix.size(); ++k) {
      char c = text[at + k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != prefix[k]) return false;
    }
    return true;
  };
  while (pos < n) {
    size_t len;
    char32_t cp = Decode(text, pos, &len);
    if (starts_with(pos, "http://") || starts_with(pos, "https://") || starts_with(pos, "www.")) {
      size_t end = pos;
      while (end < n) {
        size_t l;
        char32_t c = Decode(text, end, &l);
        if (c <= ' ' || c >= 0x80 || c == '"' || c == '<' || c == '>') break;
        end += l;
      }
      tokens.push_back({TokenKind::kUrl, std::string(text.substr(pos, end - pos))});
      pos = end;
      continue;
    }
    if (cp == '@' || cp == '#' || cp == 0xFF03 /* ＃ */ || cp == 0xFF20 /* ＠ */) {
      bool hashtag = cp == '#' || cp == 0xFF03;
      size_t begin = pos + len;
      size_t end = begin;
      // Weibo-style "#话题#" may contain spaces; otherwise the tag ends at
      // the first space or punctuation.
      size_t closing = hashtag ? text.find('#', begin) : std::string_view::npos;
      size_t line_end = text.find('\n', begin);
      if (hashtag && closing != std::string_view::npos && closing > begin &&
          (line_end == std::string_view::npos || closing < line_end) && closing - begin <= 60) {
        end = closing;
      } else {
        while (end < n) {
          size_t l;
          char32_t c = Decode(text, end, &l);
          if (EndsName(c) || c == '@' || c == '#') break;
          end += l;
        }
      }
      // A "#话题#" span may start or end with white space ("# 高才通 #"):
      // the tag is what lies between. One of white space only is no tag.
      std::string_view name = TrimSpace(text.substr(begin, end - begin));
      if (!name.empty()) {
        tokens.push_back({hashtag ? TokenKind::kHashtag : TokenKind::kMention,
                          (hashtag ? "#" : "@") + Lower(name)});
        pos = (hashtag && end < n && text[end] == '#') ? end + 1 : end;
        continue;
      }
      pos += len;
      continue;
    }
    if (IsHan(cp)) {
      size_t end = pos;
      while (end < n) {
        size_t l;
        char32_t c = Decode(text, end, &l);
        if (!IsHan(c)) break;
        end += l;
      }
      words.clear();
      SegmentHan(text.substr(pos, end - pos), &words);
      for (auto& w : words) tokens.push_back({TokenKind::kWord, std::move(w)});
      pos = end;
      continue;
    }
    if (IsAsciiAlnum(cp)) {
      size_t end = pos;
      bool alpha = false;
      while (end < n) {
        char c = text[end];
        if (IsAsciiAlnum(static_cast<unsigned char>(c))) {
          alpha = alpha || !(c >= '0' && c <= '9');
          ++end;
        } else if ((c == '\'' || c == '-' || c == '.') && end + 1 < n &&
                   IsAsciiAlnum(static_cast<unsigned char>(text[end + 1])) && end > pos) {
          ++end;
        } else {
          break;
        }
      }
      std::string word = Lower(text.substr(pos, end - pos));
      tokens.push_back({alpha ? TokenKind::kLatin : TokenKind::kNumber, std::move(word)});
      pos = end;
      continue;
    }
    if (IsEmoji(cp)) {
      size_t end = pos + len;
      while (end < n) {
        size_t l;
        char32_t c = Decode(text, end, &l);
        if (IsEmojiContinuation(c)) {
          end += l;
          if (c == 0x200D && end < n) {  // the joined emoji
            Decode(text, end, &l);
            end += l;
          }
        } else {
          break;
        }
      }
      tokens.push_back({TokenKind::kEmoji, std::string(text.substr(pos, end - pos))});
      pos = end;
      continue;
    }
    pos += len;  // whitespace, punctuation, symbols
  }
  return tokens;
}

StatusOr<std::unordered_set<std::string>> LoadStopWords(const std::vector<std::string>& paths) {
  std::unordered_set<std::string> words;
  for (const auto& path : paths) {
    TF_ASSIGN_OR_RETURN(std::string content, ReadFile(path));
    size_t pos = 0;
    while (pos < content.size()) {
      size_t end = content.find('\n', pos);
      if (end == std::string::npos) end = content.size();
      std::string line = content.substr(pos, end - pos);
      pos = end + 1;
      size_t hash = line.find('#');
      if (hash != std::string::npos) line.resize(hash);
      while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t'))
        line.pop_back();
      size_t first = line.find_first_not_of(" \t");
      if (first == std::string::npos) continue;
      words.insert(Lower(line.substr(first)));
    }
  }
  return words;
}

}  // namespace talentflow::text
