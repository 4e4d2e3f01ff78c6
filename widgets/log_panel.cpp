#include "widgets/log_panel.h"

#include <QDateTime>
#include <QFontDatabase>

namespace distillery {

LogPanel::LogPanel(QWidget* parent) : QPlainTextEdit(parent) {
  setReadOnly(true);
  setMaximumBlockCount(5000);  // bounded: a long run must not grow memory without end
  setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
}

void LogPanel::append(Level level, const QString& message) {
  const char* tag = "info";
  QString colour = palette().color(QPalette::Text).name();
  switch (level) {
    case Level::Debug: tag = "debug"; colour = "#808080"; break;
    case Level::Info: break;
    case Level::Warning: tag = "warning"; colour = "#b58900"; break;
    case Level::Error: tag = "error"; colour = "#dc322f"; ++errorCount_; break;
  }
  const QString time = QDateTime::currentDateTime().toString("HH:mm:ss");
  appendHtml(QString("<span style='color:%1'>%2 [%3] %4</span>")
                 .arg(colour, time, tag, message.toHtmlEscaped()));
}

}  // namespace distillery
