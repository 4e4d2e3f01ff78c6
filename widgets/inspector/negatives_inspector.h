// The contrastive-negatives inspector (WORKBENCH.md flow 5): click a pixel on one of
// the batch images to make it the anchor; the app answers with the negative-sampling
// weight of every candidate pixel (heat overlay and colour bar), the R negatives
// drawn (dots) and the anchor's own instance (outline). Changing the sampling mode
// re-requests the same anchor.
#pragma once

#include <QImage>
#include <QString>
#include <QVector>
#include <QWidget>
#include <optional>

#include "widgets/inspector/negatives_result.h"

class QComboBox;
class QGridLayout;
class QLabel;

namespace distillery {

class ColourBar;
class NegativesImageView;

class NegativesInspector : public QWidget {
  Q_OBJECT

 public:
  explicit NegativesInspector(QWidget* parent = nullptr);

  // The current batch (a few thumbnails); clears the anchor and the result.
  void setBatch(const QVector<QImage>& images, const QStringList& names = {});
  void setResult(const NegativesResult& result);
  void setMode(const QString& mode);  // emits like a user choice
  QString mode() const;

  // The explanation shown for a sampling mode.
  static QString explanation(const QString& mode);

  int imageCount() const { return static_cast<int>(views_.size()); }
  NegativesImageView* imageView(int i) const { return views_.value(i); }
  int markerCount() const;                       // negatives drawn over all images
  int droppedCount() const { return dropped_; }  // negatives outside the batch or image
  QString statusText() const;
  ColourBar* colourBar() const { return bar_; }

 Q_SIGNALS:
  // The user chose an anchor (image pixel) or changed the mode with an anchor set.
  void anchorChosen(int image, int x, int y, const QString& mode);
  void modeChanged(const QString& mode);

 private:
  void chooseAnchor(int image, const QPoint& pixel);
  void showStatus();

  QComboBox* modeBox_ = nullptr;
  QLabel* explanation_ = nullptr;
  QLabel* status_ = nullptr;
  QGridLayout* grid_ = nullptr;
  ColourBar* bar_ = nullptr;
  QVector<NegativesImageView*> views_;
  int anchorImage_ = -1;
  QPoint anchor_;
  bool waiting_ = false;
  int dropped_ = 0;
};

}  // namespace distillery
