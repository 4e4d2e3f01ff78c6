// The instances of the image on the canvas, as table rows: class, source
// (human / teacher / student), score and review state.
#pragma once

#include <cstdint>

#include <QAbstractTableModel>
#include <QColor>
#include <QList>
#include <QString>

#include "engine/data/dataset.h"
#include "widgets/review/review_types.h"

namespace distillery {

struct InstanceRow {
  int64_t id = 0;  // annotation id
  int64_t classId = 0;
  QString className;
  QColor colour;
  Source source = Source::Human;
  double score = 1.0;  // 1 for human annotations
  LabelReview review = LabelReview::Accepted;
};

class InstancesModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { ClassColumn, SourceColumn, ScoreColumn, ReviewColumn, ColumnCount };
  enum Role { IdRole = Qt::UserRole + 1, SortRole };

  using QAbstractTableModel::QAbstractTableModel;

  void setInstances(const QList<InstanceRow>& rows);
  const QList<InstanceRow>& instances() const { return rows_; }
  int rowOf(int64_t id) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  QList<InstanceRow> rows_;
};

// "human", "teacher", "student", translated.
QString sourceName(Source source);

}  // namespace distillery
