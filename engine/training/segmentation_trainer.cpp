#include "engine/training/segmentation_trainer.h"

#include <cmath>
#include <random>

#include "engine/modeling/device.h"
#include "engine/modeling/image_tensor.h"

namespace distillery {
namespace {

uint64_t mix(uint64_t a, uint64_t b) {
  // splitmix64 of a combined key: decorrelated streams per (seed, step, slot).
  uint64_t z = a * 0x9E3779B97F4A7C15ULL + b + 0x632BE59BD9B4E019ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// A module holding the model and the projection head, so one checkpoint has both.
struct Trainables : torch::nn::Module {
  Trainables(std::shared_ptr<torch::nn::Module> model, ProjectionHead head) {
    register_module("model", std::move(model));
    if (head) register_module("projection_head", head.ptr());
  }
};

torch::Tensor imagesOf(const std::vector<TrainingSample>& samples, bool strong) {
  std::vector<cv::Mat> images;
  for (const auto& s : samples) images.push_back(strong ? s.views.strong : s.views.weak);
  return makeImageBatch(images, 0, 32).images;
}

std::vector<TargetInstances> targetsOf(const std::vector<TrainingSample>& samples) {
  std::vector<TargetInstances> out;
  for (const auto& s : samples) {
    const int size = s.views.weak.rows;
    out.push_back(makeTargets(s.labels, s.views.masks, ImagePlacement{size, size, size, size}, size, size));
  }
  return out;
}

std::vector<MaskPrediction> slicePredictions(const std::vector<MaskPrediction>& preds, int64_t start,
                                             int64_t length) {
  std::vector<MaskPrediction> out;
  for (const auto& p : preds) out.push_back({p.logits.narrow(0, start, length), p.masks.narrow(0, start, length)});
  return out;
}

std::vector<TargetInstances> toDevice(std::vector<TargetInstances> targets, const torch::Device& d) {
  for (auto& t : targets) {
    t.labels = t.labels.to(d);
    t.masks = t.masks.to(d);
  }
  return targets;
}

}  // namespace

SegmentationTrainer::SegmentationTrainer(SegmentationModel& model, StageConfig config, const TrainingSet& labelled,
                                         const TrainingSet* unlabelled, OnlineLabeler online)
    : model_(model),
      config_(std::move(config)),
      labelled_(labelled),
      unlabelled_(unlabelled != nullptr && !unlabelled->empty() ? unlabelled : nullptr),
      online_(std::move(online)),
      criterion_([&] {
        SetCriterionOptions o = config_.criterion;
        o.numClasses = model.numClasses();
        return o;
      }()),
      contrast_(config_.contrast) {
  DST_CHECK(!labelled_.empty());
  if (config_.lambdaPxl > 0) {
    head_ = ProjectionHead(model_.embedDim(), 128, 128);
    head_->to(torchDevice());
    // L_pxl needs negatives from other images: fall back to the own image for a batch of one.
    const int64_t images = config_.labelledBatch + (unlabelled_ ? config_.unlabelledBatch : 0);
    if (images < 2) contrast_ = InstanceAwarePixelContrast([&] {
      PixelContrastConfig c = config_.contrast;
      c.sameImageCandidates = true;
      return c;
    }());
  }
  config_.views.strongView = config_.lambdaPxl > 0 || unlabelled_ != nullptr;
  trainables_ = std::make_shared<Trainables>(model_.module(), head_);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  auto options = [&](double lr) {
    return std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(lr).weight_decay(config_.weightDecay));
  };
  baseLrs_ = {config_.lr * config_.backboneLrMultiplier, config_.lr};
  std::vector<torch::Tensor> rest = model_.parameters(false);
  if (head_) for (auto& p : head_->parameters()) rest.push_back(p);
  groups.emplace_back(model_.parameters(true), options(baseLrs_[0]));
  groups.emplace_back(rest, options(baseLrs_[1]));
  optimizer_ = std::make_unique<torch::optim::AdamW>(groups, torch::optim::AdamWOptions(config_.lr));
}

SegmentationTrainer::~SegmentationTrainer() = default;

StepBatch SegmentationTrainer::makeBatch(int64_t step) const {
  std::mt19937_64 rng(mix(config_.seed, static_cast<uint64_t>(step)));
  auto draw = [&](const TrainingSet& set, int64_t n) {
    std::vector<TrainingSample> samples;
    std::uniform_int_distribution<size_t> pick(0, set.size() - 1);
    for (int64_t k = 0; k < n; ++k) samples.push_back(set.sample(pick(rng), config_.views, rng()));
    return samples;
  };
  StepBatch b;
  const auto l = draw(labelled_, config_.labelledBatch);
  b.labelledWeak = imagesOf(l, false);
  if (config_.views.strongView) b.labelledStrong = imagesOf(l, true);
  b.labelledTargets = targetsOf(l);
  if (unlabelled_ != nullptr && config_.unlabelledBatch > 0) {
    const auto u = draw(*unlabelled_, config_.unlabelledBatch);
    b.unlabelledWeak = imagesOf(u, false);
    b.unlabelledStrong = imagesOf(u, true);
    if (!online_) b.unlabelledTargets = targetsOf(u);
  }
  return b;
}

void SegmentationTrainer::putLosses(const torch::Tensor& sup, const torch::Tensor& semi, const torch::Tensor& pxl,
                                    const torch::Tensor& total) {
  const std::pair<const char*, const torch::Tensor*> terms[] = {
      {"sup", &sup}, {"semi", &semi}, {"pxl", &pxl}, {"total", &total}};
  for (const auto& [name, t] : terms) {
    if (!t->defined()) continue;
    const double v = t->item<double>();
    if (!std::isfinite(v)) {
      throw NonFiniteLoss(config_.name + ": loss term '" + name + "' is " + std::to_string(v) + " at step " +
                          std::to_string(step()) + "; the run stopped before updating the weights");
    }
    storage().put(std::string("loss/") + name, v);
  }
}

void SegmentationTrainer::runStep() {
  if (!prefetch_) {
    prefetch_ = std::make_unique<Prefetcher<StepBatch>>([this](int64_t s) { return makeBatch(s); }, step(), 2);
  }
  StepBatch b = prefetch_->next();
  const torch::Device device = torchDevice();
  model_.train(true);
  const int64_t nL = b.labelledWeak.size(0);
  const bool hasU = b.unlabelledWeak.defined();
  const bool pxl = config_.lambdaPxl > 0;
  const bool semi = hasU && config_.lambdaSemi > 0;

  // Forward 1: weak views (labelled for L_sup; unlabelled too when L_pxl needs anchors there).
  torch::Tensor weak = b.labelledWeak;
  if (pxl && hasU) weak = torch::cat({weak, b.unlabelledWeak});
  const ModelOutputs out1 = model_.forward(weak.to(device));
  const auto supLosses = criterion_(slicePredictions(out1.predictions, 0, nL), toDevice(b.labelledTargets, device));
  const torch::Tensor sup = criterion_.total(supLosses);

  // Forward 2: strong views. Only L_semi's unlabelled ones need a graph; L_pxl's positives
  // are detached, so the views that only feed them run without one (the model keeps no
  // batch statistics, so splitting the batch changes nothing else).
  torch::Tensor semiLoss, pxlLoss;
  ModelOutputs out2;
  if (semi) {
    out2 = model_.forward(b.unlabelledStrong.to(device));
    auto targets = online_ ? online_(b.unlabelledWeak.to(device)) : toDevice(b.unlabelledTargets, device);
    semiLoss = criterion_.total(criterion_(out2.predictions, targets));
  }
  if (pxl) {
    torch::Tensor zStrong;
    {
      torch::NoGradGuard noGrad;
      // Strong embeddings in the order of the weak batch: labelled, then unlabelled.
      std::vector<torch::Tensor> parts = {model_.forward(b.labelledStrong.to(device)).embed};
      if (hasU) parts.push_back(semi ? out2.embed.detach() : model_.forward(b.unlabelledStrong.to(device)).embed);
      zStrong = head_->forward(torch::cat(parts));
    }
    const auto zWeak = head_->forward(out1.embed);
    const double t = contrastTemperature(config_.contrast, step(), maxSteps());
    storage().put("pxl/temperature", t);
    // A seeded generator per step on the CPU; on a GPU an undefined one, which draws from
    // the device's default (a CPU generator cannot fill a CUDA tensor).
    torch::Generator gen;
    if (!device.is_cuda()) gen = at::detail::createCPUGenerator(mix(config_.seed ^ 0xC0FFEE, static_cast<uint64_t>(step())));
    pxlLoss = contrast_.loss(zWeak, zStrong, out1.masks.detach(), out1.logits.detach(), t, gen);
  }

  torch::Tensor total = sup;
  if (semiLoss.defined()) total = total + config_.lambdaSemi * semiLoss;
  if (pxlLoss.defined()) total = total + config_.lambdaPxl * pxlLoss;
  putLosses(sup, semiLoss, pxlLoss, total);

  optimizer_->zero_grad();
  total.backward();
  if (config_.gradClipNorm > 0) {
    std::vector<torch::Tensor> params;
    for (auto& g : optimizer_->param_groups())
      for (auto& p : g.params()) params.push_back(p);
    torch::nn::utils::clip_grad_norm_(params, config_.gradClipNorm);
  }
  optimizer_->step();
  storage().put("lr", static_cast<torch::optim::AdamWOptions&>(optimizer_->param_groups().back().options()).lr());
}

void LrSchedulerHook::beforeStep() {
  const double factor = lrFactor(trainer_.config().schedule, trainer_.step(), trainer_.maxSteps());
  auto& groups = trainer_.optimizer().param_groups();
  for (size_t g = 0; g < groups.size(); ++g)
    static_cast<torch::optim::AdamWOptions&>(groups[g].options()).lr(trainer_.baseLrs()[g] * factor);
}

}  // namespace distillery
