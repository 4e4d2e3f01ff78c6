// The training settings form of the pipeline dock. Reads and writes the flat JSON
// config of pipeline_config.h; each field's objectName is its key.
#pragma once

#include <QJsonObject>
#include <QStringList>
#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
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
  QDoubleSpinBox* addDouble(const char* key, const QString& label, double min, double max,
                            int decimals, double step, const QString& tip);
  QSpinBox* addInt(const char* key, const QString& label, int min, int max, const QString& tip);

  QComboBox* recipe_ = nullptr;
  QComboBox* sampling_ = nullptr;
  QList<QDoubleSpinBox*> doubles_;
  QList<QSpinBox*> ints_;
  QJsonObject extra_;
  QFormLayout* form_ = nullptr;
};

}  // namespace distillery
