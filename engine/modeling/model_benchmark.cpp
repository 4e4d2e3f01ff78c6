#include "engine/modeling/model_benchmark.h"

#include <sys/resource.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "engine/losses/pixel_contrast.h"
#include "engine/losses/set_criterion.h"
#include "engine/modeling/device.h"
#include "engine/modeling/instance_segmenter.h"

namespace distillery {

namespace {

double wallMs() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double, std::milli>(clock::now().time_since_epoch()).count();
}

double cpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double best(const std::vector<double>& v) {
  return v.empty() ? 0 : *std::min_element(v.begin(), v.end());
}

// Linux keeps the resident high-water mark in /proc/self/status (VmHWM); writing 5
// to clear_refs resets it to the current size, so each preset gets its own peak.
void resetPeakRss() {
#if defined(__GLIBC__)
  malloc_trim(0);  // hand back what the previous preset kept
#endif
  std::ofstream f("/proc/self/clear_refs");
  if (f) f << "5";
}

double peakRssMb() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// Random rectangles with random classes, at the input resolution.
std::vector<TargetInstances> syntheticTargets(int batch, int size, int objects, int numClasses,
                                              const torch::Device& device) {
  std::vector<TargetInstances> targets;
  for (int b = 0; b < batch; ++b) {
    TargetInstances t;
    t.labels = torch::randint(numClasses, {objects}, torch::kInt64);
    t.masks = torch::zeros({objects, size, size});
    for (int i = 0; i < objects; ++i) {
      const int64_t x0 = torch::randint(size / 2, {1}).item<int64_t>();
      const int64_t y0 = torch::randint(size / 2, {1}).item<int64_t>();
      const int64_t w = 8 + torch::randint(size / 2 - 8, {1}).item<int64_t>();
      const int64_t h = 8 + torch::randint(size / 2 - 8, {1}).item<int64_t>();
      t.masks[i].narrow(0, y0, h).narrow(1, x0, w).fill_(1.0);
    }
    t.labels = t.labels.to(device);
    t.masks = t.masks.to(device);
    targets.push_back(t);
  }
  return targets;
}

struct Bench {
  ModelBenchResult result;
  InstanceSegmenter model{nullptr};
  std::unique_ptr<torch::optim::AdamW> optimizer;
  std::vector<double> wall, cpu, latency, contrast, draw;

  void trainStep(const torch::Tensor& images, const std::vector<TargetInstances>& targets,
                 const SetCriterion& criterion, bool record) {
    model->train();
    const double w0 = wallMs(), c0 = cpuMs();
    SegmenterOutput out = model->forward(images);
    torch::Tensor loss = criterion.total(criterion(out.predictions(), targets));
    optimizer->zero_grad();
    loss.backward();
    optimizer->step();
    if (!record) return;
    wall.push_back(wallMs() - w0);
    cpu.push_back(cpuMs() - c0);
  }

  // L_pxl as a distillation step computes it: weak-view embeddings with a graph,
  // strong-view ones detached, mask and class logits for the negatives' weights.
  struct ContrastInputs {
    torch::Tensor weak, strong, maskLogits, classLogits;
  };
  void contrastStep(const InstanceAwarePixelContrast& loss, const ContrastInputs& in, bool record) {
    const torch::Generator gen = in.weak.is_cuda() ? torch::Generator() : at::detail::createCPUGenerator(7);
    const double w0 = wallMs();
    auto z = in.weak.detach().requires_grad_(true);
    torch::Tensor l = loss.loss(torch::nn::functional::normalize(z, torch::nn::functional::NormalizeFuncOptions().dim(1)),
                                in.strong, in.maskLogits, in.classLogits, 0.1, gen);
    l.backward();
    if (record) contrast.push_back(wallMs() - w0);
    // The negatives' draw alone, for the same anchors' count (64 per image, spread evenly).
    torch::NoGradGuard noGrad;
    const int64_t B = in.weak.size(0), P = in.weak.size(2) * in.weak.size(3);
    const int64_t perImage = std::min<int64_t>(loss.config().anchorsPerImage, P);
    const auto dist = samplingDistribution(loss.config().sampling, in.maskLogits, in.classLogits)
                          .permute({0, 2, 3, 1}).reshape({B * P, -1});
    const auto image = torch::arange(B, torch::kLong).repeat_interleave(perImage).to(dist.device());
    const auto pixel = (torch::arange(perImage, torch::kLong) * (P / perImage)).repeat({B}).to(dist.device());
    const double d0 = wallMs();
    loss.drawNegatives(dist.index_select(0, image * P + pixel), dist, B, P, image, pixel, gen);
    if (record) draw.push_back(wallMs() - d0);
  }

  void infer(const torch::Tensor& image, bool record) {
    model->eval();
    torch::NoGradGuard noGrad;
    const double w0 = wallMs();
    SegmenterOutput out = model->forward(image);
    if (record) latency.push_back(wallMs() - w0);
  }
};

}  // namespace

Result<std::vector<ModelBenchResult>> benchmarkModels(const ModelBenchOptions& o) {
  if (o.size <= 0 || o.size % 32 != 0)
    return Status::error("bench model: size must be a positive multiple of 32");
  std::vector<SegmenterConfig> configs;
  for (const auto& arch : o.archs) {
    auto c = presetConfig(arch, o.numClasses);
    if (!c) return c.status();
    configs.push_back(*c);
  }
  try {
    torch::manual_seed(0);
    const torch::Device device = torchDevice();
    SetCriterionOptions co;
    co.numClasses = o.numClasses;
    const SetCriterion criterion(co);
    const torch::Tensor images = torch::rand({o.batch, 3, o.size, o.size}).to(device);
    const auto targets = syntheticTargets(o.batch, o.size, o.objectsPerImage, o.numClasses, device);
    const torch::Tensor one = images.narrow(0, 0, 1);
    PixelContrastConfig contrastConfig;
    auto sampling = negativeSamplingFromString(o.sampling);
    if (!sampling) return sampling.status();
    contrastConfig.sampling = *sampling;
    const InstanceAwarePixelContrast pixelContrast{contrastConfig};
    auto contrastInputs = [&](const SegmenterConfig& c) {
      const int64_t n = 2 * o.batch, side = o.size / 4;
      namespace F = torch::nn::functional;
      return Bench::ContrastInputs{
          torch::randn({n, 128, side, side}).to(device),
          F::normalize(torch::randn({n, 128, side, side}), F::NormalizeFuncOptions().dim(1)).to(device),
          torch::randn({n, c.numQueries, side, side}).to(device),
          torch::randn({n, c.numQueries, o.numClasses + 1}).to(device)};
    };
    std::vector<Bench::ContrastInputs> contrastIn;
    for (const auto& c : configs) contrastIn.push_back(contrastInputs(c));

    // Alone first: peak memory of one training step and one inference per preset.
    std::vector<Bench> benches(configs.size());
    for (size_t i = 0; i < configs.size(); ++i) {
      Bench& b = benches[i];
      resetPeakRss();
      b.model = InstanceSegmenter(configs[i]);
      b.model->to(device);
      b.optimizer = std::make_unique<torch::optim::AdamW>(
          b.model->parameters(), torch::optim::AdamWOptions(1e-4).weight_decay(0.05));
      b.trainStep(images, targets, criterion,
                  false);  // warm-up: allocator, oneDNN primitive caches
      b.infer(one, false);
      b.contrastStep(pixelContrast, contrastIn[i], false);
      b.result.peakRssMb = peakRssMb();
      b.result.arch = configs[i].arch;
      b.result.size = o.size;
      b.result.batch = o.batch;
      b.result.params = countParameters(*b.model);
    }
    // Then alternating rounds, so that every preset sees the same disturbances.
    for (int r = 0; r < o.rounds; ++r) {
      for (size_t i = 0; i < benches.size(); ++i) {
        Bench& b = benches[i];
        for (int s = 0; s < o.steps; ++s) b.trainStep(images, targets, criterion, true);
        for (int s = 0; s < o.inferenceImages; ++s) b.infer(one, true);
        for (int s = 0; s < o.steps; ++s) b.contrastStep(pixelContrast, contrastIn[i], true);
      }
    }
    std::vector<ModelBenchResult> results;
    for (Bench& b : benches) {
      b.result.trainStepMs = median(b.wall);
      b.result.trainStepBestMs = best(b.wall);
      b.result.trainStepCpuMs = median(b.cpu);
      b.result.inferenceMs = median(b.latency);
      b.result.inferenceBestMs = best(b.latency);
      b.result.pixelContrastMs = median(b.contrast);
      b.result.negativeDrawMs = median(b.draw);
      results.push_back(b.result);
    }
    return results;
  } catch (const c10::Error& e) {
    return Status::error("bench model: " + std::string(e.what_without_backtrace()));
  }
}

}  // namespace distillery
