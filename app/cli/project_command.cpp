#include "app/cli/commands.h"

namespace distillery::cli {

void addProjectCommand(CLI::App& app, int& exitCode) {
  CLI::App* cmd = app.add_subcommand("project", "Create, import into, inspect and export projects");
  cmd->group("Project");
  cmd->allow_extras();
  cmd->callback([&exitCode] { exitCode = notYetAvailable("project"); });
}

}  // namespace distillery::cli
