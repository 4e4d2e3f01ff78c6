// The review queue's rows from the project store: every teacher/student
// pseudo-label still pending, images in review order (most uncertain first).
// Collecting them walks the images with pending labels, so it runs on a worker
// with its own read-only connection; the dock reads the finished snapshot.
#pragma once

#include <QString>
#include <vector>

#include "engine/util/status.h"
#include "widgets/review/review_queue_model.h"

namespace distillery {

// Opens its own read-only connection: call it from any thread.
Result<std::vector<ReviewItem>> collectReviewQueue(const QString& projectDir);

class ReviewQueueSnapshot : public ReviewQueueProvider {
 public:
  void setItems(std::vector<ReviewItem> items) { items_ = std::move(items); }
  std::vector<ReviewItem> reviewQueue() override { return items_; }

 private:
  std::vector<ReviewItem> items_;
};

}  // namespace distillery
