#include "app/gui/pending_labels.h"

#include <algorithm>

#include "app/gui/pseudo_label_pool.h"
#include "engine/store/project.h"

namespace distillery {
namespace {

constexpr double kRepeatIou = 0.5;     // as runOnProject's rejected-label filter
constexpr double kDuplicateIou = 0.7;  // one object, several hypotheses (classes, prompts)

std::vector<int64_t> pendingTeacherIds(const std::vector<AnnotationRecord>& records) {
  std::vector<int64_t> ids;
  for (const AnnotationRecord& r : records)
    if (r.source == Source::Teacher && r.review == ReviewStatus::Pending) ids.push_back(r.id);
  return ids;
}

// Labels a new pseudo-label must not repeat: human ones and reviewed model output.
std::vector<const Rle*> keptMasks(const std::vector<AnnotationRecord>& records) {
  std::vector<const Rle*> kept;
  for (const AnnotationRecord& r : records)
    if (r.source == Source::Human || r.review != ReviewStatus::Pending) kept.push_back(&r.mask);
  return kept;
}

}  // namespace

Result<PendingLabelsWritten> writePendingLabels(Project& project,
                                                std::vector<ImageCandidates> images) {
  PendingLabelsWritten out;
  std::vector<ImagePredictions> batch;
  for (ImageCandidates& image : images) {
    auto before = project.annotations().forImage(image.imageId);
    if (!before.ok()) return before.status();
    const std::vector<const Rle*> kept = keptMasks(*before);
    ImagePredictions p;
    p.imageId = image.imageId;
    std::vector<double> scores;
    for (NewAnnotation& candidate : image.candidates) {
      if (candidate.categoryId <= 0 || rle::area(candidate.mask) == 0) continue;
      scores.push_back(candidate.score);
      const bool repeats = std::any_of(kept.begin(), kept.end(), [&](const Rle* k) {
        return rle::iou(candidate.mask, *k, false) > kRepeatIou;
      });
      if (repeats) {
        ++out.repeats;
        continue;
      }
      const bool duplicate =
          std::any_of(p.annotations.begin(), p.annotations.end(), [&](const NewAnnotation& a) {
            return rle::iou(candidate.mask, a.mask, false) > kDuplicateIou;
          });
      if (duplicate) {
        ++out.duplicates;
        continue;
      }
      candidate.imageId = image.imageId;
      candidate.source = Source::Teacher;
      p.annotations.push_back(std::move(candidate));
    }
    p.uncertainty = poolUncertainty(scores);
    out.changed.push_back({image.imageId, pendingTeacherIds(*before)});
    batch.push_back(std::move(p));
  }
  if (batch.empty()) return out;
  auto stored = project.annotations().replacePredictions(batch, Source::Teacher);
  if (!stored.ok()) return stored.status();
  for (auto& [imageId, changed] : out.changed) {
    auto after = project.annotations().forImage(imageId);
    if (!after.ok()) return after.status();
    for (int64_t id : pendingTeacherIds(*after)) {
      changed.push_back(id);
      ++out.labels;
    }
  }
  return out;
}

}  // namespace distillery
