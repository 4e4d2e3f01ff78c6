#include "app/cli/commands.h"

namespace distillery::cli {

void addModelCommand(CLI::App& app, int& exitCode) {
  CLI::App* cmd = app.add_subcommand("model", "Inspect and export the built-in model family");
  cmd->group("Models");
  cmd->allow_extras();
  cmd->callback([&exitCode] { exitCode = notYetAvailable("model"); });
}

}  // namespace distillery::cli
