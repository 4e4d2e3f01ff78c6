// The review queue, the gallery's counts and navigation, through the real window.
#include <QListView>
#include <QTableView>
#include <QUndoStack>

#include "tests/app/workbench_fixture.h"
#include "widgets/gallery/gallery_model.h"
#include "widgets/gallery/gallery_panel.h"
#include "widgets/review/review_queue_panel.h"

namespace distillery::test {
namespace {

TEST(WorkbenchReviewTest, EnterAcceptsAndEscRejectsInTheDatabase) {
  const SyntheticProject p = makeProject("wb-review", 3, 2, 2);
  auto w = openWindow(p.dir);
  ReviewQueuePanel* review = w->reviewPanel();
  ASSERT_EQ(review->pendingCount(), 4);
  const qint64 first = review->currentAnnotationId();
  ASSERT_GE(first, 0);

  review->view()->setFocus();
  QTest::keyClick(review->view(), Qt::Key_Return);
  EXPECT_EQ(reviewOf(p.dir, first), ReviewStatus::Accepted);
  const qint64 second = review->currentAnnotationId();
  EXPECT_NE(second, first);  // moved on
  QTest::keyClick(review->view(), Qt::Key_Escape);
  EXPECT_EQ(reviewOf(p.dir, second), ReviewStatus::Rejected);
  EXPECT_EQ(review->pendingCount(), 2);
  // The canvas shows the current label's image with it selected.
  const qint64 third = review->currentAnnotationId();
  auto record = readOnly(p.dir).annotations().get(third);
  EXPECT_EQ(w->canvasController()->currentImage(), record->imageId);

  // Undo puts the rejection back, in the database and in the queue.
  w->undoStack()->undo();
  EXPECT_EQ(reviewOf(p.dir, second), ReviewStatus::Pending);
  EXPECT_EQ(review->pendingCount(), 3);
}

TEST(WorkbenchReviewTest, EnterAndEscOnTheCanvasDecideTheSelectedPseudoLabel) {
  const SyntheticProject p = makeProject("wb-review-canvas", 2, 1, 3);
  auto w = openWindow(p.dir);
  QWidget* canvas = w->canvasController()->canvasWidget();
  canvas->setFocus();
  w->canvasController()->selectAnnotation(p.teacherIds[2]);
  QTest::keyClick(canvas, Qt::Key_Return);
  EXPECT_EQ(reviewOf(p.dir, p.teacherIds[2]), ReviewStatus::Accepted);
  EXPECT_EQ(reviewOf(p.dir, p.teacherIds[0]), ReviewStatus::Pending);
  w->canvasController()->selectAnnotation(p.teacherIds[1]);
  QTest::keyClick(canvas, Qt::Key_Escape);  // Select tool active: Esc rejects
  EXPECT_EQ(reviewOf(p.dir, p.teacherIds[1]), ReviewStatus::Rejected);
  EXPECT_EQ(w->reviewPanel()->pendingCount(), 1);
  EXPECT_EQ(w->undoStack()->count(), 2);
}

TEST(WorkbenchReviewTest, AcceptAllAboveThresholdIsOneUndoStep) {
  const SyntheticProject p = makeProject("wb-accept-all", 4, 3, 3);  // scores 0.3 / 0.6 / 0.9
  auto w = openWindow(p.dir);
  ReviewQueuePanel* review = w->reviewPanel();
  review->setThresholds(0.5, 0.5);
  const int passing = review->passingCount();
  ASSERT_EQ(passing, 6);
  const int steps = w->undoStack()->count();
  review->acceptAllAboveThreshold();
  EXPECT_EQ(w->undoStack()->count(), steps + 1);
  for (size_t i = 0; i < p.teacherIds.size(); ++i)
    EXPECT_EQ(reviewOf(p.dir, p.teacherIds[i]),
              p.teacherScores[i] >= 0.5 ? ReviewStatus::Accepted : ReviewStatus::Pending)
        << "label " << i;
  EXPECT_EQ(review->pendingCount(), 3);

  w->undoStack()->undo();  // one step undoes all six
  for (int64_t id : p.teacherIds) EXPECT_EQ(reviewOf(p.dir, id), ReviewStatus::Pending);
  EXPECT_EQ(review->pendingCount(), 9);
  w->undoStack()->redo();
  EXPECT_EQ(review->pendingCount(), 3);
  EXPECT_EQ(reviewOf(p.dir, p.teacherIds[1]), ReviewStatus::Accepted);
}

TEST(WorkbenchReviewTest, GalleryFilterCountsMatchTheDatabase) {
  const SyntheticProject p = makeProject("wb-counts", 5, 2, 1);
  auto w = openWindow(p.dir);
  auto expectCountsMatch = [&] {
    const auto db = *readOnly(p.dir).images().counts();
    const GalleryCounts shown = w->gallery()->counts();
    EXPECT_EQ(shown.total, db.total);
    for (int s = 0; s < kImageStatusCount; ++s)
      EXPECT_EQ(shown.byStatus[size_t(s)], db.byStatus[size_t(s)]) << "status " << s;
  };
  expectCountsMatch();
  EXPECT_EQ(w->gallery()->counts()[GalleryStatus::Pending], 2);
  // Most uncertain first: image 0 (1.0), image 1 (0.9), then the unscored by name.
  w->gallery()->setOrder(GalleryOrder::Uncertainty);
  EXPECT_EQ(w->gallery()->model()->imageIdAt(0), p.imageIds[0]);
  EXPECT_EQ(w->gallery()->model()->imageIdAt(1), p.imageIds[1]);
  EXPECT_EQ(w->gallery()->model()->imageIdAt(2), p.imageIds[2]);
  w->gallery()->setStatusFilter(GalleryStatus::Pending);
  EXPECT_EQ(w->gallery()->model()->rowCount(), 2);

  // A decision moves an image from Pending to Accepted; the filter and counts follow.
  w->reviewPanel()->acceptCurrent();
  expectCountsMatch();
  EXPECT_EQ(w->gallery()->counts()[GalleryStatus::Accepted], 1);
  EXPECT_EQ(w->gallery()->model()->rowCount(), 1);
  w->undoStack()->undo();
  expectCountsMatch();
  EXPECT_EQ(w->gallery()->model()->rowCount(), 2);
}

TEST(WorkbenchReviewTest, PressingDShowsTheNextImageInTheTitle) {
  const SyntheticProject p = makeProject("wb-title", 3);
  auto w = openWindow(p.dir);
  const QString project = QString::fromStdString(p.dir.filename().string());
  EXPECT_EQ(w->windowTitle(),
            QString::fromStdString(p.names[0]) + " — " + project + " — Distillery");
  QTest::keyClick(w->gallery()->view(), Qt::Key_D);
  EXPECT_TRUE(w->windowTitle().startsWith(QString::fromStdString(p.names[1])))
      << w->windowTitle().toStdString();
  QTest::keyClick(w->canvasController()->canvasWidget(), Qt::Key_D);
  EXPECT_TRUE(w->windowTitle().startsWith(QString::fromStdString(p.names[2])));
  QTest::keyClick(w->canvasController()->canvasWidget(), Qt::Key_A);
  EXPECT_TRUE(w->windowTitle().startsWith(QString::fromStdString(p.names[1])));
  EXPECT_TRUE(QTest::qWaitFor([&] { return w->canvasController()->imageReady(); }, 10000));
  EXPECT_EQ(w->canvasController()->currentImage(), p.imageIds[1]);
}

TEST(WorkbenchReviewTest, LoadingTheQueueDoesNotMoveTheCanvas) {
  const SyntheticProject p = makeProject("wb-queue-quiet", 3, 3, 1);
  {  // the last image becomes the most uncertain: first in the review queue
    auto project = Project::open(p.dir);
    ASSERT_TRUE(project->images().setUncertainty({{p.imageIds[2], 5.0}}).ok());
  }
  auto w = openWindow(p.dir);
  ASSERT_EQ(w->reviewPanel()->pendingCount(), 3);
  EXPECT_EQ(w->reviewPanel()->currentAnnotationId(), p.teacherIds[2]);
  EXPECT_EQ(w->canvasController()->currentImage(), p.imageIds[0]);  // the gallery's first
  EXPECT_TRUE(w->windowTitle().startsWith(QString::fromStdString(p.names[0])));
  // Moving through the queue does show the label's image.
  w->reviewPanel()->rejectCurrent();
  EXPECT_EQ(w->canvasController()->currentImage(), p.imageIds[0]);  // next: image 0 (1.0)
  w->reviewPanel()->advance();
  EXPECT_EQ(w->canvasController()->currentImage(), p.imageIds[1]);
}

TEST(WorkbenchReviewTest, CtrlShiftDJumpsToTheNextImageWithPendingLabels) {
  // Images 0 and 1 have pseudo-labels; from image 2 the next one wraps to image 0.
  const SyntheticProject p = makeProject("wb-next-review", 4, 2, 1);
  auto w = openWindow(p.dir);
  ASSERT_EQ(w->canvasController()->currentImage(), p.imageIds[0]);
  QWidget* canvas = w->canvasController()->canvasWidget();
  QTest::keyClick(canvas, Qt::Key_D, Qt::ControlModifier | Qt::ShiftModifier);
  EXPECT_EQ(w->canvasController()->currentImage(), p.imageIds[1]);
  QTest::keyClick(canvas, Qt::Key_D);
  ASSERT_EQ(w->canvasController()->currentImage(), p.imageIds[2]);
  QTest::keyClick(canvas, Qt::Key_D, Qt::ControlModifier | Qt::ShiftModifier);
  EXPECT_EQ(w->canvasController()->currentImage(), p.imageIds[0]);
  // Once image 0's label is decided only image 1 needs review.
  w->reviewPanel()->setCurrentAnnotation(p.teacherIds[0]);
  w->reviewPanel()->acceptCurrent();
  w->gallery()->setCurrentImage(p.imageIds[3]);
  QTest::keyClick(canvas, Qt::Key_D, Qt::ControlModifier | Qt::ShiftModifier);
  EXPECT_EQ(w->canvasController()->currentImage(), p.imageIds[1]);
}

}  // namespace
}  // namespace distillery::test
