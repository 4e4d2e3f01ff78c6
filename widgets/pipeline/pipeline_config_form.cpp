#include "widgets/pipeline/pipeline_config_form.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QToolButton>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QSpinBox>

#include "widgets/pipeline/pipeline_config.h"

namespace distillery {

namespace k = pipeline_keys;

PipelineConfigForm::PipelineConfigForm(QWidget* parent) : QWidget(parent) {
  form_ = new QFormLayout(this);
  form_->setContentsMargins(0, 0, 0, 0);
  form_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

  recipe_ = addChoice(k::kRecipe, tr("Recipe"), recipeNames(),
                      tr("cast: adapt teacher, distill, refine (the default).\n"
                         "guided-distillation: student learns from an EMA teacher.\n"
                         "supervised: labelled images only.\n"
                         "pseudo-label: teacher pseudo-labels as ground truth, no L_pxl."));

  const QJsonObject d = defaultPipelineConfig();
  auto* size = addInt(k::kImageSize, tr("Image size"), 32, 2048,
                      tr("Side of the square training and evaluation images (a multiple of 32)"));
  size->setSingleStep(32);
  form_->addRow(makeStageTable());
  student_ = addChoice(k::kStudentArch, tr("Student"), studentArchNames(),
                       tr("The student's architecture: student-s (0.68M parameters), student-m (1.10M, "
                          "the largest within 1/11 of the reference teacher) or tiny (0.10M, for a "
                          "quick trial of the pipeline)"));
  form_->addRow(tr("Student start"), makeStudentInit());
  addDouble(k::kLambdaPxl, tr("λ pxl"), 0.0, 100.0, 3, 0.05,
            tr("Weight of the contrastive loss L_pxl"));
  addDouble(k::kLambdaSemi, tr("λ semi"), 0.0, 100.0, 3, 0.1,
            tr("Weight of the pseudo-label loss L_semi"));
  addDouble(k::kClassThreshold, tr("Class threshold"), 0.0, 1.0, 2, 0.05,
            tr("Keep a pseudo-label when its class probability is above this"));
  addDouble(k::kMaskThreshold, tr("Mask threshold"), 0.0, 1.0, 2, 0.05,
            tr("A pixel is in a pseudo-mask when its sigmoid is above this"));
  addDouble(k::kDuplicateIou, tr("Duplicate IoU"), 0.0, 1.0, 2, 0.05,
            tr("One pseudo-label per object: of two masks overlapping more than this, the less "
               "confident is dropped (0: keep all)"));
  addInt(k::kNegatives, tr("Negatives R"), 1, 100000, tr("Contrastive negatives drawn per anchor"));

  sampling_ = addChoice(k::kNegativeSampling, tr("Negative sampling"), negativeSamplingNames(),
                        tr("How negatives are weighted: fused mask-and-class distribution "
                           "(the paper), mask only, class only, or uniform"));
  addInt(k::kEvalPeriod, tr("Eval period"), 0, 10000000,
         tr("Steps between evaluations (the points of the AP curves); 0: at the end of each stage"));

  setConfig(d);
  connect(recipe_, &QComboBox::currentTextChanged, this, [this](const QString& r) {
    applyRecipeDefaults(r);
    enableForRecipe(r);
    Q_EMIT recipeChanged(r);
    Q_EMIT configEdited();
  });
  connect(sampling_, &QComboBox::currentTextChanged, this, &PipelineConfigForm::configEdited);
  connect(student_, &QComboBox::currentTextChanged, this, &PipelineConfigForm::configEdited);
}

QWidget* PipelineConfigForm::makeStudentInit() {
  auto* row = new QWidget(this);
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  studentInit_ = new QLineEdit(row);
  studentInit_->setObjectName(k::kStudentInit);
  studentInit_->setPlaceholderText(tr("random weights"));
  studentInit_->setClearButtonEnabled(true);
  studentInit_->setToolTip(tr("A Distillery checkpoint with the project's classes the student starts from, "
                              "e.g. a student pretrained on other data (its architecture wins over "
                              "Student); empty: the preset's random weights"));
  auto* browse = new QToolButton(row);
  browse->setObjectName("studentInitBrowse");
  browse->setText(tr("…"));
  browse->setToolTip(tr("Choose the checkpoint the student starts from"));
  layout->addWidget(studentInit_, 1);
  layout->addWidget(browse);
  connect(studentInit_, &QLineEdit::textChanged, this, &PipelineConfigForm::configEdited);
  connect(browse, &QToolButton::clicked, this, [this] {
    const QString file = QFileDialog::getOpenFileName(this, tr("Student start"), studentInit_->text(),
                                                      tr("Distillery checkpoints (*.pt *.ckpt);;All files (*)"));
    if (!file.isEmpty()) studentInit_->setText(file);
  });
  return row;
}

QWidget* PipelineConfigForm::makeStageTable() {
  auto* table = new QGroupBox(tr("Stages"), this);
  table->setObjectName("stageSettings");
  auto* grid = new QGridLayout(table);
  grid->setContentsMargins(6, 4, 6, 4);
  const QStringList headers = {tr("Steps"), tr("Batch"), tr("Learning rate")};
  for (int c = 0; c < headers.size(); ++c) grid->addWidget(new QLabel(headers[c], table), 0, c + 1);
  const QStringList stages = stageSettingStages();
  const QStringList labels = {tr("Adapt teacher"), tr("Distill"), tr("Refine")};
  const QStringList stageTips = {tr("each of the two adaptation rounds of the teacher"),
                                 tr("the student's distillation (the student's budget in the other recipes)"),
                                 tr("the student on the labelled images only")};
  for (int r = 0; r < stages.size(); ++r) {
    const QByteArray steps = stageKey(stages[r], k::kSteps).toUtf8();
    const QByteArray batch = stageKey(stages[r], k::kBatch).toUtf8();
    const QByteArray lr = stageKey(stages[r], k::kLr).toUtf8();
    auto* label = new QLabel(labels[r], table);
    QList<QWidget*> row = {label, makeInt(steps.constData(), 0, 10000000, tr("Optimiser steps: %1").arg(stageTips[r])),
                           makeInt(batch.constData(), 1, 1024,
                                   tr("Labelled (and unlabelled) images per step; L_pxl needs at least 2")),
                           makeDouble(lr.constData(), 1e-7, 1.0, 6, 1e-4, tr("AdamW base learning rate"))};
    for (int c = 0; c < row.size(); ++c) grid->addWidget(row[c], r + 1, c);
    if (stages[r] == "adapt") adaptRow_ = row;
  }
  grid->setColumnStretch(1, 1);
  grid->setColumnStretch(2, 1);
  grid->setColumnStretch(3, 1);
  return table;
}

QDoubleSpinBox* PipelineConfigForm::makeDouble(const char* key, double min, double max, int decimals,
                                               double step, const QString& tip) {
  auto* box = new QDoubleSpinBox(this);
  box->setObjectName(key);
  box->setDecimals(decimals);
  box->setRange(min, max);
  box->setSingleStep(step);
  box->setToolTip(tip);
  doubles_ << box;
  connect(box, &QDoubleSpinBox::valueChanged, this, &PipelineConfigForm::configEdited);
  return box;
}

QSpinBox* PipelineConfigForm::makeInt(const char* key, int min, int max, const QString& tip) {
  auto* box = new QSpinBox(this);
  box->setObjectName(key);
  box->setRange(min, max);
  box->setToolTip(tip);
  ints_ << box;
  connect(box, &QSpinBox::valueChanged, this, &PipelineConfigForm::configEdited);
  return box;
}

QDoubleSpinBox* PipelineConfigForm::addDouble(const char* key, const QString& label, double min,
                                              double max, int decimals, double step,
                                              const QString& tip) {
  QDoubleSpinBox* box = makeDouble(key, min, max, decimals, step, tip);
  form_->addRow(label, box);
  return box;
}

QSpinBox* PipelineConfigForm::addInt(const char* key, const QString& label, int min, int max,
                                     const QString& tip) {
  QSpinBox* box = makeInt(key, min, max, tip);
  form_->addRow(label, box);
  return box;
}

QComboBox* PipelineConfigForm::addChoice(const char* key, const QString& label, const QStringList& items,
                                         const QString& tip) {
  auto* box = new QComboBox(this);
  box->setObjectName(key);
  box->addItems(items);
  box->setToolTip(tip);
  form_->addRow(label, box);
  return box;
}

QString PipelineConfigForm::recipe() const {
  return recipe_->currentText();
}

QJsonObject PipelineConfigForm::config() const {
  QJsonObject c = extra_;
  c[k::kRecipe] = recipe_->currentText();
  c[k::kNegativeSampling] = sampling_->currentText();
  c[k::kStudentArch] = student_->currentText();
  c[k::kStudentInit] = studentInit_->text().trimmed();
  for (const QDoubleSpinBox* b : doubles_) c[b->objectName()] = b->value();
  for (const QSpinBox* b : ints_) c[b->objectName()] = b->value();
  return c;
}

QStringList PipelineConfigForm::setConfig(const QJsonObject& config) {
  QStringList problems;
  const QSignalBlocker blockRecipe(recipe_);  // the config's own lambdas win over recipe defaults
  auto setChoice = [&](QComboBox* box) {
    const QString key = box->objectName();
    if (!config.contains(key)) return;
    const QString v = config[key].toString();
    const int i = box->findText(v);
    if (i < 0) {
      QStringList options;
      for (int j = 0; j < box->count(); ++j) options << box->itemText(j);
      problems << QString("%1: '%2' is not one of %3").arg(key, v, options.join(", "));
    } else {
      box->setCurrentIndex(i);
    }
  };
  setChoice(recipe_);
  setChoice(sampling_);
  setChoice(student_);
  if (config.contains(k::kStudentInit)) {
    if (config[k::kStudentInit].isString()) studentInit_->setText(config[k::kStudentInit].toString());
    else problems << QString("%1: expected a checkpoint path (a string)").arg(k::kStudentInit);
  }
  for (QDoubleSpinBox* b : doubles_) {
    const QString key = b->objectName();
    if (!config.contains(key)) continue;
    const QJsonValue v = config[key];
    if (!v.isDouble() || v.toDouble() < b->minimum() || v.toDouble() > b->maximum()) {
      problems << QString("%1: expected a number in [%2, %3], got %4")
                      .arg(key)
                      .arg(b->minimum())
                      .arg(b->maximum())
                      .arg(v.isDouble() ? QString::number(v.toDouble()) : v.toVariant().toString());
      continue;
    }
    b->setValue(v.toDouble());
  }
  for (QSpinBox* b : ints_) {
    const QString key = b->objectName();
    if (!config.contains(key)) continue;
    const QJsonValue v = config[key];
    const double x = v.toDouble();
    if (!v.isDouble() || x != static_cast<double>(static_cast<long long>(x)) || x < b->minimum() ||
        x > b->maximum()) {
      problems << QString("%1: expected a whole number in [%2, %3], got %4")
                      .arg(key)
                      .arg(b->minimum())
                      .arg(b->maximum())
                      .arg(v.isDouble() ? QString::number(x) : v.toVariant().toString());
      continue;
    }
    b->setValue(static_cast<int>(x));
  }
  static const QStringList known = defaultPipelineConfig().keys();
  for (auto it = config.begin(); it != config.end(); ++it)
    if (!known.contains(it.key())) extra_[it.key()] = it.value();
  enableForRecipe(recipe());
  return problems;
}

void PipelineConfigForm::enableForRecipe(const QString& recipe) {
  const bool cast = recipe == "cast";
  for (QWidget* w : adaptRow_) w->setEnabled(cast);
  for (QDoubleSpinBox* b : doubles_)
    if (b->objectName() == k::kLambdaPxl || b->objectName() == k::kLambdaSemi) b->setEnabled(cast);
}

void PipelineConfigForm::applyRecipeDefaults(const QString& recipe) {
  const QJsonObject d = defaultPipelineConfig(recipe);
  for (QDoubleSpinBox* b : doubles_) {
    const QString key = b->objectName();
    if (key == k::kLambdaPxl || key == k::kLambdaSemi) b->setValue(d[key].toDouble());
  }
}

}  // namespace distillery
