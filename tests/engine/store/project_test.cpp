// Project handles: layout, categories, runs/metrics/checkpoints, read-only
// access, thumbnails and extra connections.
#include "engine/store/project.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <thread>

#include "engine/store/metrics_writer.h"
#include "tests/engine/store/store_test_util.h"

namespace distillery {
namespace {

using test::take;

TEST(ProjectTest, CreateStoresClassesAndReopens) {
  const auto dir = test::freshTempDir("project-create") / "p";
  ProjectOptions options;
  options.classes = {"balloon", "kite"};
  {
    Project project = take(Project::create(dir, options));
    EXPECT_FALSE(project.readOnly());
    EXPECT_TRUE(Project::isProject(dir));
  }
  Project project = take(Project::open(dir));
  const auto cats = take(project.categories().list());
  ASSERT_EQ(cats.size(), 2u);
  EXPECT_EQ(cats[0].id, 1);
  EXPECT_EQ(cats[0].name, "balloon");
  EXPECT_EQ(cats[1].name, "kite");
  EXPECT_NE(cats[0].colour, cats[1].colour);
  EXPECT_EQ(cats[0].colour.size(), 7u);
}

TEST(ProjectTest, CategoriesCanBeAddedRenamedRecolouredAndRemovedWhenUnused) {
  Project project = test::makeProject("project-cats", 1);
  CategoryStore& cats = project.categories();
  const int64_t id = take(cats.add("bird", "#00FF00"));
  EXPECT_EQ(take(cats.get(id)).colour, "#00ff00");
  EXPECT_FALSE(cats.add("bird").ok());
  EXPECT_FALSE(cats.add("x", "green").ok());
  ASSERT_TRUE(cats.rename(id, "sparrow").ok());
  ASSERT_TRUE(cats.setColour(id, "#123456").ok());
  EXPECT_EQ(take(cats.get(id)).name, "sparrow");
  NewAnnotation a;
  a.imageId = 1;
  a.categoryId = id;
  a.mask = test::boxMask(64, 48, 0, 0, 3, 3);
  const int64_t ann = take(project.annotations().add(a));
  Status s = cats.remove(id);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("used by 1 annotations"), std::string::npos);
  ASSERT_TRUE(project.annotations().remove(ann).ok());
  EXPECT_TRUE(cats.remove(id).ok());
  EXPECT_EQ(take(cats.list()).size(), 2u);
}

TEST(ProjectTest, RunsMetricsAndCheckpoints) {
  Project project = test::makeProject("project-runs");
  RunStore& runs = project.runs();
  EXPECT_FALSE(runs.start("cast", "{not json").ok());
  const int64_t run = take(runs.start("cast", R"({"lr": 0.01})"));
  EXPECT_EQ(take(runs.get(run)).status, RunStatus::Running);
  std::vector<MetricPoint> points;
  for (int step = 0; step < 5; ++step) {
    points.push_back({run, step, "loss/total", 1.0 / (step + 1)});
    points.push_back({run, step, "ap", step * 0.1});
  }
  points.push_back({run, 5, "loss/total", std::nan("")});
  ASSERT_TRUE(runs.addMetrics(points).ok());
  ASSERT_TRUE(runs.addMetrics({{run, 0, "ap", 0.5}}).ok());  // same step again replaces
  const auto loss = take(runs.metrics(run, "loss/total"));
  ASSERT_EQ(loss.size(), 6u);
  EXPECT_DOUBLE_EQ(loss[1].value, 0.5);
  EXPECT_TRUE(std::isnan(loss[5].value));
  EXPECT_EQ(take(runs.metrics(run, "ap")).front().value, 0.5);
  EXPECT_EQ(take(runs.metrics(run, "", 3)).size(), 3u);  // steps 4, 5 of loss and 4 of ap
  EXPECT_EQ(take(runs.metricNames(run)), (std::vector<std::string>{"ap", "loss/total"}));

  const int64_t ckpt =
      take(runs.addCheckpoint(run, "distill", 4, "models/run1/distill.pt", R"({"ap": 0.4})"));
  const auto ckpts = take(runs.checkpoints(run));
  ASSERT_EQ(ckpts.size(), 1u);
  EXPECT_EQ(ckpts[0].id, ckpt);
  EXPECT_EQ(ckpts[0].stage, "distill");
  EXPECT_EQ(ckpts[0].metricsJson, R"({"ap": 0.4})");
  EXPECT_FALSE(runs.addCheckpoint(999, "x", 0, "f").ok());
  ASSERT_TRUE(runs.finish(run, RunStatus::Finished, "done").ok());
  const RunRecord r = take(runs.get(run));
  EXPECT_EQ(r.status, RunStatus::Finished);
  EXPECT_TRUE(r.endedAtMs.has_value());
  EXPECT_EQ(take(runs.list()).size(), 1u);
}

TEST(ProjectTest, RunLeftRunningByADeadProcessIsMarkedFailedOnOpen) {
  Project project = test::makeProject("project-interrupted");
  const int64_t run = take(project.runs().start("cast", "{}"));
  const auto dir = project.dir();
  project = take(Project::open(dir, OpenMode::ReadOnly));  // closes the writer
  EXPECT_EQ(take(project.runs().get(run)).status, RunStatus::Running);
  project = take(Project::open(dir));
  const RunRecord r = take(project.runs().get(run));
  EXPECT_EQ(r.status, RunStatus::Failed);
  EXPECT_NE(r.message.find("interrupted"), std::string::npos);
}

TEST(ProjectTest, MetricsWriterBatchesAndFlushesOnClose) {
  Project project = test::makeProject("project-writer");
  const int64_t run = take(project.runs().start("cast", "{}"));
  {
    MetricsWriter writer(take(project.connect()), 10, std::chrono::hours(1));
    for (int step = 0; step < 25; ++step) ASSERT_TRUE(writer.add(run, step, "loss", step).ok());
    EXPECT_EQ(writer.pending(), 5u);
    EXPECT_EQ(take(project.runs().metrics(run)).size(), 20u);  // two batches are visible already
  }
  EXPECT_EQ(take(project.runs().metrics(run)).size(), 25u);
}

TEST(ProjectTest, ReadOnlyHandleReadsAndRefusesWrites) {
  Project writer = test::makeProject("project-readonly", 3);
  Project reader = take(Project::open(writer.dir(), OpenMode::ReadOnly));
  EXPECT_TRUE(reader.readOnly());
  EXPECT_EQ(take(reader.images().count()), 3);
  NewAnnotation a;
  a.imageId = 1;
  a.categoryId = 1;
  a.mask = test::boxMask(64, 48, 0, 0, 3, 3);
  auto r = reader.annotations().add(a);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("read-only"), std::string::npos) << r.status().message();
  // The reader sees the writer's commits.
  take(writer.annotations().add(a));
  EXPECT_EQ(take(reader.annotations().counts()).human, 1);
}

TEST(ProjectTest, SecondReadWriteOpenInTheSameProcessIsRefusedButConnectWorks) {
  Project project = test::makeProject("project-second");
  auto second = Project::open(project.dir(), OpenMode::ReadWrite);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("already open for writing"), std::string::npos);
  auto fallback = take(Project::open(project.dir(), OpenMode::ReadWriteOrReadOnly));
  EXPECT_TRUE(fallback.readOnly());
  EXPECT_NE(fallback.readOnlyReason().find("already open for writing"), std::string::npos);
  Project other = take(project.connect());
  EXPECT_FALSE(other.readOnly());
  EXPECT_TRUE(other.categories().add("bird").ok());
  EXPECT_EQ(take(project.categories().list()).size(), 3u);
}

TEST(ProjectTest, ThumbnailsAreMadeOnceAndKeyedByContentHash) {
  const auto root = test::freshTempDir("project-thumbs");
  test::writePng(root / "images" / "big.png", 640, 320, 1);
  Project project = take(Project::create(root / "p"));
  const ImportReport report = take(project.images().importFolder(root / "images"));
  ASSERT_EQ(report.added, 1);
  const ImageEntry image = take(project.images().page({})).front();
  EXPECT_EQ(take(project.thumbnailPath(image.id)), project.thumbnails().path(image.hash));
  EXPECT_FALSE(std::filesystem::exists(project.thumbnails().path(image.hash)));
  const auto thumb = take(project.ensureThumbnail(image.id));
  EXPECT_EQ(thumb, project.thumbnails().path(image.hash));
  const cv::Mat t = cv::imread(thumb.string());
  EXPECT_EQ(t.cols, kThumbnailSide);
  EXPECT_EQ(t.rows, kThumbnailSide / 2);
  const auto written = std::filesystem::last_write_time(thumb);
  EXPECT_EQ(take(project.thumbnails().ensure(root / "images" / "big.png", image.hash)), thumb);
  EXPECT_EQ(std::filesystem::last_write_time(thumb), written);  // cached, not redone
  auto missing = project.thumbnails().ensure(root / "nope.png", "0123456789abcdef");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("nope.png"), std::string::npos);
}

TEST(ProjectTest, ThumbnailsCanBeMadeFromSeveralWorkerThreadsAtOnce) {
  const auto root = test::freshTempDir("project-thumbs-threads");
  for (int i = 0; i < 4; ++i)
    test::writePng(root / "images" / ("i" + std::to_string(i) + ".png"), 300, 200, i);
  Project project = take(Project::create(root / "p"));
  take(project.images().importFolder(root / "images"));
  const auto rows = take(project.images().page({}));
  const ThumbnailCache cache = project.thumbnails();
  const auto imageRoot = take(project.imageRoot());
  std::atomic<int> failures{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < 4; ++t) {
    workers.emplace_back([&] {  // every worker asks for every thumbnail: same files, raced
      for (const ImageEntry& row : rows)
        if (!cache.ensure(imageRoot / row.path, row.hash, 64).ok()) ++failures;
    });
  }
  for (auto& w : workers) w.join();
  EXPECT_EQ(failures, 0);
  size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(project.thumbsDir()))
    files += entry.is_regular_file() ? 1 : 0;
  EXPECT_EQ(files, rows.size());  // no temporary files left behind
  for (const ImageEntry& row : rows)
    EXPECT_EQ(cv::imread(cache.path(row.hash, 64).string()).cols, 64);
}

TEST(ProjectTest, IntegrityCheckPassesOnAFreshProject) {
  Project project = test::makeProject("project-integrity", 5);
  EXPECT_TRUE(project.checkIntegrity().ok()) << project.checkIntegrity().message();
}

}  // namespace
}  // namespace distillery
