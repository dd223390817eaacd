// Fuzz target for the gazetteer (gazetteer.h Gazetteer::Load, through the
// strict reference CSV reader internal/ref_csv.h). The input is a places
// file, written to a per-process file under /dev/shm since Load reads a
// path. A file that loads must answer for its own places: FindPlace of each
// place's English and (non-empty) Chinese name is that place, and Match
// gives ascending place indices whatever it is asked, including the
// input's own lines. Any other outcome traps.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "panel/gazetteer.h"

namespace {

void CheckMatch(const talentflow::Gazetteer& gazetteer, std::string_view country,
                std::string_view metro, std::string_view city) {
  std::vector<uint32_t> found;
  gazetteer.Match(country, metro, city, &found);
  for (size_t pos = 0; pos < found.size(); ++pos) {
    if (found[pos] >= gazetteer.size() || (pos > 0 && found[pos - 1] >= found[pos]))
      __builtin_trap();
    if (!gazetteer.Matches(found[pos], country, metro, city)) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace talentflow;
  static const std::string path =
      "/dev/shm/talentflow_gazetteer_fuzzer_" + std::to_string(::getpid()) + ".csv";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out) __builtin_trap();
  }
  StatusOr<Gazetteer> gazetteer = Gazetteer::Load(path);
  std::filesystem::remove(path);
  if (!gazetteer.ok()) {
    if (gazetteer.status().message().empty()) __builtin_trap();
    return 0;
  }
  for (uint32_t place_idx = 0; place_idx < gazetteer->size(); ++place_idx) {
    const Place& place = gazetteer->place(place_idx);
    if (gazetteer->FindPlace(place.name_en) != place_idx) __builtin_trap();
    if (!place.name_zh.empty() && gazetteer->FindPlace(place.name_zh) != place_idx)
      __builtin_trap();
    CheckMatch(*gazetteer, place.name_en, place.name_en, place.name_en);
    CheckMatch(*gazetteer, "", place.name_en, place.name_zh);
    CheckMatch(*gazetteer, place.country, "", place.name_en);
  }
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (size_t line = 0; line < 8 && !text.empty(); ++line) {
    size_t cut = text.find('\n');
    std::string_view value = text.substr(0, cut);
    text.remove_prefix(cut == std::string_view::npos ? text.size() : cut + 1);
    gazetteer->FindPlace(value);
    CheckMatch(*gazetteer, value, value, value);
    CheckMatch(*gazetteer, "", "", value);
  }
  return 0;
}
