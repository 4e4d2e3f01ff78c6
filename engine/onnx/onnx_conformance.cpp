#include "engine/onnx/onnx_conformance.h"

#include <onnx/defs/schema.h>

#include <algorithm>
#include <map>
#include <set>

#include "engine/onnx/onnx_tensor_proto.h"

namespace distillery {

namespace {

namespace fs = std::filesystem;

std::string squash(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != '_') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The operator a case tests: its node's, or for a function expanded into several
// nodes (`test_<op>_..._expanded`), the schema whose name prefixes the case's.
std::string caseOperator(const std::string& caseName, const onnx::GraphProto& graph) {
  if (graph.node_size() == 1) return graph.node(0).op_type();
  static const std::vector<std::pair<std::string, std::string>> names = [] {
    std::vector<std::pair<std::string, std::string>> v;
    for (const auto& schema : onnx::OpSchemaRegistry::get_all_schemas())
      if (schema.domain().empty()) v.emplace_back(squash(schema.Name()), schema.Name());
    v.emplace_back("batchnorm", "BatchNormalization");
    v.emplace_back("instancenorm", "InstanceNormalization");
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
      return a.first.size() > b.first.size();  // longest prefix first
    });
    return v;
  }();
  const std::string key = squash(caseName.substr(caseName.rfind("test_", 0) == 0 ? 5 : 0));
  for (const auto& [squashed, name] : names)
    if (key.rfind(squashed, 0) == 0) return name;
  return "(multi-node)";
}

std::string shapeOf(const torch::Tensor& t) {
  std::string s = "[";
  for (int64_t d = 0; d < t.dim(); ++d) s += (d ? "," : "") + std::to_string(t.size(d));
  return s + "]";
}

}  // namespace

Result<std::vector<torch::Tensor>> readInputTensors(const fs::path& dir, size_t count) {
  std::vector<torch::Tensor> inputs;
  for (size_t i = 0; i < count; ++i) {
    const auto file = dir / ("input_" + std::to_string(i) + ".pb");
    if (!fs::exists(file))
      return Status::error(file.string() + ": missing (the graph has " + std::to_string(count) +
                           " input(s): input_0.pb ... in the graph's order)");
    auto t = readTensorFile(file);
    if (!t) return t.status();
    inputs.push_back(*t);
  }
  return inputs;
}

Status writeOutputTensors(const fs::path& dir, const std::vector<torch::Tensor>& outputs,
                          const std::vector<OnnxValueInfo>& infos) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::error(dir.string() + ": cannot create: " + ec.message());
  for (size_t i = 0; i < outputs.size(); ++i) {
    const auto file = dir / ("output_" + std::to_string(i) + ".pb");
    if (auto s = writeTensorFile(file, outputs[i], i < infos.size() ? infos[i].name : ""); !s)
      return s;
  }
  return {};
}

std::string compareTensors(const torch::Tensor& actual, const torch::Tensor& expected,
                           const OnnxTolerance& tol) {
  if (actual.scalar_type() != expected.scalar_type())
    return std::string("dtype ") + c10::toString(actual.scalar_type()) + ", expected " +
           c10::toString(expected.scalar_type());
  if (actual.sizes() != expected.sizes())
    return "shape " + shapeOf(actual) + ", expected " + shapeOf(expected);
  auto a = actual.to(torch::kCPU);
  if (!a.is_floating_point()) {
    if (!torch::equal(a, expected)) return "values differ (exact comparison)";
    return {};
  }
  auto ad = a.to(torch::kDouble), ed = expected.to(torch::kDouble);
  auto bothNan = ad.isnan() & ed.isnan();
  auto sameInf = ad.isinf() & ed.isinf() & (ad == ed);
  auto diff = (ad - ed).abs();
  auto bad = ~(bothNan | sameInf | (diff <= tol.atol + tol.rtol * ed.abs()));
  if (bad.any().item<bool>()) {
    auto d = torch::where(bad, diff, torch::zeros_like(diff));
    return "max |diff| " + std::to_string(d.max().item<double>()) + " at " +
           std::to_string(bad.sum().item<int64_t>()) + " of " + std::to_string(ad.numel()) +
           " values";
  }
  return {};
}

OnnxCaseResult runOnnxNodeCase(const fs::path& caseDir, const OnnxOpRegistry& registry) {
  OnnxCaseResult r;
  r.name = caseDir.filename().string();
  auto model = OnnxModel::load(caseDir / "model.onnx");
  if (!model) {
    r.detail = model.status().message();
    return r;  // skipped: the file itself is unusable here
  }
  r.op = caseOperator(r.name, (*model)->graph());
  const auto bad = (*model)->unsupportedNodes(registry);
  if (!bad.empty()) {
    r.detail = bad.front().describe();
    return r;
  }
  auto module = OnnxModuleImpl::create(*model, OnnxModuleImpl::Options{}, registry);
  if (!module) {
    r.outcome = OnnxCaseOutcome::Failed;
    r.detail = module.status().message();
    return r;
  }
  torch::NoGradGuard noGrad;
  std::vector<fs::path> sets;
  for (const auto& e : fs::directory_iterator(caseDir))
    if (e.is_directory() && e.path().filename().string().rfind("test_data_set_", 0) == 0)
      sets.push_back(e.path());
  std::sort(sets.begin(), sets.end());
  r.outcome = OnnxCaseOutcome::Passed;
  for (const auto& set : sets) {
    auto inputs = readInputTensors(set, (*module)->inputs().size());
    if (!inputs) {
      r.outcome = OnnxCaseOutcome::Skipped;
      r.detail = inputs.status().message();
      return r;
    }
    std::vector<torch::Tensor> outputs;
    try {
      outputs = (*module)->forward(*inputs);
    } catch (const std::exception& e) {
      r.outcome = OnnxCaseOutcome::Failed;
      r.detail = e.what();
      return r;
    }
    for (size_t i = 0; i < outputs.size(); ++i) {
      const auto file = set / ("output_" + std::to_string(i) + ".pb");
      auto expected = readTensorFile(file);
      if (!expected) {
        r.outcome = OnnxCaseOutcome::Skipped;
        r.detail = expected.status().message();
        return r;
      }
      std::string why = compareTensors(outputs[i], *expected);
      if (!why.empty()) {
        r.outcome = OnnxCaseOutcome::Failed;
        r.detail = set.filename().string() + " output " + std::to_string(i) + ": " + why;
        return r;
      }
    }
  }
  return r;
}

std::vector<OnnxCaseResult> runOnnxConformance(const fs::path& nodeDir,
                                               const std::vector<std::string>& ops) {
  std::vector<fs::path> cases;
  for (const auto& e : fs::directory_iterator(nodeDir))
    if (e.is_directory() && fs::exists(e.path() / "model.onnx")) cases.push_back(e.path());
  std::sort(cases.begin(), cases.end());
  const std::set<std::string> wanted(ops.begin(), ops.end());
  std::vector<OnnxCaseResult> results;
  for (const auto& c : cases) {
    if (!wanted.empty()) {
      auto model = OnnxModel::load(c / "model.onnx");
      if (!model || !wanted.count(caseOperator(c.filename().string(), (*model)->graph()))) continue;
    }
    results.push_back(runOnnxNodeCase(c));
  }
  return results;
}

std::vector<OnnxConformanceRow> tabulateConformance(const std::vector<OnnxCaseResult>& results) {
  std::map<std::string, OnnxConformanceRow> rows;
  for (const auto& r : results) {
    auto& row = rows[r.op.empty() ? "(unreadable)" : r.op];
    row.op = r.op.empty() ? "(unreadable)" : r.op;
    if (r.outcome == OnnxCaseOutcome::Passed) ++row.passed;
    if (r.outcome == OnnxCaseOutcome::Failed) ++row.failed;
    if (r.outcome == OnnxCaseOutcome::Skipped) ++row.skipped;
  }
  std::vector<OnnxConformanceRow> out;
  for (auto& [op, row] : rows) out.push_back(row);
  return out;
}

std::string formatConformanceTable(const std::vector<OnnxConformanceRow>& rows) {
  std::string s = "| operator | passed | failed | skipped | total |\n|---|---|---|---|---|\n";
  OnnxConformanceRow sum;
  for (const auto& r : rows) {
    s += "| " + r.op + " | " + std::to_string(r.passed) + " | " + std::to_string(r.failed) + " | " +
         std::to_string(r.skipped) + " | " + std::to_string(r.total()) + " |\n";
    sum.passed += r.passed;
    sum.failed += r.failed;
    sum.skipped += r.skipped;
  }
  s += "| **all** | " + std::to_string(sum.passed) + " | " + std::to_string(sum.failed) + " | " +
       std::to_string(sum.skipped) + " | " + std::to_string(sum.total()) + " |\n";
  return s;
}

}  // namespace distillery
