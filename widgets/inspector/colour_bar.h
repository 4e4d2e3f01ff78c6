// A vertical colour bar for the heat overlay: 0 at the bottom, the largest weight on
// top, with both values written beside it.
#pragma once

#include <QImage>
#include <QString>
#include <QWidget>

namespace distillery {

class ColourBar : public QWidget {
  Q_OBJECT

 public:
  explicit ColourBar(QWidget* parent = nullptr);

  void setRange(double maxValue);
  double maxValue() const { return max_; }
  void setTitle(const QString& title);

  QSize sizeHint() const override { return {64, 160}; }
  QSize minimumSizeHint() const override { return {56, 80}; }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  QImage ramp_;
  double max_ = 0;
  QString title_;
};

}  // namespace distillery
