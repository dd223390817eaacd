// `talentflow flows`: who stayed in, came to and left a place between two
// snapshots, and every table of the LinkedIn study. Thin: the work is
// RunFlowsCommand (stats/flows_run.h).
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "common/exit_codes.h"
#include "common/month.h"
#include "stats/flows_run.h"

namespace talentflow::cli {

void RegisterFlowsCommands(CLI::App& app, Context& ctx) {
  struct Args {
    std::string dataset, place, before, after, cutoff, rankings, ranking = "THE", gazetteer, titles,
                                                                 out, definition = "endpoint";
    int k = 10;
    int threads = 0;
    int persist_quarters = 2;
    bool quiet = false;
    bool timings = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "flows",
      "Classify every person as stayer, joiner, leaver or outside for a place between two "
      "snapshots, and write OUT_DIR/results.json, OUT_DIR/tables/*.csv (age bands, joiners vs "
      "leavers with Welch's t-test, flows by country, same company, multinationals, city human "
      "capital, age rules) and OUT_DIR/quarantine/. Prints the headline.");
  cmd->add_option("dataset_dir", args->dataset, "Dataset directory (Revelio layout)")->required();
  cmd->add_option("--place", args->place,
                  "Target place: gazetteer name or alias (e.g. \"Hong Kong\", 香港, HK)")
      ->required();
  cmd->add_option("--before", args->before, "First snapshot month YYYY-MM")->required();
  cmd->add_option("--after", args->after, "Second snapshot month YYYY-MM")->required();
  cmd->add_option("--cutoff", args->cutoff,
                  "Cutoff month YYYY-MM (default: the latest updated_dt of the users)");
  cmd->add_option("--k", args->k,
                  "Disclosure threshold: count cells below k are suppressed (0 disables)")
      ->capture_default_str();
  cmd->add_option("--rankings", args->rankings,
                  "University rankings file or folder replacing data/rankings "
                  "(columns institution,country,ranking,year,rank_raw,rank)");
  cmd->add_option("--ranking", args->ranking, "Which ranking to use from the table")
      ->capture_default_str();
  cmd->add_option("--gazetteer", args->gazetteer,
                  "Gazetteer CSV replacing data/gazetteer/places.csv");
  cmd->add_option("--titles", args->titles,
                  "Title patterns CSV replacing data/titles/title_patterns.csv");
  cmd->add_option("--definition", args->definition,
                  "Move definition: endpoint (the study's: compare the two snapshots) or "
                  "persistent (a change counts only when the new status lasts K consecutive "
                  "quarter points; short trips are excursions; see docs/methodology.md)")
      ->check(CLI::IsMember({"endpoint", "persistent"}))
      ->capture_default_str();
  CLI::Option* persist =
      cmd->add_option("--persist-quarters", args->persist_quarters,
                      "K for --definition persistent: quarter points a new status must last "
                      "(1 to 40; 1 gives the endpoint classes)")
          ->capture_default_str();
  cmd->add_option("--out", args->out, "Output directory")->required();
  cmd->add_option("--threads", args->threads,
                  "Worker threads (default or 0: all cores; at most 256)")
      ->check(CLI::Range(0, 256));
  cmd->add_flag("--quiet", args->quiet, "Do not print the headline");
  cmd->add_flag("--timings", args->timings,
                "Print wall-clock seconds of load, engine and write phases on stderr");
  cmd->footer(kExitCodesHelp);
  cmd->callback([args, persist, &ctx] {
    FlowsRunOptions o;
    o.definition = *ParseMoveDefinition(args->definition);  // checked by IsMember
    if (persist->count() > 0 && o.definition != MoveDefinition::kPersistent) {
      return Report(InvalidArgument("--persist-quarters applies to --definition persistent only"),
                    ctx);
    }
    o.persist_quarters = args->persist_quarters;
    auto month = [&](const std::string& text, const char* flag, Month* out) -> bool {
      if (text.empty()) return true;
      StatusOr<Month> m = ParseMonth(text);
      if (!m.ok()) {
        Report(InvalidArgument(fmt::format("{} \"{}\": {}", flag, text, m.status().message())),
               ctx);
        return false;
      }
      *out = *m;
      return true;
    };
    if (!month(args->before, "--before", &o.before) || !month(args->after, "--after", &o.after) ||
        !month(args->cutoff, "--cutoff", &o.cutoff)) {
      return;
    }
    o.dataset_dir = args->dataset;
    o.place = args->place;
    o.k = args->k;
    o.rankings = args->rankings;
    o.ranking = args->ranking;
    o.gazetteer = args->gazetteer;
    o.titles = args->titles;
    o.out_dir = args->out;
    o.threads = args->threads;
    o.progress = !args->quiet;
    StatusOr<FlowsRunSummary> s = RunFlowsCommand(o);
    if (!s.ok()) return Report(s.status(), ctx);
    if (!args->quiet) fmt::print("{}", s->headline);
    if (args->timings) {
      fmt::print(stderr, "timings: load {:.2f} s, engine {:.2f} s, write {:.2f} s\n",
                 s->load_seconds, s->engine_seconds, s->write_seconds);
    }
  });
}

}  // namespace talentflow::cli
