// The JSON sidecar next to a TorchScript model (the teacher contract,
// ARCHITECTURE.md): class names, COCO category ids, normalisation, size
// divisibility, contract version. FILE.pt's sidecar is FILE.json; FILE.pt.json is
// accepted too. Torch-free.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/util/status.h"

namespace distillery {

constexpr int kContractVersion = 1;

struct ModelSidecar {
  int contractVersion = kContractVersion;
  std::vector<std::string> classNames;  // K names, index = class column in pred_logits
  std::vector<int64_t> categoryIds;     // COCO category id per class; empty = 1..K
  // Normalisation of RGB in [0,1]; when insideModel is false the caller applies it.
  std::array<float, 3> mean{0.485f, 0.456f, 0.406f};
  std::array<float, 3> std{0.229f, 0.224f, 0.225f};
  bool normalizationInside = true;
  int sizeDivisibility = 32;
  int inputSize = 0;  // long image side the model expects (0 = any; keep the image size)
  // Informative: what produced the file.
  std::string arch;
  int numQueries = 0;
  int maskStride = 4;
  nlohmann::json modelConfig;  // the segmenter config for Distillery's own models

  // Category id of class index k.
  int64_t categoryId(size_t k) const {
    return k < categoryIds.size() ? categoryIds[k] : static_cast<int64_t>(k) + 1;
  }
};

// FILE.pt -> FILE.json.
std::filesystem::path sidecarPath(const std::filesystem::path& model);
// FILE.json, else FILE.pt.json, else nothing.
std::optional<std::filesystem::path> findSidecar(const std::filesystem::path& model);

nlohmann::json toJson(const ModelSidecar& s);
Result<ModelSidecar> sidecarFromJson(const nlohmann::json& j, const std::string& name);
Result<ModelSidecar> readSidecar(const std::filesystem::path& file);
Status writeSidecar(const ModelSidecar& s, const std::filesystem::path& file);

}  // namespace distillery
