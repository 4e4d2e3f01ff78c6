// Draws an OverlayLayer: fills from the per-level caches, outlines as cosmetic pens.
// Human labels: solid outline. Teacher pseudo-masks: dashed outline and a score label.
// Student predictions: dotted outline and a score label. Rejected ones: faint and dotted.
// The selected instance: stronger fill, a thick outline with a light halo.
#pragma once

#include <QPainter>
#include <QRectF>

#include "widgets/canvas/overlay_layer.h"
#include "widgets/canvas/view_transform.h"

namespace distillery {

struct OverlayStyle {
  double opacity = 0.45;     // fill opacity, 0..1
  bool outlineOnly = false;  // no fills
  bool showScores = true;    // score labels of teacher/student instances
};

// How opaque an instance's fill is drawn: the style's opacity, stronger when selected,
// fainter when rejected.
double fillOpacity(const OverlayInstance& instance, const OverlayStyle& style);

// `visibleImage` is the part of the image in view (image pixels); instances outside are skipped.
// With `fillsComposited` the fills are already in the image tiles (DisplayTileCache) and only
// outlines and score labels are drawn.
void paintOverlays(QPainter& painter, const OverlayLayer& layer, const ViewTransform& view,
                   const QRectF& visibleImage, const OverlayStyle& style,
                   bool fillsComposited = false);

}  // namespace distillery
