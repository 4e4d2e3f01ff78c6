#include "app/cli/commands.h"

namespace distillery::cli {

void addWorldBench(CLI::App& bench, int& exitCode) {
  CLI::App* cmd = bench.add_subcommand("world", "Synthetic world generation speed");
  cmd->allow_extras();
  cmd->callback([&exitCode] { exitCode = notYetAvailable("bench world"); });
}

}  // namespace distillery::cli
