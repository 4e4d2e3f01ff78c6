#include "app/cli/commands.h"

namespace distillery::cli {

void addPretrainCommand(CLI::App& app, int& exitCode) {
  CLI::App* cmd = app.add_subcommand("pretrain", "Pretrain the reference teacher on source-world data");
  cmd->group("Training");
  cmd->allow_extras();
  cmd->callback([&exitCode] { exitCode = notYetAvailable("pretrain"); });
}

}  // namespace distillery::cli
