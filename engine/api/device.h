// Which compute device the engine uses, and why. Torch-free public header.
#pragma once

#include <string>

namespace distillery {

struct DeviceInfo {
  bool cuda = false;       // true when training and inference run on a CUDA GPU
  std::string name;        // "CPU" or the GPU's name
  std::string reason;      // why this device was chosen, for the status bar
  int threads = 1;         // intra-op threads used on the CPU
};

// Chooses CUDA when LibTorch was built with it and a device is visible, unless
// DISTILLERY_DEVICE=cpu forces the CPU. The answer is computed once and cached; the
// first call also sets the CPU threads from DISTILLERY_THREADS, else OMP_NUM_THREADS,
// else keeps LibTorch's default.
const DeviceInfo& computeDevice();

// Sets the number of intra-op CPU threads (0 keeps LibTorch's default).
void setComputeThreads(int threads);

struct LibraryVersions {
  std::string distillery;
  std::string torch;
  std::string opencv;
  std::string sqlite;
};

LibraryVersions libraryVersions();

}  // namespace distillery
