#include "widgets/tools/click_segment_tool.h"

#include <QKeyEvent>
#include <QPainter>

#include "widgets/canvas/background_task.h"
#include "widgets/canvas/image_canvas.h"
#include "widgets/canvas/mask_patch.h"

namespace distillery {
namespace {

const QColor kProposalColor(0, 200, 255);

}  // namespace

ClickSegmentTool::ClickSegmentTool(ImageCanvas* canvas)
    : AbstractTool(tr("Click to segment"), canvas) {}

void ClickSegmentTool::mousePressed(const ToolMouseEvent& event) {
  const bool negative = event.button == Qt::RightButton ||
                        (event.button == Qt::LeftButton && (event.modifiers & Qt::ShiftModifier));
  if (event.button != Qt::LeftButton && event.button != Qt::RightButton) return;
  if (canvas()->image().empty()) {
    emit message(tr("The image is still loading"));
    return;
  }
  const QSize size = canvas()->imageSize();
  if (!QRectF(QPointF(0, 0), QSizeF(size)).contains(event.imagePos)) return;
  points_.push_back(PromptPoint{event.imagePos, !negative});
  requestProposal();
}

void ClickSegmentTool::requestProposal() {
  const quint64 generation = ++generation_;
  if (points_.empty()) {
    waiting_ = false;
    setProposal(cv::Mat());
    return;
  }
  if (!provider_) {
    error_ = tr("Click-to-segment needs a teacher: load one in the Teacher panel");
    emit message(error_);
    emit proposalChanged();
    repaint();
    return;
  }
  waiting_ = true;
  const SegmentProvider provider = provider_;
  const cv::Mat image = canvas()->image();
  const std::vector<PromptPoint> points = points_;
  runInBackground<Result<cv::Mat>>(
      canvas()->workers(), this,
      [provider, image, points]() -> Result<cv::Mat> {
        try {
          return provider(image, points);
        } catch (const std::exception& e) {
          return Status::error(std::string("the segmentation provider failed: ") + e.what());
        }
      },
      [this, generation](Result<cv::Mat> result) {
        if (generation != generation_) return;  // a newer click superseded this one
        waiting_ = false;
        const QSize size = canvas()->imageSize();
        if (result.ok() && (result->cols != size.width() || result->rows != size.height())) {
          result =
              Status::error("the proposal is " + std::to_string(result->cols) + "x" +
                            std::to_string(result->rows) + ", expected the image size " +
                            std::to_string(size.width()) + "x" + std::to_string(size.height()));
        }
        if (!result.ok()) {
          error_ = QString::fromStdString(result.status().message());
          setProposal(cv::Mat());
          emit message(error_);
          return;
        }
        error_.clear();
        setProposal(*result);
      });
  repaint();
}

void ClickSegmentTool::setProposal(cv::Mat mask) {
  proposal_ = mask;
  proposalImage_ = QImage();
  proposalBounds_ = nonZeroBounds(mask);
  if (!proposalBounds_.isEmpty()) {
    const cv::Mat crop = cropMask(mask, QPoint(), proposalBounds_);
    proposalImage_ = QImage(crop.cols, crop.rows, QImage::Format_ARGB32_Premultiplied);
    proposalImage_.fill(Qt::transparent);
    const QRgb color = qPremultiply(
        qRgba(kProposalColor.red(), kProposalColor.green(), kProposalColor.blue(), 140));
    for (int y = 0; y < crop.rows; ++y) {
      const uchar* in = crop.ptr<uchar>(y);
      auto* out = reinterpret_cast<QRgb*>(proposalImage_.scanLine(y));
      for (int x = 0; x < crop.cols; ++x)
        if (in[x]) out[x] = color;
    }
  }
  repaint();
  emit proposalChanged();
}

bool ClickSegmentTool::keyPressed(QKeyEvent* event) {
  switch (event->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter: {
      if (points_.empty()) return false;  // nothing here: the canvas' accept
      if (waiting_ || proposal_.empty()) {
        emit message(waiting_ ? tr("The proposal is still being computed")
                              : tr("There is no proposal to accept"));
        return true;
      }
      const cv::Mat accepted = proposal_;
      cancel();
      emit maskCommitted(accepted);
      return true;
    }
    case Qt::Key_Escape:
      if (points_.empty()) return false;
      cancel();
      return true;
    case Qt::Key_Backspace:
      if (points_.empty()) return false;
      points_.pop_back();
      requestProposal();
      return true;
    default:
      return false;
  }
}

void ClickSegmentTool::cancel() {
  ++generation_;
  points_.clear();
  waiting_ = false;
  error_.clear();
  proposal_ = cv::Mat();
  proposalImage_ = QImage();
  proposalBounds_ = QRect();
  repaint();
}

void ClickSegmentTool::paintOverlay(QPainter& painter, const ViewTransform& view) const {
  painter.save();
  if (!proposalImage_.isNull()) {
    painter.setRenderHint(QPainter::SmoothPixmapTransform, view.scale() < 1.0);
    painter.drawImage(view.toView(QRectF(proposalBounds_)), proposalImage_);
  }
  painter.setRenderHint(QPainter::Antialiasing);
  for (const PromptPoint& p : points_) {
    const QPointF c = view.toView(p.image);
    painter.setPen(QPen(Qt::white, 1.5));
    painter.setBrush(p.positive ? QColor(40, 200, 60) : QColor(220, 40, 40));
    painter.drawEllipse(c, 5.0, 5.0);
  }
  QString status = waiting_ ? tr("Segmenting…") : error_;
  if (!status.isEmpty()) {
    const QRectF box(8, 8, painter.device()->width() - 16, 24);
    painter.setPen(waiting_ ? Qt::white : QColor(255, 150, 150));
    painter.drawText(box, Qt::AlignLeft | Qt::AlignVCenter, status);
  }
  painter.restore();
}

}  // namespace distillery
