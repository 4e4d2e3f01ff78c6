// Puts a plot's legend in its own row above the axes, entries side by side, so it
// never hides curves or bars (shared by the training curves and the compare chart).
#pragma once

class QCustomPlot;

namespace distillery {

void placeLegendAbove(QCustomPlot* plot, int columns);

}  // namespace distillery
