#include "widgets/panels/instances_model.h"

#include <QCoreApplication>
#include <QPixmap>

namespace distillery {

QString sourceName(Source source) {
  switch (source) {
    case Source::Human:
      return QCoreApplication::translate("Instances", "human");
    case Source::Teacher:
      return QCoreApplication::translate("Instances", "teacher");
    case Source::Student:
      return QCoreApplication::translate("Instances", "student");
  }
  return {};
}

void InstancesModel::setInstances(const QList<InstanceRow>& rows) {
  beginResetModel();
  rows_ = rows;
  endResetModel();
}

int InstancesModel::rowOf(int64_t id) const {
  for (int r = 0; r < rows_.size(); ++r)
    if (rows_[r].id == id) return r;
  return -1;
}

int InstancesModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : rows_.size();
}

int InstancesModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant InstancesModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rows_.size()) return {};
  const InstanceRow& r = rows_[index.row()];
  if (role == IdRole) return QVariant::fromValue<qint64>(r.id);
  const int column = index.column();
  if (role == SortRole) {
    switch (column) {
      case ClassColumn:
        return r.className;
      case SourceColumn:
        return static_cast<int>(r.source);
      case ScoreColumn:
        return r.score;
      case ReviewColumn:
        return static_cast<int>(r.review);
    }
  }
  if (role == Qt::DisplayRole) {
    switch (column) {
      case ClassColumn:
        return r.className;
      case SourceColumn:
        return sourceName(r.source);
      case ScoreColumn:
        return QString::number(r.score, 'f', 2);
      case ReviewColumn:
        return labelReviewName(r.review);
    }
  }
  if (role == Qt::DecorationRole && column == ClassColumn) {
    QPixmap swatch(10, 10);
    swatch.fill(r.colour.isValid() ? r.colour : QColor(Qt::gray));
    return swatch;
  }
  if (role == Qt::ForegroundRole && column == ReviewColumn) return labelReviewColour(r.review);
  if (role == Qt::TextAlignmentRole && column == ScoreColumn)
    return QVariant(Qt::AlignRight | Qt::AlignVCenter);
  return {};
}

QVariant InstancesModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case ClassColumn:
      return tr("Class");
    case SourceColumn:
      return tr("Source");
    case ScoreColumn:
      return tr("Score");
    case ReviewColumn:
      return tr("Review");
  }
  return {};
}

}  // namespace distillery
