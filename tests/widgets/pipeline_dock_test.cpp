// The pipeline dock in a real (offscreen) widget tree: requests carry the config,
// the run state machine drives which controls are usable.
#include "widgets/pipeline/pipeline_dock.h"

#include <gtest/gtest.h>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>

#include "widgets/pipeline/pipeline_config.h"
#include "widgets/pipeline/pipeline_config_form.h"
#include "widgets/pipeline/stage_progress.h"

namespace distillery {
namespace {

QPushButton* button(QWidget& w, const QString& name) {
  auto* b = w.findChild<QPushButton*>(name);
  EXPECT_NE(b, nullptr) << name.toStdString();
  return b;
}

TEST(PipelineDockTest, DefaultsAreThePapersSettingsAtTheEnginesDemoScale) {
  PipelineDock dock;
  const QJsonObject c = dock.config();
  EXPECT_EQ(c["recipe"].toString(), "cast");
  EXPECT_DOUBLE_EQ(c["lambda_pxl"].toDouble(), 0.1);
  EXPECT_DOUBLE_EQ(c["lambda_semi"].toDouble(), 1.0);
  EXPECT_DOUBLE_EQ(c["class_threshold"].toDouble(), 0.7);
  EXPECT_DOUBLE_EQ(c["mask_threshold"].toDouble(), 0.5);
  EXPECT_EQ(c["negatives"].toInt(), 200);
  EXPECT_EQ(c["negative_sampling"].toString(), "fused");
  EXPECT_DOUBLE_EQ(c["duplicate_iou"].toDouble(), 0.5);
  EXPECT_EQ(c["student_arch"].toString(), "student-m");
  EXPECT_EQ(c["image_size"].toInt(), 128);
  EXPECT_EQ(c["adapt_steps"].toInt(), 150);
  EXPECT_EQ(c["adapt_batch"].toInt(), 4);
  EXPECT_DOUBLE_EQ(c["adapt_lr"].toDouble(), 3e-4);
  EXPECT_EQ(c["distill_steps"].toInt(), 600);
  EXPECT_DOUBLE_EQ(c["distill_lr"].toDouble(), 1e-3);
  EXPECT_EQ(c["refine_steps"].toInt(), 150);
  EXPECT_DOUBLE_EQ(c["refine_lr"].toDouble(), 5e-5);
  EXPECT_EQ(c["eval_period"].toInt(), 250);
  EXPECT_EQ(c.keys(), defaultPipelineConfig().keys());
}

TEST(PipelineDockTest, StageButtonsEmitTheirStageWithTheEditedConfig) {
  PipelineDock dock;
  dock.findChild<QDoubleSpinBox*>("lambda_pxl")->setValue(0.25);
  dock.findChild<QSpinBox*>("negatives")->setValue(64);
  dock.findChild<QComboBox*>("negative_sampling")->setCurrentText("class-only");
  QSignalSpy spy(&dock, &PipelineDock::runRequested);
  const QStringList stages = PipelineDock::stageNames();
  for (const QString& stage : stages) button(dock, stage + "Button")->click();
  ASSERT_EQ(spy.count(), stages.size());
  for (int i = 0; i < stages.size(); ++i) {
    EXPECT_EQ(spy[i][0].toString(), stages[i]);
    const QJsonObject c = spy[i][1].toJsonObject();
    EXPECT_DOUBLE_EQ(c["lambda_pxl"].toDouble(), 0.25);
    EXPECT_EQ(c["negatives"].toInt(), 64);
    EXPECT_EQ(c["negative_sampling"].toString(), "class-only");
  }
}

TEST(PipelineDockTest, RecipeSetsItsLossWeightsAndWhichStagesApply) {
  PipelineDock dock;
  auto* recipe = dock.findChild<QComboBox*>("recipe");
  recipe->setCurrentText("guided-distillation");
  EXPECT_DOUBLE_EQ(dock.config()["lambda_semi"].toDouble(), 2.0);
  EXPECT_DOUBLE_EQ(dock.config()["lambda_pxl"].toDouble(), 0.0);
  recipe->setCurrentText("supervised");
  EXPECT_DOUBLE_EQ(dock.config()["lambda_semi"].toDouble(), 0.0);
  for (const char* b : {"adaptButton", "distillButton", "refineButton"})
    EXPECT_FALSE(button(dock, b)->isEnabled()) << b;
  EXPECT_TRUE(button(dock, "allButton")->isEnabled());
  // Only CAST adapts the teacher and reads the loss weights: the fields say so.
  EXPECT_FALSE(dock.findChild<QSpinBox*>("adapt_steps")->isEnabled());
  EXPECT_FALSE(dock.findChild<QDoubleSpinBox*>("lambda_pxl")->isEnabled());
  EXPECT_TRUE(dock.findChild<QSpinBox*>("distill_steps")->isEnabled());
  recipe->setCurrentText("cast");
  EXPECT_TRUE(button(dock, "adaptButton")->isEnabled());
  EXPECT_TRUE(dock.findChild<QSpinBox*>("adapt_steps")->isEnabled());
  EXPECT_TRUE(dock.findChild<QDoubleSpinBox*>("lambda_pxl")->isEnabled());
  EXPECT_DOUBLE_EQ(dock.config()["lambda_pxl"].toDouble(), 0.1);
}

TEST(PipelineDockTest, SetConfigRoundTripsAndKeepsUnknownKeys) {
  PipelineDock dock;
  QJsonObject c = defaultPipelineConfig("pseudo-label");
  c["distill_steps"] = 750;
  c["lambda_semi"] = 0.5;  // the config's own weight wins over the recipe default
  c["negative_sampling"] = "uniform";
  c["student_arch"] = "student-s";
  c["student_init"] = "/data/students/pretrained-student-s.pt";
  c["duplicate_iou"] = 0.0;
  c["seed"] = 7;
  EXPECT_TRUE(dock.setConfig(c).isEmpty());
  EXPECT_EQ(dock.config(), c);
}

TEST(PipelineDockTest, BadConfigValuesAreReportedAndLeaveFieldsAlone) {
  PipelineDock dock;
  QJsonObject bad;
  bad["refine_lr"] = -3;
  bad["negative_sampling"] = "random";
  bad["distill_steps"] = 1.5;
  bad["adapt_batch"] = "four";
  bad["student_arch"] = "student-xxl";
  bad["student_init"] = 3;
  const QStringList problems = dock.setConfig(bad);
  ASSERT_EQ(problems.size(), 6) << problems.join("\n").toStdString();
  const QString all = problems.join("\n");
  EXPECT_TRUE(all.contains("refine_lr: expected a number in")) << all.toStdString();
  EXPECT_TRUE(all.contains("negative_sampling: 'random' is not one of fused")) << all.toStdString();
  EXPECT_TRUE(all.contains("distill_steps: expected a whole number")) << all.toStdString();
  EXPECT_TRUE(all.contains("adapt_batch")) << all.toStdString();
  EXPECT_TRUE(all.contains("student_arch: 'student-xxl' is not one of student-m, student-s, tiny")) << all.toStdString();
  EXPECT_TRUE(all.contains("student_init: expected a checkpoint path")) << all.toStdString();
  EXPECT_EQ(dock.config(), defaultPipelineConfig());
}

struct Enabled {
  bool start, pause, resume, cancel;
};

Enabled enabled(PipelineDock& d) {
  return {button(d, "allButton")->isEnabled(), button(d, "pauseButton")->isEnabled(),
          button(d, "resumeButton")->isEnabled(), button(d, "cancelButton")->isEnabled()};
}

TEST(PipelineDockTest, RunStateMachineDrivesControls) {
  PipelineDock dock;
  auto expect = [&](bool start, bool pause, bool resume, bool cancel) {
    const Enabled e = enabled(dock);
    EXPECT_EQ(e.start, start) << toString(dock.runState()).toStdString();
    EXPECT_EQ(e.pause, pause) << toString(dock.runState()).toStdString();
    EXPECT_EQ(e.resume, resume) << toString(dock.runState()).toStdString();
    EXPECT_EQ(e.cancel, cancel) << toString(dock.runState()).toStdString();
    EXPECT_EQ(dock.form()->isEnabled(), start);
  };
  expect(true, false, false, false);
  EXPECT_FALSE(dock.setRunState(RunState::Paused));  // nothing to pause
  EXPECT_FALSE(dock.setRunState(RunState::Cancelling));
  EXPECT_EQ(dock.runState(), RunState::Idle);
  ASSERT_TRUE(dock.setRunState(RunState::Running));
  expect(false, true, false, true);
  ASSERT_TRUE(dock.setRunState(RunState::Paused));
  expect(false, false, true, true);
  ASSERT_TRUE(dock.setRunState(RunState::Running));
  ASSERT_TRUE(dock.setRunState(RunState::Cancelling));
  expect(false, false, false, false);
  EXPECT_FALSE(dock.setRunState(RunState::Running));  // a cancel is not undone
  ASSERT_TRUE(dock.setRunState(RunState::Idle));
  expect(true, false, false, false);
}

TEST(PipelineDockTest, PauseResumeCancelEmitRequests) {
  PipelineDock dock;
  QSignalSpy pause(&dock, &PipelineDock::pauseRequested);
  QSignalSpy resume(&dock, &PipelineDock::resumeRequested);
  QSignalSpy cancel(&dock, &PipelineDock::cancelRequested);
  button(dock, "pauseButton")->click();  // disabled while idle: no request
  EXPECT_EQ(pause.count(), 0);
  dock.setRunState(RunState::Running);
  button(dock, "pauseButton")->click();
  dock.setRunState(RunState::Paused);
  button(dock, "resumeButton")->click();
  button(dock, "cancelButton")->click();
  EXPECT_EQ(pause.count(), 1);
  EXPECT_EQ(resume.count(), 1);
  EXPECT_EQ(cancel.count(), 1);
}

TEST(PipelineDockTest, ProgressShowsStageCountAndEta) {
  PipelineDock dock;
  dock.setProgress("Distill", 50, 200, 65);
  EXPECT_EQ(dock.progress()->text(), "Distill  50 / 200  eta 1:05");
  EXPECT_EQ(dock.progress()->percent(), 25);
  dock.setProgress("Distill", 200, 200, 3);
  EXPECT_TRUE(dock.progress()->text().endsWith("eta 0:00"));
  EXPECT_EQ(dock.progress()->percent(), 100);
  EXPECT_EQ(formatEta(3723), "1:02:03");
  EXPECT_EQ(formatEta(-1), "--");
}

}  // namespace
}  // namespace distillery
