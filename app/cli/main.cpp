// distillery-cli: the headless front end. Runs without a display.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "app/cli/commands.h"
#include "engine/api/device.h"

namespace distillery::cli {

int notYetAvailable(const std::string& what) {
  std::cerr << "distillery-cli " << what << ": not available yet in this build\n";
  return kExitUnavailable;
}

}  // namespace distillery::cli

int main(int argc, char** argv) {
  using namespace distillery::cli;
  CLI::App app{"Distillery: distil a vision foundation model into a compact student expert.",
               "distillery-cli"};
  app.set_version_flag("--version", std::string("distillery-cli ") + DISTILLERY_VERSION);
  app.require_subcommand(1);
  bool verbose = false;
  int threads = 0;
  app.add_flag("-v,--verbose", verbose, "Log debug messages");
  app.add_option("--threads", threads, "CPU threads for tensor math (0 = LibTorch default)");

  int exitCode = kExitOk;
  addConvertCommand(app, exitCode);
  addWorldCommand(app, exitCode);
  addEvalCommand(app, exitCode);
  addProjectCommand(app, exitCode);
  addModelCommand(app, exitCode);
  addOnnxCommand(app, exitCode);
  addSegmentCommand(app, exitCode);
  addTeacherCommand(app, exitCode);
  addPredictCommand(app, exitCode);
  addPretrainCommand(app, exitCode);
  addRunCommand(app, exitCode);
  addBenchCommand(app, exitCode);

  app.parse_complete_callback([&] {
    spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::info);
    distillery::setComputeThreads(threads);
  });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    // Reaching here means an engine bug, not bad input: say so plainly.
    std::cerr << "distillery-cli: internal error: " << e.what() << "\n";
    return kExitFailure;
  }
  return exitCode;
}
