#include "engine/training/checkpoint.h"

#include <unistd.h>

#include <ATen/CPUGeneratorImpl.h>

#include <mutex>
#include <sstream>

namespace distillery {

namespace {

constexpr const char* kModel = "model";
constexpr const char* kOptimizer = "optimizer";
constexpr const char* kStep = "step";
constexpr const char* kMeta = "meta";
constexpr const char* kTorchRng = "rng_torch_cpu";
constexpr const char* kStdRng = "rng_std";
constexpr const char* kFormat = "format";
constexpr int64_t kFormatVersion = 1;

std::string errorText(const c10::Error& e) {
  return e.what_without_backtrace();
}

}  // namespace

Status saveCheckpoint(const std::filesystem::path& file, const torch::nn::Module& model,
                      const torch::optim::Optimizer* optimizer, const TrainingState& state) {
  // Per process, so two processes saving the same file never write one temporary.
  const std::filesystem::path tmp = file.string() + ".tmp-" + std::to_string(::getpid());
  try {
    torch::serialize::OutputArchive archive;
    archive.write(kFormat, c10::IValue(kFormatVersion));
    torch::serialize::OutputArchive modelArchive;
    model.save(modelArchive);
    archive.write(kModel, modelArchive);
    if (optimizer != nullptr) {
      torch::serialize::OutputArchive optArchive;
      optimizer->save(optArchive);
      archive.write(kOptimizer, optArchive);
    }
    archive.write(kStep, c10::IValue(state.step));
    archive.write(kMeta, c10::IValue(state.meta.dump()));
    {
      auto gen = at::detail::getDefaultCPUGenerator();
      std::lock_guard<std::mutex> lock(gen.mutex());
      archive.write(kTorchRng, gen.get_state());
    }
    if (state.rng != nullptr) {
      std::ostringstream s;
      s << *state.rng;
      archive.write(kStdRng, c10::IValue(s.str()));
    }
    std::filesystem::create_directories(file.has_parent_path() ? file.parent_path() : ".");
    archive.save_to(tmp.string());
    std::filesystem::rename(tmp, file);
  } catch (const c10::Error& e) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    return Status::error(file.string() + ": cannot write checkpoint: " + errorText(e));
  } catch (const std::filesystem::filesystem_error& e) {
    return Status::error(file.string() + ": cannot write checkpoint: " + e.what());
  }
  return {};
}

Status loadCheckpoint(const std::filesystem::path& file, torch::nn::Module& model,
                      torch::optim::Optimizer* optimizer, TrainingState& state) {
  if (!std::filesystem::is_regular_file(file))
    return Status::error(file.string() + ": checkpoint not found");
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(file.string());
    c10::IValue v;
    if (!archive.try_read(kFormat, v) || !v.isInt())
      return Status::error(file.string() + ": not a Distillery checkpoint (no format version)");
    torch::serialize::InputArchive modelArchive;
    if (!archive.try_read(kModel, modelArchive))
      return Status::error(file.string() + ": checkpoint has no model");
    try {
      model.load(modelArchive);
    } catch (const c10::Error& e) {
      return Status::error(file.string() +
                           ": model parameters do not fit this architecture: " + errorText(e));
    }
    if (optimizer != nullptr) {
      torch::serialize::InputArchive optArchive;
      if (!archive.try_read(kOptimizer, optArchive))
        return Status::error(
            file.string() + ": checkpoint has no optimizer state, expected one to resume training");
      optimizer->load(optArchive);
    }
    if (archive.try_read(kStep, v) && v.isInt()) state.step = v.toInt();
    if (archive.try_read(kMeta, v) && v.isString()) {
      state.meta = nlohmann::json::parse(v.toStringRef(), nullptr, false);
      if (state.meta.is_discarded())
        return Status::error(file.string() + ": checkpoint metadata is not valid JSON");
    }
    torch::Tensor rng;
    if (archive.try_read(kTorchRng, rng)) {
      auto gen = at::detail::getDefaultCPUGenerator();
      std::lock_guard<std::mutex> lock(gen.mutex());
      gen.set_state(rng);
    }
    if (state.rng != nullptr && archive.try_read(kStdRng, v) && v.isString()) {
      std::istringstream s(v.toStringRef());
      s >> *state.rng;
    }
  } catch (const c10::Error& e) {
    return Status::error(file.string() + ": cannot read checkpoint: " + errorText(e));
  }
  return {};
}

Result<nlohmann::json> readCheckpointMeta(const std::filesystem::path& file) {
  if (!std::filesystem::is_regular_file(file))
    return Status::error(file.string() + ": checkpoint not found");
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(file.string());
    c10::IValue v;
    if (!archive.try_read(kMeta, v) || !v.isString())
      return Status::error(file.string() + ": checkpoint has no metadata");
    nlohmann::json meta = nlohmann::json::parse(v.toStringRef(), nullptr, false);
    if (meta.is_discarded())
      return Status::error(file.string() + ": checkpoint metadata is not valid JSON");
    return meta;
  } catch (const c10::Error& e) {
    return Status::error(file.string() + ": cannot read checkpoint: " + errorText(e));
  }
}

}  // namespace distillery
