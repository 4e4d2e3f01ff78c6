// File > New Project: the project folder, an optional folder of images to import,
// and the class names (WORKBENCH.md flow 1).
#pragma once

#include <QDialog>
#include <QStringList>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace distillery {

class NewProjectDialog : public QDialog {
  Q_OBJECT

 public:
  explicit NewProjectDialog(QWidget* parent = nullptr);

  QString projectDir() const;
  QString imageFolder() const;  // empty: add images later (File > Import)
  QStringList classes() const;

  void setProjectDir(const QString& dir);
  void setImageFolder(const QString& dir);
  void setClasses(const QStringList& classes);
  // Why OK is disabled; empty when the inputs are usable.
  QString problem() const;

 private:
  void updateState();

  QLineEdit* dir_ = nullptr;
  QLineEdit* images_ = nullptr;
  QLineEdit* classes_ = nullptr;
  QLabel* problem_ = nullptr;
  QDialogButtonBox* buttons_ = nullptr;
};

}  // namespace distillery
