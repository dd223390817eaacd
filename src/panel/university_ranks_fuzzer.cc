// Fuzz target for the university rankings and their name matcher
// (university_ranks.h UniversityRanks::Load and Find). The input is the
// ranks file, an ASCII record separator (0x1E), then the aliases file (when
// the separator is absent there is no aliases file); both are written to a
// per-process folder under /dev/shm, since Load reads a folder. A folder
// that loads must answer for its own institutions: Find of each canonical
// name is that institution, every rank and best rank in a window is at
// least 1, and Find never names an institution that does not exist. Any
// other outcome traps.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "panel/university_ranks.h"

namespace {
namespace fs = std::filesystem;

void WriteFile(const fs::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace talentflow;
  static const fs::path dir =
      "/dev/shm/talentflow_university_ranks_fuzzer_" + std::to_string(::getpid());
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir);
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t cut = input.find('\x1e');
  WriteFile(dir / "university_ranks.csv", input.substr(0, cut));
  if (cut != std::string_view::npos) WriteFile(dir / "aliases.csv", input.substr(cut + 1));
  StatusOr<UniversityRanks> ranks = UniversityRanks::Load(dir);
  fs::remove_all(dir, ec);
  if (!ranks.ok()) {
    if (ranks.status().message().empty()) __builtin_trap();
    return 0;
  }
  for (uint32_t inst = 0; inst < ranks->institution_count(); ++inst) {
    if (ranks->Find(ranks->InstitutionName(inst)) != inst) __builtin_trap();
    for (int year : {1990, 2015, 2019, 2024, 9999}) {
      std::optional<double> best = ranks->BestRankInWindow(inst, year);
      for (const char* ranking : {"THE", "QS", "ARWU"}) {
        std::optional<double> rank = ranks->Rank(inst, ranking, year);
        if (rank && *rank < 1) __builtin_trap();
        if (best && *best < 1) __builtin_trap();
      }
    }
  }
  for (size_t line = 0; line < 8 && !input.empty(); ++line) {
    size_t end = input.find('\n');
    std::optional<uint32_t> found = ranks->Find(input.substr(0, end));
    if (found && *found >= ranks->institution_count()) __builtin_trap();
    input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
  }
  return 0;
}
