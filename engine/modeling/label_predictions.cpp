#include "engine/modeling/label_predictions.h"

#include <algorithm>

#include "engine/util/status.h"

namespace distillery {

LabelPredictions labelPredictions(const std::vector<cv::Mat>& instanceIds,
                                  const std::vector<std::vector<int64_t>>& classes,
                                  int64_t numClasses, double logit) {
  DST_CHECK(!instanceIds.empty() && instanceIds.size() == classes.size() && numClasses >= 1);
  const int64_t B = static_cast<int64_t>(instanceIds.size());
  const int64_t H = instanceIds[0].rows, W = instanceIds[0].cols;
  size_t most = 0;
  for (const auto& c : classes) most = std::max(most, c.size());
  const int64_t Q = static_cast<int64_t>(most) + 1;

  auto masks = torch::full({B, Q, H, W}, -logit, torch::kFloat);
  auto logits = torch::full({B, Q, numClasses + 1}, -logit, torch::kFloat);
  logits.select(2, numClasses).fill_(logit);  // unused queries and the background: no object
  for (int64_t b = 0; b < B; ++b) {
    const cv::Mat& ids = instanceIds[static_cast<size_t>(b)];
    DST_CHECK(ids.type() == CV_32S && ids.rows == H && ids.cols == W && ids.isContinuous());
    const auto idsT =
        torch::from_blob(const_cast<int32_t*>(ids.ptr<int32_t>()), {H, W}, torch::kInt32)
            .to(torch::kLong);
    const auto& cls = classes[static_cast<size_t>(b)];
    for (int64_t k = 0; k < Q; ++k) {
      masks[b][k].masked_fill_(idsT == k, logit);
      if (k == 0) continue;
      if (k - 1 >= static_cast<int64_t>(cls.size())) continue;
      const int64_t c = cls[static_cast<size_t>(k - 1)];
      DST_CHECK(c >= 0 && c < numClasses);
      logits[b][k].fill_(-logit);
      logits[b][k][c] = logit;
    }
  }
  return {masks, logits};
}

}  // namespace distillery
