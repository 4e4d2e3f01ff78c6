#include "app/cli/commands.h"

namespace distillery::cli {

void addProtocolBench(CLI::App& bench, int& exitCode) {
  CLI::App* cmd = bench.add_subcommand("protocol", "The end-to-end distillation protocol");
  cmd->allow_extras();
  cmd->callback([&exitCode] { exitCode = notYetAvailable("bench protocol"); });
}

}  // namespace distillery::cli
