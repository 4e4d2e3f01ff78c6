// Speed and memory of the model presets: train-step time (forward + set loss +
// backward + AdamW), inference latency per image, peak memory, and what CAST's L_pxl
// adds to a distillation step (its forward + backward over a labelled + unlabelled
// batch at the preset's embedding size, next to the step it joins). Torch-free; used
// by `distillery-cli bench model`.
//
// The machine is shared, so the presets are measured in alternating rounds (each
// sees the same contention) and both the median and the best step are reported;
// CPU time of the process is reported next to wall time.
#pragma once

#include <string>
#include <vector>

#include "engine/util/status.h"

namespace distillery {

struct ModelBenchOptions {
  std::vector<std::string> archs{"student-s", "teacher-l"};
  int size = 128;           // square input side
  int batch = 8;            // training batch
  int rounds = 3;           // alternating rounds over the presets
  int steps = 3;            // timed training steps per preset and round
  int inferenceImages = 5;  // timed single-image forwards per preset and round
  int numClasses = 80;
  std::string sampling = "fused";  // L_pxl's negative sampling (fused, mask-only, class-only, uniform)
  int objectsPerImage = 4;  // synthetic targets per image
};

struct ModelBenchResult {
  std::string arch;
  int size = 0;
  int batch = 0;
  long long params = 0;
  double trainStepMs = 0;      // median wall time of a training step
  double trainStepBestMs = 0;  // fastest step (least disturbed by other processes)
  double trainStepCpuMs = 0;   // median CPU time of this process per step
  double inferenceMs = 0;      // median wall time of a batch-1 eval forward
  double inferenceBestMs = 0;
  double peakRssMb = 0;  // resident high-water mark while training this preset alone
  // L_pxl (default config: 64 anchors per image, R = 200) forward + backward over 2 x batch
  // images' embeddings at stride 4: median wall time, measured in the same rounds.
  double pixelContrastMs = 0;
  // Of it, drawing the negatives alone (weights, exclusions, Gumbel top-k): median wall time.
  double negativeDrawMs = 0;
};

Result<std::vector<ModelBenchResult>> benchmarkModels(const ModelBenchOptions& options);

}  // namespace distillery
