// What the app hands the negatives inspector for one anchor (from the engine's
// InstanceAwarePixelContrast::inspect, converted to image pixels by the app).
#pragma once

#include <QPoint>
#include <QPointF>
#include <QPolygonF>
#include <QString>
#include <QVector>
#include <opencv2/core.hpp>
#include <vector>

namespace distillery {

struct NegativeSample {
  int image = 0;  // index into the batch
  int x = 0;      // image pixel
  int y = 0;
};

struct NegativesResult {
  QString mode;  // "fused", "mask-only", "class-only" or "uniform"
  // One single-channel map per batch image, any size (stretched over the image);
  // an empty map means the image holds no candidates (the anchor's own image).
  std::vector<cv::Mat> weights;
  std::vector<NegativeSample> negatives;  // the R sampled negatives
  int anchorImage = -1;                   // the anchor's image (the outline's too)
  QPoint anchor{-1, -1};                  // the anchor pixel; (-1, -1) keeps the clicked one
  QVector<QPolygonF> ownInstance;         // outline in image pixels, or...
  cv::Mat ownInstanceMask;                // ...a mask (any size) whose contours are drawn
};

}  // namespace distillery
