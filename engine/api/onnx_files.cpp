#include "engine/api/onnx_files.h"

#include "engine/onnx/onnx_conformance.h"
#include "engine/onnx/onnx_module.h"
#include "engine/onnx/onnx_tensor_proto.h"

namespace distillery {

Result<OnnxFileReport> inspectOnnxFile(const std::filesystem::path& file) {
  auto model = OnnxModel::load(file);
  if (!model) return model.status();
  const auto& m = **model;
  OnnxFileReport r;
  r.file = file.string();
  r.irVersion = m.proto().ir_version();
  r.producer = m.proto().producer_name() + " " + m.proto().producer_version();
  for (const auto& [domain, version] : m.opsets())
    r.opsets.push_back((domain.empty() ? "ai.onnx" : domain) + " " + std::to_string(version));
  for (const auto& v : m.inputs()) r.inputs.push_back(v.name + ": " + v.describe());
  for (const auto& v : m.outputs()) r.outputs.push_back(v.name + ": " + v.describe());
  r.nodes = m.graph().node_size();
  for (const auto& t : m.graph().initializer()) {
    long long n = 1;
    for (auto d : t.dims()) n *= d;
    r.parameters += n;
  }
  for (const auto& u : m.unsupportedNodes(OnnxOpRegistry::builtin()))
    r.unsupported.push_back(u.describe());
  return r;
}

Result<std::vector<std::string>> runOnnxFile(const std::filesystem::path& file,
                                             const std::filesystem::path& inputsDir,
                                             const std::filesystem::path& outDir) {
  auto module = OnnxModuleImpl::load(file);
  if (!module) return module.status();
  auto inputs = readInputTensors(inputsDir, (*module)->inputs().size());
  if (!inputs) return inputs.status();
  std::vector<torch::Tensor> outputs;
  try {
    torch::NoGradGuard noGrad;
    outputs = (*module)->forward(*inputs);
  } catch (const OnnxError& e) {
    return Status::error(e.what());
  } catch (const c10::Error& e) {
    return Status::error(file.string() + ": " + e.what_without_backtrace());
  }
  if (auto s = writeOutputTensors(outDir, outputs, (*module)->outputs()); !s) return s;
  std::vector<std::string> names;
  for (const auto& o : (*module)->outputs()) names.push_back(o.name);
  return names;
}

Result<OnnxConformanceSummary> runOnnxConformanceSuite(const std::filesystem::path& nodeDir,
                                                       const std::vector<std::string>& ops) {
  if (!std::filesystem::is_directory(nodeDir))
    return Status::error(nodeDir.string() +
                         ": not a folder of ONNX node tests (install Debian's libonnx-testdata: "
                         "/usr/share/libonnx-testdata/data/node)");
  OnnxConformanceSummary s;
  const auto results = runOnnxConformance(nodeDir, ops);
  for (const auto& r : results) {
    if (r.outcome == OnnxCaseOutcome::Passed) ++s.passed;
    if (r.outcome == OnnxCaseOutcome::Skipped) ++s.skipped;
    if (r.outcome == OnnxCaseOutcome::Failed) {
      ++s.failed;
      s.failures.push_back(r.name + " (" + r.op + "): " + r.detail);
    }
  }
  s.table = formatConformanceTable(tabulateConformance(results));
  return s;
}

}  // namespace distillery
