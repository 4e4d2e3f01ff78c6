// Compare and export, first half (WORKBENCH.md flow 7): a table of the models
// (zero-shot teacher, adapted teacher, student: AP, AP50, parameters, latency), their
// per-class AP as grouped bars, and two prediction panes on one chosen image. The
// app renders predictions on request and hands them back with setPrediction.
#pragma once

#include <QImage>
#include <QStringList>
#include <QWidget>
#include <vector>

#include "widgets/compare/model_score.h"

class QComboBox;
class QTableWidget;

namespace distillery {

class PerClassApChart;
class PredictionPane;

class CompareView : public QWidget {
  Q_OBJECT

 public:
  explicit CompareView(QWidget* parent = nullptr);

  // Fills the table and the chart; the panes offer the models (left: the first,
  // right: the last, usually the student).
  void setScores(const QStringList& classes, const std::vector<ModelScore>& models);
  // The images the panes can show (ids or file names).
  void setImages(const QStringList& images);
  QString currentImage() const;
  void setCurrentImage(const QString& image);

  // A rendered prediction; ignored unless it is what a pane currently shows.
  void setPrediction(const QString& image, const QString& model, const QImage& rendered);

  PredictionPane* pane(int side) const { return side == 0 ? left_ : right_; }
  QTableWidget* table() const { return table_; }
  PerClassApChart* chart() const { return chart_; }

  // "52.1 M", "880 k", "568 M"
  static QString formatParams(double params);

 Q_SIGNALS:
  // Both panes need a rendering: the image and each pane's model.
  void predictionsRequested(const QString& image, const QString& leftModel,
                            const QString& rightModel);

 private:
  void request();
  void step(int delta);

  QTableWidget* table_ = nullptr;
  PerClassApChart* chart_ = nullptr;
  QComboBox* images_ = nullptr;
  PredictionPane* left_ = nullptr;
  PredictionPane* right_ = nullptr;
};

}  // namespace distillery
