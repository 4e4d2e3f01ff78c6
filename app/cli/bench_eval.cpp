#include "app/cli/commands.h"

namespace distillery::cli {

void addEvalBench(CLI::App& bench, int& exitCode) {
  CLI::App* cmd = bench.add_subcommand("eval", "COCO mask AP evaluation throughput");
  cmd->allow_extras();
  cmd->callback([&exitCode] { exitCode = notYetAvailable("bench eval"); });
}

}  // namespace distillery::cli
