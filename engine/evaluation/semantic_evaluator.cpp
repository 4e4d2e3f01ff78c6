#include "engine/evaluation/semantic_evaluator.h"

#include "engine/util/status.h"

namespace distillery {

SemanticEvaluator::SemanticEvaluator(std::vector<std::string> classNames, int ignoreLabel)
    : classNames_(std::move(classNames)), ignoreLabel_(ignoreLabel), numClasses_(classNames_.size()) {
  reset();
}

void SemanticEvaluator::reset() { confusion_.assign(numClasses_ * (numClasses_ + 1), 0); }

void SemanticEvaluator::process(const EvalImage& image) {
  const std::string what = image.image ? "image " + std::to_string(image.image->id) : "image";
  add(image.gtLabels, image.predLabels, what);
}

void SemanticEvaluator::add(const cv::Mat& gtLabels, const cv::Mat& predLabels,
                            const std::string& what) {
  if (gtLabels.size() != predLabels.size()) {
    throw UserError(what + ": prediction is " + std::to_string(predLabels.rows) + "x" +
                    std::to_string(predLabels.cols) + ", expected the ground truth size " +
                    std::to_string(gtLabels.rows) + "x" + std::to_string(gtLabels.cols));
  }
  if (gtLabels.channels() != 1 || predLabels.channels() != 1)
    throw UserError(what + ": label maps must have one channel");
  cv::Mat gt, pred;
  gtLabels.convertTo(gt, CV_32S);
  predLabels.convertTo(pred, CV_32S);
  const int n = static_cast<int>(numClasses_);
  for (int y = 0; y < gt.rows; ++y) {
    const int32_t* g = gt.ptr<int32_t>(y);
    const int32_t* p = pred.ptr<int32_t>(y);
    for (int x = 0; x < gt.cols; ++x) {
      if (g[x] == ignoreLabel_) continue;
      if (g[x] < 0 || g[x] >= n) {
        throw UserError(what + ": ground truth pixel (" + std::to_string(x) + ", " +
                        std::to_string(y) + ") has class " + std::to_string(g[x]) +
                        ", expected 0.." + std::to_string(n - 1) + " or the ignore label " +
                        std::to_string(ignoreLabel_));
      }
      // A prediction that is no class (e.g. the ignore label) is a miss for the ground
      // truth class but no false positive of any class: column n.
      const int col = (p[x] >= 0 && p[x] < n) ? p[x] : n;
      ++confusion_[static_cast<size_t>(g[x]) * (numClasses_ + 1) + static_cast<size_t>(col)];
    }
  }
}

SemanticResult SemanticEvaluator::result() const {
  SemanticResult r;
  r.classNames = classNames_;
  r.confusion = confusion_;
  const size_t n = numClasses_, w = n + 1;
  std::vector<uint64_t> gtTotal(n, 0), predTotal(n, 0);
  uint64_t correct = 0;
  for (size_t g = 0; g < n; ++g) {
    for (size_t p = 0; p < w; ++p) {
      const uint64_t c = confusion_[g * w + p];
      gtTotal[g] += c;
      if (p < n) predTotal[p] += c;
      r.countedPixels += c;
    }
    correct += confusion_[g * w + g];
  }
  r.iou.assign(n, -1);
  double sum = 0;
  size_t present = 0;
  for (size_t c = 0; c < n; ++c) {
    const uint64_t tp = confusion_[c * w + c];
    const uint64_t uni = gtTotal[c] + predTotal[c] - tp;
    if (uni == 0) continue;  // absent from both: not part of the mean
    r.iou[c] = static_cast<double>(tp) / static_cast<double>(uni);
    sum += r.iou[c];
    ++present;
  }
  if (present) r.meanIou = sum / static_cast<double>(present);
  if (r.countedPixels)
    r.pixelAccuracy = static_cast<double>(correct) / static_cast<double>(r.countedPixels);
  return r;
}

EvaluationResults SemanticEvaluator::evaluate() {
  const SemanticResult r = result();
  EvaluationResults out;
  out["sem_seg/mIoU"] = r.meanIou;
  out["sem_seg/pACC"] = r.pixelAccuracy;
  for (size_t c = 0; c < r.iou.size(); ++c) out["sem_seg/IoU-" + classNames_[c]] = r.iou[c];
  return out;
}

}  // namespace distillery
