// Speed and memory of the model presets: train-step time (forward + set loss +
// backward + AdamW), inference latency per image and peak memory. Torch-free; used
// by `distillery-cli bench model`.
#pragma once

#include <string>

#include "engine/util/status.h"

namespace distillery {

struct ModelBenchOptions {
  std::string arch = "student-s";
  int size = 128;           // square input side
  int batch = 8;            // training batch
  int steps = 5;            // timed training steps (after one warm-up step)
  int inferenceImages = 8;  // timed single-image forwards (after one warm-up)
  int numClasses = 80;
  int objectsPerImage = 4;  // synthetic targets per image
};

struct ModelBenchResult {
  std::string arch;
  int size = 0;
  int batch = 0;
  long long params = 0;
  double trainStepMs = 0;      // median wall time of a training step
  double trainStepCpuMs = 0;   // median CPU time of this process per step
  double forwardMs = 0;        // median wall time of the training forward pass
  double inferenceMs = 0;      // median wall time of a batch-1 eval forward
  double peakRssMb = 0;        // high-water resident memory during this measurement
};

Result<ModelBenchResult> benchmarkModel(const ModelBenchOptions& options);

}  // namespace distillery
