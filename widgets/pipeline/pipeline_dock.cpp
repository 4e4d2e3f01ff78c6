#include "widgets/pipeline/pipeline_dock.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QTabWidget>
#include <QVBoxLayout>

#include "widgets/pipeline/pipeline_config.h"
#include "widgets/pipeline/pipeline_config_form.h"
#include "widgets/pipeline/runs_history.h"
#include "widgets/pipeline/stage_progress.h"
#include "widgets/pipeline/training_charts.h"

namespace distillery {

QStringList PipelineDock::stageNames() {
  return {"adapt", "distill", "refine", "all"};
}

PipelineDock::PipelineDock(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);

  auto* stages = new QGridLayout;
  const QStringList names = stageNames();
  const QStringList labels = {tr("Adapt teacher"), tr("Distill"), tr("Refine"), tr("Run all")};
  const QStringList tips = {
      tr("Stage 1: self-train the teacher on the labelled seeds with L_pxl, pseudo-label the "
         "pool, then retrain from the pretrained teacher with L_semi"),
      tr("Stage 2: freeze the adapted teacher, pseudo-label the pool, train the student"),
      tr("Stage 3: continue the student on labelled images only"),
      tr("Every stage of the recipe in order")};
  for (int i = 0; i < names.size(); ++i) {
    QPushButton* b = addButton(labels[i], names[i] + "Button", tips[i]);
    stages->addWidget(b, i / 2, i % 2);
    stageButtons_ << b;
    const QString stage = names[i];
    connect(b, &QPushButton::clicked, this,
            [this, stage] { Q_EMIT runRequested(stage, config()); });
  }
  layout->addLayout(stages);

  progress_ = new StageProgress(this);
  layout->addWidget(progress_);

  auto* controls = new QHBoxLayout;
  pause_ = addButton(tr("Pause"), "pauseButton", tr("Pause after the current step"));
  resume_ = addButton(tr("Resume"), "resumeButton", tr("Continue the paused run"));
  cancel_ =
      addButton(tr("Cancel"), "cancelButton", tr("Stop the run; the last checkpoint stays usable"));
  stateLabel_ = new QLabel(this);
  stateLabel_->setObjectName("runStateLabel");
  for (QPushButton* b : {pause_, resume_, cancel_}) controls->addWidget(b);
  controls->addStretch(1);
  controls->addWidget(stateLabel_);
  layout->addLayout(controls);
  connect(pause_, &QPushButton::clicked, this, &PipelineDock::pauseRequested);
  connect(resume_, &QPushButton::clicked, this, &PipelineDock::resumeRequested);
  connect(cancel_, &QPushButton::clicked, this, &PipelineDock::cancelRequested);

  tabs_ = new QTabWidget(this);
  tabs_->setObjectName("pipelineTabs");
  charts_ = new TrainingCharts(tabs_);
  form_ = new PipelineConfigForm;
  auto* formScroll = new QScrollArea(tabs_);
  formScroll->setWidget(form_);
  formScroll->setWidgetResizable(true);
  history_ = new RunsHistory(tabs_);
  tabs_->addTab(charts_, tr("Curves"));
  tabs_->addTab(formScroll, tr("Settings"));
  tabs_->addTab(history_, tr("Runs"));
  layout->addWidget(tabs_, 1);

  connect(form_, &PipelineConfigForm::recipeChanged, this, &PipelineDock::updateControls);
  updateControls();
}

QPushButton* PipelineDock::addButton(const QString& text, const QString& objectName,
                                     const QString& tip) {
  auto* b = new QPushButton(text, this);
  b->setObjectName(objectName);
  b->setToolTip(tip);
  return b;
}

QJsonObject PipelineDock::config() const {
  return form_->config();
}

QStringList PipelineDock::setConfig(const QJsonObject& config) {
  QStringList problems = form_->setConfig(config);
  updateControls();
  return problems;
}

bool PipelineDock::setRunState(RunState state) {
  if (!isValidTransition(state_, state)) return false;
  state_ = state;
  updateControls();
  return true;
}

void PipelineDock::setProgress(const QString& stage, qint64 done, qint64 total, double etaSeconds) {
  progress_->setProgress(stage, done, total, etaSeconds);
}

void PipelineDock::updateControls() {
  const RunControls c = runControls(state_);
  const bool staged = recipeHasStages(form_->recipe());
  for (int i = 0; i < stageButtons_.size(); ++i) {
    const bool isRunAll = i == stageButtons_.size() - 1;
    stageButtons_[i]->setEnabled(c.start && (staged || isRunAll));
  }
  form_->setEnabled(c.start);
  pause_->setEnabled(c.pause);
  resume_->setEnabled(c.resume);
  cancel_->setEnabled(c.cancel);
  stateLabel_->setText(state_ == RunState::Cancelling ? tr("cancelling, saving a checkpoint")
                                                      : toString(state_));
}

}  // namespace distillery
