#include "widgets/review/review_types.h"

#include <QCoreApplication>

namespace distillery {

QString labelReviewName(LabelReview review) {
  switch (review) {
    case LabelReview::Pending:
      return QCoreApplication::translate("Review", "pending");
    case LabelReview::Accepted:
      return QCoreApplication::translate("Review", "accepted");
    case LabelReview::Rejected:
      return QCoreApplication::translate("Review", "rejected");
    case LabelReview::Edited:
      return QCoreApplication::translate("Review", "edited");
  }
  return {};
}

QColor labelReviewColour(LabelReview review) {
  switch (review) {
    case LabelReview::Pending:
      return QColor(0xb3, 0x74, 0x00);
    case LabelReview::Rejected:
      return QColor(0xd6, 0x3a, 0x3a);
    case LabelReview::Accepted:
    case LabelReview::Edited:
      return QColor(0x2e, 0x8e, 0x3c);
  }
  return {};
}

}  // namespace distillery
