// Subcommands of distillery-cli. Each add*Command registers one subcommand
// group on the app; its callback stores the process exit code in exitCode.
#pragma once

#include <CLI/CLI.hpp>

namespace distillery::cli {

void addEvalCommand(CLI::App& app, int& exitCode);
void addConvertCommand(CLI::App& app, int& exitCode);
void addWorldCommand(CLI::App& app, int& exitCode);
void addProjectCommand(CLI::App& app, int& exitCode);
void addModelCommand(CLI::App& app, int& exitCode);
void addTeacherCommand(CLI::App& app, int& exitCode);
void addPredictCommand(CLI::App& app, int& exitCode);
void addPretrainCommand(CLI::App& app, int& exitCode);
void addRunCommand(CLI::App& app, int& exitCode);
void addBenchCommand(CLI::App& app, int& exitCode);
void addOnnxCommand(CLI::App& app, int& exitCode);
void addSegmentCommand(CLI::App& app, int& exitCode);

// Benchmarks, one `distillery-cli bench <name>` each (app/cli/bench_<name>.cpp).
void addEvalBench(CLI::App& bench, int& exitCode);
void addWorldBench(CLI::App& bench, int& exitCode);
void addStoreBench(CLI::App& bench, int& exitCode);
void addModelBench(CLI::App& bench, int& exitCode);
void addProtocolBench(CLI::App& bench, int& exitCode);
void addOnnxBench(CLI::App& bench, int& exitCode);
void addSamQualityBench(CLI::App& bench, int& exitCode);

// Exit codes shared by every subcommand.
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;      // the command ran and reports a failure
constexpr int kExitBadInput = 2;     // bad arguments or unusable input
constexpr int kExitUnavailable = 3;  // not available in this build

// Prints "distillery-cli <what>: not available yet" and returns kExitUnavailable.
int notYetAvailable(const std::string& what);

}  // namespace distillery::cli
