// The talentflow command line: each engine registers its subcommands here.
//
// A Register*Commands function adds subcommands to `app`; each subcommand's
// callback parses nothing itself (CLI11 has done that), calls the library,
// prints errors as "talentflow: <message>" on stderr and stores the process
// exit code (common/exit_codes.h) in `ctx.exit_code`.
#pragma once

#include <CLI/CLI.hpp>

#include "common/status.h"

namespace talentflow::cli {

struct Context {
  int exit_code = 0;
};

void RegisterValidateCommands(CLI::App& app, Context& ctx);
void RegisterSchemesCommands(CLI::App& app, Context& ctx);

// Prints a failed status on stderr and records its exit code. OK is a no-op.
void Report(const Status& status, Context& ctx);

}  // namespace talentflow::cli
