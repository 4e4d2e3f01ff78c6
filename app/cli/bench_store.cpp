#include "app/cli/commands.h"

namespace distillery::cli {

void addStoreBench(CLI::App& bench, int& exitCode) {
  CLI::App* cmd = bench.add_subcommand("store", "Project store at 100k images");
  cmd->allow_extras();
  cmd->callback([&exitCode] { exitCode = notYetAvailable("bench store"); });
}

}  // namespace distillery::cli
