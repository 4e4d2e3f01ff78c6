#include "widgets/review/review_queue_panel.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSlider>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace distillery {
namespace {

constexpr int kSliderSteps = 100;  // thresholds in steps of 0.01

QSlider* makeThresholdSlider(QWidget* parent, const QString& name, const QString& tip) {
  auto* slider = new QSlider(Qt::Horizontal, parent);
  slider->setObjectName(name);
  slider->setRange(0, kSliderSteps);
  slider->setPageStep(5);
  slider->setToolTip(tip);
  return slider;
}

}  // namespace

ReviewQueuePanel::ReviewQueuePanel(QWidget* parent) : QWidget(parent) {
  model_ = new ReviewQueueModel(this);
  buildUi();
}

void ReviewQueuePanel::buildUi() {
  classSlider_ = makeThresholdSlider(this, "classThreshold", tr("Minimum teacher class score"));
  maskSlider_ = makeThresholdSlider(this, "maskThreshold", tr("Minimum teacher mask score"));
  classValue_ = new QLabel(this);
  maskValue_ = new QLabel(this);
  counts_ = new QLabel(this);
  counts_->setObjectName("reviewCounts");
  acceptAll_ = new QPushButton(this);
  acceptAll_->setObjectName("acceptAllButton");
  acceptAll_->setToolTip(
      tr("Accept every pending pseudo-label that passes both thresholds (one undo step)"));

  view_ = new QTableView(this);
  view_->setObjectName("reviewView");
  view_->setModel(model_);
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->setSelectionMode(QAbstractItemView::SingleSelection);
  view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view_->verticalHeader()->hide();
  view_->verticalHeader()->setDefaultSectionSize(view_->fontMetrics().height() + 6);
  // Scores and states are short: the image name takes what is left.
  view_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  view_->horizontalHeader()->setSectionResizeMode(ReviewQueueModel::ImageColumn,
                                                  QHeaderView::Stretch);
  view_->installEventFilter(this);

  accept_ = new QPushButton(tr("Accept (Enter)"), this);
  accept_->setObjectName("acceptButton");
  reject_ = new QPushButton(tr("Reject (Esc)"), this);
  reject_->setObjectName("rejectButton");
  sideBySide_ = new QToolButton(this);
  sideBySide_->setObjectName("sideBySideButton");
  sideBySide_->setText(tr("Teacher | Student"));
  sideBySide_->setCheckable(true);
  setSideBySideAvailable(false);

  auto* thresholds = new QGridLayout;
  thresholds->addWidget(new QLabel(tr("Class score ≥"), this), 0, 0);
  thresholds->addWidget(classSlider_, 0, 1);
  thresholds->addWidget(classValue_, 0, 2);
  thresholds->addWidget(new QLabel(tr("Mask score ≥"), this), 1, 0);
  thresholds->addWidget(maskSlider_, 1, 1);
  thresholds->addWidget(maskValue_, 1, 2);
  auto* decide = new QHBoxLayout;
  decide->addWidget(accept_);
  decide->addWidget(reject_);
  decide->addStretch(1);
  decide->addWidget(sideBySide_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->setSpacing(3);
  layout->addLayout(thresholds);
  layout->addWidget(counts_);
  layout->addWidget(acceptAll_);
  layout->addWidget(view_, 1);
  layout->addLayout(decide);

  connect(classSlider_, &QSlider::valueChanged, this, &ReviewQueuePanel::onThresholdMoved);
  connect(maskSlider_, &QSlider::valueChanged, this, &ReviewQueuePanel::onThresholdMoved);
  connect(acceptAll_, &QPushButton::clicked, this, &ReviewQueuePanel::acceptAllAboveThreshold);
  connect(accept_, &QPushButton::clicked, this, &ReviewQueuePanel::acceptCurrent);
  connect(reject_, &QPushButton::clicked, this, &ReviewQueuePanel::rejectCurrent);
  connect(sideBySide_, &QToolButton::toggled, this, &ReviewQueuePanel::sideBySideToggled);
  connect(view_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          &ReviewQueuePanel::emitCurrentIfChanged);
  connect(model_, &QAbstractItemModel::modelReset, this, &ReviewQueuePanel::updateCounts);
  connect(model_, &QAbstractItemModel::dataChanged, this, &ReviewQueuePanel::updateCounts);
  onThresholdMoved();
}

void ReviewQueuePanel::setProvider(std::shared_ptr<ReviewQueueProvider> provider) {
  provider_ = std::move(provider);
  refresh();
}

void ReviewQueuePanel::refresh() {
  const qint64 keep = currentAnnotationId();
  model_->setItems(provider_ ? provider_->reviewQueue() : std::vector<ReviewItem>{});
  int row = model_->rowOf(keep);
  if (row < 0) {  // first pending label, else the first label
    for (int r = 0; r < model_->rowCount() && row < 0; ++r)
      if (model_->item(r)->status == LabelReview::Pending) row = r;
    if (row < 0 && model_->rowCount() > 0) row = 0;
  }
  selectRow(row);
  emitCurrentIfChanged();
}

double ReviewQueuePanel::classThreshold() const {
  return classSlider_->value() / double(kSliderSteps);
}
double ReviewQueuePanel::maskThreshold() const {
  return maskSlider_->value() / double(kSliderSteps);
}

void ReviewQueuePanel::setThresholds(double classScore, double maskScore) {
  classSlider_->setValue(qRound(qBound(0.0, classScore, 1.0) * kSliderSteps));
  maskSlider_->setValue(qRound(qBound(0.0, maskScore, 1.0) * kSliderSteps));
}

void ReviewQueuePanel::onThresholdMoved() {
  const QLocale locale;
  classValue_->setText(locale.toString(classThreshold(), 'f', 2));
  maskValue_->setText(locale.toString(maskThreshold(), 'f', 2));
  model_->setThresholds(classThreshold(), maskThreshold());
  updateCounts();
  emit thresholdsChanged(classThreshold(), maskThreshold());
}

void ReviewQueuePanel::updateCounts() {
  const QLocale locale;
  const int passing = passingCount();
  counts_->setText(tr("%1 pending, %2 pass the thresholds")
                       .arg(locale.toString(pendingCount()), locale.toString(passing)));
  acceptAll_->setText(tr("Accept all above threshold (%1)").arg(locale.toString(passing)));
  acceptAll_->setEnabled(passing > 0);
  const bool hasCurrent = currentAnnotationId() >= 0;
  accept_->setEnabled(hasCurrent);
  reject_->setEnabled(hasCurrent);
}

qint64 ReviewQueuePanel::currentAnnotationId() const {
  const ReviewItem* i = model_->item(view_->currentIndex().row());
  return i ? i->annotationId : -1;
}

void ReviewQueuePanel::setCurrentAnnotation(qint64 annotationId) {
  selectRow(model_->rowOf(annotationId));
}

void ReviewQueuePanel::selectRow(int row) {
  if (row < 0 || row >= model_->rowCount()) return;
  const QModelIndex i = model_->index(row, 0);
  view_->selectionModel()->setCurrentIndex(
      i, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  view_->scrollTo(i);
}

void ReviewQueuePanel::emitCurrentIfChanged() {
  const qint64 id = currentAnnotationId();
  updateCounts();
  if (id == emitted_) return;
  emitted_ = id;
  const ReviewItem* i = model_->item(model_->rowOf(id));
  emit currentItemChanged(id, i ? i->imageId : -1);
}

void ReviewQueuePanel::setItemStatus(qint64 annotationId, LabelReview status) {
  model_->setStatus(model_->rowOf(annotationId), status);
}

void ReviewQueuePanel::acceptCurrent() {
  const qint64 id = currentAnnotationId();
  if (id < 0) return;
  emit acceptRequested(id);
  advance();
}

void ReviewQueuePanel::rejectCurrent() {
  const qint64 id = currentAnnotationId();
  if (id < 0) return;
  emit rejectRequested(id);
  advance();
}

void ReviewQueuePanel::advance() {
  const int n = model_->rowCount();
  const int current = view_->currentIndex().row();
  for (int step = 1; step < n; ++step) {
    const int row = (current + step) % n;
    if (model_->item(row)->status == LabelReview::Pending) {
      selectRow(row);
      return;
    }
  }
}

void ReviewQueuePanel::acceptAllAboveThreshold() {
  const QList<qint64> ids = model_->passingPendingIds();
  if (!ids.isEmpty()) emit acceptAllRequested(ids);
}

void ReviewQueuePanel::setSideBySideAvailable(bool available) {
  sideBySide_->setEnabled(available);
  sideBySide_->setToolTip(available ? tr("Show the teacher's and the student's masks side by side")
                                    : tr("Needs both teacher and student output for this image"));
  if (!available && sideBySide_->isChecked()) sideBySide_->setChecked(false);  // emits off
}

bool ReviewQueuePanel::handleKey(int key) {
  if (key == Qt::Key_Return || key == Qt::Key_Enter) {
    acceptCurrent();
    return true;
  }
  if (key == Qt::Key_Escape) {
    rejectCurrent();
    return true;
  }
  return false;
}

bool ReviewQueuePanel::eventFilter(QObject* watched, QEvent* event) {
  // The table would otherwise take Enter for "activate" and ignore Esc.
  if (watched == view_ && event->type() == QEvent::KeyPress &&
      (static_cast<QKeyEvent*>(event)->modifiers() & ~Qt::KeypadModifier) == Qt::NoModifier &&
      handleKey(static_cast<QKeyEvent*>(event)->key()))
    return true;
  return QWidget::eventFilter(watched, event);
}

void ReviewQueuePanel::keyPressEvent(QKeyEvent* event) {
  if ((event->modifiers() & ~Qt::KeypadModifier) == Qt::NoModifier && handleKey(event->key()))
    return;
  QWidget::keyPressEvent(event);
}

}  // namespace distillery
