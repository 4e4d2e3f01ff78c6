// One image of the batch in the negatives inspector: the photo scaled to fit (aspect
// kept, centred), the heat overlay stretched over it, the sampled negatives as dots,
// the anchor as a cross and its own instance outlined. A left click reports the image
// pixel under the cursor; widgetToImage / imageToWidget are that mapping.
#pragma once

#include <QImage>
#include <QPolygonF>
#include <QVector>
#include <QWidget>
#include <optional>

namespace distillery {

class NegativesImageView : public QWidget {
  Q_OBJECT

 public:
  explicit NegativesImageView(QWidget* parent = nullptr);

  void setImage(const QImage& image);
  const QImage& image() const { return image_; }
  void setCaption(const QString& caption);
  void setHeat(const QImage& heat);  // any size, stretched over the image
  bool hasHeat() const { return !heat_.isNull(); }
  // Markers, anchor and outline in image pixel coordinates (pixel centres at +0.5).
  void setMarkers(const QVector<QPointF>& pixels);
  int markerCount() const { return static_cast<int>(markers_.size()); }
  void setAnchor(std::optional<QPointF> pixel);
  std::optional<QPointF> anchor() const { return anchor_; }
  void setOutline(const QVector<QPolygonF>& polygons);
  int outlineCount() const { return static_cast<int>(outline_.size()); }
  void clearOverlays();

  // Where the image is drawn, in widget coordinates.
  QRectF displayRect() const;
  double displayScale() const;
  // The image pixel under a widget point, or nothing outside the image.
  std::optional<QPoint> widgetToImage(const QPointF& widgetPos) const;
  // The widget point of an image coordinate (pass x + 0.5 for a pixel's centre).
  QPointF imageToWidget(const QPointF& imagePos) const;

  QSize sizeHint() const override { return {240, 180}; }
  QSize minimumSizeHint() const override { return {120, 90}; }

 Q_SIGNALS:
  void pixelClicked(const QPoint& pixel);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;

 private:
  QImage image_;
  QImage heat_;
  QString caption_;
  QVector<QPointF> markers_;
  QVector<QPolygonF> outline_;
  std::optional<QPointF> anchor_;
};

}  // namespace distillery
