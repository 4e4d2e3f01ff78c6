#include "widgets/compare/per_class_ap_chart.h"

#include <qcustomplot.h>

#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "widgets/pipeline/plot_legend.h"

namespace distillery {
namespace {

const QColor kPalette[] = {QColor(150, 150, 150), QColor(214, 39, 40),  QColor(31, 119, 180),
                           QColor(44, 160, 44),   QColor(255, 127, 14), QColor(148, 103, 189)};

}  // namespace

PerClassApChart::PerClassApChart(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  plot_ = new QCustomPlot(this);
  plot_->setObjectName("perClassApPlot");
  plot_->setMinimumHeight(160);
  plot_->yAxis->setLabel(tr("AP"));
  plot_->yAxis->setRange(0, 100);
  plot_->xAxis->setTickLabelRotation(45);
  plot_->xAxis->grid()->setVisible(false);
  placeLegendAbove(plot_, 3);
  group_ = new QCPBarsGroup(plot_);
  group_->setSpacing(1);
  layout->addWidget(plot_);
}

void PerClassApChart::setScores(const QStringList& classes, const std::vector<ModelScore>& models) {
  for (QCPBars* b : bars_) plot_->removePlottable(b);
  bars_.clear();
  group_->clear();

  QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
  for (int c = 0; c < classes.size(); ++c) ticker->addTick(c, classes[c]);
  plot_->xAxis->setTicker(ticker);
  plot_->xAxis->setRange(-0.6, std::max<int>(static_cast<int>(classes.size()), 1) - 0.4);

  const double width = 0.8 / std::max<size_t>(models.size(), 1);
  double top = 0;
  for (size_t m = 0; m < models.size(); ++m) {
    auto* bars = new QCPBars(plot_->xAxis, plot_->yAxis);
    bars->setName(models[m].name);
    bars->setWidth(width);
    const QColor colour = kPalette[m % (sizeof(kPalette) / sizeof(kPalette[0]))];
    bars->setPen(colour.darker(130));
    bars->setBrush(colour);
    bars->setBarsGroup(group_);
    QVector<double> keys, values;
    for (int c = 0; c < classes.size(); ++c) {
      if (c >= static_cast<int>(models[m].perClassAp.size())) break;
      const double v = models[m].perClassAp[static_cast<size_t>(c)];
      if (!std::isfinite(v)) continue;  // class absent from the test images
      keys << c;
      values << v;
      top = std::max(top, v);
    }
    bars->setData(keys, values, true);
    bars_ << bars;
  }
  plot_->yAxis->setRange(0, top > 0 ? std::min(100.0, top * 1.15 + 1) : 100.0);
  plot_->replot();
}

}  // namespace distillery
