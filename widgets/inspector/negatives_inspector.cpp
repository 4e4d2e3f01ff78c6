#include "widgets/inspector/negatives_inspector.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <opencv2/imgproc.hpp>

#include "widgets/inspector/colour_bar.h"
#include "widgets/inspector/heatmap.h"
#include "widgets/inspector/negatives_image_view.h"
#include "widgets/pipeline/pipeline_config.h"

namespace distillery {
namespace {

constexpr int kColumns = 4;

// Contours of a mask of any size, scaled to image pixels.
QVector<QPolygonF> maskOutline(const cv::Mat& mask, const QSize& imageSize) {
  QVector<QPolygonF> out;
  if (mask.empty() || imageSize.isEmpty()) return out;
  cv::Mat binary;
  mask.convertTo(binary, CV_8U);
  binary = binary > 0;
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(binary, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  const double sx = imageSize.width() / static_cast<double>(mask.cols);
  const double sy = imageSize.height() / static_cast<double>(mask.rows);
  for (const auto& c : contours) {
    QPolygonF poly;
    for (const cv::Point& p : c) poly << QPointF((p.x + 0.5) * sx, (p.y + 0.5) * sy);
    out << poly;
  }
  return out;
}

}  // namespace

QString NegativesInspector::explanation(const QString& mode) {
  const QString common =
      tr("The heat shows which pixels the contrastive loss L_pxl would push away from the "
         "anchor (+), and how strongly; candidates are pixels of the other images in the "
         "batch. The R dots are the negatives actually drawn: R pixels without replacement "
         "by Gumbel top-k on log w. The yellow outline is the anchor's own instance.");
  if (mode == "mask-only")
    return tr("Mask-only: w = 1 - <P_m[a], P_m[n]> compares which queries claim the two "
              "pixels; a pixel of another instance weighs 1 even if it shows the same class. ") +
           common;
  if (mode == "class-only")
    return tr("Class-only: w = 1 - <P_c[a], P_c[n]> compares the class distributions of "
              "the pixels' dominant queries; other instances of the anchor's class weigh "
              "near 0. ") +
           common;
  if (mode == "uniform")
    return tr("Uniform: every candidate weighs the same, so negatives are drawn at random "
              "(the paper's weakest ablation). ") +
           common;
  return tr("Fused (the paper): w = max(0, 1 - <F_c[a], F_c[n]>), where F_c[p] = "
            "sum_k P_m[k,p] P_c[k] is a per-pixel class distribution fusing every query's "
            "mask and class probabilities. Pixels of other classes weigh near 1, pixels "
            "like the anchor near 0. ") +
         common;
}

NegativesInspector::NegativesInspector(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* top = new QHBoxLayout;
  top->addWidget(new QLabel(tr("Negative sampling"), this));
  modeBox_ = new QComboBox(this);
  modeBox_->setObjectName("negativeSampling");
  modeBox_->addItems(negativeSamplingNames());
  top->addWidget(modeBox_);
  top->addStretch(1);
  layout->addLayout(top);

  auto* middle = new QHBoxLayout;
  grid_ = new QGridLayout;
  grid_->setSpacing(4);
  middle->addLayout(grid_, 1);
  bar_ = new ColourBar(this);
  bar_->setTitle(tr("weight"));
  middle->addWidget(bar_);
  layout->addLayout(middle, 1);

  status_ = new QLabel(this);
  status_->setObjectName("inspectorStatus");
  layout->addWidget(status_);
  explanation_ = new QLabel(explanation("fused"), this);
  explanation_->setObjectName("inspectorExplanation");
  explanation_->setWordWrap(true);
  layout->addWidget(explanation_);

  connect(modeBox_, &QComboBox::currentTextChanged, this, [this](const QString& m) {
    explanation_->setText(explanation(m));
    Q_EMIT modeChanged(m);
    if (anchorImage_ >= 0) chooseAnchor(anchorImage_, anchor_);  // same anchor, new mode
  });
  showStatus();
}

void NegativesInspector::setBatch(const QVector<QImage>& images, const QStringList& names) {
  qDeleteAll(views_);
  views_.clear();
  anchorImage_ = -1;
  waiting_ = false;
  dropped_ = 0;
  bar_->setRange(0);
  for (int i = 0; i < images.size(); ++i) {
    auto* view = new NegativesImageView(this);
    view->setObjectName(QString("negativesView%1").arg(i));
    view->setImage(images[i]);
    view->setCaption(i < names.size() ? names[i] : QString::number(i + 1));
    grid_->addWidget(view, i / kColumns, i % kColumns);
    connect(view, &NegativesImageView::pixelClicked, this,
            [this, i](const QPoint& pixel) { chooseAnchor(i, pixel); });
    views_ << view;
  }
  showStatus();
}

QString NegativesInspector::mode() const {
  return modeBox_->currentText();
}

void NegativesInspector::setMode(const QString& mode) {
  modeBox_->setCurrentText(mode);
}

void NegativesInspector::chooseAnchor(int image, const QPoint& pixel) {
  anchorImage_ = image;
  anchor_ = pixel;
  waiting_ = true;
  dropped_ = 0;
  bar_->setRange(0);
  for (int i = 0; i < views_.size(); ++i) {
    views_[i]->clearOverlays();  // the old result belongs to another anchor
    if (i == image) views_[i]->setAnchor(QPointF(pixel) + QPointF(0.5, 0.5));
  }
  showStatus();
  Q_EMIT anchorChosen(image, pixel.x(), pixel.y(), mode());
}

void NegativesInspector::setResult(const NegativesResult& r) {
  waiting_ = false;
  dropped_ = 0;
  const bool anchorGiven = r.anchorImage >= 0 && r.anchorImage < views_.size() && r.anchor.x() >= 0;
  if (anchorGiven) {
    anchorImage_ = r.anchorImage;
    anchor_ = r.anchor;
  }
  const double maxW = maxWeight(r.weights);
  bar_->setRange(maxW);
  QVector<QVector<QPointF>> markers(views_.size());
  for (const NegativeSample& n : r.negatives) {
    const bool inBatch = n.image >= 0 && n.image < views_.size();
    if (!inBatch || !views_[n.image]->image().rect().contains(n.x, n.y)) {
      ++dropped_;  // reported in the status line, never silently lost
      continue;
    }
    markers[n.image] << QPointF(n.x + 0.5, n.y + 0.5);
  }
  for (int i = 0; i < views_.size(); ++i) {
    NegativesImageView* v = views_[i];
    const bool hasMap = i < static_cast<int>(r.weights.size()) && !r.weights[i].empty();
    v->setHeat(hasMap && maxW > 0 ? heatmapImage(r.weights[i], maxW) : QImage());
    v->setMarkers(markers[i]);
    QVector<QPolygonF> outline;
    if (i == r.anchorImage) {
      outline = r.ownInstance;
      outline += maskOutline(r.ownInstanceMask, v->image().size());
    }
    v->setOutline(outline);
    v->setAnchor(i == anchorImage_ ? std::optional<QPointF>(QPointF(anchor_) + QPointF(0.5, 0.5))
                                   : std::nullopt);
  }
  if (!r.mode.isEmpty() && r.mode != mode()) {
    const QSignalBlocker block(modeBox_);  // show what the result was computed with
    modeBox_->setCurrentText(r.mode);
    explanation_->setText(explanation(r.mode));
  }
  showStatus();
}

int NegativesInspector::markerCount() const {
  int n = 0;
  for (const NegativesImageView* v : views_) n += v->markerCount();
  return n;
}

QString NegativesInspector::statusText() const {
  return status_->text();
}

void NegativesInspector::showStatus() {
  QString text;
  if (views_.isEmpty()) {
    text = tr("No batch yet: the app shows the images of a training batch here.");
  } else if (anchorImage_ < 0) {
    text = tr("Click a pixel on any image to choose an anchor.");
  } else {
    text =
        tr("Anchor (%1, %2) on image %3").arg(anchor_.x()).arg(anchor_.y()).arg(anchorImage_ + 1);
    text += waiting_ ? tr(": computing the negatives...")
                     : tr(": %1 negatives drawn").arg(markerCount());
    if (dropped_ > 0) text += tr(" (%1 outside the batch images, not shown)").arg(dropped_);
  }
  status_->setText(text);
}

}  // namespace distillery
