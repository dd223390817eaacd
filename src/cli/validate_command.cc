// `talentflow validate`: loads a dataset with the cleaning rules and writes
// the row accounting, inventory and quarantined rows. Thin: the work is
// RunValidate (ingest/validate.h).
#include <fmt/format.h>

#include <cstdio>
#include <string>

#include "cli/commands.h"
#include "common/exit_codes.h"
#include "common/month.h"
#include "ingest/validate.h"

namespace talentflow::cli {

void RegisterValidateCommands(CLI::App& app, Context& ctx) {
  struct Args {
    std::string dataset;
    std::string cutoff;
    std::string out;
    int threads = 0;
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "validate",
      "Read a Revelio-layout dataset directory, apply the cleaning rules, and write "
      "OUT_DIR/results.json (params, inputs, rows, inventory) and the quarantined rows under "
      "OUT_DIR/quarantine/<table>.csv.");
  cmd->add_option("dataset_dir", args->dataset, "Dataset directory (individual_user.csv, ...)")
      ->required();
  cmd->add_option("--cutoff", args->cutoff,
                  "Cutoff month YYYY-MM (default: the latest updated_dt of the users)");
  cmd->add_option("--out", args->out, "Output directory")->required();
  cmd->add_option("--threads", args->threads,
                  "Parsing threads (default or 0: all cores; at most 256)")
      ->check(CLI::Range(0, 256));
  cmd->add_flag("--quiet", args->quiet, "Do not print the summary or progress");
  cmd->footer(kExitCodesHelp);
  cmd->callback([args, &ctx] {
    Month cutoff = kNoMonth;
    if (!args->cutoff.empty()) {
      StatusOr<Month> m = ParseMonth(args->cutoff);
      if (!m.ok()) return Report(InvalidArgument("--cutoff " + m.status().message()), ctx);
      cutoff = *m;
    }
    StatusOr<std::string> summary =
        RunValidate(args->dataset, cutoff, args->out, !args->quiet, args->threads);
    if (!summary.ok()) return Report(summary.status(), ctx);
    if (!args->quiet) fmt::print("{}", *summary);
  });
}

}  // namespace talentflow::cli
