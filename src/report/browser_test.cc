// The report in a real browser: headless Chromium opens report.html offline
// (tests/report/browser_check.js drives it over the DevTools protocol) and
// must find every section, no console error, no network request, a working
// print and a non-blank screenshot. Skipped only when Chromium is absent.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "report/pdf.h"
#include "report/report.h"

namespace talentflow::report {
namespace {

namespace fs = std::filesystem;

std::string RunCommand(const std::string& command, int* exit_code) {
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) {
    *exit_code = -1;
    return "";
  }
  std::string out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) out.append(buffer, n);
  int status = pclose(pipe);
  *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

class BrowserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto chromium = FindChromium("");
    if (!chromium.ok())
      GTEST_SKIP() << "Chromium is not installed: " << chromium.status().message();
    chromium_ = *chromium;
    dir_ = fs::temp_directory_path() / fmt::format("tf_browser_{}", ::getpid());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fs::copy("tests/report/fixture_out", dir_ / "out", fs::copy_options::recursive);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  std::string chromium_;
  fs::path dir_;
};

TEST_F(BrowserTest, ReportOpensOfflineWithEverySectionAndNoErrors) {
  for (Lang lang : {Lang::kBoth, Lang::kZhHant}) {
    auto files = WriteReport({.out_dir = dir_ / "out", .lang = lang});
    ASSERT_TRUE(files.ok()) << files.status().message();
    fs::path png = dir_ / "screenshot.png";
    std::string command = fmt::format(
        "node tests/report/browser_check.js '{}' '{}' '{}' headline study schemes official opinion "
        "method "
        "age-bands joiners-leavers flows-by-country same-company multinationals city-human-capital "
        "derived-rates 2>&1",
        chromium_, files->html.string(), png.string());
    int exit_code = 0;
    std::string output = RunCommand(command, &exit_code);
    ASSERT_EQ(exit_code, 0) << output;
    auto json = nlohmann::json::parse(
        output.substr(
            output.rfind('{', output.find("\"ok\"")) == std::string::npos ? 0 : output.find('{')),
        nullptr, false);
    ASSERT_FALSE(json.is_discarded()) << output;
    EXPECT_TRUE(json["ok"].get<bool>()) << output;
    EXPECT_TRUE(json["console_errors"].empty()) << output;
    EXPECT_TRUE(json["requests"].empty()) << output;
    EXPECT_EQ(json["charts"].get<int>(), 12) << output;
    EXPECT_EQ(json["scripts"].get<int>(), 0);
    EXPECT_GT(json["screenshot"]["non_white"].get<double>(), 0.02);
    EXPECT_GT(fs::file_size(png), 20000u);
  }
}

TEST_F(BrowserTest, PdfIsPrinted) {
  auto files = WriteReport({.out_dir = dir_ / "out", .lang = Lang::kBoth, .pdf = true});
  ASSERT_TRUE(files.ok()) << files.status().message();
  ASSERT_TRUE(files->pdf.has_value());
  std::FILE* f = std::fopen(files->pdf->c_str(), "rb");
  ASSERT_NE(f, nullptr);
  char magic[5] = {};
  ASSERT_EQ(std::fread(magic, 1, 5, f), 5u);
  std::fclose(f);
  EXPECT_EQ(std::string(magic, 5), "%PDF-");
}

}  // namespace
}  // namespace talentflow::report
