// Review state of one annotation, as the instances table and the review queue
// show it. Same order and meaning as the store's ReviewStatus; the widgets keep
// their own copy so they do not depend on the store.
#pragma once

#include <QColor>
#include <QString>

namespace distillery {

// Human annotations are Accepted from the start; model output starts Pending;
// a human edit of model output makes it Edited.
enum class LabelReview { Pending, Accepted, Rejected, Edited };

QString labelReviewName(LabelReview review);
// Text colour for the state (pending amber, rejected red, others the default).
QColor labelReviewColour(LabelReview review);

}  // namespace distillery
