#include "engine/modeling/segmenter_config.h"

namespace distillery {

std::string SegmenterConfig::validate() const {
  if (widths.size() != 4 || depths.size() != 4)
    return "widths and depths need 4 entries (strides 4..32)";
  for (int w : widths)
    if (w <= 0) return "widths must be positive";
  for (int d : depths)
    if (d < 0) return "depths must be >= 0";
  if (expansion < 1) return "expansion must be >= 1";
  if (pixelDecoderDim <= 0 || maskDim <= 0 || ffnDim <= 0) return "dimensions must be positive";
  if (hiddenDim <= 0 || numHeads <= 0 || hiddenDim % numHeads != 0)
    return "hiddenDim must be a positive multiple of numHeads";
  if (hiddenDim % 2 != 0) return "hiddenDim must be even (sine position embedding)";
  if (decoderLayers < 1) return "decoderLayers must be >= 1";
  if (numQueries < 1) return "numQueries must be >= 1";
  if (numClasses < 1) return "numClasses must be >= 1";
  if (sizeDivisibility % 32 != 0) return "sizeDivisibility must be a multiple of 32";
  return {};
}

const std::vector<std::string>& presetNames() {
  static const std::vector<std::string> kNames{"tiny", "student-s", "student-m", "teacher-l"};
  return kNames;
}

Result<SegmenterConfig> presetConfig(const std::string& name, int numClasses) {
  if (numClasses < 1)
    return Status::error("model: numClasses must be >= 1, got " + std::to_string(numClasses));
  SegmenterConfig c;
  c.arch = name;
  c.numClasses = numClasses;
  // Widths, queries and head sizes are multiples of 16: oneDNN's blocked kernels
  // run several times faster on them than on, say, 100 queries (docs/models.md).
  if (name == "tiny") {
    c.widths = {16, 32, 48, 64};
    c.depths = {1, 1, 1, 1};
    c.expansion = 2;
    c.pixelDecoderDim = 32;
    c.maskDim = 32;
    c.hiddenDim = 32;
    c.numHeads = 2;
    c.ffnDim = 64;
    c.decoderLayers = 2;
    c.numQueries = 16;
  } else if (name == "student-s") {
    c.widths = {32, 64, 128, 192};
    c.depths = {1, 1, 2, 1};
    c.expansion = 2;
    c.pixelDecoderDim = 64;
    c.maskDim = 64;
    c.hiddenDim = 64;
    c.numHeads = 4;
    c.ffnDim = 128;
    c.decoderLayers = 3;
    c.numQueries = 48;
  } else if (name == "student-m") {
    c.widths = {48, 96, 160, 192};
    c.depths = {1, 1, 2, 1};
    c.expansion = 2;
    c.pixelDecoderDim = 96;
    c.maskDim = 96;
    c.hiddenDim = 96;
    c.numHeads = 4;
    c.ffnDim = 192;
    c.decoderLayers = 3;
    c.numQueries = 48;
  } else if (name == "teacher-l") {
    c.widths = {64, 128, 256, 384};
    c.depths = {2, 2, 6, 2};
    c.expansion = 4;
    c.pixelDecoderDim = 192;
    c.maskDim = 192;
    c.hiddenDim = 192;
    c.numHeads = 4;
    c.ffnDim = 768;
    c.decoderLayers = 9;
    c.numQueries = 96;
  } else {
    std::string known;
    for (const auto& n : presetNames()) known += (known.empty() ? "" : ", ") + n;
    return Status::error("model: unknown architecture '" + name + "', expected one of " + known);
  }
  return c;
}

nlohmann::json toJson(const SegmenterConfig& c) {
  return {{"arch", c.arch},
          {"widths", c.widths},
          {"depths", c.depths},
          {"expansion", c.expansion},
          {"pixel_decoder_dim", c.pixelDecoderDim},
          {"mask_dim", c.maskDim},
          {"hidden_dim", c.hiddenDim},
          {"num_heads", c.numHeads},
          {"ffn_dim", c.ffnDim},
          {"decoder_layers", c.decoderLayers},
          {"num_queries", c.numQueries},
          {"num_classes", c.numClasses},
          {"pixel_mean", c.pixelMean},
          {"pixel_std", c.pixelStd},
          {"size_divisibility", c.sizeDivisibility}};
}

Result<SegmenterConfig> segmenterConfigFromJson(const nlohmann::json& j, const std::string& name) {
  if (!j.is_object()) return Status::error(name + ": model config must be a JSON object");
  SegmenterConfig c;
  try {
    c.arch = j.value("arch", c.arch);
    c.widths = j.at("widths").get<std::vector<int>>();
    c.depths = j.at("depths").get<std::vector<int>>();
    c.expansion = j.at("expansion").get<int>();
    c.pixelDecoderDim = j.at("pixel_decoder_dim").get<int>();
    c.maskDim = j.at("mask_dim").get<int>();
    c.hiddenDim = j.at("hidden_dim").get<int>();
    c.numHeads = j.at("num_heads").get<int>();
    c.ffnDim = j.at("ffn_dim").get<int>();
    c.decoderLayers = j.at("decoder_layers").get<int>();
    c.numQueries = j.at("num_queries").get<int>();
    c.numClasses = j.at("num_classes").get<int>();
    if (j.contains("pixel_mean")) c.pixelMean = j.at("pixel_mean").get<std::array<float, 3>>();
    if (j.contains("pixel_std")) c.pixelStd = j.at("pixel_std").get<std::array<float, 3>>();
    c.sizeDivisibility = j.value("size_divisibility", c.sizeDivisibility);
  } catch (const nlohmann::json::exception& e) {
    return Status::error(name + ": model config: " + e.what());
  }
  if (std::string why = c.validate(); !why.empty())
    return Status::error(name + ": model config: " + why);
  return c;
}

}  // namespace distillery
