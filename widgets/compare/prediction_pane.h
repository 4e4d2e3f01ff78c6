// One side of the side-by-side predictions: which model, and its rendered prediction
// on the chosen image (the app draws it and hands back a QImage).
#pragma once

#include <QImage>
#include <QStringList>
#include <QWidget>

class QComboBox;
class QLabel;

namespace distillery {

class PredictionPane : public QWidget {
  Q_OBJECT

 public:
  explicit PredictionPane(QWidget* parent = nullptr);

  void setModels(const QStringList& models, int current);
  QString model() const;
  void setModel(const QString& model);

  void setPrediction(const QImage& image);  // null shows a "waiting" note
  const QImage& prediction() const { return image_; }

 Q_SIGNALS:
  void modelChanged(const QString& model);

 protected:
  void resizeEvent(QResizeEvent* event) override;

 private:
  void showImage();

  QComboBox* models_ = nullptr;
  QLabel* view_ = nullptr;
  QImage image_;
};

}  // namespace distillery
