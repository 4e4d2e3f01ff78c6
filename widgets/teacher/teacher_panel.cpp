#include "widgets/teacher/teacher_panel.h"

#include <QFileDialog>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "widgets/pipeline/stage_progress.h"
#include "widgets/teacher/contract_status.h"
#include "widgets/teacher/foundation_models_view.h"
#include "widgets/teacher/teacher_class_mapping.h"

namespace distillery {

TeacherPanel::TeacherPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);

  auto* model = new QGroupBox(tr("Teacher model (TorchScript)"), this);
  auto* ml = new QVBoxLayout(model);
  auto* row = new QHBoxLayout;
  path_ = new QLineEdit(model);
  path_->setObjectName("teacherPath");
  path_->setPlaceholderText(tr("teacher.pt (a JSON sidecar beside it names the classes)"));
  auto* browse = new QPushButton(tr("Browse..."), model);
  browse->setObjectName("browseTeacher");
  load_ = new QPushButton(tr("Load"), model);
  load_->setObjectName("loadTeacher");
  row->addWidget(path_, 1);
  row->addWidget(browse);
  row->addWidget(load_);
  ml->addLayout(row);
  status_ = new ContractStatus(model);
  ml->addWidget(status_);
  layout->addWidget(model);

  auto* classes = new QGroupBox(tr("Teacher classes → project classes"), this);
  auto* cl = new QVBoxLayout(classes);
  mapping_ = new TeacherClassMapping(classes);
  cl->addWidget(mapping_);
  layout->addWidget(classes, 1);

  auto* reference = new QGroupBox(tr("Reference teacher"), this);
  auto* rl = new QVBoxLayout(reference);
  pretrain_ = new QPushButton(tr("Pretrain reference teacher"), reference);
  pretrain_->setObjectName("pretrainTeacher");
  pretrain_->setToolTip(
      tr("Without a foundation model: train the built-in reference teacher "
         "on the labelled images"));
  pretrainProgress_ = new StageProgress(reference);
  rl->addWidget(pretrain_);
  rl->addWidget(pretrainProgress_);
  layout->addWidget(reference);

  auto* pool = new QGroupBox(tr("Pseudo-labels"), this);
  auto* pl = new QVBoxLayout(pool);
  runPool_ = new QPushButton(tr("Run over pool"), pool);
  runPool_->setObjectName("runOverPool");
  runPool_->setToolTip(
      tr("Predict every unlabelled image; results join the review queue and "
         "never overwrite human labels"));
  poolProgress_ = new StageProgress(pool);
  pseudoLabels_ = new QLabel(pool);
  pseudoLabels_->setObjectName("pseudoLabelCount");
  pl->addWidget(runPool_);
  pl->addWidget(poolProgress_);
  pl->addWidget(pseudoLabels_);
  layout->addWidget(pool);

  cancel_ = new QPushButton(tr("Cancel"), this);
  cancel_->setObjectName("cancelTeacherJob");
  layout->addWidget(cancel_, 0, Qt::AlignRight);

  auto* foundation = new QGroupBox(tr("Foundation models (ONNX)"), this);
  auto* fl = new QVBoxLayout(foundation);
  foundation_ = new FoundationModelsView(foundation);
  fl->addWidget(foundation_);
  layout->addWidget(foundation);

  connect(browse, &QPushButton::clicked, this, &TeacherPanel::browse);
  connect(path_, &QLineEdit::textChanged, this, &TeacherPanel::updateControls);
  connect(load_, &QPushButton::clicked, this, [this] {
    status_->setChecking(modelPath());
    Q_EMIT loadRequested(modelPath());
  });
  connect(pretrain_, &QPushButton::clicked, this, &TeacherPanel::pretrainRequested);
  connect(runPool_, &QPushButton::clicked, this,
          [this] { Q_EMIT runOverPoolRequested(classMapping()); });
  connect(cancel_, &QPushButton::clicked, this, &TeacherPanel::cancelRequested);
  connect(mapping_, &TeacherClassMapping::mappingChanged, this, [this] {
    updateControls();
    Q_EMIT classMappingChanged(classMapping());
  });
  updateControls();
}

void TeacherPanel::browse() {
  const QString file =
      QFileDialog::getOpenFileName(this, tr("Load a TorchScript teacher"), modelPath(),
                                   tr("TorchScript (*.pt *.pth *.ts);;All files (*)"));
  if (!file.isEmpty()) setModelPath(file);
}

QString TeacherPanel::modelPath() const {
  return path_->text().trimmed();
}

void TeacherPanel::setModelPath(const QString& path) {
  path_->setText(path);
}

void TeacherPanel::setContractResult(bool ok, const QString& summary, const QStringList& errors) {
  if (ok) {
    status_->setPassed(summary);
  } else {
    status_->setFailed(errors.isEmpty() ? QStringList{summary} : errors);
  }
  updateControls();
}

void TeacherPanel::setClasses(const QStringList& teacherClasses,
                              const QStringList& projectClasses) {
  mapping_->setClasses(teacherClasses, projectClasses);
}

QVector<int> TeacherPanel::classMapping() const {
  return mapping_->mapping();
}

void TeacherPanel::setBusy(bool busy) {
  busy_ = busy;
  updateControls();
}

void TeacherPanel::setPretrainProgress(qint64 step, qint64 total, double etaSeconds) {
  pretrainProgress_->setProgress(tr("Pretraining"), step, total, etaSeconds);
}

void TeacherPanel::setPoolProgress(qint64 images, qint64 total, qint64 pseudoLabels,
                                   double etaSeconds) {
  poolProgress_->setProgress(tr("Images"), images, total, etaSeconds);
  pseudoLabels_->setText(tr("%1 pseudo-labels made on %2 images").arg(pseudoLabels).arg(images));
}

QString TeacherPanel::pseudoLabelText() const {
  return pseudoLabels_->text();
}

void TeacherPanel::updateControls() {
  load_->setEnabled(!busy_ && !modelPath().isEmpty());
  pretrain_->setEnabled(!busy_);
  // Running a teacher needs one that passed the contract and writes to some class.
  runPool_->setEnabled(!busy_ && status_->passed() && mapping_->mappedCount() > 0);
  cancel_->setEnabled(busy_);
}

}  // namespace distillery
