// What a training stage trains: the query-based segmenter behind one interface,
// whether it is Distillery's own C++ module or (later) a loaded TorchScript teacher.
#pragma once

#include <torch/torch.h>

#include <filesystem>
#include <memory>
#include <vector>

#include "engine/modeling/instance_segmenter.h"
#include "engine/util/status.h"

namespace distillery {

struct ModelOutputs {
  torch::Tensor logits;  // [B,Q,K+1]
  torch::Tensor masks;   // [B,Q,h,w] logits
  torch::Tensor embed;   // [B,D,h,w] pixel embeddings (for L_pxl)
  std::vector<MaskPrediction> predictions;  // every decoder layer, last = final (deep supervision)
};

class SegmentationModel {
 public:
  virtual ~SegmentationModel() = default;
  virtual ModelOutputs forward(const torch::Tensor& images) = 0;  // RGB [0,1], [B,3,H,W]
  virtual void train(bool on) = 0;
  // The backbone's parameters (for the backbone LR multiplier) or all the others.
  virtual std::vector<torch::Tensor> parameters(bool backbone) = 0;
  virtual int64_t numClasses() const = 0;
  virtual int64_t embedDim() const = 0;
  virtual int64_t parameterCount() const = 0;
  virtual std::unique_ptr<SegmentationModel> clone() const = 0;  // deep copy, same device
  virtual std::shared_ptr<torch::nn::Module> module() = 0;       // for checkpoints and EMA
  virtual const SegmenterConfig& config() const = 0;
};

class NativeSegmentationModel : public SegmentationModel {
 public:
  explicit NativeSegmentationModel(const SegmenterConfig& config);
  ModelOutputs forward(const torch::Tensor& images) override;
  void train(bool on) override { model_->train(on); }
  std::vector<torch::Tensor> parameters(bool backbone) override;
  int64_t numClasses() const override { return model_->config().numClasses; }
  int64_t embedDim() const override { return model_->config().maskDim; }
  int64_t parameterCount() const override { return countParameters(*model_); }
  std::unique_ptr<SegmentationModel> clone() const override;
  std::shared_ptr<torch::nn::Module> module() override { return model_.ptr(); }
  const SegmenterConfig& config() const override { return model_->config(); }
  InstanceSegmenter& segmenter() { return model_; }

 private:
  InstanceSegmenter model_{nullptr};
};

// Loads Distillery's own model from a training checkpoint (weights + config in its meta).
Result<std::unique_ptr<SegmentationModel>> loadNativeModel(const std::filesystem::path& checkpoint);
// Saves model weights with their config so loadNativeModel can rebuild them.
Status saveNativeModel(SegmentationModel& model, const std::filesystem::path& checkpoint,
                       const std::vector<std::string>& classNames);

}  // namespace distillery
