#include "app/cli/commands.h"

namespace distillery::cli {

void addTeacherCommand(CLI::App& app, int& exitCode) {
  CLI::App* cmd = app.add_subcommand("teacher", "Check a TorchScript teacher against the contract");
  cmd->group("Models");
  cmd->allow_extras();
  cmd->callback([&exitCode] { exitCode = notYetAvailable("teacher"); });
}

}  // namespace distillery::cli
