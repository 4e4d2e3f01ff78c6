#pragma once

#include <QDialog>

namespace distillery {

// Help > About: what Distillery is, and the library versions it runs on.
class AboutDialog : public QDialog {
  Q_OBJECT

 public:
  explicit AboutDialog(QWidget* parent = nullptr);

  // The text shown, for tests and bug reports.
  static QString versionsText();
};

}  // namespace distillery
