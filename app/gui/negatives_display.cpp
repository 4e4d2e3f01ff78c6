#include "app/gui/negatives_display.h"

#include <algorithm>
#include <cmath>

namespace distillery {
namespace {

template <class T, int Type>
cv::Mat sampleGrid(const ImageGrid<T>& grid, const PreviewGeometry& g) {
  if (grid.empty() || g.preview.empty()) return {};
  // Which cell each preview column and row falls in (via the image pixel under its centre).
  const double s = g.scale();
  std::vector<int> col(g.preview.width), row(g.preview.height);
  for (int u = 0; u < g.preview.width; ++u)
    col[u] = std::min(grid.width - 1, static_cast<int>((u + 0.5) / s / grid.scaleX));
  for (int v = 0; v < g.preview.height; ++v)
    row[v] = std::min(grid.height - 1, static_cast<int>((v + 0.5) / s / grid.scaleY));
  cv::Mat out(g.preview, Type);
  for (int v = 0; v < out.rows; ++v) {
    T* p = out.ptr<T>(v);
    for (int u = 0; u < out.cols; ++u) p[u] = grid.at(col[u], row[v]);
  }
  return out;
}

}  // namespace

cv::Point PreviewGeometry::toImage(int px, int py) const {
  const double s = scale();
  return {std::clamp(static_cast<int>((px + 0.5) / s), 0, image.width - 1),
          std::clamp(static_cast<int>((py + 0.5) / s), 0, image.height - 1)};
}

cv::Point PreviewGeometry::toPreview(int x, int y) const {
  const double s = scale();
  return {std::clamp(static_cast<int>((x + 0.5) * s), 0, preview.width - 1),
          std::clamp(static_cast<int>((y + 0.5) * s), 0, preview.height - 1)};
}

cv::Mat gridOnPreview(const ImageGrid<float>& grid, const PreviewGeometry& g) {
  return sampleGrid<float, CV_32F>(grid, g);
}

cv::Mat gridOnPreview(const ImageGrid<uint8_t>& grid, const PreviewGeometry& g) {
  return sampleGrid<uint8_t, CV_8U>(grid, g);
}

NegativesResult toNegativesResult(const NegativesQueryResult& r,
                                  const std::vector<PreviewGeometry>& previews) {
  NegativesResult out;
  out.mode = QString::fromStdString(r.sampling);
  out.anchorImage = r.anchorImage;  // the widget keeps the clicked anchor (anchor stays -1, -1)
  for (size_t b = 0; b < previews.size(); ++b)
    out.weights.push_back(b < r.weights.size() ? gridOnPreview(r.weights[b], previews[b])
                                               : cv::Mat());
  for (const InspectedNegative& n : r.negatives) {
    if (n.image < 0 || n.image >= static_cast<int>(previews.size())) {
      out.negatives.push_back({n.image, n.x, n.y});  // the widget counts it as outside the batch
      continue;
    }
    const cv::Point p = previews[static_cast<size_t>(n.image)].toPreview(n.x, n.y);
    out.negatives.push_back({n.image, p.x, p.y});
  }
  if (r.anchorImage >= 0 && r.anchorImage < static_cast<int>(previews.size())) {
    out.ownInstanceMask =
        gridOnPreview(r.ownInstance.mask, previews[static_cast<size_t>(r.anchorImage)]);
    // The background region's edge is the instances' outlines (its outer contour would
    // just be the image frame): outline what is not background.
    if (r.ownInstance.background && !out.ownInstanceMask.empty())
      out.ownInstanceMask = out.ownInstanceMask == 0;
  }
  return out;
}

}  // namespace distillery
