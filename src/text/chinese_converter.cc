#include "text/chinese_converter.h"

#include <fmt/format.h>
#include <opencc.h>

namespace talentflow::text {

StatusOr<std::unique_ptr<ChineseConverter>> ChineseConverter::Open(const std::string& config) {
  opencc_t handle = opencc_open(config.c_str());
  if (handle == reinterpret_cast<opencc_t>(-1)) {
    return NotFound(
        fmt::format("OpenCC configuration {}: cannot be loaded ({}); is libopencc-data installed?",
                    config, opencc_error()));
  }
  return std::unique_ptr<ChineseConverter>(new ChineseConverter(handle, config));
}

ChineseConverter::~ChineseConverter() { opencc_close(static_cast<opencc_t>(handle_)); }

std::string ChineseConverter::Convert(std::string_view text) const {
  bool ascii = true;
  for (unsigned char c : text) {
    if (c >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return std::string(text);
  char* out = opencc_convert_utf8(static_cast<opencc_t>(handle_), text.data(), text.size());
  if (out == nullptr) return std::string(text);
  std::string result(out);
  opencc_convert_utf8_free(out);
  return result;
}

}  // namespace talentflow::text
