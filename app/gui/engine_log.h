// The engine reports through spdlog (stage changes, pseudo-label counts, resumed
// checkpoints, failed writes). EngineLog puts those messages into the GUI's log
// panel, so nothing the user needs is only on stderr: warnings and errors from any
// thread, and information from a thread that asked for it (the training worker).
#pragma once

#include <QObject>
#include <QString>

namespace distillery {

class EngineLog : public QObject {
  Q_OBJECT

 public:
  // Adds the forwarding sink to spdlog's default logger (once per process).
  explicit EngineLog(QObject* parent = nullptr);
  ~EngineLog() override;

  // While set, information-level messages of the calling thread are forwarded too.
  static void forwardInfoFromThisThread(bool on);

 Q_SIGNALS:
  // Delivered on this object's thread; warning is false for information.
  void message(const QString& text, bool warning);
};

}  // namespace distillery
