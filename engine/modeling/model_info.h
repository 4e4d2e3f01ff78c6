// Size and cost of a preset: parameters (total and per part) and FLOPs at an input
// size. Torch-free; behind `distillery-cli model info`.
#pragma once

#include <string>
#include <vector>

#include "engine/modeling/segmenter_config.h"
#include "engine/util/status.h"

namespace distillery {

struct PartSize {
  std::string name;  // e.g. "backbone.stages", "transformer_decoder.layers"
  long long params = 0;
};

struct ModelInfo {
  SegmenterConfig config;
  long long params = 0;
  std::vector<PartSize> parts;  // in parameter order
  int flopsSize = 0;            // square input side the FLOPs are for
  double flops = 0;             // per image: 2 x multiply-accumulates of convolutions and products
};

Result<ModelInfo> describeModel(const std::string& arch, int numClasses = 80, int size = 128);

}  // namespace distillery
