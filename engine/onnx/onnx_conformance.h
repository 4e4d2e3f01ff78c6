// Conformance on the ONNX project's own backend node tests (Debian's
// libonnx-testdata: data/node/test_*/model.onnx with test_data_set_*/input_*.pb and
// output_*.pb). A case runs only when every node in it is claimed by the registry;
// otherwise it is skipped with the reason, never counted as passed. Outputs are
// compared with ONNX's backend-test tolerances. `onnx run` uses the same I/O code.
// Internal (torch).
#pragma once

#include <torch/torch.h>

#include <filesystem>
#include <string>
#include <vector>

#include "engine/onnx/onnx_module.h"
#include "engine/util/status.h"

namespace distillery {

struct OnnxTolerance {
  double rtol = 1e-3;  // onnx/backend/test/runner: the defaults
  double atol = 1e-7;
};

enum class OnnxCaseOutcome { Passed, Failed, Skipped };

struct OnnxCaseResult {
  std::string name;  // the case folder's name
  std::string op;    // the operator the case tests
  OnnxCaseOutcome outcome = OnnxCaseOutcome::Skipped;
  std::string detail;  // why skipped or failed
};

struct OnnxConformanceRow {
  std::string op;
  int passed = 0, failed = 0, skipped = 0;
  int total() const { return passed + failed + skipped; }
};

// Reads input_<i>.pb (i = 0, 1, ...) from a folder, in the graph's input order.
Result<std::vector<torch::Tensor>> readInputTensors(const std::filesystem::path& dir, size_t count);
// Writes each output as output_<i>.pb; nothing is left half written on failure.
Status writeOutputTensors(const std::filesystem::path& dir, const std::vector<torch::Tensor>& outputs,
                          const std::vector<OnnxValueInfo>& infos);
// Empty when `actual` matches `expected` (same dtype and shape, values within tolerance).
std::string compareTensors(const torch::Tensor& actual, const torch::Tensor& expected,
                           const OnnxTolerance& tolerance = {});

OnnxCaseResult runOnnxNodeCase(const std::filesystem::path& caseDir,
                               const OnnxOpRegistry& registry = OnnxOpRegistry::builtin());
// Every case under nodeDir whose operator is in `ops` (all when empty).
std::vector<OnnxCaseResult> runOnnxConformance(const std::filesystem::path& nodeDir,
                                               const std::vector<std::string>& ops = {});
std::vector<OnnxConformanceRow> tabulateConformance(const std::vector<OnnxCaseResult>& results);
// A Markdown table: operator, passed, failed, skipped, total, with a totals row.
std::string formatConformanceTable(const std::vector<OnnxConformanceRow>& rows);

}  // namespace distillery
