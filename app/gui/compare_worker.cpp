#include "app/gui/compare_worker.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "engine/store/project.h"
#include "widgets/canvas/image_conversion.h"

namespace distillery {
namespace {

QString qs(const std::string& s) {
  return QString::fromStdString(s);
}

}  // namespace

void CompareWorker::evaluate(std::shared_ptr<Project> project,
                             const std::vector<ComparedModel>& models, qint64 runId) {
  CompareOutcome out;
  out.runId = runId;
  predictors_.clear();  // the files may have been replaced since
  models_ = models;
  auto val = readValSet(*project);
  if (!val.ok()) {
    out.error = qs(val.status().message());
    Q_EMIT evaluated(out);
    return;
  }
  val_ = std::move(*val);
  for (const Category& c : val_.groundTruth.categories) out.classes << qs(c.name);
  for (const ImageRecord& img : val_.groundTruth.images) {
    out.images << qs(img.file);
    out.imageIds << img.id;
  }
  out.valImages = static_cast<int>(val_.groundTruth.images.size());
  out.valInstances = static_cast<int>(val_.groundTruth.instances.size());
  if (val_.groundTruth.images.empty()) {
    Q_EMIT evaluated(out);  // nothing to score on; the controller says so
    return;
  }
  for (const ComparedModel& m : models_) {
    Q_EMIT progress(
        tr("Scoring the %1 on %n val images...", nullptr, out.valImages).arg(qs(m.name)));
    const ModelEvaluation e = evaluateOnVal(val_, m);
    if (!e.error.empty()) {
      out.failures << QStringLiteral("%1: %2").arg(qs(m.name), qs(e.error));
      continue;
    }
    ModelScore s;
    s.name = qs(e.name);
    s.ap = e.ap;
    s.ap50 = e.ap50;
    s.params = static_cast<double>(e.params);
    s.msPerImage = e.msPerImage;
    s.perClassAp = e.perClassAp;
    out.scores.push_back(std::move(s));
  }
  Q_EMIT evaluated(out);
}

const MappedPredictor* CompareWorker::predictor(const ComparedModel& model, QString* error) {
  auto it = predictors_.find(model.name);
  if (it != predictors_.end()) return &it->second;
  auto loaded = MappedPredictor::load(model, val_.groundTruth.categories);
  if (!loaded.ok()) {
    *error = qs(loaded.status().message());
    return nullptr;
  }
  return &predictors_.emplace(model.name, std::move(*loaded)).first->second;
}

void CompareWorker::render(const QString& image, qint64 imageId, const QStringList& models) {
  const std::filesystem::path file = val_.root / image.toStdString();
  const cv::Mat bgr = cv::imread(file.string(), cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
  for (const QString& name : models) {
    const ComparedModel* model = nullptr;
    for (const ComparedModel& m : models_)
      if (qs(m.name) == name) model = &m;
    if (model == nullptr) continue;
    QString error;
    const MappedPredictor* p = bgr.empty() ? nullptr : predictor(*model, &error);
    if (bgr.empty()) error = tr("%1: cannot read the image").arg(qs(file.string()));
    cv::Mat picture;
    if (p != nullptr) {
      auto out = p->predict(bgr, imageId);
      if (out.ok())
        picture = renderPrediction(bgr, *out, val_.groundTruth.categories, val_.colours);
      else
        error = qs(out.status().message());
    }
    if (picture.empty()) {
      // The pane shows the reason instead of a picture.
      picture = cv::Mat(240, 480, CV_8UC3, cv::Scalar(245, 245, 245));
      cv::putText(picture, error.left(60).toStdString(), cv::Point(8, 120),
                  cv::FONT_HERSHEY_SIMPLEX, 0.4, cv::Scalar(40, 40, 198), 1, cv::LINE_AA);
    }
    Q_EMIT rendered(image, name, toQImage(picture));
  }
  Q_EMIT renderFinished();
}

}  // namespace distillery
