#include "widgets/gallery/thumbnail_loader.h"

#include <QCoreApplication>
#include <QEvent>
#include <QImage>

#include "widgets/gallery/gallery_providers.h"

namespace distillery {

ThumbnailLoader::ThumbnailLoader(QObject* parent) : QObject(parent) {
  // Two workers: thumbnails are decode-bound and the GUI needs a core too.
  pool_.setMaxThreadCount(2);
}

ThumbnailLoader::~ThumbnailLoader() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    queue_.clear();
  }
  // Workers finish their current image; their queued results die with this object.
  pool_.waitForDone();
}

void ThumbnailLoader::setProvider(std::shared_ptr<ThumbnailProvider> provider) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    provider_ = std::move(provider);
  }
  clear();
}

void ThumbnailLoader::setThumbnailSize(QSize size) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (size == size_) return;
    size_ = size;
  }
  clear();
}

void ThumbnailLoader::clear() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++generation_;  // results of older requests are dropped on arrival
    queue_.clear();
    wanted_.clear();
  }
  cache_.clear();
  failed_.clear();
}

ThumbnailLoader::State ThumbnailLoader::state(int64_t imageId) const {
  if (cache_.contains(imageId)) return State::Ready;
  if (failed_.contains(imageId)) return State::Failed;
  std::lock_guard<std::mutex> lock(mutex_);
  return wanted_.count(imageId) ? State::Loading : State::Missing;
}

void ThumbnailLoader::request(int64_t imageId) {
  if (cache_.contains(imageId) || failed_.contains(imageId)) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (!provider_ || stopping_ || wanted_.count(imageId)) return;
  queue_.push_back(imageId);
  wanted_.insert(imageId);
  while (static_cast<int>(queue_.size()) > maxQueued_) {  // scrolled past: forget
    wanted_.erase(queue_.front());
    queue_.pop_front();
  }
  startWorkerIfNeeded();
}

void ThumbnailLoader::invalidate(const QList<qint64>& imageIds) {
  for (qint64 id : imageIds) {
    cache_.remove(id);
    failed_.remove(id);
  }
}

int ThumbnailLoader::queuedCount() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<int>(queue_.size());
}

// Called with mutex_ held.
void ThumbnailLoader::startWorkerIfNeeded() {
  if (queue_.empty() || workers_ >= pool_.maxThreadCount()) return;
  ++workers_;
  pool_.start([this] { workLoop(); });
}

// Runs on a pool thread until the queue is empty.
void ThumbnailLoader::workLoop() {
  for (;;) {
    int64_t id = 0;
    uint64_t generation = 0;
    QSize size;
    std::shared_ptr<ThumbnailProvider> provider;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_ || queue_.empty() || !provider_) {
        --workers_;
        return;
      }
      id = queue_.back();  // newest first: what is on screen now
      queue_.pop_back();
      generation = generation_;
      size = size_;
      provider = provider_;
    }
    QImage image;
    try {
      image = provider->thumbnail(id, size);
    } catch (...) {
      image = QImage();  // an unreadable image is drawn as such, never a crash
    }
    QMetaObject::invokeMethod(
        this, [this, generation, id, image] { deliver(generation, id, image); },
        Qt::QueuedConnection);
  }
}

void ThumbnailLoader::deliver(uint64_t generation, int64_t imageId, const QImage& image) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (generation != generation_) return;
    wanted_.erase(imageId);
  }
  if (image.isNull()) {
    failed_.insert(imageId);
  } else {
    auto* pixmap = new QPixmap(QPixmap::fromImage(image));
    const qsizetype kb = qMax<qsizetype>(
        1, qsizetype(pixmap->width()) * pixmap->height() * pixmap->depth() / 8 / 1024);
    cache_.insert(imageId, pixmap, kb);
  }
  emit thumbnailReady(imageId);
}

bool ThumbnailLoader::waitForIdle(int msecs) {
  const bool done = pool_.waitForDone(msecs);
  QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
  return done;
}

}  // namespace distillery
