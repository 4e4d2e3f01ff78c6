#include "widgets/pipeline/pipeline_config_form.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QSpinBox>

#include "widgets/pipeline/pipeline_config.h"

namespace distillery {

namespace k = pipeline_keys;

PipelineConfigForm::PipelineConfigForm(QWidget* parent) : QWidget(parent) {
  form_ = new QFormLayout(this);
  form_->setContentsMargins(0, 0, 0, 0);
  form_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

  recipe_ = new QComboBox(this);
  recipe_->setObjectName(k::kRecipe);
  recipe_->addItems(recipeNames());
  recipe_->setToolTip(
      tr("cast: adapt teacher, distill, refine (the default).\n"
         "guided-distillation: student learns from an EMA teacher.\n"
         "supervised: labelled images only.\n"
         "pseudo-label: teacher pseudo-labels as ground truth, no L_pxl."));
  form_->addRow(tr("Recipe"), recipe_);

  const QJsonObject d = defaultPipelineConfig();
  addDouble(k::kLabelledFraction, tr("Labelled fraction"), 0.001, 1.0, 3, 0.05,
            tr("Share of the images used as the labelled set D_l"));
  addInt(k::kStepsPerStage, tr("Steps per stage"), 1, 10000000,
         tr("Optimiser steps of each stage"));
  addInt(k::kBatchSize, tr("Batch size"), 1, 1024, tr("Images per step (L_pxl needs at least 2)"));
  addDouble(k::kLr, tr("Learning rate"), 1e-7, 1.0, 7, 1e-5, tr("AdamW base learning rate"));
  addDouble(k::kLambdaPxl, tr("λ pxl"), 0.0, 100.0, 3, 0.05,
            tr("Weight of the contrastive loss L_pxl"));
  addDouble(k::kLambdaSemi, tr("λ semi"), 0.0, 100.0, 3, 0.1,
            tr("Weight of the pseudo-label loss L_semi"));
  addDouble(k::kClassThreshold, tr("Class threshold"), 0.0, 1.0, 2, 0.05,
            tr("Keep a pseudo-label when its class probability is above this"));
  addDouble(k::kMaskThreshold, tr("Mask threshold"), 0.0, 1.0, 2, 0.05,
            tr("A pixel is in a pseudo-mask when its sigmoid is above this"));
  addInt(k::kNegatives, tr("Negatives R"), 1, 100000, tr("Contrastive negatives drawn per anchor"));

  sampling_ = new QComboBox(this);
  sampling_->setObjectName(k::kNegativeSampling);
  sampling_->addItems(negativeSamplingNames());
  sampling_->setToolTip(
      tr("How negatives are weighted: fused mask-and-class distribution "
         "(the paper), mask only, class only, or uniform"));
  form_->addRow(tr("Negative sampling"), sampling_);
  addInt(k::kEvalPeriod, tr("Eval period"), 1, 10000000, tr("Steps between evaluations"));

  setConfig(d);
  connect(recipe_, &QComboBox::currentTextChanged, this, [this](const QString& r) {
    applyRecipeDefaults(r);
    Q_EMIT recipeChanged(r);
    Q_EMIT configEdited();
  });
  connect(sampling_, &QComboBox::currentTextChanged, this, &PipelineConfigForm::configEdited);
}

QDoubleSpinBox* PipelineConfigForm::addDouble(const char* key, const QString& label, double min,
                                              double max, int decimals, double step,
                                              const QString& tip) {
  auto* box = new QDoubleSpinBox(this);
  box->setObjectName(key);
  box->setDecimals(decimals);
  box->setRange(min, max);
  box->setSingleStep(step);
  box->setToolTip(tip);
  form_->addRow(label, box);
  doubles_ << box;
  connect(box, &QDoubleSpinBox::valueChanged, this, &PipelineConfigForm::configEdited);
  return box;
}

QSpinBox* PipelineConfigForm::addInt(const char* key, const QString& label, int min, int max,
                                     const QString& tip) {
  auto* box = new QSpinBox(this);
  box->setObjectName(key);
  box->setRange(min, max);
  box->setToolTip(tip);
  form_->addRow(label, box);
  ints_ << box;
  connect(box, &QSpinBox::valueChanged, this, &PipelineConfigForm::configEdited);
  return box;
}

QString PipelineConfigForm::recipe() const {
  return recipe_->currentText();
}

QJsonObject PipelineConfigForm::config() const {
  QJsonObject c = extra_;
  c[k::kRecipe] = recipe_->currentText();
  c[k::kNegativeSampling] = sampling_->currentText();
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
  return problems;
}

void PipelineConfigForm::applyRecipeDefaults(const QString& recipe) {
  const QJsonObject d = defaultPipelineConfig(recipe);
  for (QDoubleSpinBox* b : doubles_) {
    const QString key = b->objectName();
    if (key == k::kLambdaPxl || key == k::kLambdaSemi) b->setValue(d[key].toDouble());
  }
}

}  // namespace distillery
