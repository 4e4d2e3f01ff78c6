#include "app/cli/commands.h"

namespace distillery::cli {

void addEvalCommand(CLI::App& app, int& exitCode) {
  CLI::App* cmd = app.add_subcommand("eval", "Evaluate COCO mask AP of results against ground truth");
  cmd->group("Data");
  cmd->allow_extras();
  cmd->callback([&exitCode] { exitCode = notYetAvailable("eval"); });
}

}  // namespace distillery::cli
