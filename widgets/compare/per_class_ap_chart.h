// Per-class AP as grouped bars: one group per class, one bar per model.
#pragma once

#include <QStringList>
#include <QWidget>
#include <vector>

#include "widgets/compare/model_score.h"

class QCPBars;
class QCPBarsGroup;
class QCustomPlot;

namespace distillery {

class PerClassApChart : public QWidget {
  Q_OBJECT

 public:
  explicit PerClassApChart(QWidget* parent = nullptr);

  // Classes without a value for a model (NaN or a short perClassAp) get no bar.
  void setScores(const QStringList& classes, const std::vector<ModelScore>& models);

  int barSetCount() const { return static_cast<int>(bars_.size()); }
  QCPBars* bars(int model) const { return bars_.value(model); }
  QCustomPlot* plot() const { return plot_; }

 private:
  QCustomPlot* plot_ = nullptr;
  QList<QCPBars*> bars_;
  QCPBarsGroup* group_ = nullptr;
};

}  // namespace distillery
