// One instance as the canvas draws it. The app fills these from the project database;
// the canvas never owns the truth, it shows it.
#pragma once

#include <QColor>
#include <QPoint>
#include <QPolygonF>
#include <QtGlobal>
#include <opencv2/core.hpp>

#include "engine/data/dataset.h"

namespace distillery {

// Where a pseudo-label stands in the review queue. Human labels have None.
enum class OverlayReview { None, Pending, Accepted, Rejected };

struct OverlayInstance {
  static constexpr qint64 kNone = -1;

  qint64 id = kNone;
  int classId = -1;
  QColor classColor;  // invalid: a stable colour derived from the id
  // CV_8U, nonzero = inside. Either image-sized (origin 0,0) or a crop placed at maskOrigin.
  cv::Mat mask;
  QPoint maskOrigin;
  // Polygon in image coordinates. If the mask is empty the polygon is rasterised (COCO
  // frPoly); if both are set the mask is drawn and the polygon is the outline to edit.
  QPolygonF outline;
  Source source = Source::Human;
  double score = -1;  // teacher/student confidence; negative hides the label
  OverlayReview review = OverlayReview::None;
  bool selected = false;
};

}  // namespace distillery
