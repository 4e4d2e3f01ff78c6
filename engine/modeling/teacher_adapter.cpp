#include "engine/modeling/teacher_adapter.h"

#include "engine/modeling/allocator_tuning.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

namespace distillery {

namespace {

constexpr const char* kExpectedDict =
    "expected Dict[str,Tensor] with pred_logits [B,Q,K+1], pred_masks [B,Q,h,w] and optionally "
    "pixel_embed [B,D,h,w]";

std::string firstLine(const std::string& s) {
  const auto n = s.find('\n');
  return n == std::string::npos ? s : s.substr(0, n);
}

// The interpreter's message ends with the Python-style error line; keep that.
std::string errorLine(const std::string& s) {
  for (const char* marker : {"RuntimeError: ", "Error: "}) {
    const auto at = s.rfind(marker);
    if (at != std::string::npos) return firstLine(s.substr(at));
  }
  return firstLine(s);
}

std::string shapeText(const torch::Tensor& t) {
  std::ostringstream s;
  s << t.sizes();
  return s.str();
}

std::string dtypeText(const torch::Tensor& t) {
  return std::string(c10::toString(t.scalar_type()));
}

// Checks one tensor output; appends violations. rank 0 = optional and absent is fine.
const torch::Tensor* checkOutput(const c10::Dict<c10::IValue, c10::IValue>& dict,
                                 const std::string& key, int64_t rank, const std::string& shape,
                                 bool required, const std::string& file,
                                 std::vector<std::string>& problems, torch::Tensor& holder) {
  c10::IValue k(key);
  if (!dict.contains(k)) {
    if (required) problems.push_back(file + ": output '" + key + "' missing; " + kExpectedDict);
    return nullptr;
  }
  const c10::IValue v = dict.at(k);
  if (!v.isTensor()) {
    problems.push_back(file + ": output '" + key + "' is a " + v.tagKind() +
                       ", expected a Tensor " + shape);
    return nullptr;
  }
  holder = v.toTensor();
  if (holder.dim() != rank) {
    problems.push_back(file + ": output '" + key + "' has shape " + shapeText(holder) + " (rank " +
                       std::to_string(holder.dim()) + "), expected rank " + std::to_string(rank) +
                       " " + shape);
    return nullptr;
  }
  if (!holder.is_floating_point()) {
    problems.push_back(file + ": output '" + key + "' has dtype " + dtypeText(holder) +
                       ", expected a floating-point tensor (float32)");
    return nullptr;
  }
  return &holder;
}

std::string joinProblems(const std::vector<std::string>& problems) {
  std::string s;
  for (const auto& p : problems) s += (s.empty() ? "" : "\n") + p;
  return s;
}

}  // namespace

std::string parameterBlock(const std::string& name) {
  std::vector<std::string> parts;
  std::stringstream ss(name);
  for (std::string part; std::getline(ss, part, '.');) parts.push_back(part);
  if (parts.size() <= 1) return "";
  int lastNumeric = -1;
  for (int i = 0; i + 1 < static_cast<int>(parts.size()); ++i)
    if (!parts[i].empty() && std::all_of(parts[i].begin(), parts[i].end(),
                                         [](unsigned char c) { return std::isdigit(c); }))
      lastNumeric = i;
  const size_t end = lastNumeric >= 0 ? static_cast<size_t>(lastNumeric) + 1 : parts.size() - 1;
  std::string block;
  for (size_t i = 0; i < end; ++i) block += (i ? "." : "") + parts[i];
  return block;
}

Result<TeacherAdapter> TeacherAdapter::load(const std::filesystem::path& file,
                                            const TeacherLoadOptions& options) {
  const std::string name = file.filename().string();
  if (!std::filesystem::is_regular_file(file))
    return Status::error(file.string() + ": teacher file not found");
  keepFreedTensorMemory();
  TeacherAdapter t;
  t.device_ = options.device;
  t.summary_.file = file.string();
  if (auto side = findSidecar(file)) {
    auto s = readSidecar(*side);
    if (!s) return s.status();
    t.sidecar_ = *s;
    t.summary_.sidecarFile = side->string();
  }
  try {
    t.module_ = torch::jit::load(file.string(), options.device);
  } catch (const c10::Error& e) {
    return Status::error(name +
                         ": cannot load as TorchScript: " + firstLine(e.what_without_backtrace()));
  }
  if (!t.module_.find_method("forward"))
    return Status::error(name + ": module has no forward method; " + kExpectedDict);

  // The probe: a small batch of 2 so a batch size baked in by tracing shows up.
  const int div = std::max(1, t.sidecar_.sizeDivisibility);
  const int side = (std::max(64, div) + div - 1) / div * div;
  t.summary_.probeBatch = 2;
  t.summary_.probeSize = side;
  t.summary_.sizeDivisibility = t.sidecar_.sizeDivisibility;
  t.summary_.normalizationInside = t.sidecar_.normalizationInside;
  c10::IValue out;
  try {
    t.module_.eval();
    torch::NoGradGuard noGrad;
    torch::Tensor probe =
        torch::rand({2, 3, side, side}, torch::TensorOptions().device(options.device));
    if (!t.sidecar_.normalizationInside) {
      // The caller normalises: so does the probe.
      torch::Tensor mean =
          torch::tensor(std::vector<float>(t.sidecar_.mean.begin(), t.sidecar_.mean.end()))
              .view({1, 3, 1, 1})
              .to(options.device);
      torch::Tensor std =
          torch::tensor(std::vector<float>(t.sidecar_.std.begin(), t.sidecar_.std.end()))
              .view({1, 3, 1, 1})
              .to(options.device);
      probe = (probe - mean) / std;
    }
    out = t.module_.forward({probe});
  } catch (const std::exception& e) {  // c10::Error and the interpreter's JITException
    const auto* c10 = dynamic_cast<const c10::Error*>(&e);
    return Status::error(
        name + ": forward on a [2,3," + std::to_string(side) + "," + std::to_string(side) +
        "] float32 batch failed: " + errorLine(c10 ? c10->what_without_backtrace() : e.what()) +
        "; " + kExpectedDict);
  }
  if (!out.isGenericDict())
    return Status::error(name + ": forward returned " + out.tagKind() + "; " + kExpectedDict);
  const auto dict = out.toGenericDict();
  std::vector<std::string> problems;
  for (const auto& entry : dict)
    if (!entry.key().isString())
      problems.push_back(name + ": output dict has a non-string key; " + kExpectedDict);
  torch::Tensor logitsHolder, masksHolder, embedHolder;
  const torch::Tensor* logits =
      checkOutput(dict, "pred_logits", 3, "[B,Q,K+1]", true, name, problems, logitsHolder);
  const torch::Tensor* masks =
      checkOutput(dict, "pred_masks", 4, "[B,Q,h,w]", true, name, problems, masksHolder);
  const torch::Tensor* embed =
      checkOutput(dict, "pixel_embed", 4, "[B,D,h,w]", false, name, problems, embedHolder);
  auto batchOk = [&](const torch::Tensor* x, const std::string& key) {
    if (x != nullptr && x->size(0) != 2)
      problems.push_back(name + ": output '" + key + "' has batch " + std::to_string(x->size(0)) +
                         " for an input batch of 2, expected the input's batch size (was a batch "
                         "baked in by tracing?)");
  };
  batchOk(logits, "pred_logits");
  batchOk(masks, "pred_masks");
  batchOk(embed, "pixel_embed");
  if (logits != nullptr && logits->size(2) < 2)
    problems.push_back(name + ": output 'pred_logits' has " + std::to_string(logits->size(2)) +
                       " columns, expected K+1 >= 2 (K classes and no-object last)");
  if (logits != nullptr && masks != nullptr && logits->size(1) != masks->size(1))
    problems.push_back(name + ": 'pred_logits' has " + std::to_string(logits->size(1)) +
                       " queries but 'pred_masks' has " + std::to_string(masks->size(1)) +
                       ", expected the same Q");
  if (logits != nullptr) {
    const int k = static_cast<int>(logits->size(2)) - 1;
    t.summary_.numQueries = static_cast<int>(logits->size(1));
    t.summary_.numClasses = k;
    if (!t.sidecar_.classNames.empty() && static_cast<int>(t.sidecar_.classNames.size()) != k)
      problems.push_back(std::filesystem::path(t.summary_.sidecarFile).filename().string() + ": " +
                         std::to_string(t.sidecar_.classNames.size()) +
                         " class_names, but 'pred_logits' has " + std::to_string(k) +
                         " classes (+ no-object); expected one name per class");
    if (!options.expectedClasses.empty() && static_cast<int>(options.expectedClasses.size()) != k)
      problems.push_back(name + ": output 'pred_logits' has " + std::to_string(k + 1) +
                         " columns (" + std::to_string(k) + " classes + no-object), expected " +
                         std::to_string(options.expectedClasses.size()) +
                         " classes + no-object for this project");
    for (int i = 0; i < k; ++i)
      t.summary_.classNames.push_back(i < static_cast<int>(t.sidecar_.classNames.size())
                                          ? t.sidecar_.classNames[static_cast<size_t>(i)]
                                          : "class_" + std::to_string(i));
  }
  if (masks != nullptr) {
    t.summary_.maskHeight = static_cast<int>(masks->size(2));
    t.summary_.maskWidth = static_cast<int>(masks->size(3));
  }
  if (embed != nullptr) {
    t.summary_.hasPixelEmbed = true;
    t.summary_.embedDim = static_cast<int>(embed->size(1));
  }
  if (!problems.empty()) return Status::error(joinProblems(problems));
  for (const auto& p : t.module_.parameters()) t.summary_.params += p.numel();
  return t;
}

ContractOutput TeacherAdapter::run(const torch::Tensor& images) {
  torch::Tensor x = images.to(device_, torch::kFloat32);
  if (!sidecar_.normalizationInside) {
    torch::Tensor mean =
        torch::tensor(std::vector<float>(sidecar_.mean.begin(), sidecar_.mean.end()))
            .view({1, 3, 1, 1})
            .to(device_);
    torch::Tensor std = torch::tensor(std::vector<float>(sidecar_.std.begin(), sidecar_.std.end()))
                            .view({1, 3, 1, 1})
                            .to(device_);
    x = (x - mean) / std;
  }
  auto dict = module_.forward({x}).toGenericDict();
  ContractOutput out;
  out.predLogits = dict.at("pred_logits").toTensor();
  out.predMasks = dict.at("pred_masks").toTensor();
  if (dict.contains("pixel_embed")) out.pixelEmbed = dict.at("pixel_embed").toTensor();
  return out;
}

ContractOutput TeacherAdapter::predict(const torch::Tensor& images) {
  const bool wasTraining = module_.is_training();
  module_.eval();
  torch::NoGradGuard noGrad;
  // Distillery's exports are traced with batched kernels; for a single image ATen
  // falls back to slow ones (docs/models.md), and a batch of two identical images
  // is 2x faster than one image alone.
  const bool pair = images.size(0) == 1 && !sidecar_.modelConfig.is_null();
  ContractOutput out = run(pair ? torch::cat({images, images}) : images);
  if (pair) {
    out.predLogits = out.predLogits.narrow(0, 0, 1);
    out.predMasks = out.predMasks.narrow(0, 0, 1);
    if (out.pixelEmbed.defined()) out.pixelEmbed = out.pixelEmbed.narrow(0, 0, 1);
  }
  module_.train(wasTraining);
  return out;
}

ContractOutput TeacherAdapter::forward(const torch::Tensor& images) {
  return run(images);
}

void TeacherAdapter::train(bool on) {
  module_.train(on);
}

int TeacherAdapter::setTrainable(const TrainableSelection& selection) {
  std::set<std::string> chosenBlocks;
  if (selection.mode == TrainableSelection::Mode::LastBlocks) {
    const auto blocks = parameterBlocks();
    const int n = std::min<int>(std::max(selection.lastBlocks, 0), static_cast<int>(blocks.size()));
    chosenBlocks.insert(blocks.end() - n, blocks.end());
  }
  int trainable = 0;
  for (const auto& p : module_.named_parameters()) {
    bool on = false;
    switch (selection.mode) {
      case TrainableSelection::Mode::None:
        on = false;
        break;
      case TrainableSelection::Mode::All:
        on = true;
        break;
      case TrainableSelection::Mode::LastBlocks:
        on = chosenBlocks.count(parameterBlock(p.name)) > 0;
        break;
      case TrainableSelection::Mode::Prefixes:
        on = std::any_of(selection.prefixes.begin(), selection.prefixes.end(),
                         [&](const std::string& prefix) { return p.name.rfind(prefix, 0) == 0; });
        break;
    }
    p.value.set_requires_grad(on);
    trainable += on ? 1 : 0;
  }
  return trainable;
}

std::vector<torch::Tensor> TeacherAdapter::trainableParameters() const {
  std::vector<torch::Tensor> out;
  for (const auto& p : module_.parameters())
    if (p.requires_grad()) out.push_back(p);
  return out;
}

std::vector<std::string> TeacherAdapter::parameterBlocks() const {
  std::vector<std::string> blocks;
  std::set<std::string> seen;
  for (const auto& p : module_.named_parameters()) {
    std::string b = parameterBlock(p.name);
    if (seen.insert(b).second) blocks.push_back(b);
  }
  return blocks;
}

Status TeacherAdapter::save(const std::filesystem::path& file) const {
  try {
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
    module_.save(file.string());
  } catch (const c10::Error& e) {
    return Status::error(file.string() + ": cannot save: " + firstLine(e.what_without_backtrace()));
  }
  ModelSidecar s = sidecar_;
  if (s.classNames.empty()) s.classNames = summary_.classNames;
  return writeSidecar(s, sidecarPath(file));
}

Result<TeacherSummary> checkTeacher(const std::filesystem::path& file,
                                    const std::vector<std::string>& expectedClasses) {
  TeacherLoadOptions options;
  options.expectedClasses = expectedClasses;
  auto t = TeacherAdapter::load(file, options);
  if (!t) return t.status();
  return t->summary();
}

}  // namespace distillery
