// The gallery dock: every image of the project as a thumbnail tile, with a
// status filter (live counts per status) and an order (name, or most uncertain
// first). Rows and thumbnails come from the app through the provider
// interfaces (gallery_providers.h); see docs/gallery.md.
#pragma once

#include <memory>
#include <optional>

#include <QList>
#include <QWidget>

#include "widgets/gallery/gallery_types.h"

class QComboBox;
class QLabel;
class QListView;

namespace distillery {

class GalleryDelegate;
class GalleryModel;
class GalleryPageProvider;
class ThumbnailLoader;
class ThumbnailProvider;

class GalleryPanel : public QWidget {
  Q_OBJECT

 public:
  explicit GalleryPanel(QWidget* parent = nullptr);
  ~GalleryPanel() override;

  void setProviders(std::shared_ptr<GalleryPageProvider> pages,
                    std::shared_ptr<ThumbnailProvider> thumbnails);
  void setThumbnailSize(int pixels);

  GalleryModel* model() const { return model_; }
  QListView* view() const { return view_; }
  ThumbnailLoader* thumbnails() const { return thumbnails_; }
  // The counts the filter box shows (as last read from the provider).
  GalleryCounts counts() const { return counts_; }

  // The current image id, or -1.
  qint64 currentImageId() const;
  // Makes the image current and scrolls to it; false if the list does not hold it.
  bool setCurrentImage(qint64 imageId);

 public Q_SLOTS:
  void selectNext();
  void selectPrevious();
  void setStatusFilter(std::optional<distillery::GalleryStatus> status);
  void setOrder(distillery::GalleryOrder order);
  // Re-reads counts and rows (after an import, a teacher run, an undo).
  void refresh();
  // These images changed status or counts: badges and filter counts update.
  void rowsChanged(const QList<qint64>& imageIds);

 Q_SIGNALS:
  // -1 when the list is empty.
  void currentImageChanged(qint64 imageId);

 private:
  void buildUi();
  void updateCounts();
  void selectRow(int row);
  void rememberCurrent();
  void restoreCurrent();
  void emitCurrentIfChanged();

  GalleryModel* model_ = nullptr;
  ThumbnailLoader* thumbnails_ = nullptr;
  GalleryDelegate* delegate_ = nullptr;
  QListView* view_ = nullptr;
  QComboBox* filterBox_ = nullptr;
  QComboBox* orderBox_ = nullptr;
  QLabel* summary_ = nullptr;
  GalleryCounts counts_;
  qint64 keptImage_ = -1;  // current image across a model reset
  int keptRow_ = -1;
  bool newProject_ = false;
  qint64 emittedImage_ = -1;
};

}  // namespace distillery
