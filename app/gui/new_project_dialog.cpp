#include "app/gui/new_project_dialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSet>
#include <QVBoxLayout>

namespace distillery {
namespace {

QWidget* withBrowse(QLineEdit* edit, QWidget* parent, const QString& title) {
  auto* row = new QWidget(parent);
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(edit, 1);
  auto* browse = new QPushButton(QObject::tr("Browse..."), row);
  layout->addWidget(browse);
  QObject::connect(browse, &QPushButton::clicked, row, [edit, parent, title] {
    const QString dir = QFileDialog::getExistingDirectory(parent, title, edit->text());
    if (!dir.isEmpty()) edit->setText(dir);
  });
  return row;
}

}  // namespace

NewProjectDialog::NewProjectDialog(QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("New Project"));
  dir_ = new QLineEdit(this);
  dir_->setObjectName("projectDir");
  dir_->setPlaceholderText(tr("a new or empty folder"));
  images_ = new QLineEdit(this);
  images_->setObjectName("imageFolder");
  images_->setPlaceholderText(tr("optional: images are imported from it (recursively)"));
  classes_ = new QLineEdit(this);
  classes_->setObjectName("classes");
  classes_->setPlaceholderText(tr("e.g. cell, debris (comma-separated; more can be added later)"));
  problem_ = new QLabel(this);
  problem_->setObjectName("problem");
  problem_->setStyleSheet("color: #b03030");
  buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);

  auto* form = new QFormLayout;
  form->addRow(tr("Project folder:"), withBrowse(dir_, this, tr("Project folder")));
  form->addRow(tr("Image folder:"), withBrowse(images_, this, tr("Folder of images")));
  form->addRow(tr("Classes:"), classes_);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(problem_);
  layout->addWidget(buttons_);
  resize(560, sizeHint().height());

  connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
  for (QLineEdit* e : {dir_, images_, classes_})
    connect(e, &QLineEdit::textChanged, this, &NewProjectDialog::updateState);
  updateState();
}

QString NewProjectDialog::projectDir() const {
  return dir_->text().trimmed();
}
QString NewProjectDialog::imageFolder() const {
  return images_->text().trimmed();
}

QStringList NewProjectDialog::classes() const {
  QStringList out;
  for (const QString& c : classes_->text().split(',', Qt::SkipEmptyParts))
    if (!c.trimmed().isEmpty()) out << c.trimmed();
  return out;
}

void NewProjectDialog::setProjectDir(const QString& dir) {
  dir_->setText(dir);
}
void NewProjectDialog::setImageFolder(const QString& dir) {
  images_->setText(dir);
}
void NewProjectDialog::setClasses(const QStringList& classes) {
  classes_->setText(classes.join(", "));
}

QString NewProjectDialog::problem() const {
  if (projectDir().isEmpty()) return tr("Choose a folder for the project.");
  if (QFileInfo::exists(QDir(projectDir()).filePath("project.sqlite")))
    return tr("%1 is already a project: open it with File > Open Project.").arg(projectDir());
  if (!imageFolder().isEmpty() && !QFileInfo(imageFolder()).isDir())
    return tr("%1: not a folder.").arg(imageFolder());
  QSet<QString> seen;
  for (const QString& c : classes()) {
    if (seen.contains(c.toLower())) return tr("The class \"%1\" is listed twice.").arg(c);
    seen.insert(c.toLower());
  }
  return {};
}

void NewProjectDialog::updateState() {
  const QString p = problem();
  problem_->setText(p);
  buttons_->button(QDialogButtonBox::Ok)->setEnabled(p.isEmpty());
}

}  // namespace distillery
