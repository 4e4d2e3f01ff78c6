#include "app/cli/commands.h"

namespace distillery::cli {

void addWorldCommand(CLI::App& app, int& exitCode) {
  CLI::App* cmd = app.add_subcommand("world", "Generate the synthetic domain-shift world");
  cmd->group("Data");
  cmd->allow_extras();
  cmd->callback([&exitCode] { exitCode = notYetAvailable("world"); });
}

}  // namespace distillery::cli
