#include "engine/evaluation/coco_mask_evaluator.h"

#include <algorithm>

namespace distillery {

CocoMaskEvaluator::CocoMaskEvaluator(std::vector<Category> categories, CocoEvalParams params,
                                     MaskIouFunction iou)
    : params_(std::move(params)), iou_(std::move(iou)) {
  // pycocotools: catIds = np.unique(all ground truth category ids).
  std::stable_sort(categories.begin(), categories.end(),
                   [](const Category& a, const Category& b) { return a.id < b.id; });
  for (Category& c : categories) {
    if (categoryIndex_.count(c.id)) continue;
    categoryIndex_[c.id] = categories_.size();
    categories_.push_back(std::move(c));
  }
  DST_CHECK(!params_.maxDets.empty() && std::is_sorted(params_.maxDets.begin(), params_.maxDets.end()));
  reset();
}

void CocoMaskEvaluator::reset() {
  evals_.assign(categories_.size(), {});
  processedImages_.clear();
  numDetections_ = 0;
}

void CocoMaskEvaluator::process(const EvalImage& image) {
  DST_CHECK(image.image != nullptr);
  const int64_t imageId = image.image->id;
  DST_CHECK(processedImages_.insert(imageId).second);  // each image once per pass
  // Ground truth and detections per category, each in the given (file) order.
  std::map<size_t, std::pair<std::vector<const Instance*>, std::vector<const Instance*>>> byCat;
  for (const Instance* g : image.groundTruth) {
    auto it = categoryIndex_.find(g->categoryId);
    if (it != categoryIndex_.end()) byCat[it->second].first.push_back(g);
  }
  for (const Instance* d : image.predictions) {
    auto it = categoryIndex_.find(d->categoryId);
    if (it != categoryIndex_.end()) byCat[it->second].second.push_back(d);
  }
  for (const auto& [k, lists] : byCat) {
    evals_[k].push_back(evaluateImageCategory(imageId, categories_[k].id, lists.first,
                                              lists.second, params_, iou_));
    numDetections_ += evals_[k].back().numDetections();
  }
}

CocoEvalResult CocoMaskEvaluator::result() const {
  CocoEvalResult r;
  r.params = params_;
  for (const Category& c : categories_) {
    r.categoryIds.push_back(c.id);
    r.categoryNames.push_back(c.name);
  }
  // Images in ascending id order, as pycocotools' imgIds = np.unique(...).
  std::vector<std::vector<const CocoImageEval*>> evals(categories_.size());
  for (size_t k = 0; k < categories_.size(); ++k) {
    for (const CocoImageEval& e : evals_[k]) evals[k].push_back(&e);
    std::stable_sort(evals[k].begin(), evals[k].end(),
                     [](const CocoImageEval* a, const CocoImageEval* b) {
                       return a->imageId < b->imageId;
                     });
  }
  accumulateCoco(evals, r);
  summarizeCoco(r);
  r.numImages = processedImages_.size();
  r.numDetections = numDetections_;
  return r;
}

const std::vector<std::string>& cocoStatNames() {
  static const std::vector<std::string> kNames = {"AP",  "AP50", "AP75",  "APs", "APm", "APl",
                                                  "AR1", "AR10", "AR100", "ARs", "ARm", "ARl"};
  return kNames;
}

EvaluationResults CocoMaskEvaluator::evaluate() {
  const CocoEvalResult r = result();
  EvaluationResults out;
  for (size_t i = 0; i < kNumCocoStats; ++i) out["segm/" + cocoStatNames()[i]] = r.stats[i];
  for (const CategoryAp& c : r.perCategory) {
    out["segm/AP-" + c.name] = c.ap;
    out["segm/AP50-" + c.name] = c.ap50;
  }
  return out;
}

Result<CocoEvalResult> evaluateCocoMasks(const Dataset& groundTruth, const Dataset& results,
                                         CocoEvalParams params, MaskIouFunction iou) {
  // Check every result before evaluating: pycocotools would assert or silently drop.
  for (size_t i = 0; i < results.instances.size(); ++i) {
    const Instance& r = results.instances[i];
    const std::string record = "result " + std::to_string(i) + " (image_id " +
                               std::to_string(r.imageId) + ", category_id " +
                               std::to_string(r.categoryId) + ")";
    const ImageRecord* image = groundTruth.image(r.imageId);
    if (!image) return Status::error(record + ": image_id is not an image of the ground truth");
    if (!groundTruth.category(r.categoryId))
      return Status::error(record + ": category_id is not a category of the ground truth");
    if (r.mask.height != image->height || r.mask.width != image->width) {
      return Status::error(record + ": mask is " + std::to_string(r.mask.height) + "x" +
                           std::to_string(r.mask.width) + ", expected the image size " +
                           std::to_string(image->height) + "x" + std::to_string(image->width));
    }
  }
  CocoMaskEvaluator evaluator(groundTruth.categories, std::move(params), std::move(iou));
  const auto gtByImage = groundTruth.instancesByImage();
  const auto dtByImage = results.instancesByImage();
  std::set<int64_t> seen;
  for (const ImageRecord& image : groundTruth.images) {
    if (!seen.insert(image.id).second) continue;  // pycocotools keeps one record per id
    EvalImage in;
    in.image = &image;
    if (auto it = gtByImage.find(image.id); it != gtByImage.end()) in.groundTruth = it->second;
    if (auto it = dtByImage.find(image.id); it != dtByImage.end()) in.predictions = it->second;
    evaluator.process(in);
  }
  return evaluator.result();
}

}  // namespace distillery
