// talentflow: measures skilled migration into and out of a city, and the
// policies around it. This file only wires subcommands; see src/README.md.
#include <fmt/format.h>
#include <malloc.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "common/exit_codes.h"

namespace talentflow::cli {

void Report(const Status& status, Context& ctx) {
  if (status.ok()) return;
  fmt::print(stderr, "talentflow: {}\n", status.message());
  ctx.exit_code = ExitCodeFor(status);
}

}  // namespace talentflow::cli

int main(int argc, char** argv) {
  using namespace talentflow;
  // Ingest builds and frees columns of hundreds of megabytes table after
  // table. Served from the heap (not fresh mappings each time) and kept
  // there, a freed column's pages are reused by the next table instead of
  // being faulted in and zeroed again.
  mallopt(M_MMAP_THRESHOLD, 512 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  CLI::App app{"talentflow: skilled-migration flows, talent-scheme rules and opinion analysis",
               "talentflow"};
  app.footer(kExitCodesHelp);
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("talentflow ") + TALENTFLOW_VERSION);
  cli::Context ctx;
  cli::RegisterValidateCommands(app, ctx);
  cli::RegisterSchemesCommands(app, ctx);
  cli::RegisterSynthCommands(app, ctx);
  cli::RegisterFlowsCommands(app, ctx);
  cli::RegisterOpinionCommands(app, ctx);
  cli::RegisterReportCommands(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  } catch (const std::exception& e) {
    fmt::print(stderr, "talentflow: internal error: {}\n", e.what());
    return kExitInternal;
  }
  return ctx.exit_code;
}
