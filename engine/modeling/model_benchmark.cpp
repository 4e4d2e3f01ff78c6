#include "engine/modeling/model_benchmark.h"

#include <sys/resource.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

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
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Linux keeps the resident high-water mark in /proc/self/status (VmHWM); writing 5
// to clear_refs resets it, so each measurement gets its own peak.
void resetPeakRss() {
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
  return usage.ru_maxrss / 1024.0;
}

// Random rectangles with random classes, at the input resolution.
std::vector<TargetInstances> syntheticTargets(int batch, int size, int objects, int numClasses) {
  std::vector<TargetInstances> targets;
  for (int b = 0; b < batch; ++b) {
    TargetInstances t;
    t.labels = torch::randint(numClasses, {objects}, torch::kInt64);
    t.masks = torch::zeros({objects, size, size});
    for (int i = 0; i < objects; ++i) {
      const int x0 = static_cast<int>(torch::randint(size / 2, {1}).item<int64_t>());
      const int y0 = static_cast<int>(torch::randint(size / 2, {1}).item<int64_t>());
      const int w = 8 + static_cast<int>(torch::randint(size / 2 - 8, {1}).item<int64_t>());
      const int h = 8 + static_cast<int>(torch::randint(size / 2 - 8, {1}).item<int64_t>());
      t.masks[i].narrow(0, y0, h).narrow(1, x0, w).fill_(1.0);
    }
    targets.push_back(t);
  }
  return targets;
}

}  // namespace

Result<ModelBenchResult> benchmarkModel(const ModelBenchOptions& o) {
  auto config = presetConfig(o.arch, o.numClasses);
  if (!config) return config.status();
  if (o.size <= 0 || o.size % 32 != 0) return Status::error("bench model: size must be a positive multiple of 32");
  try {
    torch::manual_seed(0);
    const torch::Device device = torchDevice();
    resetPeakRss();
    InstanceSegmenter model(*config);
    model->to(device);
    SetCriterionOptions co;
    co.numClasses = o.numClasses;
    SetCriterion criterion(co);
    torch::optim::AdamW optimizer(model->parameters(), torch::optim::AdamWOptions(1e-4).weight_decay(0.05));
    torch::Tensor images = torch::rand({o.batch, 3, o.size, o.size}).to(device);
    std::vector<TargetInstances> targets = syntheticTargets(o.batch, o.size, o.objectsPerImage, o.numClasses);
    for (auto& t : targets) {
      t.labels = t.labels.to(device);
      t.masks = t.masks.to(device);
    }

    ModelBenchResult r;
    r.arch = o.arch;
    r.size = o.size;
    r.batch = o.batch;
    r.params = countParameters(*model);
    std::vector<double> wall, cpu, forward;
    model->train();
    for (int step = 0; step <= o.steps; ++step) {
      const double w0 = wallMs(), c0 = cpuMs();
      SegmenterOutput out = model->forward(images);
      const double w1 = wallMs();
      torch::Tensor loss = criterion.total(criterion(out.predictions(), targets));
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      if (step == 0) continue;  // warm-up: allocator and oneDNN primitive caches
      wall.push_back(wallMs() - w0);
      cpu.push_back(cpuMs() - c0);
      forward.push_back(w1 - w0);
    }
    r.trainStepMs = median(wall);
    r.trainStepCpuMs = median(cpu);
    r.forwardMs = median(forward);

    model->eval();
    torch::NoGradGuard noGrad;
    torch::Tensor one = images.narrow(0, 0, 1);
    std::vector<double> latency;
    for (int i = 0; i <= o.inferenceImages; ++i) {
      const double w0 = wallMs();
      SegmenterOutput out = model->forward(one);
      if (i > 0) latency.push_back(wallMs() - w0);
    }
    r.inferenceMs = median(latency);
    r.peakRssMb = peakRssMb();
    return r;
  } catch (const c10::Error& e) {
    return Status::error("bench model: " + std::string(e.what_without_backtrace()));
  }
}

}  // namespace distillery
