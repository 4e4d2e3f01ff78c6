// A training thread writing metrics while the GUI thread pages the gallery,
// edits annotations and polls the new metric points, each on its own
// connection: every call succeeds (nobody hits the busy timeout) and nothing
// written is missing afterwards.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "engine/store/metrics_writer.h"
#include "engine/store/project.h"
#include "tests/engine/store/store_test_util.h"

namespace distillery {
namespace {

using test::take;

TEST(ConcurrencyTest, TrainerWritesMetricsWhileTheGuiPagesAndEdits) {
  Project gui = test::makeProject("concurrency", 500);
  const int64_t run = take(gui.runs().start("cast", R"({"steps": 2000})"));
  constexpr int kSteps = 2000;
  std::atomic<bool> trainerDone{false};
  std::atomic<int> trainerErrors{0};
  Project trainerHandle = take(gui.connect());
  std::thread trainer([&] {
    MetricsWriter writer(std::move(trainerHandle), 64, std::chrono::milliseconds(20));
    for (int step = 0; step < kSteps; ++step) {
      if (!writer.add(run, step, "loss/total", 1.0 / (1 + step)).ok()) ++trainerErrors;
      if (!writer.add(run, step, "loss/contrast", 0.5).ok()) ++trainerErrors;
    }
    if (!writer.flush().ok()) ++trainerErrors;
    trainerDone = true;
  });

  int edits = 0, pages = 0;
  int64_t lastStepSeen = -1;
  std::vector<std::string> guiErrors;
  auto check = [&](const Status& s) {
    if (!s.ok()) guiErrors.push_back(s.message());
  };
  while (!trainerDone || edits < 50) {
    GalleryQuery q;
    q.offset = (pages * 37) % 450;
    q.status = pages % 2 ? std::optional(ImageStatus::Unlabelled) : std::nullopt;
    auto page = gui.images().page(q);
    check(page.status());
    ++pages;
    NewAnnotation a;
    a.imageId = 1 + edits % 500;
    a.categoryId = 1;
    a.mask = test::boxMask(64, 48, edits % 50, 3, 8, 8);
    auto id = gui.annotations().add(a);
    if (!id.ok()) {
      guiErrors.push_back(id.status().message());
    } else {
      check(gui.annotations().edit(*id, AnnotationEdit{2, std::nullopt}));
      ++edits;
    }
    auto fresh =
        gui.runs().metrics(run, "loss/total", lastStepSeen);  // the plot's incremental poll
    if (!fresh.ok()) {
      guiErrors.push_back(fresh.status().message());
    } else if (!fresh->empty()) {
      EXPECT_EQ(fresh->front().step, lastStepSeen + 1) << "points arrive in order, none skipped";
      lastStepSeen = fresh->back().step;
    }
  }
  trainer.join();
  EXPECT_EQ(trainerErrors, 0);
  EXPECT_TRUE(guiErrors.empty()) << guiErrors.front();
  EXPECT_EQ(take(gui.runs().metrics(run)).size(), 2u * kSteps);
  EXPECT_EQ(take(gui.annotations().counts()).human, edits);
  EXPECT_GE(pages, 50);
  EXPECT_TRUE(gui.checkIntegrity().ok());
}

}  // namespace
}  // namespace distillery
