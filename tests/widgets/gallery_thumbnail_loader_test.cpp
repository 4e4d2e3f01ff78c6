// Thumbnails load on pool threads, newest request first, with a bounded queue.
#include "widgets/gallery/thumbnail_loader.h"

#include <gtest/gtest.h>

#include <QSemaphore>
#include <QSignalSpy>
#include <thread>

#include "tests/widgets/gallery_fakes.h"

namespace distillery {
namespace {

// Holds the worker inside the first thumbnail call until released.
class GatedGallery : public test::RecordingGallery {
 public:
  using RecordingGallery::RecordingGallery;
  QImage thumbnail(int64_t imageId, QSize size) override {
    if (!entered_) {
      entered_ = true;
      inside.release();
      gate.acquire();
    }
    return RecordingGallery::thumbnail(imageId, size);
  }
  QSemaphore inside, gate;

 private:
  std::atomic<bool> entered_{false};
};

TEST(GalleryThumbnailLoaderTest, NewestRequestFirstAndOldOnesDropped) {
  auto project = std::make_shared<GatedGallery>(100);
  ThumbnailLoader loader;
  loader.setMaxThreads(1);
  loader.setMaxQueued(3);
  loader.setProvider(project);
  loader.request(1);
  ASSERT_TRUE(project->inside.tryAcquire(1, 10000));  // the worker is busy with image 1
  for (int id = 2; id <= 10; ++id) loader.request(id);
  EXPECT_EQ(loader.queuedCount(), 3);
  EXPECT_EQ(loader.state(5), ThumbnailLoader::State::Missing);  // scrolled past: dropped
  EXPECT_EQ(loader.state(9), ThumbnailLoader::State::Loading);
  project->gate.release();
  ASSERT_TRUE(loader.waitForIdle(10000));
  std::lock_guard<std::mutex> lock(project->mutex);
  EXPECT_EQ(project->thumbnailIds, std::vector<int64_t>({1, 10, 9, 8}));
}

TEST(GalleryThumbnailLoaderTest, DeliversPixmapsOnTheGuiThreadAndRemembersFailures) {
  auto project = std::make_shared<test::RecordingGallery>(100);
  project->failingId = 7;
  ThumbnailLoader loader;
  loader.setThumbnailSize({64, 64});
  loader.setProvider(project);
  QSignalSpy ready(&loader, &ThumbnailLoader::thumbnailReady);
  loader.request(3);
  loader.request(7);
  ASSERT_TRUE(loader.waitForIdle(10000));
  EXPECT_EQ(ready.count(), 2);
  ASSERT_NE(loader.pixmap(3), nullptr);
  EXPECT_EQ(loader.pixmap(3)->size().boundedTo({64, 64}), loader.pixmap(3)->size());
  EXPECT_EQ(loader.state(7), ThumbnailLoader::State::Failed);
  EXPECT_EQ(project->threads().count(std::this_thread::get_id()), 0u);
  // Neither is asked for again: one is cached, the other known unreadable.
  loader.request(3);
  loader.request(7);
  ASSERT_TRUE(loader.waitForIdle(10000));
  EXPECT_EQ(project->thumbnailCalls(), 2u);
  // Invalidated images reload.
  loader.invalidate({3});
  loader.request(3);
  ASSERT_TRUE(loader.waitForIdle(10000));
  EXPECT_EQ(project->thumbnailCalls(), 3u);
}

TEST(GalleryThumbnailLoaderTest, ResultsOfAReplacedProviderAreDiscarded) {
  auto first = std::make_shared<GatedGallery>(10);
  ThumbnailLoader loader;
  loader.setProvider(first);
  loader.request(1);
  ASSERT_TRUE(first->inside.tryAcquire(1, 10000));
  loader.setProvider(std::make_shared<test::RecordingGallery>(10));  // a new project opened
  first->gate.release();
  ASSERT_TRUE(loader.waitForIdle(10000));
  EXPECT_EQ(loader.pixmap(1), nullptr);
  EXPECT_EQ(loader.state(1), ThumbnailLoader::State::Missing);
}

}  // namespace
}  // namespace distillery
