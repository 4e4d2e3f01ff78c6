#include "widgets/pipeline/training_charts.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QSplitter>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <optional>

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

// Fits the value axis to the visible data with a little air, from the data alone: a
// fit relative to the current range would grow at every replot while a series holds a
// single value (one evaluation, a constant loss). Returns the steps the data spans;
// an empty plot keeps its range and returns nothing.
std::optional<QCPRange> fitValueAxis(QCustomPlot* plot) {
  double x0 = 0, x1 = 0, y0 = 0, y1 = 0;
  bool any = false;
  const bool logY = plot->yAxis->scaleType() == QCPAxis::stLogarithmic;
  for (int i = 0; i < plot->graphCount(); ++i) {
    const QCPGraph* g = plot->graph(i);
    if (!g->visible()) continue;
    for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) {
      if (!std::isfinite(it->value) || (logY && it->value <= 0)) continue;
      if (!any) {
        x0 = x1 = it->key;
        y0 = y1 = it->value;
        any = true;
      }
      x0 = std::min(x0, it->key);
      x1 = std::max(x1, it->key);
      y0 = std::min(y0, it->value);
      y1 = std::max(y1, it->value);
    }
  }
  if (!any) return std::nullopt;
  if (logY) {
    plot->yAxis->setRange(y0 / 1.2, y1 * 1.2);
  } else {
    const double pad = y1 > y0 ? 0.04 * (y1 - y0) : std::max(0.05, 0.1 * std::abs(y1));
    plot->yAxis->setRange(y0 - pad, y1 + pad);
  }
  return QCPRange(x0, x1);
}

// Both plots share one step axis, so a loss and an AP at the same step line up;
// the last points keep a little room on the right.
void fitStepAxes(const QList<QCustomPlot*>& plots, std::optional<QCPRange> steps) {
  if (!steps) return;
  const double span = std::max(1.0, steps->upper - steps->lower);
  for (QCustomPlot* plot : plots) plot->xAxis->setRange(steps->lower, steps->upper + 0.02 * span);
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
  ap_ = makePlot(split, "apPlot", tr("AP (%)"));
  split->addWidget(loss_);
  split->addWidget(ap_);
  layout->addWidget(split, 1);
  // Below this the curves are unreadable: a short dock scrolls instead (see the app).
  setMinimumHeight(300);

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

  // A drag or a wheel zoom keeps the user's view while new points arrive; a
  // double-click goes back to following the data.
  for (QCustomPlot* plot : {loss_, ap_}) {
    connect(plot, &QCustomPlot::mousePress, this, [this, plot] { userView_.insert(plot); });
    connect(plot, &QCustomPlot::mouseWheel, this, [this, plot] { userView_.insert(plot); });
    connect(plot, &QCustomPlot::mouseDoubleClick, this, [this, plot] {
      userView_.remove(plot);
      replot();
    });
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
  QList<QCustomPlot*> following;
  std::optional<QCPRange> steps;
  for (QCustomPlot* plot : {loss_, ap_}) {
    if (userView_.contains(plot)) continue;
    following << plot;
    if (auto r = fitValueAxis(plot)) steps = steps ? QCPRange(std::min(steps->lower, r->lower),
                                                              std::max(steps->upper, r->upper))
                                                   : *r;
  }
  fitStepAxes(following, steps);
  for (QCustomPlot* plot : {loss_, ap_}) plot->replot();
  ++replotCount_;
}

void TrainingCharts::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  // Legends in one row when there is room: the height goes to the curves.
  const int columns = width() >= 560 ? 4 : 2;
  for (QCustomPlot* plot : {loss_, ap_}) {
    if (plot->legend->wrap() == columns) continue;
    plot->legend->setWrap(columns);
    plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);  // re-lays the items
    plot->replot(QCustomPlot::rpQueuedReplot);
  }
}

void TrainingCharts::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (stale_) replot();
}

void TrainingCharts::loadRun(const std::vector<ScalarEvent>& events) {
  timer_.stop();
  userView_.clear();  // another run: show all of it
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
