#include "engine/data/training_set.h"

#include <algorithm>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace distillery {

Result<TrainingSet> TrainingSet::load(const Dataset& d, const std::filesystem::path& imageRoot,
                                      const std::vector<int64_t>& classIds, int maxSide) {
  TrainingSet set;
  const auto byImage = d.instancesByImage();
  for (const ImageRecord& rec : d.images) {
    const auto path = imageRoot / rec.file;
    cv::Mat img = cv::imread(path.string(), cv::IMREAD_COLOR);
    if (img.empty()) {
      return Status::error(path.string() + ": image " + std::to_string(rec.id) +
                           " is missing or cannot be decoded (expected a readable image file)");
    }
    if (rec.width > 0 && rec.height > 0 && (img.cols != rec.width || img.rows != rec.height)) {
      return Status::error(path.string() + ": image " + std::to_string(rec.id) + " is " +
                           std::to_string(img.cols) + "x" + std::to_string(img.rows) +
                           ", expected " + std::to_string(rec.width) + "x" + std::to_string(rec.height));
    }
    const double scale = std::min(1.0, static_cast<double>(maxSide) / std::max(img.cols, img.rows));
    const cv::Size target(std::max(1, static_cast<int>(std::lround(img.cols * scale))),
                          std::max(1, static_cast<int>(std::lround(img.rows * scale))));
    cv::Mat small;
    if (target != img.size()) cv::resize(img, small, target, 0, 0, cv::INTER_AREA);
    else small = img;
    std::vector<cv::Mat> masks;
    std::vector<int64_t> labels;
    auto it = byImage.find(rec.id);
    if (it != byImage.end()) {
      for (const Instance* inst : it->second) {
        if (inst->iscrowd) continue;  // crowd regions are not instances to learn
        auto cls = std::find(classIds.begin(), classIds.end(), inst->categoryId);
        if (cls == classIds.end()) continue;
        if (inst->mask.height != img.rows || inst->mask.width != img.cols) {
          return Status::error(path.string() + ": annotation " + std::to_string(inst->id) + " mask is " +
                               std::to_string(inst->mask.width) + "x" + std::to_string(inst->mask.height) +
                               ", expected the image size " + std::to_string(img.cols) + "x" +
                               std::to_string(img.rows));
        }
        cv::Mat m = rle::decode(inst->mask);
        if (target != img.size()) cv::resize(m, m, target, 0, 0, cv::INTER_NEAREST);
        if (cv::countNonZero(m) == 0) continue;
        masks.push_back(m);
        labels.push_back(cls - classIds.begin());
      }
    }
    set.imageIds_.push_back(rec.id);
    set.sourceSizes_.push_back(img.size());
    set.images_.push_back(small);
    set.masks_.push_back(std::move(masks));
    set.labels_.push_back(std::move(labels));
  }
  return set;
}

Result<TrainingSet> TrainingSet::relabelled(const Dataset& labels, const std::vector<int64_t>& classIds) const {
  TrainingSet out = *this;
  std::map<int64_t, size_t> row;
  for (size_t i = 0; i < imageIds_.size(); ++i) {
    row[imageIds_[i]] = i;
    out.masks_[i].clear();
    out.labels_[i].clear();
  }
  for (const Instance& inst : labels.instances) {
    auto it = row.find(inst.imageId);
    if (it == row.end() || inst.iscrowd) continue;
    auto cls = std::find(classIds.begin(), classIds.end(), inst.categoryId);
    if (cls == classIds.end()) continue;
    const size_t i = it->second;
    if (inst.mask.height != sourceSizes_[i].height || inst.mask.width != sourceSizes_[i].width) {
      return Status::error("label " + std::to_string(inst.id) + " of image " + std::to_string(inst.imageId) +
                           ": mask size differs from the image size");
    }
    cv::Mat m = rle::decode(inst.mask);
    if (m.size() != images_[i].size()) cv::resize(m, m, images_[i].size(), 0, 0, cv::INTER_NEAREST);
    if (cv::countNonZero(m) == 0) continue;
    out.masks_[i].push_back(m);
    out.labels_[i].push_back(cls - classIds.begin());
  }
  return out;
}

size_t TrainingSet::instanceCount() const {
  size_t n = 0;
  for (const auto& l : labels_) n += l.size();
  return n;
}

TrainingSample TrainingSet::sample(size_t i, const ViewConfig& config, uint64_t seed) const {
  TrainingSample s;
  s.imageId = imageIds_[i];
  s.views = makeViews(images_[i], masks_[i], config, seed);
  // Instances cropped out of the view are dropped with their labels.
  std::vector<cv::Mat> kept;
  for (size_t k = 0; k < s.views.masks.size(); ++k) {
    if (cv::countNonZero(s.views.masks[k]) == 0) continue;
    kept.push_back(s.views.masks[k]);
    s.labels.push_back(labels_[i][k]);
  }
  s.views.masks = std::move(kept);
  return s;
}

TrainingSample TrainingSet::evalSample(size_t i, int size) const {
  TrainingSample s;
  s.imageId = imageIds_[i];
  s.views = makeEvalView(images_[i], masks_[i], size);
  s.labels = labels_[i];
  // The view geometry maps from the stored (resized) image; express it from the source.
  s.views.geometry.scale *= static_cast<double>(images_[i].cols) / sourceSizes_[i].width;
  return s;
}

cv::Mat viewToSource(const cv::Mat& viewMap, const ViewGeometry& g, cv::Size source) {
  // Forward map: view = A * source. Invert it and sample the view at every source pixel.
  cv::Mat out;
  cv::warpAffine(viewMap, out, viewAffine(g, source.width), source, cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_CONSTANT,
                 cv::Scalar::all(0));
  return out;
}

}  // namespace distillery
