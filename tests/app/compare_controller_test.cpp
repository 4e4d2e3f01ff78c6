// The Compare dock wired to the engine: the models present in the project (the
// session's teacher, the latest finished run's adapted teacher and student) scored on
// the val split, and their predictions drawn side by side.
#include <QTableWidget>

#include "app/gui/compare_controller.h"
#include "app/gui/project_session.h"
#include "app/gui/teacher_controller.h"
#include "tests/app/models_fixture.h"
#include "widgets/compare/compare_view.h"
#include "widgets/compare/per_class_ap_chart.h"
#include "widgets/compare/prediction_pane.h"

namespace distillery::test {
namespace {

QStringList rowNames(QTableWidget* table) {
  QStringList names;
  for (int r = 0; r < table->rowCount(); ++r) names << table->item(r, 0)->text();
  return names;
}

double cell(QTableWidget* table, int row, int column) {
  return table->item(row, column)->text().toDouble();
}

TEST(CompareControllerTest, FillsRowsForTheModelsPresent) {
  SyntheticProject p = makeProject("wb-compare", 5);
  // Images 0-1 are val with one human label each; 2-4 stay in the pool.
  addHumanBox(p.dir, p.imageIds[0], 1, {10, 10, 30, 20});
  addHumanBox(p.dir, p.imageIds[1], 2, {40, 30, 25, 25});
  {
    auto project = Project::open(p.dir);
    ASSERT_TRUE(project.ok());
    ASSERT_TRUE(project->images().setSplit({p.imageIds[0], p.imageIds[1]}, Split::Val).ok());
  }
  auto w = openWindow(p.dir);
  CompareController* compare = w->compareController();
  CompareView* view = compare->view();

  // Nothing yet: no teacher, no run.
  compare->refresh();
  ASSERT_TRUE(compare->waitForIdle());
  EXPECT_EQ(view->table()->rowCount(), 0);
  EXPECT_TRUE(compare->statusText().contains("Nothing to compare yet"))
      << compare->statusText().toStdString();

  // The session's teacher, then a finished run with a student.
  const auto teacher = tinyModel(p.dir.parent_path() / "teacher.pt", {"cat", "dog"});
  w->teacherController()->load(QString::fromStdString(teacher.string()));
  ASSERT_TRUE(w->teacherController()->waitForIdle());
  ASSERT_EQ(w->session()->teacherModel(), QString::fromStdString(teacher.string()));
  const int64_t run = finishedRunWithStudent(&w->session()->project(), {"cat", "dog"});
  compare->refresh();
  ASSERT_TRUE(compare->waitForIdle());
  EXPECT_EQ(rowNames(view->table()), (QStringList{"zero-shot teacher", "student"}));
  for (int r = 0; r < 2; ++r) {
    EXPECT_GE(cell(view->table(), r, 1), 0.0);  // AP, percent
    EXPECT_LE(cell(view->table(), r, 1), 100.0);
    EXPECT_GE(cell(view->table(), r, 2), cell(view->table(), r, 1));  // AP50 >= AP
    EXPECT_TRUE(view->table()->item(r, 3)->text().endsWith(" k"));    // tiny: some 100 k parameters
    EXPECT_GT(cell(view->table(), r, 4), 0.0);                        // ms per image
  }
  EXPECT_EQ(view->chart()->barSetCount(), 2);
  EXPECT_TRUE(compare->statusText().contains(QStringLiteral("models of run %1").arg(run)))
      << compare->statusText().toStdString();
  EXPECT_TRUE(compare->statusText().contains("2 val images"))
      << compare->statusText().toStdString();

  // Side by side on a val image: both panes get a drawing.
  EXPECT_EQ(view->currentImage(), QString::fromStdString(p.names[0]));
  ASSERT_TRUE(compare->waitForIdle());
  EXPECT_FALSE(view->pane(0)->prediction().isNull());
  EXPECT_FALSE(view->pane(1)->prediction().isNull());
  EXPECT_GE(view->pane(0)->prediction().width(), 384);  // small images are enlarged

  // The canvas' image (a pool image) can be shown too.
  compare->showImage(p.imageIds[3]);
  ASSERT_TRUE(compare->waitForIdle());
  EXPECT_EQ(view->currentImage(), QString::fromStdString(p.names[3]));
  EXPECT_FALSE(view->pane(1)->prediction().isNull());

  // An adapted teacher beside the run's student: three rows, in the paper's order.
  tinyModel(p.dir / "models" / ("run-" + std::to_string(run) + "-teacher-adapted.pt"), {"cat", "dog"}, 5);
  compare->refreshIfStale();
  ASSERT_TRUE(compare->waitForIdle());
  EXPECT_EQ(rowNames(view->table()),
            (QStringList{"zero-shot teacher", "adapted teacher", "student"}))
      << compare->statusText().toStdString();
  EXPECT_EQ(view->chart()->barSetCount(), 3);
}

}  // namespace
}  // namespace distillery::test
