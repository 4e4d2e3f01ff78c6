#include "widgets/pipeline/training_charts.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QSplitter>
#include <QVBoxLayout>

#include "widgets/pipeline/plot_legend.h"

namespace distillery {
namespace {

struct SeriesStyle {
  const char* name;
  const char* label;
  bool lossPlot;
  QColor colour;
  Qt::PenStyle pen;
  double width;
};

const SeriesStyle kSeries[] = {
    {"loss/sup", "L_sup", true, QColor(31, 119, 180), Qt::SolidLine, 1.2},
    {"loss/semi", "L_semi", true, QColor(255, 127, 14), Qt::SolidLine, 1.2},
    {"loss/pxl", "L_pxl", true, QColor(44, 160, 44), Qt::SolidLine, 1.2},
    {"loss/total", "total", true, QColor(30, 30, 30), Qt::SolidLine, 2.0},
    {"teacher/ap", "teacher AP", false, QColor(214, 39, 40), Qt::SolidLine, 1.6},
    {"teacher/ap50", "teacher AP50", false, QColor(214, 39, 40), Qt::DashLine, 1.2},
    {"student/ap", "student AP", false, QColor(31, 119, 180), Qt::SolidLine, 1.6},
    {"student/ap50", "student AP50", false, QColor(31, 119, 180), Qt::DashLine, 1.2},
};

QCustomPlot* makePlot(QWidget* parent, const QString& objectName, const QString& yLabel) {
  auto* plot = new QCustomPlot(parent);
  plot->setObjectName(objectName);
  plot->setMinimumHeight(120);
  plot->xAxis->setLabel(QObject::tr("step"));
  plot->yAxis->setLabel(yLabel);
  placeLegendAbove(plot, 2);
  plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  plot->setNoAntialiasingOnDrag(true);
  return plot;
}

}  // namespace

QStringList TrainingCharts::seriesNames() {
  QStringList names;
  for (const SeriesStyle& s : kSeries) names << s.name;
  return names;
}

TrainingCharts::TrainingCharts(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  logY_ = new QCheckBox(tr("Log scale for losses"), this);
  logY_->setObjectName("logScale");
  layout->addWidget(logY_);

  auto* split = new QSplitter(Qt::Vertical, this);
  loss_ = makePlot(split, "lossPlot", tr("loss"));
  ap_ = makePlot(split, "apPlot", tr("AP"));
  split->addWidget(loss_);
  split->addWidget(ap_);
  layout->addWidget(split, 1);

  for (const SeriesStyle& s : kSeries) {
    QCustomPlot* plot = s.lossPlot ? loss_ : ap_;
    QCPGraph* g = plot->addGraph();
    g->setName(s.label);
    QPen pen(s.colour, s.width, s.pen);
    g->setPen(pen);
    if (!s.lossPlot)
      g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 4));  // sparse evals
    graphs_.insert(s.name, g);
  }

  timer_.setSingleShot(true);
  timer_.setInterval(150);
  connect(&timer_, &QTimer::timeout, this, &TrainingCharts::flush);
  connect(logY_, &QCheckBox::toggled, this, &TrainingCharts::setLogScale);
}

void TrainingCharts::append(const std::vector<ScalarEvent>& events) {
  for (const ScalarEvent& e : events) {
    const QString name = QString::fromStdString(e.name);
    if (!graphs_.contains(name)) continue;
    Pending& p = pending_[name];
    p.steps.append(static_cast<double>(e.step));
    p.values.append(e.value);
  }
}

void TrainingCharts::addScalars(const std::vector<ScalarEvent>& events) {
  append(events);
  if (!pending_.isEmpty() && !timer_.isActive()) timer_.start();
}

int TrainingCharts::pendingCount() const {
  int n = 0;
  for (const Pending& p : pending_) n += p.steps.size();
  return n;
}

void TrainingCharts::flush() {
  timer_.stop();
  for (auto it = pending_.begin(); it != pending_.end(); ++it)
    graphs_.value(it.key())->addData(it->steps, it->values);  // sorts by step
  pending_.clear();
  replot();
}

void TrainingCharts::replot() {
  if (!isVisible()) {
    stale_ = true;  // drawn when shown; hidden tabs cost nothing
    return;
  }
  stale_ = false;
  for (QCustomPlot* plot : {loss_, ap_}) {
    plot->rescaleAxes(true);
    // A little air around the data so the first and last points are not on the frame.
    if (plot->yAxis->scaleType() == QCPAxis::stLinear) plot->yAxis->scaleRange(1.08);
    plot->replot();
  }
  ++replotCount_;
}

void TrainingCharts::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (stale_) replot();
}

void TrainingCharts::loadRun(const std::vector<ScalarEvent>& events) {
  timer_.stop();
  pending_.clear();
  for (QCPGraph* g : graphs_) g->data()->clear();
  append(events);
  flush();
}

void TrainingCharts::clear() {
  loadRun({});
}

void TrainingCharts::setLogScale(bool on) {
  if (logY_->isChecked() != on) logY_->setChecked(on);  // re-enters through toggled
  QCPAxis* y = loss_->yAxis;
  if ((y->scaleType() == QCPAxis::stLogarithmic) == on) return;
  y->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
  if (on) {
    y->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
  } else {
    y->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
  }
  replot();
}

bool TrainingCharts::logScale() const {
  return loss_->yAxis->scaleType() == QCPAxis::stLogarithmic;
}

QCPGraph* TrainingCharts::graph(const QString& name) const {
  return graphs_.value(name, nullptr);
}

}  // namespace distillery
