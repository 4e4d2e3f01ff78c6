// Loads thumbnails off the GUI thread and keeps the recent ones as pixmaps.
//
// request() queues an image; worker threads of a private QThreadPool call the
// ThumbnailProvider (which may be slow) and hand each QImage back through a
// queued call, where it becomes a QPixmap (GUI thread only) in an LRU cache and
// thumbnailReady(id) fires. The newest request is served first, and the queue
// is bounded, so after a fast scroll the tiles now on screen load first and
// the ones scrolled past are dropped (they are asked for again if they return).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <unordered_set>

#include <QCache>
#include <QObject>
#include <QPixmap>
#include <QSet>
#include <QSize>
#include <QThreadPool>

namespace distillery {

class ThumbnailProvider;

class ThumbnailLoader : public QObject {
  Q_OBJECT

 public:
  enum class State { Missing, Loading, Ready, Failed };

  explicit ThumbnailLoader(QObject* parent = nullptr);
  ~ThumbnailLoader() override;

  // Drops the cache and the queue (results still in flight are discarded).
  void setProvider(std::shared_ptr<ThumbnailProvider> provider);
  void setThumbnailSize(QSize size);
  QSize thumbnailSize() const { return size_; }
  // Memory for cached pixmaps (48 MB by default: ~1800 tiles of 96x72).
  void setCacheLimitKb(int kb) { cache_.setMaxCost(kb); }
  void setMaxQueued(int requests) { maxQueued_ = requests; }
  void setMaxThreads(int threads) { pool_.setMaxThreadCount(threads); }

  State state(int64_t imageId) const;
  // The cached pixmap, or null if not (yet) loaded.
  const QPixmap* pixmap(int64_t imageId) const { return cache_.object(imageId); }

  // Queues the image unless it is cached, queued, loading or failed.
  void request(int64_t imageId);
  // Forgets these images so the next request reloads them (the file changed).
  void invalidate(const QList<qint64>& imageIds);
  void clear();

  // Waits for the workers to finish what is queued, then delivers the results
  // (tests and benchmarks; the GUI never blocks on it).
  bool waitForIdle(int msecs = -1);

  int queuedCount() const;

 Q_SIGNALS:
  void thumbnailReady(qint64 imageId);

 private:
  void startWorkerIfNeeded();
  void workLoop();
  void deliver(uint64_t generation, int64_t imageId, const QImage& image);

  std::shared_ptr<ThumbnailProvider> provider_;
  QSize size_{96, 96};
  QThreadPool pool_;
  QCache<qint64, QPixmap> cache_{48 * 1024};  // cost in KB
  QSet<qint64> failed_;

  mutable std::mutex mutex_;            // guards the fields below (shared with workers)
  std::deque<int64_t> queue_;           // newest at the back
  std::unordered_set<int64_t> wanted_;  // queued or loading
  int workers_ = 0;
  int maxQueued_ = 400;
  uint64_t generation_ = 0;
  bool stopping_ = false;
};

}  // namespace distillery
