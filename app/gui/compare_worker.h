// The compare view's engine work, on its own QThread: scoring the project's models on
// the val split, and drawing one model's prediction on one image. Jobs are started
// with QMetaObject::invokeMethod on this object's thread; results go back as signals
// (queued on the GUI thread). Loaded models stay cached here between renderings.
#pragma once

#include <QImage>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <map>
#include <memory>
#include <vector>

#include "app/gui/model_comparison.h"
#include "widgets/compare/model_score.h"

namespace distillery {

class Project;

struct CompareOutcome {
  QString error;        // non-empty: nothing was scored, and why
  QStringList classes;  // the project's categories, in the order of perClassAp
  std::vector<ModelScore> scores;
  QStringList failures;    // "student: why it could not be scored"
  QStringList images;      // val image paths (relative to the image root)
  QList<qint64> imageIds;  // same order
  qint64 runId = -1;       // the run whose models are compared, -1: none finished
  int valImages = 0;
  int valInstances = 0;
};

class CompareWorker : public QObject {
  Q_OBJECT

 public:
  // Jobs: run them on this object's thread.
  void evaluate(std::shared_ptr<Project> project, const std::vector<ComparedModel>& models,
                qint64 runId);
  // `image`: path relative to the image root, as listed by evaluate.
  void render(const QString& image, qint64 imageId, const QStringList& models);

 Q_SIGNALS:
  void progress(const QString& text);
  void evaluated(const distillery::CompareOutcome& outcome);
  void rendered(const QString& image, const QString& model, const QImage& picture);
  void renderFinished();

 private:
  const MappedPredictor* predictor(const ComparedModel& model, QString* error);

  std::vector<ComparedModel> models_;
  ValSet val_;
  std::map<std::string, MappedPredictor> predictors_;  // by model name
};

}  // namespace distillery
