// Precompiled header for the torch-heavy engine translation units.
// Parsing <torch/torch.h> costs ~10 s per TU; compile it once per target.
#pragma once
#include <torch/torch.h>
#include <torch/script.h>
#include <opencv2/core.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
