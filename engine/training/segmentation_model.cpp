#include "engine/training/segmentation_model.h"

#include "engine/modeling/device.h"
#include "engine/modeling/segmenter_config.h"
#include "engine/training/checkpoint.h"
#include "engine/training/ema_teacher.h"

namespace distillery {

NativeSegmentationModel::NativeSegmentationModel(const SegmenterConfig& config)
    : model_(InstanceSegmenter(config)) {
  model_->to(torchDevice());
}

ModelOutputs NativeSegmentationModel::forward(const torch::Tensor& images) {
  SegmenterOutput o = model_->forward(images);
  ModelOutputs out;
  out.logits = o.predLogits;
  out.masks = o.predMasks;
  out.embed = o.pixelEmbed;
  out.predictions = o.predictions();
  return out;
}

std::vector<torch::Tensor> NativeSegmentationModel::parameters(bool backbone) {
  std::vector<torch::Tensor> out;
  for (const auto& item : model_->named_parameters(true)) {
    const bool isBackbone = item.key().rfind("backbone.", 0) == 0;
    if (isBackbone == backbone && item.value().requires_grad()) out.push_back(item.value());
  }
  return out;
}

std::unique_ptr<SegmentationModel> NativeSegmentationModel::clone() const {
  auto copy = std::make_unique<NativeSegmentationModel>(model_->config());
  copyWeights(*copy->model_, *model_);
  copy->model_->train(model_->is_training());
  return copy;
}

Result<std::unique_ptr<SegmentationModel>> loadNativeModel(const std::filesystem::path& checkpoint) {
  auto meta = readCheckpointMeta(checkpoint);
  if (!meta.ok()) return meta.status();
  if (!meta->contains("model_config")) {
    return Status::error(checkpoint.string() + ": checkpoint has no 'model_config' (expected a "
                         "Distillery model checkpoint)");
  }
  auto config = segmenterConfigFromJson((*meta)["model_config"], checkpoint.string());
  if (!config.ok()) return config.status();
  auto model = std::make_unique<NativeSegmentationModel>(*config);
  TrainingState state;
  if (Status s = loadCheckpoint(checkpoint, *model->module(), nullptr, state); !s.ok()) return s;
  std::unique_ptr<SegmentationModel> out = std::move(model);
  return out;
}

Status saveNativeModel(SegmentationModel& model, const std::filesystem::path& checkpoint,
                       const std::vector<std::string>& classNames) {
  TrainingState state;
  state.meta["model_config"] = toJson(model.config());
  state.meta["class_names"] = classNames;
  return saveCheckpoint(checkpoint, *model.module(), nullptr, state);
}

}  // namespace distillery
