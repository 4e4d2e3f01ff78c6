#include "app/cli/commands.h"

namespace distillery::cli {

void addBenchCommand(CLI::App& app, int& exitCode) {
  CLI::App* cmd = app.add_subcommand("bench", "Benchmarks: speed, memory and the end-to-end protocol");
  cmd->group("Benchmarks");
  cmd->allow_extras();
  cmd->callback([&exitCode] { exitCode = notYetAvailable("bench"); });
}

}  // namespace distillery::cli
