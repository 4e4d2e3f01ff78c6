#include "app/cli/commands.h"

namespace distillery::cli {

void addPredictCommand(CLI::App& app, int& exitCode) {
  CLI::App* cmd = app.add_subcommand("predict", "Run a model over images and write COCO results");
  cmd->group("Models");
  cmd->allow_extras();
  cmd->callback([&exitCode] { exitCode = notYetAvailable("predict"); });
}

}  // namespace distillery::cli
