// Colours for instances: stable per id (so an instance keeps its colour across images,
// sessions and undo), well spread in hue, readable on photos.
#pragma once

#include <QColor>
#include <QtGlobal>

namespace distillery {

QColor stableInstanceColor(qint64 id);

}  // namespace distillery
