// Click-to-segment (S): left click adds a positive point, right click or Shift+click a
// negative one. After each click the provider (set by the app, usually the teacher) is
// asked on a worker thread for the best mask for all points; the proposal is shown and
// Enter accepts it as a new instance (maskCommitted). Backspace removes the last point,
// Esc drops them all. Provider errors ("No teacher loaded: ...") are shown and emitted.
#pragma once

#include <QImage>
#include <QRect>
#include <vector>

#include "widgets/tools/abstract_tool.h"
#include "widgets/tools/segment_provider.h"

namespace distillery {

class ClickSegmentTool : public AbstractTool {
  Q_OBJECT

 public:
  explicit ClickSegmentTool(ImageCanvas* canvas);

  void setProvider(SegmentProvider provider) { provider_ = std::move(provider); }
  const std::vector<PromptPoint>& points() const { return points_; }
  // The current proposal (CV_8U image-sized), empty when there is none.
  const cv::Mat& proposal() const { return proposal_; }
  const QString& lastError() const { return error_; }
  bool isWaiting() const { return waiting_; }

  void mousePressed(const ToolMouseEvent& event) override;
  bool keyPressed(QKeyEvent* event) override;
  void paintOverlay(QPainter& painter, const ViewTransform& view) const override;
  bool isBusy() const override { return !points_.empty(); }
  void cancel() override;
  QCursor cursor() const override { return QCursor(Qt::PointingHandCursor); }

 Q_SIGNALS:
  void maskCommitted(const cv::Mat& mask);
  // A new proposal (or an error) arrived.
  void proposalChanged();

 private:
  void requestProposal();
  void setProposal(cv::Mat mask);

  SegmentProvider provider_;
  std::vector<PromptPoint> points_;
  cv::Mat proposal_;
  QImage proposalImage_;  // coloured crop of the proposal
  QRect proposalBounds_;
  QString error_;
  bool waiting_ = false;
  quint64 generation_ = 0;
};

}  // namespace distillery
