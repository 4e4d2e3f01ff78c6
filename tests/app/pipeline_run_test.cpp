// The pipeline dock driving real, tiny training runs: a tiny demo project (the world
// generator), a tiny teacher pretrained by the engine, and a few steps at 64 px.
// The window is the real MainWindow; the database is read through a separate handle.
#include <qcustomplot.h>

#include <QComboBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableWidget>

#include "app/gui/pipeline_controller.h"
#include "app/gui/project_session.h"
#include "app/gui/run_config.h"
#include "engine/api/demo_project.h"
#include "engine/api/distillation.h"
#include "engine/modeling/segmenter_config.h"
#include "tests/app/workbench_fixture.h"
#include "widgets/log_panel.h"
#include "widgets/pipeline/pipeline_config.h"
#include "widgets/pipeline/pipeline_dock.h"
#include "widgets/pipeline/run_state.h"
#include "widgets/pipeline/runs_history.h"
#include "widgets/pipeline/stage_progress.h"
#include "widgets/pipeline/training_charts.h"

namespace distillery::test {
namespace {

// One tiny teacher for the whole suite (pretraining is cached by its options).
std::filesystem::path tinyTeacher() {
  static const std::filesystem::path teacher = [] {
    PretrainOptions p;
    p.arch = "tiny";
    p.domains = {"studio"};
    p.imagesPerDomain = 8;
    p.size = 64;
    p.steps = 4;
    p.batch = 2;
    p.cacheDir = freshTempDir("pipeline-teacher");
    auto r = pretrainTeacher(p);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r->model : std::filesystem::path();
  }();
  return teacher;
}

// 4 labelled seeds, 4 val, 8 pool images of the dusk world at 64 px.
std::filesystem::path tinyDemoProject() {
  DemoOptions d;
  d.cacheDir = freshTempDir("pipeline-demo");
  d.images = 16;
  d.seeds = 4;
  d.val = 4;
  d.size = 64;
  auto dir = ensureDemoProject(d);
  EXPECT_TRUE(dir.ok()) << dir.status().message();
  return dir.ok() ? *dir : std::filesystem::path();
}

// The dock's settings for a run of a few seconds.
QJsonObject tinyConfig(int adaptSteps = 4) {
  QJsonObject c = defaultPipelineConfig("cast");
  c["image_size"] = 64;
  c["adapt_steps"] = adaptSteps;
  c["distill_steps"] = 6;
  c["refine_steps"] = 4;
  for (const char* stage : {"adapt", "distill", "refine"}) c[QString(stage) + "_batch"] = 2;
  c["eval_period"] = 0;
  c["negatives"] = 32;
  c["class_threshold"] = 0.2;  // a barely trained teacher is not confident
  c["student_arch"] = "tiny";  // the form's quick-trial student
  c["anchors_per_image"] = 16;
  return c;
}

QPushButton* dockButton(MainWindow& w, const char* name) {
  auto* b = w.pipelineDock()->findChild<QPushButton*>(name);
  EXPECT_NE(b, nullptr) << name;
  return b;
}

bool waitForIdle(MainWindow& w, int msecs = 240000) {
  return QTest::qWaitFor([&] { return !w.pipelineController()->running(); }, msecs);
}

int dataCount(MainWindow& w, const QString& series) {
  QCPGraph* g = w.pipelineDock()->charts()->graph(series);
  return g ? g->dataCount() : -1;
}

QString historyStatus(MainWindow& w, int row) {
  auto* table = w.pipelineDock()->history()->findChild<QTableWidget*>("runsTable");
  return table && table->item(row, 2) ? table->item(row, 2)->text() : QString();
}

QString historyDetail(MainWindow& w, int row) {
  auto* table = w.pipelineDock()->history()->findChild<QTableWidget*>("runsTable");
  return table && table->item(row, 4) ? table->item(row, 4)->text() : QString();
}

TEST(PipelineRunTest, RunAllFromTheDockDrawsCurvesStoresPseudoLabelsAndExportsTheStudent) {
  const auto teacher = tinyTeacher();
  ASSERT_FALSE(teacher.empty());
  const auto dir = tinyDemoProject();
  auto w = openWindow(dir);
  w->session()->setTeacherModel(QString::fromStdString(teacher.string()));
  ASSERT_TRUE(w->pipelineDock()->setConfig(tinyConfig()).isEmpty());
  QSignalSpy queue(w->reviewController(), &ReviewController::reloaded);
  QSignalSpy finished(w->pipelineController(), &PipelineController::runFinished);
  dockButton(*w, "allButton")->click();
  EXPECT_EQ(w->pipelineDock()->runState(), RunState::Running);
  EXPECT_FALSE(dockButton(*w, "allButton")->isEnabled());
  EXPECT_FALSE(w->action("actionRunAll")->isEnabled());
  EXPECT_TRUE(w->action("actionPauseRun")->isEnabled());
  // Curve points arrive while the run goes on (flushed by the charts' replot timer).
  EXPECT_TRUE(QTest::qWaitFor([&] { return dataCount(*w, "loss/total") > 0; }, 120000));
  EXPECT_TRUE(w->pipelineController()->running() || finished.count() == 1);
  ASSERT_TRUE(waitForIdle(*w));
  ASSERT_EQ(finished.count(), 1);

  const TrainingOutcome out = w->pipelineController()->lastOutcome();
  EXPECT_EQ(out.status, "finished") << out.message.toStdString();
  EXPECT_GT(out.runId, 0);
  EXPECT_TRUE(std::filesystem::exists(out.student.toStdString())) << out.student.toStdString();
  EXPECT_EQ(w->pipelineDock()->runState(), RunState::Idle);
  EXPECT_TRUE(w->action("actionRunAll")->isEnabled());

  // The curves hold the whole run (steps counted across the stages: 4 + 4 + 6 + 4).
  QCPGraph* total = w->pipelineDock()->charts()->graph("loss/total");
  ASSERT_GT(total->dataCount(), 0);
  EXPECT_EQ(total->data()->at(total->dataCount() - 1)->key, 17.0);
  EXPECT_GT(dataCount(*w, "loss/pxl"), 0);   // CAST's contrastive term
  EXPECT_GT(dataCount(*w, "student/ap"), 0);  // the student's evaluation at the end
  EXPECT_GT(dataCount(*w, "teacher/ap"), 0);

  // The run, its config and its pseudo-labels are in the database.
  Project db = readOnly(dir);
  auto run = db.runs().get(out.runId);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->status, RunStatus::Finished);
  EXPECT_NE(run->configJson.find("\"steps\":6"), std::string::npos) << run->configJson;  // distill_steps
  EXPECT_NE(run->configJson.find("\"image_size\":64"), std::string::npos) << run->configJson;
  const auto counts = db.annotations().counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_GT(counts->teacher, 0);
  // The review queue re-read the store: the pseudo-labels are there to review.
  EXPECT_TRUE(QTest::qWaitFor(
      [&] { return !queue.isEmpty() && queue.last().at(0).toInt() == counts->teacher; }, 20000));

  // The history lists it, selected, with its student.
  EXPECT_EQ(w->pipelineDock()->history()->rowCount(), 1);
  EXPECT_EQ(w->pipelineDock()->history()->selectedRun(), QString::number(out.runId));
  EXPECT_EQ(historyStatus(*w, 0), "finished");
  EXPECT_TRUE(historyDetail(*w, 0).contains("student.pt")) << historyDetail(*w, 0).toStdString();
}

TEST(PipelineRunTest, CancelKeepsACheckpointAndTheHistoryReloadsACancelledRun) {
  const auto teacher = tinyTeacher();
  ASSERT_FALSE(teacher.empty());
  const auto dir = tinyDemoProject();
  auto w = openWindow(dir);
  w->session()->setTeacherModel(QString::fromStdString(teacher.string()));
  ASSERT_TRUE(w->pipelineDock()->setConfig(tinyConfig(100000)).isEmpty());  // never ends by itself

  w->action("actionAdaptTeacher")->trigger();  // the Pipeline menu, like the dock's button
  ASSERT_TRUE(w->pipelineController()->running());
  ASSERT_TRUE(QTest::qWaitFor([&] { return dataCount(*w, "loss/total") > 0; }, 120000));
  // The progress line counts the stage's steps out of its total, with an ETA.
  EXPECT_TRUE(QTest::qWaitFor(
      [&] { return w->pipelineDock()->progress()->text().contains("/ 100000"); }, 20000))
      << w->pipelineDock()->progress()->text().toStdString();
  EXPECT_TRUE(w->pipelineDock()->progress()->text().contains("adapt teacher: round 1"))
      << w->pipelineDock()->progress()->text().toStdString();

  dockButton(*w, "pauseButton")->click();
  EXPECT_EQ(w->pipelineDock()->runState(), RunState::Paused);
  EXPECT_TRUE(dockButton(*w, "resumeButton")->isEnabled());
  dockButton(*w, "cancelButton")->click();  // cancelling a paused run
  EXPECT_EQ(w->pipelineDock()->runState(), RunState::Cancelling);
  ASSERT_TRUE(waitForIdle(*w));

  const TrainingOutcome out = w->pipelineController()->lastOutcome();
  EXPECT_EQ(out.status, "cancelled") << out.message.toStdString();
  ASSERT_GT(out.runId, 0);
  const auto checkpoint = dir / "runs" / ("run-" + std::to_string(out.runId)) / "adapt-1.ckpt";
  EXPECT_TRUE(std::filesystem::exists(checkpoint)) << checkpoint;
  EXPECT_EQ(readOnly(dir).runs().get(out.runId)->status, RunStatus::Cancelled);
  EXPECT_TRUE(w->pipelineDock()->progress()->text().contains("adapt-1.ckpt"))
      << w->pipelineDock()->progress()->text().toStdString();

  ASSERT_EQ(w->pipelineDock()->history()->rowCount(), 1);
  EXPECT_EQ(historyStatus(*w, 0), "cancelled");
  EXPECT_TRUE(historyDetail(*w, 0).contains("checkpoint runs/run-" + QString::number(out.runId) + "/adapt-1.ckpt"))
      << historyDetail(*w, 0).toStdString();

  // Selecting the run again reloads exactly its stored curve.
  const int stored = static_cast<int>(readOnly(dir).runs().metrics(out.runId, "loss/total")->size());
  w->pipelineDock()->charts()->clear();
  EXPECT_EQ(dataCount(*w, "loss/total"), 0);
  w->pipelineController()->showRun(QString::number(out.runId));
  EXPECT_EQ(dataCount(*w, "loss/total"), stored);
  EXPECT_GT(stored, 0);
}

TEST(PipelineRunTest, WithoutATeacherNothingStartsAndTheUserIsTold) {
  const auto dir = tinyDemoProject();
  auto w = openWindow(dir);
  ASSERT_TRUE(w->session()->teacherModel().isEmpty());
  dockButton(*w, "allButton")->click();
  EXPECT_FALSE(w->pipelineController()->running());
  EXPECT_EQ(w->pipelineDock()->runState(), RunState::Idle);
  EXPECT_TRUE(w->logPanel()->toPlainText().contains("Choose or pretrain a teacher in the Teacher panel first"))
      << w->logPanel()->toPlainText().toStdString();
  EXPECT_TRUE(readOnly(dir).runs().list()->empty());
}

TEST(PipelineRunTest, AnEngineErrorIsShownAndTheDockIsIdleAgain) {
  // A project without labelled images: the engine refuses before storing a run.
  const SyntheticProject p = makeProject("pipeline-unlabelled", 3);
  auto w = openWindow(p.dir);
  QJsonObject c = tinyConfig();
  c["recipe"] = "supervised";  // needs no teacher
  ASSERT_TRUE(w->pipelineDock()->setConfig(c).isEmpty());
  dockButton(*w, "allButton")->click();
  ASSERT_TRUE(waitForIdle(*w, 60000));
  EXPECT_EQ(w->pipelineController()->lastOutcome().status, "failed");
  EXPECT_EQ(w->pipelineDock()->runState(), RunState::Idle);
  const QString log = w->logPanel()->toPlainText();
  EXPECT_TRUE(log.contains("no labelled images")) << log.toStdString();
  EXPECT_TRUE(w->statusBar()->currentMessage().contains("no labelled images"));
  EXPECT_TRUE(dockButton(*w, "allButton")->isEnabled());
}

TEST(PipelineRunTest, AMissingStudentStartIsNamedAndNothingIsStored) {
  const auto dir = tinyDemoProject();
  auto w = openWindow(dir);
  QJsonObject c = tinyConfig();
  c["recipe"] = "supervised";  // needs no teacher
  const std::string missing = (freshTempDir("student-start") / "no-such-student.pt").string();
  c["student_init"] = QString::fromStdString(missing);
  ASSERT_TRUE(w->pipelineDock()->setConfig(c).isEmpty());
  dockButton(*w, "allButton")->click();
  ASSERT_TRUE(waitForIdle(*w, 60000));
  EXPECT_EQ(w->pipelineController()->lastOutcome().status, "failed");
  const QString log = w->logPanel()->toPlainText();
  EXPECT_TRUE(log.contains(QString::fromStdString(missing))) << log.toStdString();
  EXPECT_TRUE(dockButton(*w, "allButton")->isEnabled());
  EXPECT_TRUE(readOnly(dir).runs().list()->empty());
}

TEST(PipelineRunConfigTest, PerStageKeysMoveIntoTheirStageAndTheStudentBudgetFollows) {
  QJsonObject form = defaultPipelineConfig("cast");
  form["seed"] = 7;  // unknown to the form: passes through
  const QJsonObject e = engineRunConfig(form, "distill");
  EXPECT_EQ(e["stage"].toString(), "distill");
  EXPECT_EQ(e["recipe"].toString(), "cast");
  EXPECT_EQ(e["adapt"].toObject()["steps"].toInt(), 150);
  EXPECT_EQ(e["adapt"].toObject()["batch"].toInt(), 4);
  EXPECT_DOUBLE_EQ(e["adapt"].toObject()["lr"].toDouble(), 3e-4);
  EXPECT_EQ(e["distill"].toObject()["steps"].toInt(), 600);
  EXPECT_DOUBLE_EQ(e["refine"].toObject()["lr"].toDouble(), 5e-5);
  EXPECT_EQ(e["supervised"].toObject()["steps"].toInt(), 750);
  EXPECT_EQ(e["gd_burn_in"].toInt(), 200);
  EXPECT_DOUBLE_EQ(e["lambda_pxl"].toDouble(), 0.1);
  EXPECT_EQ(e["seed"].toInt(), 7);
  EXPECT_EQ(e["student_arch"].toString(), "student-m");
  EXPECT_EQ(e["student_init"].toString(), "");  // none: the preset's random weights
  EXPECT_DOUBLE_EQ(e["duplicate_iou"].toDouble(), 0.5);
  EXPECT_FALSE(e.contains("distill_steps"));
  EXPECT_FALSE(e.contains("adapt_lr"));
}

// The form offers the engine's student presets (and only those).
TEST(PipelineRunConfigTest, TheFormsStudentsAreEnginePresets) {
  const auto& engine = presetNames();
  for (const QString& name : studentArchNames())
    EXPECT_NE(std::find(engine.begin(), engine.end(), name.toStdString()), engine.end()) << name.toStdString();
}

}  // namespace
}  // namespace distillery::test
