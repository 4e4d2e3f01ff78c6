// The engine's negatives query (image pixels, coarse weight grids) as the inspector
// widget shows it: on the batch previews, which are the images scaled by `scale`.
// Plain functions, safe on a worker thread.
#pragma once

#include <opencv2/core.hpp>
#include <vector>

#include "engine/api/negatives_inspection.h"
#include "widgets/inspector/negatives_result.h"

namespace distillery {

// A preview of `image` pixels (scale = preview / image size).
struct PreviewGeometry {
  cv::Size image;
  cv::Size preview;
  double scale() const {
    return image.width > 0 ? static_cast<double>(preview.width) / image.width : 1.0;
  }
  // The image pixel under a preview pixel, and the preview pixel showing an image pixel.
  cv::Point toImage(int px, int py) const;
  cv::Point toPreview(int x, int y) const;
};

// A grid over the image sampled at every preview pixel (nearest cell), so the widget's
// stretch over the preview lines up with the cells exactly; empty grid -> empty Mat.
cv::Mat gridOnPreview(const ImageGrid<float>& grid, const PreviewGeometry& g);
cv::Mat gridOnPreview(const ImageGrid<uint8_t>& grid, const PreviewGeometry& g);

// The whole result in preview pixels. `previews` has one entry per batch image.
NegativesResult toNegativesResult(const NegativesQueryResult& r,
                                  const std::vector<PreviewGeometry>& previews);

}  // namespace distillery
