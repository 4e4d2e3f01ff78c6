#include "app/gui/negatives_controller.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>
#include <optional>

#include "app/gui/negatives_display.h"
#include "app/gui/project_session.h"
#include "engine/api/negatives_inspection.h"
#include "engine/store/project.h"
#include "widgets/canvas/background_task.h"
#include "widgets/canvas/image_conversion.h"
#include "widgets/inspector/negatives_image_view.h"
#include "widgets/inspector/negatives_inspector.h"

namespace distillery {

// The engine session and what it was opened on; only the pool's one thread touches it.
struct NegativesWorker {
  std::optional<NegativesInspectionSession> session;
  std::string modelKey;
  std::string batchKey;
};

namespace {

const QString kChooseModel = QStringLiteral("<choose>");  // the combo's "Other model file..." item

struct BatchSpec {
  std::string model;
  bool labelsAsPredictions = false;
  std::string project;
  std::vector<int64_t> ids;
  std::string key;  // changes when the ids or their labels change
};

struct BatchLoaded {
  QVector<QImage> previews;
  QStringList names;
  std::vector<PreviewGeometry> geometry;
  double forwardMs = 0;
  QString error;
};

struct QueryDone {
  NegativesResult result;
  QString explanation;
  int negatives = 0;
  double milliseconds = 0;
  double forwardMs = 0;
  bool reloaded = false;       // the batch was re-read (labels changed) before the query
  bool previewScaled = false;  // the anchor's preview is smaller than its image
  bool skipped = false;        // a newer query came first
  QString error;
};

std::vector<PreviewGeometry> geometryOf(const NegativesInspectionSession& s) {
  std::vector<PreviewGeometry> out;
  for (const InspectionImage& img : s.images())
    out.push_back({cv::Size(img.width, img.height), img.preview.size()});
  return out;
}

// Opens the model and reads the batch unless the worker has them already.
Status ensureBatch(NegativesWorker& w, const BatchSpec& spec, bool* reloaded = nullptr) {
  const std::string modelKey = spec.model + (spec.labelsAsPredictions ? "|labels" : "");
  if (!w.session || w.modelKey != modelKey) {
    w.session.reset();
    w.batchKey.clear();
    InspectionOptions options;
    options.labelsAsPredictions = spec.labelsAsPredictions;
    auto opened = NegativesInspectionSession::open(spec.model, options);
    if (!opened.ok()) return opened.status();
    w.session.emplace(std::move(*opened));
    w.modelKey = modelKey;
  }
  if (w.batchKey == spec.key) return {};
  w.batchKey.clear();
  if (Status s = w.session->setProjectImages(spec.project, spec.ids); !s.ok()) return s;
  w.batchKey = spec.key;
  if (reloaded != nullptr) *reloaded = true;
  return {};
}

}  // namespace

NegativesController::NegativesController(QObject* parent)
    : QObject(parent),
      latestQuery_(std::make_shared<std::atomic<quint64>>(0)),
      worker_(std::make_shared<NegativesWorker>()) {
  pool_.setMaxThreadCount(1);
  // In a scroll area, so the dock's minimum height stays small beside the log.
  auto* scroll = new QScrollArea;
  scroll->setObjectName("negativesPanel");
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->installEventFilter(this);
  widget_ = scroll;
  auto* panel = new QWidget;
  scroll->setWidget(panel);
  auto* layout = new QVBoxLayout(panel);

  auto* controls = new QHBoxLayout;
  controls->addWidget(new QLabel(tr("Model"), panel));
  model_ = new QComboBox(panel);
  model_->setObjectName("negativesModel");
  model_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  model_->setToolTip(
      tr("The model whose predictions pick the negatives (a Distillery model: "
         "FILE.pt with its FILE.ckpt)"));
  controls->addWidget(model_);
  labelsAsPredictions_ = new QCheckBox(tr("Labels as predictions"), panel);
  labelsAsPredictions_->setObjectName("negativesLabelsAsPredictions");
  labelsAsPredictions_->setToolTip(
      tr("Sample from the labels instead of the model's predictions: what the loss does with a "
         "perfect, fully confident model (unlabelled pixels count as background)"));
  controls->addWidget(labelsAsPredictions_);
  controls->addSpacing(12);
  controls->addWidget(new QLabel(tr("R"), panel));
  negatives_ = new QSpinBox(panel);
  negatives_->setObjectName("negativesCount");
  negatives_->setRange(1, 5000);
  negatives_->setValue(200);
  negatives_->setToolTip(tr("Negatives drawn per anchor (the paper uses R = 200)"));
  controls->addWidget(negatives_);
  ownImage_ = new QCheckBox(tr("Anchor's image too"), panel);
  ownImage_->setObjectName("negativesOwnImage");
  ownImage_->setToolTip(
      tr("Also take candidates from the anchor's own image. Training does this only for "
         "batches of one image; it shows how the anchor's own instance is suppressed"));
  controls->addWidget(ownImage_);
  drawAgain_ = new QPushButton(tr("Draw again"), panel);
  drawAgain_->setObjectName("negativesDrawAgain");
  drawAgain_->setToolTip(tr("A new Gumbel draw for the same anchor (another seed)"));
  controls->addWidget(drawAgain_);
  controls->addStretch(1);
  layout->addLayout(controls);

  inspector_ = new NegativesInspector(panel);
  layout->addWidget(inspector_, 1);
  // One explanation: the widget's generic one until a query answers, then the engine's,
  // which also says what this anchor's result holds (candidates, own instance, draw).
  if (auto* generic = inspector_->findChild<QLabel*>("inspectorExplanation")) generic->hide();
  details_ = new QLabel(NegativesInspector::explanation(inspector_->mode()), panel);
  details_->setObjectName("negativesDetails");
  details_->setWordWrap(true);
  details_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(details_);
  status_ = new QLabel(panel);
  status_->setObjectName("negativesStatus");
  status_->setWordWrap(true);
  status_->setEnabled(false);  // greyed: timing and model, secondary to the result
  layout->addWidget(status_);
  connect(inspector_, &NegativesInspector::modeChanged, this, [this](const QString& mode) {
    details_->setText(NegativesInspector::explanation(mode));
  });

  connect(inspector_, &NegativesInspector::anchorChosen, this,
          [this](int image, int x, int y, const QString& mode) {
            anchorImage_ = image;
            anchorPreview_ = QPoint(x, y);
            runQuery(image, anchorPreview_, mode);
          });
  connect(negatives_, qOverload<int>(&QSpinBox::valueChanged), this, [this] { requery(); });
  connect(ownImage_, &QCheckBox::toggled, this, [this] { requery(); });
  connect(drawAgain_, &QPushButton::clicked, this, [this] {
    ++seed_;
    requery();
  });
  auto batchChanged = [this] {
    batchStale_ = true;
    loadBatchIfShown();
  };
  connect(model_, qOverload<int>(&QComboBox::currentIndexChanged), this,
          [this, batchChanged](int i) {
            if (model_->itemData(i).toString() != kChooseModel) batchChanged();
          });
  connect(model_, qOverload<int>(&QComboBox::activated), this, [this](int i) {
    if (model_->itemData(i).toString() == kChooseModel) chooseModelFile();
  });
  connect(labelsAsPredictions_, &QCheckBox::toggled, this, batchChanged);
  refreshModels();
}

NegativesController::~NegativesController() {
  latestQuery_->fetch_add(1);  // queued queries skip their work
  pool_.waitForDone();
  if (widget_ && !widget_->parent()) delete widget_;  // a dock that took it deletes it itself
}

// ---- the project and its models -------------------------------------------------------

void NegativesController::setSession(ProjectSession* session) {
  if (session_) disconnect(session_, nullptr, this, nullptr);
  session_ = session;
  currentImage_ = -1;
  batchIds_.clear();
  previews_.clear();
  anchorImage_ = -1;
  ++batchGeneration_;
  latestQuery_->fetch_add(1);
  inspector_->setBatch({});
  details_->setText(NegativesInspector::explanation(inspector_->mode()));
  auto worker = worker_;
  runInBackground<int>(
      pool_, this,
      [worker] {
        *worker = NegativesWorker();  // let go of the model and the batch
        return 0;
      },
      [](int) {});
  if (session_) {
    connect(session_, &ProjectSession::teacherModelChanged, this, [this] { refreshModels(); });
    connect(session_, &ProjectSession::annotationsChanged, this,
            [this](qint64 imageId, const QList<qint64>&) {
              if (batchIds_.contains(imageId))
                ++labelsVersion_;  // the next query re-reads the labels
            });
  }
  refreshModels();
}

void NegativesController::refreshModels() {
  const QString previous = model_->currentData().toString();
  const QSignalBlocker block(model_);
  model_->clear();
  if (session_) {
    const QString teacher = session_->teacherModel();
    if (!teacher.isEmpty())
      model_->addItem(tr("Teacher: %1").arg(QFileInfo(teacher).fileName()), teacher);
    // The latest run that left a student (runs are listed oldest first).
    if (auto runs = session_->project().runs().list(); runs.ok()) {
      for (auto run = runs->rbegin(); run != runs->rend(); ++run) {
        auto checkpoints = session_->project().runs().checkpoints(run->id);
        if (!checkpoints.ok()) continue;
        QString student;
        for (const CheckpointRecord& c : *checkpoints)
          if (c.stage == "student")
            student = QDir(session_->dir()).absoluteFilePath(QString::fromStdString(c.file));
        if (student.isEmpty()) continue;
        model_->addItem(tr("Student of run %1: %2").arg(run->id).arg(QFileInfo(student).fileName()),
                        student);
        break;
      }
    }
  }
  for (const QString& file : chosenModels_)
    if (model_->findData(file) < 0)
      model_->addItem(tr("File: %1").arg(QFileInfo(file).fileName()), file);
  if (model_->count() == 0) model_->addItem(tr("No model yet"), QString());
  model_->addItem(tr("Other model file..."), kChooseModel);
  const int keep = model_->findData(previous);
  model_->setCurrentIndex(keep >= 0 && previous != kChooseModel ? keep : 0);
  if (model_->currentData().toString() != previous) {
    batchStale_ = true;
    loadBatchIfShown();
  }
}

void NegativesController::chooseModelFile() {
  const QString dir = session_ ? session_->dir() + "/models" : QString();
  const QString file = QFileDialog::getOpenFileName(
      widget_, tr("Model for the negatives inspector"), dir, tr("Distillery models (*.pt *.ckpt)"));
  if (!file.isEmpty() && !chosenModels_.contains(file)) chosenModels_ << file;
  const QSignalBlocker block(model_);
  const QString keep = file.isEmpty() ? modelFile() : file;
  refreshModels();
  model_->setCurrentIndex(std::max(0, model_->findData(keep)));
  batchStale_ = true;
  loadBatchIfShown();
}

QString NegativesController::modelFile() const {
  const QString file = model_->currentData().toString();
  return file == kChooseModel ? QString() : file;
}

QString NegativesController::statusText() const {
  return status_->text();
}

void NegativesController::setStatus(const QString& text) {
  status_->setText(text);
}

// ---- the batch ---------------------------------------------------------------------------

void NegativesController::showImage(qint64 imageId) {
  if (imageId == currentImage_) return;
  currentImage_ = imageId;
  batchStale_ = true;
  loadBatchIfShown();
}

bool NegativesController::eventFilter(QObject* watched, QEvent* event) {
  if (watched == widget_ && event->type() == QEvent::Show) {
    refreshModels();  // a run may have left a student since
    loadBatchIfShown();
  }
  return QObject::eventFilter(watched, event);
}

void NegativesController::loadBatchIfShown() {
  if (batchStale_ && widget_->isVisible()) loadBatch();
}

QVector<qint64> NegativesController::pickBatch(qint64 current) const {
  // The current image, then the next ones in id order (wrapping round).
  QVector<qint64> ids{current};
  GalleryQuery q;
  q.sort = GallerySort::Id;
  auto at = session_->project().images().indexOf(q, current);
  q.offset = at.ok() && *at >= 0 ? *at + 1 : 0;
  q.limit = batchSize_;
  for (int pass = 0; pass < 2 && ids.size() < batchSize_; ++pass) {
    if (auto page = session_->project().images().page(q); page.ok())
      for (const ImageEntry& e : *page)
        if (ids.size() < batchSize_ && !ids.contains(e.id)) ids << e.id;
    q.offset = 0;
  }
  return ids;
}

void NegativesController::loadBatch() {
  batchStale_ = false;
  ++batchGeneration_;
  latestQuery_->fetch_add(1);
  batchIds_.clear();
  previews_.clear();
  anchorImage_ = -1;
  details_->setText(NegativesInspector::explanation(inspector_->mode()));
  inspector_->setBatch({});
  if (!session_ || currentImage_ < 0) {
    setStatus(tr("Open an image: the batch is the current image and the next %1 of the project.")
                  .arg(batchSize_ - 1));
    return;
  }
  if (modelFile().isEmpty()) {
    setStatus(
        tr("No model: choose a teacher in the Teacher panel, or train a student in the "
           "Pipeline dock. The inspector samples negatives from a model's predictions."));
    return;
  }
  BatchSpec spec;
  spec.model = modelFile().toStdString();
  spec.labelsAsPredictions = labelsAsPredictions_->isChecked();
  spec.project = session_->dir().toStdString();
  const QVector<qint64> ids = pickBatch(currentImage_);
  for (qint64 id : ids) spec.ids.push_back(id);
  spec.key = spec.project + "|" + std::to_string(labelsVersion_);
  for (int64_t id : spec.ids) spec.key += "|" + std::to_string(id);
  setStatus(
      tr("Running %1 on %2 images...").arg(QFileInfo(modelFile()).fileName()).arg(ids.size()));
  const quint64 generation = batchGeneration_;
  auto worker = worker_;
  runInBackground<BatchLoaded>(
      pool_, this,
      [worker, spec] {
        BatchLoaded out;
        if (Status s = ensureBatch(*worker, spec); !s.ok()) {
          out.error = QString::fromStdString(s.message());
          return out;
        }
        for (const InspectionImage& img : worker->session->images()) {
          out.previews << toQImage(img.preview);
          out.names << QString::fromStdString(img.name);
        }
        out.geometry = geometryOf(*worker->session);
        out.forwardMs = worker->session->forwardMilliseconds();
        return out;
      },
      [this, generation, ids](BatchLoaded loaded) {
        if (generation != batchGeneration_) return;  // another image or model meanwhile
        if (!loaded.error.isEmpty()) {
          setStatus(tr("The inspector cannot run: %1").arg(loaded.error));
          if (loaded.error != lastError_)
            Q_EMIT errorOccurred(loaded.error);  // once, not per image
          lastError_ = loaded.error;
          return;
        }
        lastError_.clear();
        batchIds_ = ids;
        previews_ = loaded.geometry;
        if (!loaded.names.isEmpty()) loaded.names[0] = tr("%1 (current)").arg(loaded.names[0]);
        inspector_->setBatch(loaded.previews, loaded.names);
        setStatus(
            tr("%1 ran on %2 images in %3 ms. Click a pixel on any image to see its negatives.")
                .arg(QFileInfo(modelFile()).fileName())
                .arg(loaded.previews.size())
                .arg(loaded.forwardMs, 0, 'f', 0));
        Q_EMIT batchShown(loaded.previews.size());
      });
}

// ---- queries -------------------------------------------------------------------------------

void NegativesController::inspect(int image, int x, int y) {
  if (image < 0 || image >= static_cast<int>(previews_.size()) || !inspector_->imageView(image))
    return;
  const cv::Point p = previews_[static_cast<size_t>(image)].toPreview(x, y);
  Q_EMIT inspector_->imageView(image)->pixelClicked(QPoint(p.x, p.y));  // as a click there
}

void NegativesController::requery() {
  if (anchorImage_ >= 0) runQuery(anchorImage_, anchorPreview_, inspector_->mode());
}

void NegativesController::runQuery(int image, QPoint previewPixel, const QString& mode) {
  if (!session_ || image < 0 || image >= static_cast<int>(previews_.size())) return;
  const cv::Point pixel =
      previews_[static_cast<size_t>(image)].toImage(previewPixel.x(), previewPixel.y());
  NegativesQuery q;
  q.image = image;
  q.x = pixel.x;
  q.y = pixel.y;
  q.sampling = mode.toStdString();
  q.negatives = negatives_->value();
  q.seed = seed_;
  q.includeAnchorImage = ownImage_->isChecked();
  BatchSpec spec;
  spec.model = modelFile().toStdString();
  spec.labelsAsPredictions = labelsAsPredictions_->isChecked();
  spec.project = session_->dir().toStdString();
  for (qint64 id : batchIds_) spec.ids.push_back(id);
  spec.key = spec.project + "|" + std::to_string(labelsVersion_);
  for (int64_t id : spec.ids) spec.key += "|" + std::to_string(id);

  const quint64 id = latestQuery_->fetch_add(1) + 1;
  auto latest = latestQuery_;
  auto worker = worker_;
  runInBackground<QueryDone>(
      pool_, this,
      [worker, spec, q, id, latest] {
        QueryDone out;
        if (latest->load() != id) {  // the user moved on before this one started
          out.skipped = true;
          return out;
        }
        if (Status s = ensureBatch(*worker, spec, &out.reloaded); !s.ok()) {
          out.error = QString::fromStdString(s.message());
          return out;
        }
        auto r = worker->session->query(q);
        if (!r.ok()) {
          out.error = QString::fromStdString(r.status().message());
          return out;
        }
        const auto geometry = geometryOf(*worker->session);
        out.result = toNegativesResult(*r, geometry);
        out.previewScaled = geometry[static_cast<size_t>(q.image)].preview !=
                            geometry[static_cast<size_t>(q.image)].image;
        out.explanation = QString::fromStdString(r->explanation);
        out.negatives = static_cast<int>(r->negatives.size());
        out.milliseconds = r->milliseconds;
        out.forwardMs = worker->session->forwardMilliseconds();
        return out;
      },
      [this, id, q](QueryDone done) {
        if (done.skipped || id != latestQuery_->load()) return;
        if (!done.error.isEmpty()) {
          setStatus(tr("The query failed: %1").arg(done.error));
          Q_EMIT message(tr("Negatives inspector: %1").arg(done.error));
          return;
        }
        inspector_->setResult(done.result);
        details_->setText(done.explanation);
        // The inspector names the anchor in preview pixels; say the image pixel when they differ.
        QString text =
            tr("%1 negatives drawn in %2 ms").arg(done.negatives).arg(done.milliseconds, 0, 'f', 1);
        if (done.previewScaled)
          text = tr("Anchor at image pixel (%1, %2): ").arg(q.x).arg(q.y) + text;
        text += done.reloaded ? tr(" (labels changed: the batch was re-read, forward %1 ms).")
                                    .arg(done.forwardMs, 0, 'f', 0)
                              : tr(" (the model's forward pass is cached for this batch).");
        setStatus(text);
        Q_EMIT resultShown(done.negatives, done.milliseconds);
      });
}

}  // namespace distillery
