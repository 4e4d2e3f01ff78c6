#include "widgets/compare/prediction_pane.h"

#include <QComboBox>
#include <QLabel>
#include <QPixmap>
#include <QVBoxLayout>
#include <algorithm>

namespace distillery {

PredictionPane::PredictionPane(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  models_ = new QComboBox(this);
  models_->setObjectName("paneModel");
  view_ = new QLabel(this);
  view_->setObjectName("paneImage");
  view_->setAlignment(Qt::AlignCenter);
  view_->setMinimumSize(160, 120);
  view_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);  // the pixmap follows the pane
  layout->addWidget(models_);
  layout->addWidget(view_, 1);
  connect(models_, &QComboBox::currentTextChanged, this, &PredictionPane::modelChanged);
  showImage();
}

void PredictionPane::setModels(const QStringList& models, int current) {
  const QSignalBlocker block(models_);
  models_->clear();
  models_->addItems(models);
  models_->setCurrentIndex(std::clamp(current, 0, static_cast<int>(models.size()) - 1));
}

QString PredictionPane::model() const {
  return models_->currentText();
}

void PredictionPane::setModel(const QString& model) {
  models_->setCurrentText(model);
}

void PredictionPane::setPrediction(const QImage& image) {
  image_ = image;
  showImage();
}

void PredictionPane::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  showImage();
}

void PredictionPane::showImage() {
  if (image_.isNull()) {
    view_->setPixmap(QPixmap());
    view_->setText(tr("Waiting for the prediction..."));
    return;
  }
  view_->setPixmap(QPixmap::fromImage(image_).scaled(view_->size(), Qt::KeepAspectRatio,
                                                     Qt::SmoothTransformation));
}

}  // namespace distillery
