#include "widgets/export/export_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace distillery {
namespace {

const QStringList kSources = {"human", "teacher", "student"};
const QStringList kStatuses = {"pending", "accepted", "edited", "rejected"};

QString sidecarFor(const QString& modelPath) {
  if (modelPath.isEmpty()) return {};
  const QFileInfo info(modelPath);
  const QString base = info.suffix().isEmpty()
                           ? modelPath
                           : modelPath.left(modelPath.size() - info.suffix().size() - 1);
  return base + ".json";
}

QHBoxLayout* pathRow(QLineEdit* edit, QPushButton* browse) {
  auto* row = new QHBoxLayout;
  row->addWidget(edit, 1);
  row->addWidget(browse);
  return row;
}

}  // namespace

ExportDialog::ExportDialog(QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("Export"));
  auto* layout = new QVBoxLayout(this);

  auto* kinds = new QHBoxLayout;
  studentKind_ = new QRadioButton(tr("Student model (TorchScript + JSON sidecar)"), this);
  studentKind_->setObjectName("exportStudent");
  labelsKind_ = new QRadioButton(tr("Labels"), this);
  labelsKind_->setObjectName("exportLabels");
  kinds->addWidget(studentKind_);
  kinds->addWidget(labelsKind_);
  kinds->addStretch(1);
  layout->addLayout(kinds);

  pages_ = new QStackedWidget(this);
  pages_->addWidget(buildStudentPage());
  pages_->addWidget(buildLabelsPage());
  layout->addWidget(pages_);

  headline_ = new QLabel(this);
  headline_->setObjectName("exportHeadline");
  headline_->setWordWrap(true);
  report_ = new QListWidget(this);
  report_->setObjectName("exportReport");
  report_->setWordWrap(true);
  layout->addWidget(headline_);
  layout->addWidget(report_, 1);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  export_ = buttons->addButton(tr("Export"), QDialogButtonBox::ActionRole);
  export_->setObjectName("exportButton");
  export_->setDefault(true);
  layout->addWidget(buttons);

  connect(studentKind_, &QRadioButton::toggled, this, &ExportDialog::updateKind);
  connect(export_, &QPushButton::clicked, this, &ExportDialog::startExport);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  labelsKind_->setChecked(true);
  updateKind();
  resize(560, 480);
}

QWidget* ExportDialog::buildStudentPage() {
  auto* page = new QWidget(this);
  auto* form = new QFormLayout(page);
  modelPath_ = new QLineEdit(page);
  modelPath_->setObjectName("modelPath");
  modelPath_->setPlaceholderText("student.pt");
  sidecarPath_ = new QLineEdit(page);
  sidecarPath_->setObjectName("sidecarPath");
  sidecarPath_->setPlaceholderText("student.json");
  auto* browse = new QPushButton(tr("Browse..."), page);
  browse->setObjectName("browseModel");
  form->addRow(tr("TorchScript"), pathRow(modelPath_, browse));
  form->addRow(tr("Sidecar JSON"), sidecarPath_);
  connect(browse, &QPushButton::clicked, this, &ExportDialog::browseModel);
  // The sidecar follows the model's name until the user picks one of their own.
  connect(modelPath_, &QLineEdit::textChanged, this, [this](const QString& p) {
    if (!sidecarEdited_) sidecarPath_->setText(sidecarFor(p.trimmed()));
  });
  connect(sidecarPath_, &QLineEdit::textEdited, this, [this] { sidecarEdited_ = true; });
  return page;
}

QWidget* ExportDialog::buildLabelsPage() {
  auto* page = new QWidget(this);
  auto* v = new QVBoxLayout(page);
  auto* form = new QFormLayout;
  format_ = new QComboBox(page);
  format_->setObjectName("labelFormat");
  format_->addItem(tr("COCO (one .json file)"), "coco");
  format_->addItem(tr("LabelMe (a .json per image, in a folder)"), "labelme");
  labelsPath_ = new QLineEdit(page);
  labelsPath_->setObjectName("labelsPath");
  auto* browse = new QPushButton(tr("Browse..."), page);
  browse->setObjectName("browseLabels");
  form->addRow(tr("Format"), format_);
  form->addRow(tr("Write to"), pathRow(labelsPath_, browse));
  v->addLayout(form);
  connect(browse, &QPushButton::clicked, this, &ExportDialog::browseLabels);

  auto* filters = new QHBoxLayout;
  auto* sources = new QGroupBox(tr("Sources"), page);
  auto* sl = new QVBoxLayout(sources);
  for (const QString& s : kSources) {
    auto* box = new QCheckBox(s, sources);
    box->setObjectName("source_" + s);
    sl->addWidget(box);
    sources_ << box;
  }
  auto* statuses = new QGroupBox(tr("Review status (teacher, student)"), page);
  auto* tl = new QVBoxLayout(statuses);
  for (const QString& s : kStatuses) {
    auto* box = new QCheckBox(s, statuses);
    box->setObjectName("status_" + s);
    tl->addWidget(box);
    statuses_ << box;
  }
  filters->addWidget(sources);
  filters->addWidget(statuses);
  v->addLayout(filters);
  emptyImages_ = new QCheckBox(tr("List images without exported annotations"), page);
  emptyImages_->setObjectName("includeEmptyImages");
  v->addWidget(emptyImages_);
  setOptions(ExportOptions{});
  return page;
}

ExportOptions ExportDialog::options() const {
  ExportOptions o;
  o.kind = studentKind_->isChecked() ? ExportOptions::Kind::Student : ExportOptions::Kind::Labels;
  o.modelPath = modelPath_->text().trimmed();
  o.sidecarPath = sidecarPath_->text().trimmed();
  o.format = format_->currentData().toString();
  o.labelsPath = labelsPath_->text().trimmed();
  o.sources.clear();
  for (const QCheckBox* b : sources_)
    if (b->isChecked()) o.sources << b->text();
  o.statuses.clear();
  for (const QCheckBox* b : statuses_)
    if (b->isChecked()) o.statuses << b->text();
  o.includeImagesWithoutAnnotations = emptyImages_->isChecked();
  return o;
}

void ExportDialog::setOptions(const ExportOptions& o) {
  if (studentKind_)
    (o.kind == ExportOptions::Kind::Student ? studentKind_ : labelsKind_)->setChecked(true);
  modelPath_->setText(o.modelPath);
  if (!o.sidecarPath.isEmpty()) sidecarPath_->setText(o.sidecarPath);
  sidecarEdited_ = !o.sidecarPath.isEmpty() && o.sidecarPath != sidecarFor(o.modelPath);
  const int f = format_->findData(o.format);
  format_->setCurrentIndex(f < 0 ? 0 : f);
  labelsPath_->setText(o.labelsPath);
  for (QCheckBox* b : sources_) b->setChecked(o.sources.contains(b->text()));
  for (QCheckBox* b : statuses_) b->setChecked(o.statuses.contains(b->text()));
  emptyImages_->setChecked(o.includeImagesWithoutAnnotations);
}

void ExportDialog::browseModel() {
  const QString file = QFileDialog::getSaveFileName(this, tr("Export the student"),
                                                    modelPath_->text(), tr("TorchScript (*.pt)"));
  if (!file.isEmpty()) modelPath_->setText(file);
}

void ExportDialog::browseLabels() {
  const QString path =
      format_->currentData().toString() == "labelme"
          ? QFileDialog::getExistingDirectory(this, tr("Folder for the LabelMe files"),
                                              labelsPath_->text())
          : QFileDialog::getSaveFileName(this, tr("Export labels as COCO"), labelsPath_->text(),
                                         tr("COCO JSON (*.json)"));
  if (!path.isEmpty()) labelsPath_->setText(path);
}

void ExportDialog::updateKind() {
  pages_->setCurrentIndex(studentKind_->isChecked() ? 0 : 1);
}

void ExportDialog::showProblems(const QStringList& problems) {
  headline_->setStyleSheet("color: #c62828; font-weight: bold;");
  headline_->setText(tr("Cannot export yet:"));
  report_->clear();
  report_->addItems(problems);
}

void ExportDialog::startExport() {
  const ExportOptions o = options();
  const QStringList problems = validate(o);
  if (!problems.isEmpty()) return showProblems(problems);
  waiting_ = true;
  export_->setEnabled(false);
  headline_->setStyleSheet({});
  headline_->setText(tr("Exporting..."));
  report_->clear();
  Q_EMIT exportRequested(o);
}

void ExportDialog::setReport(const ExportReport& r) {
  waiting_ = false;
  export_->setEnabled(true);
  report_->clear();
  if (!r.error.isEmpty()) {
    headline_->setStyleSheet("color: #c62828; font-weight: bold;");
    headline_->setText(tr("Export failed: %1").arg(r.error));
  } else {
    headline_->setStyleSheet(r.skipped.isEmpty() ? "color: #2e7d32;" : "color: #b26a00;");
    QString text =
        tr("Wrote %1 instances on %2 images").arg(r.instancesWritten).arg(r.imagesWritten);
    text +=
        r.skipped.isEmpty() ? tr("; nothing skipped.") : tr("; skipped %1:").arg(r.skipped.size());
    headline_->setText(text);
  }
  for (const QString& s : r.skipped) {
    auto* item = new QListWidgetItem(tr("skipped: %1").arg(s), report_);
    item->setForeground(QColor(178, 106, 0));
  }
  for (const QString& n : r.notes) new QListWidgetItem(tr("note: %1").arg(n), report_);
  for (const QString& f : r.files) new QListWidgetItem(tr("written: %1").arg(f), report_);
}

QString ExportDialog::reportHeadline() const {
  return headline_->text();
}

QStringList ExportDialog::reportLines() const {
  QStringList out;
  for (int i = 0; i < report_->count(); ++i) out << report_->item(i)->text();
  return out;
}

}  // namespace distillery
