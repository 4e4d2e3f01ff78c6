#include "app/cli/commands.h"

namespace distillery::cli {

void addModelBench(CLI::App& bench, int& exitCode) {
  CLI::App* cmd = bench.add_subcommand("model", "Model train-step time, latency and memory");
  cmd->allow_extras();
  cmd->callback([&exitCode] { exitCode = notYetAvailable("bench model"); });
}

}  // namespace distillery::cli
