#include "app/cli/commands.h"

namespace distillery::cli {

void addConvertCommand(CLI::App& app, int& exitCode) {
  CLI::App* cmd = app.add_subcommand("convert", "Convert between COCO, LabelMe, VIA, mask-PNG and YOLO-seg datasets");
  cmd->group("Data");
  cmd->allow_extras();
  cmd->callback([&exitCode] { exitCode = notYetAvailable("convert"); });
}

}  // namespace distillery::cli
