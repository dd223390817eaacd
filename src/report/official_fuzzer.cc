// Fuzz target for the official-statistics folder (official.h
// LoadOfficialData, and through it csv_file.h ReadCsvFile and ParseNumber).
//
// The input is a folder: pieces cut at each ASCII record separator (0x1E),
// each a file name line then the file's text, e.g. "_rates.csv\nrate,...".
// Names are reduced to [A-Za-z0-9_.-] (at most 40 bytes, ".csv" appended
// when missing) and written to a per-process folder under /dev/shm. A
// folder that loads must be consistent: every figure row has as many fields
// as its header, every chart column exists, and every derived rate is a
// finite number equal to numerator / denominator x scale, with a non-zero
// denominator. Any other outcome traps.
#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "report/official.h"

namespace {
namespace fs = std::filesystem;

bool Finite(double value) { return std::isfinite(value); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace talentflow;
  using namespace talentflow::report;
  static const fs::path dir = "/dev/shm/talentflow_official_fuzzer_" + std::to_string(::getpid());
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir);
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  while (!rest.empty()) {
    size_t cut = rest.find('\x1e');
    std::string_view piece = rest.substr(0, cut);
    rest.remove_prefix(cut == std::string_view::npos ? rest.size() : cut + 1);
    size_t newline = piece.find('\n');
    if (newline == std::string_view::npos) continue;
    std::string name;
    for (char c : piece.substr(0, newline)) {
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '.' || c == '-')
        name.push_back(c);
    }
    if (name.size() > 40) name.resize(40);
    if (!name.ends_with(".csv")) name += ".csv";
    std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
    std::string_view content = piece.substr(newline + 1);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) __builtin_trap();
  }

  StatusOr<OfficialData> official = LoadOfficialData({dir});
  fs::remove_all(dir, ec);
  if (!official.ok()) {
    if (official.status().message().empty()) __builtin_trap();
    return 0;
  }
  for (const OfficialFile& file : official->files) {
    for (const auto& row : file.csv.rows)
      if (row.size() != file.csv.header.size()) __builtin_trap();
    if (file.chart) {
      for (const auto& column : file.chart->value_columns)
        if (file.csv.ColumnIndex(column) < 0) __builtin_trap();
      for (const auto& column : file.chart->category_columns)
        if (file.csv.ColumnIndex(column) < 0) __builtin_trap();
    }
  }
  for (const DerivedRate& rate : official->rates) {
    if (!Finite(rate.numerator) || !Finite(rate.denominator) || !Finite(rate.scale) ||
        rate.denominator == 0 || rate.scale == 0)
      __builtin_trap();
    if (rate.value != rate.numerator / rate.denominator * rate.scale) __builtin_trap();
    if (!Finite(rate.value)) __builtin_trap();
    if (rate.published && !Finite(*rate.published)) __builtin_trap();
  }
  return 0;
}
