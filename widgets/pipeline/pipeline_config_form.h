// The training settings form of the pipeline dock. Reads and writes the flat JSON
// config of pipeline_config.h; each field's objectName is its key. The per-stage
// settings (steps, batch, learning rate) are a small table, one row per stage.
#pragma once

#include <QJsonObject>
#include <QStringList>
#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLineEdit;
class QSpinBox;

namespace distillery {

class PipelineConfigForm : public QWidget {
  Q_OBJECT

 public:
  explicit PipelineConfigForm(QWidget* parent = nullptr);

  // The form's values; keys the form does not know (from setConfig) pass through.
  QJsonObject config() const;
  // Sets every known key present in `config`. Returns one message per bad value
  // ("lr: expected a number in [1e-07, 1], got -3"); bad values leave the field as it was.
  QStringList setConfig(const QJsonObject& config);

  QString recipe() const;

 Q_SIGNALS:
  void recipeChanged(const QString& recipe);
  void configEdited();

 private:
  void applyRecipeDefaults(const QString& recipe);
  // Which fields the recipe reads: the adaptation row and the loss weights are CAST's.
  void enableForRecipe(const QString& recipe);
  QWidget* makeStageTable();
  // The student's starting checkpoint: a path field and a file chooser.
  QWidget* makeStudentInit();
  QDoubleSpinBox* makeDouble(const char* key, double min, double max, int decimals, double step,
                             const QString& tip);
  QSpinBox* makeInt(const char* key, int min, int max, const QString& tip);
  QDoubleSpinBox* addDouble(const char* key, const QString& label, double min, double max,
                            int decimals, double step, const QString& tip);
  QSpinBox* addInt(const char* key, const QString& label, int min, int max, const QString& tip);
  QComboBox* addChoice(const char* key, const QString& label, const QStringList& items, const QString& tip);

  QComboBox* recipe_ = nullptr;
  QComboBox* sampling_ = nullptr;
  QComboBox* student_ = nullptr;
  QLineEdit* studentInit_ = nullptr;
  QList<QDoubleSpinBox*> doubles_;
  QList<QSpinBox*> ints_;
  QJsonObject extra_;
  QList<QWidget*> adaptRow_;
  QFormLayout* form_ = nullptr;
};

}  // namespace distillery
