#include "widgets/gallery/gallery_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QListView>
#include <QLocale>
#include <QVBoxLayout>

#include "widgets/gallery/gallery_delegate.h"
#include "widgets/gallery/gallery_model.h"
#include "widgets/gallery/gallery_providers.h"
#include "widgets/gallery/status_badge.h"
#include "widgets/gallery/thumbnail_loader.h"

namespace distillery {

GalleryPanel::GalleryPanel(QWidget* parent) : QWidget(parent) {
  thumbnails_ = new ThumbnailLoader(this);
  model_ = new GalleryModel(thumbnails_, this);
  delegate_ = new GalleryDelegate(this);
  buildUi();
  connect(model_, &QAbstractItemModel::modelAboutToBeReset, this, &GalleryPanel::rememberCurrent);
  connect(model_, &QAbstractItemModel::modelReset, this, &GalleryPanel::restoreCurrent);
  connect(view_->selectionModel(), &QItemSelectionModel::currentChanged, this,
          &GalleryPanel::emitCurrentIfChanged);
}

GalleryPanel::~GalleryPanel() = default;

void GalleryPanel::buildUi() {
  filterBox_ = new QComboBox(this);
  filterBox_->setObjectName("galleryFilter");
  filterBox_->setToolTip(statusLegendHtml());
  filterBox_->addItem(tr("All"), -1);
  for (int s = 0; s < kGalleryStatusCount; ++s)
    filterBox_->addItem(
        QIcon(statusBadgePixmap(static_cast<GalleryStatus>(s), 14, devicePixelRatioF())),
        galleryStatusName(static_cast<GalleryStatus>(s)), s);
  orderBox_ = new QComboBox(this);
  orderBox_->setObjectName("galleryOrder");
  orderBox_->addItem(tr("Name"), static_cast<int>(GalleryOrder::Name));
  orderBox_->addItem(tr("Most uncertain first"), static_cast<int>(GalleryOrder::Uncertainty));
  orderBox_->setToolTip(tr("Order of the images; review the most uncertain first"));

  view_ = new QListView(this);
  view_->setObjectName("galleryView");
  // Static icon grid of equal tiles: the view lays out 100k rows from one size
  // hint and asks the model only for the tiles on screen.
  view_->setViewMode(QListView::IconMode);
  view_->setMovement(QListView::Static);
  view_->setFlow(QListView::LeftToRight);
  view_->setWrapping(true);
  view_->setResizeMode(QListView::Adjust);
  view_->setUniformItemSizes(true);
  view_->setSpacing(2);
  view_->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
  view_->setSelectionMode(QAbstractItemView::SingleSelection);
  view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view_->setDragEnabled(false);
  view_->setMouseTracking(true);
  view_->setItemDelegate(delegate_);
  view_->setModel(model_);

  summary_ = new QLabel(this);
  summary_->setObjectName("gallerySummary");
  summary_->setToolTip(statusLegendHtml());

  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(0, 0, 0, 0);
  bar->addWidget(filterBox_, 1);
  bar->addWidget(orderBox_, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->setSpacing(2);
  layout->addLayout(bar);
  layout->addWidget(view_, 1);
  layout->addWidget(summary_);

  connect(filterBox_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int i) {
    const int s = filterBox_->itemData(i).toInt();
    setStatusFilter(s < 0 ? std::nullopt
                          : std::optional<GalleryStatus>(static_cast<GalleryStatus>(s)));
  });
  connect(orderBox_, qOverload<int>(&QComboBox::currentIndexChanged), this,
          [this](int i) { setOrder(static_cast<GalleryOrder>(orderBox_->itemData(i).toInt())); });
  setThumbnailSize(96);
}

void GalleryPanel::setProviders(std::shared_ptr<GalleryPageProvider> pages,
                                std::shared_ptr<ThumbnailProvider> thumbnails) {
  thumbnails_->setProvider(std::move(thumbnails));
  newProject_ = true;  // ids of the old project mean nothing in the new one
  model_->setProvider(std::move(pages));
  newProject_ = false;
  updateCounts();
  if (!view_->currentIndex().isValid() && model_->rowCount() > 0) selectRow(0);
}

void GalleryPanel::setThumbnailSize(int pixels) {
  const QSize size(pixels, pixels);
  thumbnails_->setThumbnailSize(size);
  delegate_->setThumbnailSize(size);
  view_->setIconSize(size);
  view_->doItemsLayout();
}

void GalleryPanel::setStatusFilter(std::optional<GalleryStatus> status) {
  const int data = status ? static_cast<int>(*status) : -1;
  const int i = filterBox_->findData(data);
  if (i != filterBox_->currentIndex()) {
    filterBox_->setCurrentIndex(i);  // comes back here through the signal
    return;
  }
  model_->setFilter(GalleryFilter{status});
  updateCounts();
}

void GalleryPanel::setOrder(GalleryOrder order) {
  const int i = orderBox_->findData(static_cast<int>(order));
  if (i != orderBox_->currentIndex()) {
    orderBox_->setCurrentIndex(i);
    return;
  }
  model_->setOrder(order);
}

void GalleryPanel::refresh() {
  model_->refresh();
  updateCounts();
}

void GalleryPanel::rowsChanged(const QList<qint64>& imageIds) {
  model_->rowsChanged(imageIds);
  updateCounts();
  emitCurrentIfChanged();
}

void GalleryPanel::updateCounts() {
  GalleryPageProvider* provider = model_->provider();
  counts_ = provider ? provider->counts() : GalleryCounts{};
  const QLocale locale;
  filterBox_->setItemText(0, tr("All (%1)").arg(locale.toString(qint64(counts_.total))));
  for (int s = 0; s < kGalleryStatusCount; ++s) {
    const auto status = static_cast<GalleryStatus>(s);
    filterBox_->setItemText(
        s + 1, QStringLiteral("%1 (%2)").arg(galleryStatusName(status),
                                             locale.toString(qint64(counts_[status]))));
  }
  summary_->setText(
      tr("%1 of %2 images")
          .arg(locale.toString(model_->rowCount()), locale.toString(qint64(counts_.total))));
}

qint64 GalleryPanel::currentImageId() const {
  const QModelIndex i = view_->currentIndex();
  return i.isValid() ? model_->imageIdAt(i.row()) : -1;
}

bool GalleryPanel::setCurrentImage(qint64 imageId) {
  const int row = model_->rowOfImage(imageId);
  if (row < 0) return false;
  selectRow(row);
  return true;
}

void GalleryPanel::selectRow(int row) {
  if (row < 0 || row >= model_->rowCount()) return;
  const QModelIndex i = model_->index(row);
  view_->selectionModel()->setCurrentIndex(i, QItemSelectionModel::ClearAndSelect);
  view_->scrollTo(i);
}

void GalleryPanel::selectNext() {
  const QModelIndex i = view_->currentIndex();
  selectRow(i.isValid() ? qMin(i.row() + 1, model_->rowCount() - 1) : 0);
}

void GalleryPanel::selectPrevious() {
  const QModelIndex i = view_->currentIndex();
  selectRow(i.isValid() ? qMax(i.row() - 1, 0) : 0);
}

void GalleryPanel::rememberCurrent() {
  const QModelIndex i = view_->currentIndex();
  keptRow_ = i.isValid() && !newProject_ ? i.row() : -1;
  keptImage_ = keptRow_ >= 0 ? model_->imageIdAt(keptRow_) : -1;
}

// After a reset the current image stays current if still listed; otherwise the
// row that took its place (reviewing under a filter moves on naturally).
void GalleryPanel::restoreCurrent() {
  int row = keptImage_ >= 0 ? model_->rowOfImage(keptImage_) : -1;
  if (row < 0 && keptRow_ >= 0) row = qMin(keptRow_, model_->rowCount() - 1);
  if (row < 0 && model_->rowCount() > 0) row = 0;
  if (row >= 0) selectRow(row);
  emitCurrentIfChanged();
}

void GalleryPanel::emitCurrentIfChanged() {
  const qint64 id = currentImageId();
  if (id == emittedImage_) return;
  emittedImage_ = id;
  emit currentImageChanged(id);
}

}  // namespace distillery
