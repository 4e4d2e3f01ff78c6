// distillery-cli onnx: check, run and test ONNX files on the engine's executor.
#include <iostream>
#include <memory>

#include "app/cli/commands.h"
#include "engine/api/onnx_files.h"

namespace distillery::cli {

namespace {

struct OnnxArgs {
  std::string file;
  std::string inputs;
  std::string out;
  std::string dataDir = "/usr/share/libonnx-testdata/data/node";
  std::vector<std::string> ops;
};

int runCheck(const OnnxArgs& a) {
  auto r = inspectOnnxFile(a.file);
  if (!r) {
    std::cerr << r.status().message() << "\n";
    return kExitBadInput;
  }
  std::cout << r->file << ": ONNX IR " << r->irVersion << ", " << r->nodes << " nodes, "
            << r->parameters << " initializer values";
  if (!r->producer.empty() && r->producer != " ") std::cout << ", from " << r->producer;
  std::cout << "\nopsets:";
  for (const auto& o : r->opsets) std::cout << " " << o;
  std::cout << "\ninputs:\n";
  for (const auto& i : r->inputs) std::cout << "  " << i << "\n";
  std::cout << "outputs:\n";
  for (const auto& o : r->outputs) std::cout << "  " << o << "\n";
  if (r->unsupported.empty()) {
    std::cout << "every node can run on this executor\n";
    return kExitOk;
  }
  std::cout << r->unsupported.size() << " node(s) cannot run on this executor:\n";
  for (const auto& u : r->unsupported) std::cout << "  " << u << "\n";
  return kExitBadInput;
}

int runRun(const OnnxArgs& a) {
  auto names = runOnnxFile(a.file, a.inputs, a.out);
  if (!names) {
    std::cerr << names.status().message() << "\n";
    return kExitBadInput;
  }
  for (size_t i = 0; i < names->size(); ++i)
    std::cout << a.out << "/output_" << i << ".pb  " << (*names)[i] << "\n";
  return kExitOk;
}

int runConformance(const OnnxArgs& a) {
  auto s = runOnnxConformanceSuite(a.dataDir, a.ops);
  if (!s) {
    std::cerr << s.status().message() << "\n";
    return kExitBadInput;
  }
  std::cout << s->table;
  for (const auto& f : s->failures) std::cout << "FAILED " << f << "\n";
  return s->failed == 0 ? kExitOk : kExitFailure;
}

}  // namespace

void addOnnxCommand(CLI::App& app, int& exitCode) {
  CLI::App* cmd = app.add_subcommand("onnx", "Check and run ONNX files on the LibTorch executor");
  cmd->group("Models");
  cmd->require_subcommand(1);
  auto a = std::make_shared<OnnxArgs>();

  auto check = cmd->add_subcommand(
      "check", "Inputs, outputs, opsets and every node this build cannot run (exit 2 if any)");
  check->add_option("FILE", a->file, "An .onnx file")->required();
  check->callback([a, &exitCode] { exitCode = runCheck(*a); });

  auto run = cmd->add_subcommand(
      "run", "Run on TensorProto inputs (input_0.pb ... in the graph's order), write output_<i>.pb");
  run->add_option("FILE", a->file, "An .onnx file")->required();
  run->add_option("--inputs", a->inputs, "Folder with input_0.pb, input_1.pb, ...")->required();
  run->add_option("--out", a->out, "Folder for output_0.pb, ...")->required();
  run->callback([a, &exitCode] { exitCode = runRun(*a); });

  auto conf = cmd->add_subcommand(
      "conformance", "Run ONNX's own node tests: per operator passed, failed, skipped (exit 1 on a failure)");
  conf->add_option("--data", a->dataDir, "Folder of node test cases (libonnx-testdata)");
  conf->add_option("--op", a->ops, "Only these operators (repeatable)");
  conf->callback([a, &exitCode] { exitCode = runConformance(*a); });
}

}  // namespace distillery::cli
