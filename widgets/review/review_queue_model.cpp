#include "widgets/review/review_queue_model.h"

#include <QFont>
#include <QPixmap>

namespace distillery {

void ReviewQueueModel::setItems(std::vector<ReviewItem> items) {
  beginResetModel();
  items_ = std::move(items);
  endResetModel();
}

const ReviewItem* ReviewQueueModel::item(int row) const {
  return row >= 0 && row < static_cast<int>(items_.size()) ? &items_[static_cast<size_t>(row)]
                                                           : nullptr;
}

int ReviewQueueModel::rowOf(int64_t annotationId) const {
  for (size_t r = 0; r < items_.size(); ++r)
    if (items_[r].annotationId == annotationId) return static_cast<int>(r);
  return -1;
}

void ReviewQueueModel::setStatus(int row, LabelReview status) {
  if (!item(row)) return;
  items_[static_cast<size_t>(row)].status = status;
  emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ReviewQueueModel::setThresholds(double classScore, double maskScore) {
  classThreshold_ = classScore;
  maskThreshold_ = maskScore;
  if (!items_.empty())
    emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {Qt::ForegroundRole});
}

bool ReviewQueueModel::passes(const ReviewItem& i) const {
  return i.classScore >= classThreshold_ && i.maskScore >= maskThreshold_;
}

int ReviewQueueModel::pendingCount() const {
  int n = 0;
  for (const ReviewItem& i : items_) n += i.status == LabelReview::Pending;
  return n;
}

QList<qint64> ReviewQueueModel::passingPendingIds() const {
  QList<qint64> ids;
  for (const ReviewItem& i : items_)
    if (i.status == LabelReview::Pending && passes(i)) ids.push_back(i.annotationId);
  return ids;
}

int ReviewQueueModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(items_.size());
}

int ReviewQueueModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant ReviewQueueModel::data(const QModelIndex& index, int role) const {
  const ReviewItem* i = index.isValid() ? item(index.row()) : nullptr;
  if (!i) return {};
  const int column = index.column();
  switch (role) {
    case AnnotationIdRole:
      return QVariant::fromValue<qint64>(i->annotationId);
    case PassesRole:
      return passes(*i);
    case Qt::DisplayRole:
      switch (column) {
        case ImageColumn:
          return i->imageName;
        case ClassColumn:
          return i->className;
        case ClassScoreColumn:
          return QString::number(i->classScore, 'f', 2);
        case MaskScoreColumn:
          return QString::number(i->maskScore, 'f', 2);
        case StatusColumn:
          return labelReviewName(i->status);
      }
      return {};
    case Qt::DecorationRole:
      if (column == ClassColumn) {
        QPixmap swatch(10, 10);
        swatch.fill(i->colour.isValid() ? i->colour : QColor(Qt::gray));
        return swatch;
      }
      return {};
    case Qt::ForegroundRole:
      if (column == StatusColumn) return labelReviewColour(i->status);
      if (!passes(*i)) return QColor(Qt::gray);  // under a threshold
      return {};
    case Qt::FontRole:
      if (i->status != LabelReview::Pending) {
        QFont f;
        f.setItalic(true);
        return f;
      }
      return {};
    case Qt::TextAlignmentRole:
      if (column == ClassScoreColumn || column == MaskScoreColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
      return {};
  }
  return {};
}

QVariant ReviewQueueModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  if (role == Qt::ToolTipRole) {
    if (section == ClassScoreColumn) return tr("The teacher's class score");
    if (section == MaskScoreColumn) return tr("The teacher's mask score");
    return {};
  }
  if (role != Qt::DisplayRole) return {};
  switch (section) {
    case ImageColumn:
      return tr("Image");
    case ClassColumn:
      return tr("Class");
    case ClassScoreColumn:
      return tr("Score");
    case MaskScoreColumn:
      return tr("Mask");
    case StatusColumn:
      return tr("Status");
  }
  return {};
}

}  // namespace distillery
