// What the workbench's app layer passes between the project session, the undo
// commands and the views, free of engine/store headers so widgets-side files stay
// light: the review state is the widgets' LabelReview (same order as the store's
// ReviewStatus; the canvas draws an OverlayReview).
#pragma once

#include <QPoint>
#include <QPolygonF>
#include <QString>
#include <cstdint>
#include <memory>
#include <opencv2/core.hpp>
#include <optional>

#include "engine/data/dataset.h"
#include "engine/data/rle.h"
#include "widgets/review/review_types.h"

namespace distillery {

struct ImageInfo {
  int64_t id = 0;
  QString path;  // relative to the image root, as stored
  QString file;  // absolute file
  int width = 0;
  int height = 0;
};

// One annotation as the views show it: the mask as a tight crop (0/255).
struct AnnotationView {
  int64_t id = 0;
  int64_t imageId = 0;
  int64_t categoryId = 0;
  cv::Mat mask;  // empty when read without the mask
  QPoint origin;
  Source source = Source::Human;
  double score = 1.0;
  LabelReview review = LabelReview::Accepted;
  QPolygonF outline;  // the polygon it was drawn as in this session (vertex editing), if any
};

// Everything needed to put an annotation back after a delete (or to add one).
struct AnnotationState {
  int64_t imageId = 0;
  int64_t categoryId = 0;
  Rle mask;
  Source source = Source::Human;
  double score = 1.0;
  bool iscrowd = false;
  LabelReview review = LabelReview::Accepted;
  std::optional<int64_t> runId;
  QPolygonF outline;
};

// A stable handle on one annotation for undo commands. SQLite may give an
// annotation a new id when a delete is undone (ids of deleted rows are reused),
// so commands that refer to the same annotation share one handle and the
// session rebinds it; `id` is the current database id while the annotation exists.
struct AnnotationHandle {
  int64_t id = 0;
};
using AnnotationRef = std::shared_ptr<AnnotationHandle>;

}  // namespace distillery
