// ONNX files from the command line and the workbench, without torch types:
// what a file holds and whether this build can run it (`onnx check`), running it
// on TensorProto files (`onnx run`), and the conformance table on ONNX's own node
// tests (`onnx conformance`). The executor is engine/onnx/.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/util/status.h"

namespace distillery {

struct OnnxFileReport {
  std::string file;
  long long irVersion = 0;
  std::string producer;
  std::vector<std::string> opsets;   // "ai.onnx 17", "com.microsoft 1"
  std::vector<std::string> inputs;   // "point_coords: float32 [1,num_points,2]"
  std::vector<std::string> outputs;
  int nodes = 0;
  long long parameters = 0;          // elements in the initializers
  std::vector<std::string> unsupported;  // one line per node that cannot run
};

// Parses, checks and shape-infers the file; an unreadable or invalid file is an
// error, unsupported nodes are listed in the report.
Result<OnnxFileReport> inspectOnnxFile(const std::filesystem::path& file);

// Runs the file on inputsDir/input_<i>.pb (the graph's inputs in order) and writes
// outDir/output_<i>.pb. Returns the output names written.
Result<std::vector<std::string>> runOnnxFile(const std::filesystem::path& file,
                                             const std::filesystem::path& inputsDir,
                                             const std::filesystem::path& outDir);

struct OnnxConformanceSummary {
  std::string table;                 // Markdown: operator, passed, failed, skipped, total
  int passed = 0, failed = 0, skipped = 0;
  std::vector<std::string> failures;  // "case (op): why"
};
Result<OnnxConformanceSummary> runOnnxConformanceSuite(const std::filesystem::path& nodeDir,
                                                       const std::vector<std::string>& ops = {});

}  // namespace distillery
