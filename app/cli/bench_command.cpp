#include "app/cli/commands.h"

namespace distillery::cli {

void addBenchCommand(CLI::App& app, int& exitCode) {
  CLI::App* cmd = app.add_subcommand(
      "bench", "Benchmarks: speed, memory and the end-to-end protocol (ratios against a baseline "
               "measured in the same run)");
  cmd->group("Benchmarks");
  cmd->require_subcommand(1);
  addEvalBench(*cmd, exitCode);
  addWorldBench(*cmd, exitCode);
  addStoreBench(*cmd, exitCode);
  addModelBench(*cmd, exitCode);
  addProtocolBench(*cmd, exitCode);
  addOnnxBench(*cmd, exitCode);
  addSamQualityBench(*cmd, exitCode);
}

}  // namespace distillery::cli
