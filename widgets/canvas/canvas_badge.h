// A small status badge in the canvas' top-right corner for background work on the
// shown image (e.g. "Embedding for SAM…" while the foundation model encodes it): a
// spinner while busy, then a short resting text or nothing. It takes no mouse events,
// so the tools work under it.
#pragma once

#include <QString>
#include <QTimer>
#include <QWidget>

namespace distillery {

class CanvasBadge : public QWidget {
  Q_OBJECT

 public:
  explicit CanvasBadge(QWidget* canvas);

  // Empty text hides the badge; `busy` spins.
  void setStatus(const QString& text, bool busy);
  const QString& text() const { return text_; }
  bool busy() const { return busy_; }
  // Keeps it in the parent's top-right corner.
  void place();

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  QString text_;
  bool busy_ = false;
  int angle_ = 0;
  QTimer spin_;
};

}  // namespace distillery
