// The images and instance masks a training stage reads, held in memory at training
// resolution so each step only warps small images (no decoding on the hot path).
#pragma once

#include <cstdint>
#include <filesystem>
#include <opencv2/core.hpp>
#include <vector>

#include "engine/data/augment/views.h"
#include "engine/data/dataset.h"
#include "engine/util/status.h"

namespace distillery {

struct TrainingSample {
  int64_t imageId = 0;
  TrainingViews views;
  std::vector<int64_t> labels;  // class index 0..K-1 per mask in views.masks
};

class TrainingSet {
 public:
  // Loads every image of `d` from `imageRoot`, resized so the longer side is at most
  // `maxSide`, with its non-crowd instances whose category is in `classIds` (class
  // index = position in classIds). Missing or undecodable images are errors that
  // name the file and the image id.
  static Result<TrainingSet> load(const Dataset& d, const std::filesystem::path& imageRoot,
                                  const std::vector<int64_t>& classIds, int maxSide);

  size_t size() const { return images_.size(); }
  bool empty() const { return images_.empty(); }
  int64_t imageId(size_t i) const { return imageIds_[i]; }
  cv::Size sourceSize(size_t i) const { return sourceSizes_[i]; }  // original image size
  const cv::Mat& image(size_t i) const { return images_[i]; }      // resized, BGR
  size_t instanceCount() const;

  // The same images with the instances of `labels` instead (e.g. pseudo-labels made
  // for this pool); images of `labels` not in this set are ignored.
  Result<TrainingSet> relabelled(const Dataset& labels, const std::vector<int64_t>& classIds) const;

  // Random weak/strong views with their masks (deterministic for a seed).
  TrainingSample sample(size_t i, const ViewConfig& config, uint64_t seed) const;
  // The plain resize-and-pad view used for evaluation and pseudo-labelling.
  TrainingSample evalSample(size_t i, int size) const;

 private:
  std::vector<int64_t> imageIds_;
  std::vector<cv::Size> sourceSizes_;
  std::vector<cv::Mat> images_;
  std::vector<std::vector<cv::Mat>> masks_;
  std::vector<std::vector<int64_t>> labels_;
};

// Maps a per-pixel map of a view (e.g. mask probabilities, CV_32F size x size) back
// onto the source image (inverse of the view's geometry), bilinearly.
cv::Mat viewToSource(const cv::Mat& viewMap, const ViewGeometry& g, cv::Size source);

}  // namespace distillery
