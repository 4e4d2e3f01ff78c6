// A progress bar with the stage name, the step count and the time left:
// "Distill  120 / 1500  eta 4:05". The ETA comes from the worker, or is
// estimated from the time since the stage's first report.
#pragma once

#include <QElapsedTimer>
#include <QString>
#include <QWidget>

class QLabel;
class QProgressBar;

namespace distillery {

class StageProgress : public QWidget {
  Q_OBJECT

 public:
  explicit StageProgress(QWidget* parent = nullptr);

  // etaSeconds < 0: estimate from the elapsed time of this stage.
  void setProgress(const QString& stage, qint64 done, qint64 total, double etaSeconds = -1);
  // A one-line state ("Cancelling: saving a checkpoint..."), bar unchanged.
  void setMessage(const QString& message);
  void reset();

  QString text() const;
  int percent() const;

 private:
  QProgressBar* bar_ = nullptr;
  QLabel* label_ = nullptr;
  QString stage_;
  qint64 firstDone_ = 0;
  QElapsedTimer clock_;
};

// "1:02:03" or "4:05"; "--" for unknown.
QString formatEta(double seconds);

}  // namespace distillery
