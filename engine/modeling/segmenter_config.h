// The shape of one query-based instance segmenter (Mask2Former style) and the
// named presets of the family: tiny (tests), student-s, student-m, teacher-l. Torch-free, so
// the CLI and the GUI can list and describe architectures (docs/models.md).
#pragma once

#include <array>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/util/status.h"

namespace distillery {

struct SegmenterConfig {
  std::string arch = "custom";
  // Backbone: patchify stem (stride 4), then one stage per width at strides 4, 8, 16, 32.
  std::vector<int> widths{32, 64, 128, 192};
  std::vector<int> depths{1, 1, 2, 1};
  int expansion = 2;  // inverted-residual expansion ratio
  // Pixel decoder (FPN) width and the mask feature width (= pixel_embed channels).
  int pixelDecoderDim = 64;
  int maskDim = 64;
  // Transformer decoder with masked cross-attention.
  int hiddenDim = 64;
  int numHeads = 4;
  int ffnDim = 128;
  int decoderLayers = 3;
  int numQueries = 48;
  int numClasses = 80;  // K; the class head has K+1 outputs (last = no object)
  // Normalisation applied inside the model to RGB in [0,1].
  std::array<float, 3> pixelMean{0.485f, 0.456f, 0.406f};
  std::array<float, 3> pixelStd{0.229f, 0.224f, 0.225f};
  int sizeDivisibility = 32;

  // Empty when the shape is consistent, else what is wrong.
  std::string validate() const;
};

// "tiny", "student-s", "student-m", "teacher-l".
const std::vector<std::string>& presetNames();
// The preset with numClasses classes; fails naming the known presets.
Result<SegmenterConfig> presetConfig(const std::string& name, int numClasses = 80);

nlohmann::json toJson(const SegmenterConfig& c);
// `name` is how messages call the document (a checkpoint or sidecar file).
Result<SegmenterConfig> segmenterConfigFromJson(const nlohmann::json& j, const std::string& name);

}  // namespace distillery
