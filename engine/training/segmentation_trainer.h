// The trainer of one stage: J = L_sup(D_l) + lambdaSemi * L_semi(D_u) + lambdaPxl * L_pxl(D_l u D_u)
// (METHODS.md §1). Labelled images train on their weak view; unlabelled images on
// their strong view against pseudo-labels (offline masks in the training set, or
// online from a teacher on the weak view, as Guided Distillation); L_pxl contrasts
// weak against strong embeddings through a projection head.
#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <vector>

#include "engine/data/training_set.h"
#include "engine/losses/pixel_contrast.h"
#include "engine/losses/set_criterion.h"
#include "engine/modeling/target_instances.h"
#include "engine/training/segmentation_model.h"
#include "engine/training/stage_config.h"
#include "engine/training/trainer_base.h"
#include "engine/util/prefetcher.h"

namespace distillery {

// Thrown when a loss term is NaN or infinite; the run stops before the update, so
// the weights and the last checkpoint stay good.
class NonFiniteLoss : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct StepBatch {
  torch::Tensor labelledWeak, labelledStrong;      // [nL,3,S,S]
  torch::Tensor unlabelledWeak, unlabelledStrong;  // [nU,3,S,S] (undefined without D_u)
  std::vector<TargetInstances> labelledTargets, unlabelledTargets;
};

class SegmentationTrainer : public TrainerBase {
 public:
  // Pseudo-labels for the unlabelled batch, made online from its weak view.
  using OnlineLabeler = std::function<std::vector<TargetInstances>(const torch::Tensor& weakImages)>;

  SegmentationTrainer(SegmentationModel& model, StageConfig config, const TrainingSet& labelled,
                      const TrainingSet* unlabelled = nullptr, OnlineLabeler online = nullptr);
  ~SegmentationTrainer() override;

  void runStep() override;

  SegmentationModel& model() { return model_; }
  torch::optim::AdamW& optimizer() { return *optimizer_; }
  const StageConfig& config() const { return config_; }
  // Model and projection head together, for checkpoints.
  torch::nn::Module& trainables() { return *trainables_; }
  // Base LR of each optimiser group (backbone first), before the schedule factor.
  const std::vector<double>& baseLrs() const { return baseLrs_; }

 private:
  StepBatch makeBatch(int64_t step) const;
  void putLosses(const torch::Tensor& sup, const torch::Tensor& semi, const torch::Tensor& pxl,
                 const torch::Tensor& total);

  SegmentationModel& model_;
  StageConfig config_;
  const TrainingSet& labelled_;
  const TrainingSet* unlabelled_;
  OnlineLabeler online_;
  SetCriterion criterion_;
  InstanceAwarePixelContrast contrast_;
  ProjectionHead head_{nullptr};
  std::shared_ptr<torch::nn::Module> trainables_;
  std::unique_ptr<torch::optim::AdamW> optimizer_;
  std::vector<double> baseLrs_;
  std::unique_ptr<Prefetcher<StepBatch>> prefetch_;
};

// Sets each optimiser group's LR to base * schedule factor before every step.
class LrSchedulerHook : public HookBase {
 public:
  explicit LrSchedulerHook(SegmentationTrainer& trainer) : trainer_(trainer) {}
  void beforeStep() override;

 private:
  SegmentationTrainer& trainer_;
};

}  // namespace distillery
