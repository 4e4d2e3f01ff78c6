// The gallery's list model over a GalleryPageProvider: it reports every row of
// the project but pages rows in only when the view asks for them (the view asks
// for visible rows only, see GalleryView), keeping a window of recent pages.
// Thumbnails come from a ThumbnailLoader; until one arrives the tile shows a
// placeholder, and the row is repainted when it lands.
#pragma once

#include <functional>
#include <memory>

#include <QAbstractListModel>
#include <QList>

#include "widgets/gallery/gallery_page_cache.h"
#include "widgets/gallery/gallery_types.h"
#include "widgets/gallery/thumbnail_loader.h"

namespace distillery {

class GalleryPageProvider;

class GalleryModel : public QAbstractListModel {
  Q_OBJECT

 public:
  enum Role {
    ImageIdRole = Qt::UserRole + 1,  // qint64
    StatusRole,                      // int (GalleryStatus)
    HumanCountRole,                  // int
    TeacherCountRole,                // int
    UncertaintyRole,                 // double, or invalid when not scored
    ImageSizeRole,                   // QSize
    ThumbnailStateRole,              // int (ThumbnailLoader::State); asks for the thumbnail
  };

  static constexpr int kDefaultPageSize = 200;
  static constexpr int kDefaultMaxPages = 12;

  explicit GalleryModel(ThumbnailLoader* thumbnails, QObject* parent = nullptr);

  void setProvider(std::shared_ptr<GalleryPageProvider> provider);
  GalleryPageProvider* provider() const { return provider_.get(); }

  void setFilter(const GalleryFilter& filter);
  GalleryFilter filter() const { return filter_; }
  void setOrder(GalleryOrder order);
  GalleryOrder order() const { return order_; }
  // Takes effect at the next reset (setProvider, setFilter, setOrder, refresh).
  void setPaging(int pageSize, int maxPages);

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

  // The row, paged in if needed; null past the end.
  const GalleryRow* rowAt(int row) const;
  int64_t imageIdAt(int row) const;
  // Row of an image: a held page first, then the provider; -1 if not listed.
  int rowOfImage(int64_t imageId) const;

  // Re-counts and drops every page (statuses or membership changed).
  void refresh();
  // These images changed status or annotation counts (not name or uncertainty:
  // a new teacher run calls refresh()). With no status filter the rows stay
  // where they are, so only the held pages with these images are re-read;
  // with a filter rows may enter or leave the list, so the model resets.
  void rowsChanged(const QList<qint64>& imageIds);

  int heldPageCount() const { return cache_.pageCount(); }
  ThumbnailLoader* thumbnails() const { return thumbnails_; }

 private:
  void onThumbnailReady(qint64 imageId);
  QString toolTip(const GalleryRow& row) const;
  void fetchPage(int page) const;
  void resetWith(const std::function<void()>& change);

  std::shared_ptr<GalleryPageProvider> provider_;
  ThumbnailLoader* thumbnails_;
  GalleryFilter filter_;
  GalleryOrder order_ = GalleryOrder::Name;
  int pageSize_ = kDefaultPageSize;
  int maxPages_ = kDefaultMaxPages;
  int64_t rowCount_ = 0;
  mutable GalleryPageCache cache_{kDefaultPageSize, kDefaultMaxPages};
};

}  // namespace distillery
