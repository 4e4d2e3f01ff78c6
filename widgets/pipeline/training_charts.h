// Live training curves: the loss terms (sup, semi, pxl, total) and AP / AP50 of the
// teacher and the student against step. Scalars arrive from queued signals, possibly
// hundreds a second; they are buffered and the plots redrawn at most once per
// replot interval (a single-shot timer), never once per point. The axes follow the
// data until the user drags or zooms a plot; a double-click follows the data again.
#pragma once

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QVector>
#include <QWidget>
#include <vector>

#include "engine/training/event_storage.h"  // ScalarEvent: a plain struct, torch-free

class QCheckBox;
class QCPGraph;
class QCustomPlot;

namespace distillery {

class TrainingCharts : public QWidget {
  Q_OBJECT

 public:
  explicit TrainingCharts(QWidget* parent = nullptr);

  // The scalar names drawn, loss plot first; other names are ignored.
  static QStringList seriesNames();

  // Buffers the points; the plots catch up within one replot interval.
  void addScalars(const std::vector<ScalarEvent>& events);
  // Replaces everything with a stored run's scalars and redraws at once.
  void loadRun(const std::vector<ScalarEvent>& events);
  void clear();

  void setLogScale(bool on);
  bool logScale() const;
  void setReplotInterval(int ms) { timer_.setInterval(ms); }
  int replotInterval() const { return timer_.interval(); }

  // Test and benchmark hooks.
  int replotCount() const { return replotCount_; }
  int pendingCount() const;
  QCPGraph* graph(const QString& name) const;
  QCustomPlot* lossPlot() const { return loss_; }
  QCustomPlot* apPlot() const { return ap_; }

 public Q_SLOTS:
  // Moves the buffered points into the graphs and redraws (visible widgets only).
  void flush();

 protected:
  void showEvent(QShowEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  struct Pending {
    QVector<double> steps, values;
  };
  void append(const std::vector<ScalarEvent>& events);
  void replot();

  QCustomPlot* loss_ = nullptr;
  QCustomPlot* ap_ = nullptr;
  QCheckBox* logY_ = nullptr;
  QHash<QString, QCPGraph*> graphs_;
  QHash<QString, Pending> pending_;
  QTimer timer_;
  bool stale_ = false;  // data changed while hidden
  QSet<QCustomPlot*> userView_;  // plots the user zoomed or dragged: not refitted
  int replotCount_ = 0;
};

}  // namespace distillery
