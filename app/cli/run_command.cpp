#include "app/cli/commands.h"

namespace distillery::cli {

void addRunCommand(CLI::App& app, int& exitCode) {
  CLI::App* cmd = app.add_subcommand("run", "Run a distillation recipe on a project");
  cmd->group("Training");
  cmd->allow_extras();
  cmd->callback([&exitCode] { exitCode = notYetAvailable("run"); });
}

}  // namespace distillery::cli
