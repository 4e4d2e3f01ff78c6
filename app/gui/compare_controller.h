// The Compare dock (WORKBENCH.md flow 7) over the session: the zero-shot teacher and
// the latest finished run's adapted teacher and student, scored on the project's val
// split (AP, AP50 in percent, parameters, ms per image), their per-class AP, and two
// models' predictions side by side on a val image or the canvas' current one. Scoring
// and drawing run on a CompareWorker on this controller's QThread.
#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>
#include <memory>

#include "app/gui/worker_jobs.h"

class QLabel;
class QPushButton;
class QThread;
class QWidget;

namespace distillery {

class CompareView;
class CompareWorker;
class ProjectSession;
struct CompareOutcome;

class CompareController : public QObject {
  Q_OBJECT

 public:
  explicit CompareController(QObject* parent = nullptr);
  ~CompareController() override;

  // The dock's content: a status line with "Evaluate", then the compare view.
  QWidget* widget() const { return widget_; }
  CompareView* view() const { return view_; }
  QString statusText() const;

  void setSession(ProjectSession* session);
  // The zero-shot teacher's class mapping (teacher class -> project category id).
  void setTeacherMapping(const QString& model, const QVector<qint64>& categoryForClass);

  bool busy() const { return jobs_.pending() > 0 || renders_.pending() > 0; }
  // Tests: runs the event loop until every job has finished and reported.
  bool waitForIdle(int msecs = 600000);

 public Q_SLOTS:
  // Scores the models again (a run finished, labels changed).
  void refresh();
  // Scores them when the set of models changed since the last time (the dock is shown).
  void refreshIfStale();
  // The panes show this image (the canvas' current one).
  void showImage(qint64 imageId);

 Q_SIGNALS:
  void message(const QString& text);
  void errorOccurred(const QString& title, const QString& text);

 private:
  void onEvaluated(const CompareOutcome& outcome);
  void requestPredictions(const QString& image, const QString& left, const QString& right);
  QString modelsSignature(QString* error) const;
  QString zeroShotTeacher() const;
  void setStatus(const QString& text, bool error = false);

  QWidget* widget_ = nullptr;
  QLabel* status_ = nullptr;
  QPushButton* evaluate_ = nullptr;
  CompareView* view_ = nullptr;
  ProjectSession* session_ = nullptr;
  QThread* thread_ = nullptr;
  CompareWorker* worker_ = nullptr;
  WorkerJobs jobs_;     // scorings
  WorkerJobs renders_;  // renderings (the same worker: one executing count)
  bool closing_ = false;
  bool again_ = false;       // a refresh was asked for while one ran
  QString scoredSignature_;  // the models last scored
  QString teacherModel_;
  QVector<qint64> teacherMapping_;
  QStringList images_;               // listed in the view
  QHash<QString, qint64> imageIds_;  // path -> image id
};

}  // namespace distillery
