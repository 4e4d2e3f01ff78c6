// Training checkpoints: model parameters and buffers, optimiser state (AdamW's
// moments and step counts), the step, the RNG states (torch's CPU generator and an
// optional std::mt19937_64) and a JSON of metadata (model config, class names).
// Resuming from one continues bit-for-bit as if training had not stopped.
// Internal (torch).
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <filesystem>
#include <random>

#include <nlohmann/json.hpp>

#include "engine/util/status.h"

namespace distillery {

struct TrainingState {
  int64_t step = 0;
  nlohmann::json meta = nlohmann::json::object();
  std::mt19937_64* rng = nullptr;  // saved and restored when set
};

// Written to a temporary file and renamed, so a crash never leaves a half file.
Status saveCheckpoint(const std::filesystem::path& file, const torch::nn::Module& model,
                      const torch::optim::Optimizer* optimizer, const TrainingState& state);

// Loads into an existing model (and optimiser built over its parameters), restores
// the RNG states and fills state.step and state.meta. A missing optimiser state in
// the file is an error only when an optimiser is passed.
Status loadCheckpoint(const std::filesystem::path& file, torch::nn::Module& model,
                      torch::optim::Optimizer* optimizer, TrainingState& state);

// The metadata only, e.g. to rebuild the architecture before loading.
Result<nlohmann::json> readCheckpointMeta(const std::filesystem::path& file);

}  // namespace distillery
