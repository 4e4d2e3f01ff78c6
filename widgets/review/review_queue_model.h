// The review queue as table rows: teacher pseudo-labels in review order, with
// their scores and review state. Rows under the score thresholds are greyed.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <QAbstractTableModel>
#include <QColor>
#include <QList>
#include <QString>

#include "widgets/review/review_types.h"

namespace distillery {

struct ReviewItem {
  int64_t annotationId = 0;
  int64_t imageId = 0;
  QString imageName;
  int64_t classId = 0;
  QString className;
  QColor colour;
  double classScore = 0;  // the teacher's class confidence
  double maskScore = 0;   // the teacher's mask quality estimate
  LabelReview status = LabelReview::Pending;
};

// What the review panel asks of the app (GUI thread).
class ReviewQueueProvider {
 public:
  virtual ~ReviewQueueProvider() = default;
  // The pseudo-labels to review, in review order (e.g. most uncertain image first).
  virtual std::vector<ReviewItem> reviewQueue() = 0;
};

class ReviewQueueModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    ImageColumn,
    ClassColumn,
    ClassScoreColumn,
    MaskScoreColumn,
    StatusColumn,
    ColumnCount
  };
  enum Role { AnnotationIdRole = Qt::UserRole + 1, PassesRole };

  using QAbstractTableModel::QAbstractTableModel;

  void setItems(std::vector<ReviewItem> items);
  const std::vector<ReviewItem>& items() const { return items_; }
  const ReviewItem* item(int row) const;
  int rowOf(int64_t annotationId) const;
  void setStatus(int row, LabelReview status);

  void setThresholds(double classScore, double maskScore);
  bool passes(const ReviewItem& item) const;
  // Pending items, and those of them that pass both thresholds.
  int pendingCount() const;
  QList<qint64> passingPendingIds() const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  std::vector<ReviewItem> items_;
  double classThreshold_ = 0;
  double maskThreshold_ = 0;
};

}  // namespace distillery
