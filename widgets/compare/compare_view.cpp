#include "widgets/compare/compare_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

#include "widgets/compare/per_class_ap_chart.h"
#include "widgets/compare/prediction_pane.h"

namespace distillery {
namespace {

QTableWidgetItem* numberItem(const QString& text) {
  auto* item = new QTableWidgetItem(text);
  item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  return item;
}

}  // namespace

QString CompareView::formatParams(double params) {
  if (params >= 1e9) return QString::number(params / 1e9, 'f', 2) + " G";
  if (params >= 1e6) return QString::number(params / 1e6, 'f', 1) + " M";
  if (params >= 1e3) return QString::number(params / 1e3, 'f', 0) + " k";
  return QString::number(params, 'f', 0);
}

CompareView::CompareView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  table_ = new QTableWidget(0, 5, this);
  table_->setObjectName("compareTable");
  table_->setHorizontalHeaderLabels(
      {tr("Model"), tr("AP"), tr("AP50"), tr("Params"), tr("ms / image")});
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->setVisible(false);
  table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  table_->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
  layout->addWidget(table_);
  auto* split = new QSplitter(Qt::Vertical, this);
  layout->addWidget(split, 1);
  chart_ = new PerClassApChart(split);

  auto* predictions = new QWidget(split);
  auto* pl = new QVBoxLayout(predictions);
  pl->setContentsMargins(0, 0, 0, 0);
  auto* chooser = new QHBoxLayout;
  auto* prev = new QPushButton(tr("◀"), predictions);
  prev->setObjectName("previousImage");
  auto* next = new QPushButton(tr("▶"), predictions);
  next->setObjectName("nextImage");
  images_ = new QComboBox(predictions);
  images_->setObjectName("compareImage");
  chooser->addWidget(new QLabel(tr("Image"), predictions));
  chooser->addWidget(prev);
  chooser->addWidget(images_, 1);
  chooser->addWidget(next);
  pl->addLayout(chooser);
  auto* panes = new QHBoxLayout;
  left_ = new PredictionPane(predictions);
  left_->setObjectName("leftPane");
  right_ = new PredictionPane(predictions);
  right_->setObjectName("rightPane");
  panes->addWidget(left_);
  panes->addWidget(right_);
  pl->addLayout(panes, 1);

  split->setStretchFactor(0, 2);
  split->setStretchFactor(1, 3);

  connect(prev, &QPushButton::clicked, this, [this] { step(-1); });
  connect(next, &QPushButton::clicked, this, [this] { step(+1); });
  connect(images_, &QComboBox::currentTextChanged, this, &CompareView::request);
  connect(left_, &PredictionPane::modelChanged, this, &CompareView::request);
  connect(right_, &PredictionPane::modelChanged, this, &CompareView::request);
}

void CompareView::setScores(const QStringList& classes, const std::vector<ModelScore>& models) {
  table_->setRowCount(static_cast<int>(models.size()));
  double bestAp = -1;
  for (const ModelScore& m : models) bestAp = std::max(bestAp, m.ap);
  QStringList names;
  for (int r = 0; r < static_cast<int>(models.size()); ++r) {
    const ModelScore& m = models[static_cast<size_t>(r)];
    names << m.name;
    table_->setItem(r, 0, new QTableWidgetItem(m.name));
    auto* ap = numberItem(QString::number(m.ap, 'f', 1));
    if (m.ap == bestAp) {
      QFont bold = ap->font();
      bold.setBold(true);
      ap->setFont(bold);
    }
    table_->setItem(r, 1, ap);
    table_->setItem(r, 2, numberItem(QString::number(m.ap50, 'f', 1)));
    table_->setItem(r, 3, numberItem(formatParams(m.params)));
    table_->setItem(r, 4, numberItem(QString::number(m.msPerImage, 'f', 1)));
  }
  // A few rows of numbers: the table is as tall as its rows, the rest goes to the plots.
  int height = table_->horizontalHeader()->sizeHint().height() + 2 * table_->frameWidth() + 2;
  for (int r = 0; r < table_->rowCount(); ++r) height += table_->verticalHeader()->sectionSize(r);
  table_->setMaximumHeight(height);
  chart_->setScores(classes, models);
  left_->setModels(names, 0);
  right_->setModels(names, static_cast<int>(names.size()) - 1);
  request();
}

void CompareView::setImages(const QStringList& images) {
  {
    const QSignalBlocker block(images_);
    images_->clear();
    images_->addItems(images);
  }
  request();
}

QString CompareView::currentImage() const {
  return images_->currentText();
}

void CompareView::setCurrentImage(const QString& image) {
  images_->setCurrentText(image);
}

void CompareView::step(int delta) {
  const int n = images_->count();
  if (n == 0) return;
  images_->setCurrentIndex((images_->currentIndex() + delta + n) % n);
}

void CompareView::request() {
  left_->setPrediction({});
  right_->setPrediction({});
  if (currentImage().isEmpty() || left_->model().isEmpty()) return;
  Q_EMIT predictionsRequested(currentImage(), left_->model(), right_->model());
}

void CompareView::setPrediction(const QString& image, const QString& model,
                                const QImage& rendered) {
  if (image != currentImage()) return;  // a late answer for an image no longer shown
  for (PredictionPane* p : {left_, right_})
    if (p->model() == model) p->setPrediction(rendered);
}

}  // namespace distillery
