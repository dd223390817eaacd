// `talentflow report OUT_DIR`: the HTML report, Excel workbook and Stata
// files of a results directory. Thin: parses arguments, calls the report
// library, prints the report's path.
#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "report/report.h"

namespace talentflow::cli {

namespace {

struct ReportArgs {
  std::string out_dir;
  std::string lang = "both";
  std::vector<std::string> official;
  std::string study;
  bool pdf = false;
};

}  // namespace

void RegisterReportCommands(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Write OUT_DIR/report.html (self-contained, bilingual, printable), OUT_DIR/tables.xlsx and "
      "OUT_DIR/stata/*.dta from the results in OUT_DIR (flows results.json and tables/, "
      "schemes_pool.json, opinion.json), with the official statistics and the study's published "
      "figures. Exit codes: 0 written; 2 bad option; 3 input missing or malformed (or --pdf "
      "without Chromium); 4 write failure.");
  cmd->add_option("OUT_DIR", args->out_dir, "Results directory written by flows/schemes/opinion")
      ->required();
  cmd->add_option("--lang", args->lang, "Report language: zh-Hant, en or both")
      ->check(CLI::IsMember({"zh-Hant", "en", "both"}))
      ->capture_default_str();
  cmd->add_option("--official", args->official,
                  "Folder of official-statistics CSV files (repeatable; later folders replace "
                  "same-named files of earlier ones). Default: the bundled data/official");
  cmd->add_option("--study", args->study,
                  "Folder of the study's published tables. Default: the bundled data/study");
  cmd->add_flag("--pdf", args->pdf, "Also print OUT_DIR/report.pdf with headless Chromium");
  cmd->callback([args, &ctx] {
    auto lang = report::ParseLang(args->lang);
    if (!lang.ok()) {
      Report(lang.status(), ctx);
      return;
    }
    report::ReportOptions options;
    options.out_dir = args->out_dir;
    options.lang = *lang;
    for (const auto& dir : args->official) options.official_dirs.emplace_back(dir);
    options.study_dir = args->study;
    options.pdf = args->pdf;
    auto files = report::WriteReport(options);
    if (!files.ok()) {
      Report(files.status(), ctx);
      return;
    }
    fmt::print("{}\n", files->html.string());
    if (files->pdf) fmt::print("{}\n", files->pdf->string());
  });
}

}  // namespace talentflow::cli
