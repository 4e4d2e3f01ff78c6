// The negatives inspector's engine side (WORKBENCH.md flow 5, METHODS.md §1): for one
// anchor pixel, which pixels of a batch the instance-aware pixel-wise contrastive loss
// would push away from it, how strongly, and which R it draws. Torch-free: app/ uses it.
//
// A session is opened on a Distillery model (FILE.pt whose FILE.ckpt holds the native
// weights: the teacher or a run's student) and given a batch of images. The model runs
// once per batch (cached); each query for an anchor, sampling mode, R or seed reuses
// that forward and calls InstanceAwarePixelContrast::inspect. One thread at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/util/status.h"

namespace distillery {

struct InspectionOptions {
  int inputSize = 0;  // longer image side fed to the model; 0 = the sidecar's input_size (else 128)
  int previewSide = 512;  // longer side of the previews kept for display; 0 = none
  // The confident case: the batch's labels stand in for the model's predictions (one
  // query per labelled instance plus one for the background, all probability 1), so
  // the sampling can be seen as it acts on a perfect model. Unlabelled pixels are background.
  bool labelsAsPredictions = false;
};

// One image of the batch, as setImages / setProjectImages read it.
struct InspectionImage {
  std::string name;  // file name
  int width = 0;     // original size in pixels
  int height = 0;
  int labels = 0;   // instances labelled on it (used for the own instance)
  cv::Mat preview;  // BGR, longer side at most previewSide (empty when 0)
};

// A map over one image on a coarse grid: cell (cx, cy) covers image pixels
// [cx * scaleX, (cx + 1) * scaleX) x [cy * scaleY, (cy + 1) * scaleY); the last
// row and column may reach past the image edge.
template <class T>
struct ImageGrid {
  int width = 0;  // cells
  int height = 0;
  double scaleX = 1.0;  // image pixels per cell
  double scaleY = 1.0;
  std::vector<T> values;  // row-major, width * height; empty = no map

  bool empty() const { return values.empty(); }
  T at(int cx, int cy) const { return values[static_cast<size_t>(cy) * width + cx]; }
  // The value at image pixel (x, y) (0 outside the grid).
  T atPixel(int x, int y) const;
};

struct NegativesQuery {
  int image = 0;  // anchor image, index into the batch
  int x = 0;      // anchor pixel in that image
  int y = 0;
  std::string sampling = "fused";  // fused | mask-only | class-only | uniform
  int negatives = 200;             // R
  uint64_t seed = 1;               // Gumbel noise; the same seed repeats the draw
  // Candidates also from the anchor's own image (minus the anchor), as training does for
  // a batch of one; otherwise only the other images, as the paper's code.
  bool includeAnchorImage = false;
};

struct InspectedNegative {
  int image = 0;  // batch index
  int x = 0;      // image pixel (the centre of the drawn cell)
  int y = 0;
  float weight = 0;  // its normalised sampling weight
};

// The pixels the anchor's instance covers in its image.
struct OwnInstance {
  ImageGrid<uint8_t> mask;  // 1 = the anchor's instance
  std::string source;       // "labels" or "model"
  std::string className;    // the instance's class, or "background"
  double probability = -1;  // the model's fused class probability at the anchor (-1 for labels)
  bool background = false;  // the anchor lies on no instance
};

struct NegativesQueryResult {
  std::string sampling;
  int anchorImage = 0;
  int anchorX = 0;  // the query's pixel
  int anchorY = 0;
  // One map per batch image: w(a, n) normalised to sum 1 over every candidate; an
  // empty map for an image without candidates (the anchor's, by default).
  std::vector<ImageGrid<float>> weights;
  std::vector<InspectedNegative> negatives;  // at most R (fewer when fewer have w > 0)
  OwnInstance ownInstance;
  int candidates = 0;  // cells with w > 0
  double ownInstanceWeight =
      0;  // weight mass inside the own instance (0 unless includeAnchorImage)
  int negativesInOwnInstance = 0;
  std::string explanation;  // what is shown, in words
  double milliseconds = 0;  // the query alone (the forward is cached)
};

class NegativesInspectionSession {
 public:
  // model: FILE.pt (or FILE.ckpt) of a Distillery model; its FILE.ckpt must exist.
  static Result<NegativesInspectionSession> open(const std::filesystem::path& model,
                                                 const InspectionOptions& options = {});
  NegativesInspectionSession(NegativesInspectionSession&&) noexcept;
  NegativesInspectionSession& operator=(NegativesInspectionSession&&) noexcept;
  ~NegativesInspectionSession();

  // A new batch (at least one image) and its forward pass. labels, when given, has one
  // list per file (instances with masks at the file's size; empty list = unlabelled).
  Status setImages(const std::vector<std::filesystem::path>& files,
                   const std::vector<std::vector<Instance>>& labels = {});
  // The batch from a project (opened read-only): its image files and, as labels, the
  // human annotations and reviewed-and-kept model ones (accepted or edited).
  Status setProjectImages(const std::filesystem::path& projectDir,
                          const std::vector<int64_t>& imageIds);

  const std::vector<InspectionImage>& images() const;
  Result<NegativesQueryResult> query(const NegativesQuery& q) const;

  const std::filesystem::path& modelFile() const;
  const std::vector<std::string>& classNames() const;
  int inputSize() const;
  double forwardMilliseconds() const;  // the last batch's forward pass

 private:
  NegativesInspectionSession();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

template <class T>
T ImageGrid<T>::atPixel(int x, int y) const {
  if (values.empty() || x < 0 || y < 0) return T{};
  const int cx = static_cast<int>(x / scaleX), cy = static_cast<int>(y / scaleY);
  if (cx >= width || cy >= height) return T{};
  return at(cx, cy);
}

}  // namespace distillery
