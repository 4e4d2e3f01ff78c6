#include "widgets/gallery/gallery_model.h"

#include <algorithm>
#include <climits>
#include <set>

#include <QCoreApplication>
#include <QLocale>
#include <QSize>

#include "widgets/gallery/gallery_providers.h"

namespace distillery {

GalleryModel::GalleryModel(ThumbnailLoader* thumbnails, QObject* parent)
    : QAbstractListModel(parent), thumbnails_(thumbnails) {
  if (thumbnails_)
    connect(thumbnails_, &ThumbnailLoader::thumbnailReady, this, &GalleryModel::onThumbnailReady);
}

void GalleryModel::resetWith(const std::function<void()>& change) {
  beginResetModel();
  if (change) change();
  cache_ = GalleryPageCache(pageSize_, maxPages_);
  rowCount_ = provider_ ? std::max<int64_t>(0, provider_->count(filter_)) : 0;
  endResetModel();
}

void GalleryModel::setProvider(std::shared_ptr<GalleryPageProvider> provider) {
  resetWith([&] { provider_ = std::move(provider); });
}

void GalleryModel::setFilter(const GalleryFilter& filter) {
  if (filter == filter_) return;
  resetWith([&] { filter_ = filter; });
}

void GalleryModel::setOrder(GalleryOrder order) {
  if (order == order_) return;
  resetWith([&] { order_ = order; });
}

void GalleryModel::setPaging(int pageSize, int maxPages) {
  pageSize_ = std::max(1, pageSize);
  maxPages_ = std::max(1, maxPages);
}

void GalleryModel::refresh() {
  resetWith({});
}

void GalleryModel::rowsChanged(const QList<qint64>& imageIds) {
  if (!provider_) return;
  if (filter_.status) {
    refresh();
    return;
  }
  std::set<int> pages;
  for (qint64 id : imageIds) {
    const int64_t row = cache_.rowOf(id);
    if (row >= 0) pages.insert(cache_.pageOf(row));
  }
  for (int page : pages) {
    fetchPage(page);
    const int first = page * cache_.pageSize();
    const int last = std::min(rowCount(), first + cache_.pageSize()) - 1;
    if (last >= first) emit dataChanged(index(first), index(last));
  }
}

int GalleryModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid()) return 0;
  return static_cast<int>(std::min<int64_t>(rowCount_, INT_MAX));
}

void GalleryModel::fetchPage(int page) const {
  const int64_t offset = static_cast<int64_t>(page) * cache_.pageSize();
  cache_.insert(page, provider_->page(filter_, order_, offset, cache_.pageSize()));
}

const GalleryRow* GalleryModel::rowAt(int row) const {
  if (!provider_ || row < 0 || row >= rowCount()) return nullptr;
  if (const GalleryRow* r = cache_.find(row)) return r;
  const int page = cache_.pageOf(row);
  if (cache_.hasPage(page)) return nullptr;  // the provider returned a short page
  fetchPage(page);
  return cache_.find(row);
}

int64_t GalleryModel::imageIdAt(int row) const {
  const GalleryRow* r = rowAt(row);
  return r ? r->imageId : -1;
}

int GalleryModel::rowOfImage(int64_t imageId) const {
  int64_t row = cache_.rowOf(imageId);
  if (row < 0 && provider_) row = provider_->indexOf(filter_, order_, imageId);
  return row >= 0 && row < rowCount() ? static_cast<int>(row) : -1;
}

QVariant GalleryModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  const GalleryRow* r = rowAt(index.row());
  if (!r) return {};
  switch (role) {
    case Qt::DisplayRole:
      return r->fileName;
    case Qt::ToolTipRole:
      return toolTip(*r);
    case ImageIdRole:
      return QVariant::fromValue<qint64>(r->imageId);
    case StatusRole:
      return static_cast<int>(r->status);
    case HumanCountRole:
      return r->humanCount;
    case TeacherCountRole:
      return r->teacherCount;
    case UncertaintyRole:
      return r->uncertainty ? QVariant(*r->uncertainty) : QVariant();
    case ImageSizeRole:
      return QSize(r->width, r->height);
    case Qt::DecorationRole: {
      if (!thumbnails_) return {};
      if (const QPixmap* p = thumbnails_->pixmap(r->imageId)) return *p;
      thumbnails_->request(r->imageId);
      return {};
    }
    case ThumbnailStateRole:
      return thumbnails_ ? static_cast<int>(thumbnails_->state(r->imageId))
                         : static_cast<int>(ThumbnailLoader::State::Missing);
    default:
      return {};
  }
}

QString GalleryModel::toolTip(const GalleryRow& r) const {
  const QLocale locale;
  QString tip = QStringLiteral("<b>%1</b><br>%2 × %3 px<br>%4")
                    .arg(r.fileName.toHtmlEscaped())
                    .arg(r.width)
                    .arg(r.height)
                    .arg(galleryStatusName(r.status));
  tip += QCoreApplication::translate("Gallery", "<br>%1 human, %2 teacher annotations")
             .arg(r.humanCount)
             .arg(r.teacherCount);
  if (r.uncertainty)
    tip += QCoreApplication::translate("Gallery", "<br>teacher uncertainty %1")
               .arg(locale.toString(*r.uncertainty, 'f', 3));
  return tip;
}

void GalleryModel::onThumbnailReady(qint64 imageId) {
  const int64_t row = cache_.rowOf(imageId);
  if (row < 0 || row >= rowCount()) return;
  const QModelIndex i = index(static_cast<int>(row));
  emit dataChanged(i, i, {Qt::DecorationRole, ThumbnailStateRole});
}

}  // namespace distillery
