// `talentflow synth`: writes a synthetic Revelio-layout dataset with its
// planted truth (src/synth/synth.h, docs/synth.md).
#include <fmt/format.h>

#include "cli/commands.h"
#include "common/exit_codes.h"
#include "common/month.h"
#include "synth/synth.h"

namespace talentflow::cli {

namespace {

struct SynthArgs {
  int64_t users = 1000;
  uint64_t seed = 1;
  std::string out;
  std::string place = "Hong Kong";
  std::string before = "2019-12", after = "2023-06", cutoff = "2023-10";
  bool gzip = false;
  int parts = 1;
  double mess_rate = 1.0;
  int threads = 0;
  std::string data_dir;
};

Status RunSynthCommand(const SynthArgs& args) {
  synth::SynthOptions options;
  options.params.users = args.users;
  options.params.seed = args.seed;
  options.params.place = args.place;
  options.params.mess_rate = args.mess_rate;
  for (auto [flag, text, month] : {std::tuple{"--before", &args.before, &options.params.before},
                                   std::tuple{"--after", &args.after, &options.params.after},
                                   std::tuple{"--cutoff", &args.cutoff, &options.params.cutoff}}) {
    StatusOr<Month> m = ParseMonth(*text);
    if (!m.ok())
      return InvalidArgument(fmt::format("{} \"{}\": {}", flag, *text, m.status().message()));
    *month = *m;
  }
  options.out_dir = args.out;
  options.gzip = args.gzip;
  options.parts = args.parts;
  options.threads = args.threads;
  options.data_dir = args.data_dir;
  TF_ASSIGN_OR_RETURN(synth::SynthSummary summary, synth::RunSynth(options));
  const auto& classes = summary.truth["classes"];
  fmt::print(
      "synth: {} users -> {} ({:.1f} MB CSV, {:.1f} MB on disk) in {:.2f} s ({:.0f} MB/s)\n"
      "truth: stayers {}, joiners {}, leavers {}, outside {}, unclassified {}\n",
      args.users, args.out, static_cast<double>(summary.csv_bytes) / 1e6,
      static_cast<double>(summary.bytes_written) / 1e6, summary.seconds,
      static_cast<double>(summary.csv_bytes) / 1e6 / std::max(summary.seconds, 1e-9),
      classes["stayer"].get<int64_t>(), classes["joiner"].get<int64_t>(),
      classes["leaver"].get<int64_t>(), classes["outside"].get<int64_t>(),
      classes["unclassified"]["unknown_before"].get<int64_t>() +
          classes["unclassified"]["unknown_after"].get<int64_t>() +
          classes["unclassified"]["unknown_both"].get<int64_t>());
  return Status::Ok();
}

}  // namespace

void RegisterSynthCommands(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<SynthArgs>();
  CLI::App* cmd = app.add_subcommand(
      "synth",
      "Write a deterministic synthetic dataset in Revelio Labs' layout, calibrated to the "
      "LinkedIn study, with realistic messes and truth.json (the planted quantities)");
  cmd->add_option("--users", args->users, "Number of users (1 to 100,000,000)")->required();
  cmd->add_option("--seed", args->seed, "Random seed; same arguments give identical files")
      ->required();
  cmd->add_option("--out", args->out, "Dataset directory to write")->required();
  cmd->add_option("--place", args->place, "Target place of the planted classes (a country)")
      ->capture_default_str();
  cmd->add_option("--before", args->before, "Before snapshot, YYYY-MM")->capture_default_str();
  cmd->add_option("--after", args->after, "After snapshot, YYYY-MM")->capture_default_str();
  cmd->add_option("--cutoff", args->cutoff,
                  "Data cutoff, YYYY-MM (also the latest updated_dt written)")
      ->capture_default_str();
  cmd->add_flag("--gzip", args->gzip, "Write NAME.csv.gz instead of NAME.csv");
  cmd->add_option("--parts", args->parts, "Write each table as a folder of K part files")
      ->capture_default_str();
  cmd->add_option("--mess-rate", args->mess_rate,
                  "Multiplier of every planted mess rate (0 = clean data)")
      ->capture_default_str();
  cmd->add_option("--threads", args->threads,
                  "Worker threads (0 = all cores; at most 256; output identical)")
      ->capture_default_str()
      ->check(CLI::Range(0, 256));
  cmd->add_option("--data-dir", args->data_dir,
                  "Folder of the generator's reference data (default: bundled data/synth)");
  cmd->footer(kExitCodesHelp);
  cmd->callback([args, &ctx] { Report(RunSynthCommand(*args), ctx); });
}

}  // namespace talentflow::cli
