// The log dock: engine messages, warnings and errors, newest at the bottom.
// Errors are also what the user sees in message boxes; nothing is shown only on stderr.
#pragma once

#include <QPlainTextEdit>

namespace distillery {

class LogPanel : public QPlainTextEdit {
  Q_OBJECT

 public:
  enum class Level { Debug, Info, Warning, Error };

  explicit LogPanel(QWidget* parent = nullptr);

  int errorCount() const { return errorCount_; }

 public Q_SLOTS:
  void append(distillery::LogPanel::Level level, const QString& message);
  void info(const QString& message) { append(Level::Info, message); }
  void warning(const QString& message) { append(Level::Warning, message); }
  void error(const QString& message) { append(Level::Error, message); }

 private:
  int errorCount_ = 0;
};

}  // namespace distillery
