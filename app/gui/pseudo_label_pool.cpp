#include "app/gui/pseudo_label_pool.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <opencv2/imgcodecs.hpp>

#include "app/gui/pending_labels.h"
#include "engine/modeling/predictor.h"
#include "engine/store/project.h"

namespace distillery {
namespace {

Result<std::vector<ImageEntry>> poolImages(const Project& project) {
  std::vector<ImageEntry> pool;
  auto images = project.images().all();
  if (!images.ok()) return images.status();
  for (const ImageEntry& e : *images)
    if (e.split == Split::Unlabelled) pool.push_back(e);
  return pool;
}

}  // namespace

double poolUncertainty(const std::vector<double>& scores) {
  double u = 0;
  for (double s : scores) u = std::max(u, 1.0 - std::abs(2.0 * s - 1.0));
  return u;
}

Result<PoolLabellingReport> pseudoLabelPool(
    Project& project, const PoolLabelling& request, const std::atomic<bool>& cancel,
    const std::function<void(const PoolBatchDone&)>& onBatch) {
  PredictOptions po;
  po.source = Source::Teacher;
  po.topK = request.topK;
  po.scoreThreshold = request.scoreFloor;
  auto predictor = ModelPredictor::load(request.model, po);
  if (!predictor.ok()) return predictor.status();
  const size_t numClasses = predictor->classNames().size();
  if (request.categoryForClass.size() != numClasses)
    return Status::error(request.model.string() + ": the class mapping has " +
                         std::to_string(request.categoryForClass.size()) +
                         " entries, expected one per teacher class (" + std::to_string(numClasses) +
                         ")");
  // The predictor names classes by their sidecar category id; the mapping is by index.
  std::map<int64_t, int64_t> projectCategory;
  const std::vector<int64_t> teacherIds = predictor->categoryIds();
  for (size_t k = 0; k < numClasses; ++k)
    projectCategory[teacherIds[k]] = request.categoryForClass[k];

  auto pool = poolImages(project);
  if (!pool.ok()) return pool.status();
  PoolLabellingReport report;
  report.imagesTotal = static_cast<int64_t>(pool->size());
  const size_t step = static_cast<size_t>(std::max(1, request.batchImages));
  for (size_t begin = 0; begin < pool->size(); begin += step) {
    if (cancel.load()) {
      report.cancelled = true;
      break;
    }
    const size_t end = std::min(pool->size(), begin + step);
    std::vector<cv::Mat> pixels;
    std::vector<int64_t> ids;
    for (size_t i = begin; i < end; ++i) {
      const ImageEntry& e = (*pool)[i];
      auto file = project.imageFile(e.id);
      if (!file.ok()) {
        report.skipped.push_back(e.path + ": " + file.status().message());
        continue;
      }
      // The stored size is what masks must have; EXIF rotation would change it.
      cv::Mat m = cv::imread(file->string(), cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
      if (m.empty()) {
        report.skipped.push_back(e.path + ": cannot read the image file " + file->string());
        continue;
      }
      if (m.cols != e.width || m.rows != e.height) {
        report.skipped.push_back(e.path + ": the file is " + std::to_string(m.cols) + "x" +
                                 std::to_string(m.rows) + ", the project recorded " +
                                 std::to_string(e.width) + "x" + std::to_string(e.height) +
                                 " (was it replaced?)");
        continue;
      }
      pixels.push_back(std::move(m));
      ids.push_back(e.id);
    }
    PoolBatchDone done;
    if (!ids.empty()) {
      auto predicted = predictor->predict(pixels, ids);
      if (!predicted.ok()) return predicted.status();
      std::vector<ImageCandidates> batch;
      for (size_t i = 0; i < ids.size(); ++i) {
        ImageCandidates image;
        image.imageId = ids[i];
        for (Instance& inst : (*predicted)[i]) {  // best first
          NewAnnotation a;
          a.categoryId =
              projectCategory.count(inst.categoryId) ? projectCategory[inst.categoryId] : 0;
          a.mask = std::move(inst.mask);
          a.score = inst.score;
          image.candidates.push_back(std::move(a));
        }
        batch.push_back(std::move(image));
      }
      auto written = writePendingLabels(project, std::move(batch));
      if (!written.ok()) return written.status();
      report.labels += written->labels;
      report.repeats += written->repeats;
      report.duplicates += written->duplicates;
      done.changed = std::move(written->changed);
      report.images += static_cast<int64_t>(ids.size());
    }
    done.imagesDone = static_cast<int64_t>(end);
    done.imagesTotal = report.imagesTotal;
    done.labels = report.labels;
    if (onBatch) onBatch(done);
  }
  return report;
}

}  // namespace distillery
