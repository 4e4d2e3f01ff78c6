#include "widgets/pipeline/plot_legend.h"

#include <qcustomplot.h>

namespace distillery {

void placeLegendAbove(QCustomPlot* plot, int columns) {
  QCPLegend* legend = plot->legend;
  legend->setVisible(true);
  QFont small = plot->font();
  small.setPointSizeF(small.pointSizeF() * 0.85);
  legend->setFont(small);
  legend->setBorderPen(Qt::NoPen);
  legend->setBrush(Qt::NoBrush);
  legend->setRowSpacing(0);
  legend->setColumnSpacing(8);
  legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
  legend->setWrap(columns);
  // Move it from the axis rect's inset layout into a new top row of the plot layout.
  plot->axisRect()->insetLayout()->take(legend);
  plot->plotLayout()->insertRow(0);
  plot->plotLayout()->addElement(0, 0, legend);
  plot->plotLayout()->setRowStretchFactor(0, 0.001);
  legend->setMargins(QMargins(4, 2, 4, 0));
}

}  // namespace distillery
