#include "engine/evaluation/pixel_iou.h"

#include <opencv2/core.hpp>

namespace distillery {

std::vector<std::vector<double>> pixelIouMatrix(const std::vector<Rle>& dts,
                                                const std::vector<Rle>& gts,
                                                const std::vector<bool>& gtIsCrowd) {
  std::vector<cv::Mat> d(dts.size()), g(gts.size());
  std::vector<int> dArea(dts.size()), gArea(gts.size());
  for (size_t i = 0; i < dts.size(); ++i) {
    d[i] = rle::decode(dts[i]);
    dArea[i] = cv::countNonZero(d[i]);
  }
  for (size_t j = 0; j < gts.size(); ++j) {
    g[j] = rle::decode(gts[j]);
    gArea[j] = cv::countNonZero(g[j]);
  }
  std::vector<std::vector<double>> out(dts.size(), std::vector<double>(gts.size(), 0.0));
  cv::Mat both;
  for (size_t i = 0; i < dts.size(); ++i) {
    for (size_t j = 0; j < gts.size(); ++j) {
      if (d[i].size() != g[j].size()) {
        out[i][j] = -1;
        continue;
      }
      cv::bitwise_and(d[i], g[j], both);
      const int inter = cv::countNonZero(both);
      if (inter == 0) continue;
      const bool crowd = !gtIsCrowd.empty() && gtIsCrowd[j];
      const int uni = crowd ? dArea[i] : dArea[i] + gArea[j] - inter;
      out[i][j] = static_cast<double>(inter) / static_cast<double>(uni);
    }
  }
  return out;
}

}  // namespace distillery
