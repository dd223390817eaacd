// ChineseConverter: unifies traditional and simplified Chinese for analysis
// with OpenCC (Debian libopencc-dev, Apache-2.0), using the conversion
// configurations Debian ships in /usr/share/opencc (hk2s.json, t2s.json, ...).
//
// Analysis runs on the converted text; callers keep the original for display.
// A converter owns its OpenCC handle. Convert() only reads the loaded
// dictionaries, but OpenCC does not document thread safety, so each thread
// should open its own converter (opening hk2s takes a few milliseconds).
//
// Example:
//   TF_ASSIGN_OR_RETURN(auto conv, ChineseConverter::Open("hk2s.json"));
//   std::string simp = conv->Convert("香港人才入境計劃");  // "香港人才入境计划"
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace talentflow::text {

class ChineseConverter {
 public:
  // `config` is an OpenCC configuration file name (looked up in OpenCC's data
  // directory) or a path. Error if OpenCC cannot load it.
  static StatusOr<std::unique_ptr<ChineseConverter>> Open(const std::string& config);
  ~ChineseConverter();
  ChineseConverter(const ChineseConverter&) = delete;
  ChineseConverter& operator=(const ChineseConverter&) = delete;

  // Converted text. Pure-ASCII input is returned unchanged without calling
  // OpenCC. Invalid UTF-8 is passed through byte for byte.
  std::string Convert(std::string_view text) const;

  const std::string& config() const { return config_; }

 private:
  ChineseConverter(void* handle, std::string config)
      : handle_(handle), config_(std::move(config)) {}
  void* handle_;
  std::string config_;
};

}  // namespace talentflow::text
