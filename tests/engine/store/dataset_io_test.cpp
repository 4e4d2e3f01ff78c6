// Dataset import/export: idempotent import (also after a SIGKILL mid-import),
// COCO128 end to end, bad records reported, export filtered by source/status.
#include "engine/store/dataset_io.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "engine/data/formats/coco_json.h"
#include "tests/engine/store/store_test_util.h"

namespace distillery {
namespace {

using test::boxMask;
using test::take;
namespace fs = std::filesystem;

// Two images on disk, three instances (human, teacher, crowd human).
struct SmallDataset {
  fs::path root;
  Dataset dataset;
};

SmallDataset smallDataset(const std::string& tag) {
  SmallDataset s;
  s.root = test::freshTempDir(tag);
  test::writePng(s.root / "images" / "a.png", 32, 24, 1);
  test::writePng(s.root / "images" / "b.png", 32, 24, 2);
  Dataset& d = s.dataset;
  d.categories = {{5, "person", "human"}, {9, "car", "vehicle"}};
  d.images = {{10, "a.png", 32, 24}, {11, "b.png", 32, 24}};
  Instance i1{1, 10, 5, boxMask(32, 24, 0, 0, 4, 4), 1.0, Source::Human, false, -1};
  Instance i2{2, 10, 9, boxMask(32, 24, 10, 10, 5, 5), 0.7, Source::Teacher, false, -1};
  Instance i3{3, 11, 5, boxMask(32, 24, 1, 1, 6, 6), 1.0, Source::Human, true, 40.5};
  d.instances = {i1, i2, i3};
  return s;
}

TEST(DatasetIoTest, ImportTwiceAddsNothingTheSecondTime) {
  SmallDataset s = smallDataset("dataset-twice");
  Project project = take(Project::create(s.root / "p"));
  const DatasetImportReport first = take(importDataset(project, s.dataset, {s.root / "images"}));
  EXPECT_EQ(first.imagesAdded, 2);
  EXPECT_EQ(first.annotationsAdded, 3);
  EXPECT_EQ(first.categoriesAdded, 2);
  EXPECT_TRUE(first.skipped.empty());
  const DatasetImportReport second = take(importDataset(project, s.dataset, {s.root / "images"}));
  EXPECT_EQ(second.imagesAdded, 0);
  EXPECT_EQ(second.imagesPresent, 2);
  EXPECT_EQ(second.annotationsAdded, 0);
  EXPECT_EQ(second.annotationsPresent, 3);
  EXPECT_EQ(second.categoriesAdded, 0);
  const AnnotationCounts counts = take(project.annotations().counts());
  EXPECT_EQ(counts.human, 2);
  EXPECT_EQ(counts.teacher, 1);
  // Category ids of the dataset are kept when free.
  EXPECT_EQ(take(project.categories().get(9)).name, "car");
  const ImageEntry a = *take(project.images().findByPath("a.png"));
  EXPECT_EQ(a.status, ImageStatus::Human);
  const auto anns = take(project.annotations().forImage(a.id));
  ASSERT_EQ(anns.size(), 2u);
  EXPECT_EQ(anns[1].source, Source::Teacher);
  EXPECT_EQ(anns[1].review, ReviewStatus::Pending);
  EXPECT_DOUBLE_EQ(anns[1].score, 0.7);
}

TEST(DatasetIoTest, MissingFilesAndWrongMaskSizesAreReportedNotImported) {
  SmallDataset s = smallDataset("dataset-bad");
  s.dataset.images.push_back({12, "missing.png", 32, 24});
  s.dataset.instances.push_back(
      {4, 12, 5, boxMask(32, 24, 0, 0, 2, 2), 1.0, Source::Human, false, -1});
  s.dataset.instances.push_back(
      {5, 11, 5, boxMask(16, 16, 0, 0, 2, 2), 1.0, Source::Human, false, -1});
  Project project = take(Project::create(s.root / "p"));
  const DatasetImportReport r = take(importDataset(project, s.dataset, {s.root / "images"}));
  EXPECT_EQ(r.imagesAdded, 2);
  EXPECT_EQ(r.annotationsAdded, 3);
  ASSERT_EQ(r.skipped.size(), 2u);
  EXPECT_EQ(r.skipped[0].file, "missing.png");
  EXPECT_NE(r.skipped[0].reason.find("1 annotations were skipped"), std::string::npos)
      << r.skipped[0].reason;
  EXPECT_NE(r.skipped[1].reason.find("annotation 5: mask is 16x16"), std::string::npos)
      << r.skipped[1].reason;
  EXPECT_FALSE(importDataset(project, s.dataset, {s.root / "nowhere"}).ok());
}

TEST(DatasetIoTest, ExportFiltersBySourceAndReviewStatus) {
  SmallDataset s = smallDataset("dataset-export");
  Project project = take(Project::create(s.root / "p"));
  take(importDataset(project, s.dataset, {s.root / "images"}));
  ExportFilter humanOnly;
  humanOnly.sources = {Source::Human};
  const Dataset h = take(exportDataset(project, humanOnly));
  EXPECT_EQ(h.instances.size(), 2u);
  EXPECT_EQ(h.images.size(), 2u);
  EXPECT_EQ(h.categories.size(), 2u);

  ExportFilter teacherAccepted;
  teacherAccepted.sources = {Source::Teacher};
  teacherAccepted.statuses = {ReviewStatus::Accepted};
  EXPECT_TRUE(take(exportDataset(project, teacherAccepted)).instances.empty());
  const int64_t teacherId = take(exportDataset(project, {{Source::Teacher}})).instances.at(0).id;
  ASSERT_TRUE(project.annotations().setReviewStatus({teacherId}, ReviewStatus::Accepted).ok());
  const Dataset t = take(exportDataset(project, teacherAccepted));
  ASSERT_EQ(t.instances.size(), 1u);
  ASSERT_EQ(t.images.size(), 1u);
  EXPECT_EQ(t.images[0].file, "a.png");
  EXPECT_EQ(t.instances[0].mask, boxMask(32, 24, 10, 10, 5, 5));

  // Crowd flag and the stored area survive the round trip.
  const Dataset all = take(exportDataset(project));
  const auto crowd = std::find_if(all.instances.begin(), all.instances.end(),
                                  [](const Instance& i) { return i.iscrowd; });
  ASSERT_NE(crowd, all.instances.end());
  EXPECT_DOUBLE_EQ(crowd->area, 40.5);
  ExportFilter everything;
  everything.includeImagesWithoutAnnotations = true;
  everything.sources = {Source::Student};
  EXPECT_EQ(take(exportDataset(project, everything)).images.size(), 2u);
  ExportFilter students;
  students.sources = {Source::Student};
  EXPECT_TRUE(take(exportDataset(project, students)).images.empty());
}

TEST(DatasetIoTest, LabelledImagesWithoutAnnotationsAreExportedWithHumanLabels) {
  SmallDataset s = smallDataset("dataset-negatives");
  test::writePng(s.root / "images" / "empty.png", 32, 24, 3);
  s.dataset.images.push_back({12, "empty.png", 32, 24});
  Project project = take(Project::create(s.root / "p"));
  take(importDataset(project, s.dataset, {s.root / "images"}));
  EXPECT_EQ(take(project.images().findByPath("empty.png"))->split, Split::Labelled);
  EXPECT_EQ(take(exportDataset(project)).images.size(), 3u);
  ExportFilter teacher;
  teacher.sources = {Source::Teacher};
  EXPECT_EQ(take(exportDataset(project, teacher)).images.size(), 1u);
}

class Coco128Test : public ::testing::Test {
 protected:
  void SetUp() override {
    if (test::sharedData().empty())
      GTEST_SKIP() << "shared data (coco128) not found on this machine";
    images_ = test::sharedData() / "coco128" / "images";
    auto d = readCocoJson(test::sharedData() / "coco128" / "instances.json");
    ASSERT_TRUE(d.ok()) << d.status().message();
    dataset_ = std::move(*d);
  }
  fs::path images_;
  Dataset dataset_;
};

TEST_F(Coco128Test, ImportsEveryImageAndAnnotationOnceAndRoundTrips) {
  Project project = take(Project::create(test::freshTempDir("coco128") / "p"));
  const DatasetImportReport r = take(importDataset(project, dataset_, {images_}));
  EXPECT_TRUE(r.skipped.empty()) << r.skipped.front().reason;
  EXPECT_EQ(take(project.images().count()), 128);
  EXPECT_EQ(take(project.annotations().counts()).human, 939);
  EXPECT_EQ(take(project.categories().list()).size(), dataset_.categories.size());
  const DatasetImportReport again = take(importDataset(project, dataset_, {images_}));
  EXPECT_EQ(again.imagesAdded + again.annotationsAdded + again.categoriesAdded, 0);
  EXPECT_EQ(take(project.annotations().counts()).human, 939);
  EXPECT_TRUE(project.checkIntegrity().ok());

  const Dataset out = take(exportDataset(project));
  ASSERT_EQ(out.instances.size(), 939u);
  ASSERT_EQ(out.images.size(), 128u);
  // Same masks per file name, same crowd count.
  std::map<std::string, std::multiset<std::string>> before, after;
  for (const Instance& i : dataset_.instances)
    before[dataset_.image(i.imageId)->file].insert(rle::toString(i.mask));
  for (const Instance& i : out.instances)
    after[out.image(i.imageId)->file].insert(rle::toString(i.mask));
  EXPECT_TRUE(before == after);
  EXPECT_EQ(std::count_if(out.instances.begin(), out.instances.end(),
                          [](const Instance& i) { return i.iscrowd; }),
            10);
}

TEST_F(Coco128Test, ReRunAfterSigkillMidImportCompletesIt) {
  const fs::path dir = test::freshTempDir("coco128-kill") / "p";
  take(Project::create(dir));  // closed again: the child takes the write lock
  int readFd = -1;
  const pid_t child = test::startChild(
      [&](int out) {
        Project project = take(Project::open(dir));
        DatasetImportOptions options(images_, 16, [&](int64_t done, int64_t) {
          test::writeAll(out, std::to_string(done) + "\n");
          std::this_thread::sleep_for(std::chrono::milliseconds(50));  // keeps the import in flight
        });
        return importDataset(project, dataset_, options).ok() ? 0 : 1;
      },
      readFd);
  // Kill after the second committed chunk.
  std::string seen;
  char buffer[64];
  while (std::count(seen.begin(), seen.end(), '\n') < 2) {
    const ssize_t n = ::read(readFd, buffer, sizeof buffer);
    ASSERT_GT(n, 0) << "child ended early: " << seen;
    seen.append(buffer, static_cast<size_t>(n));
  }
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ::close(readFd);
  ASSERT_TRUE(WIFSIGNALED(status));

  Project project = take(Project::open(dir));
  EXPECT_TRUE(project.checkIntegrity().ok());
  const int64_t partial = take(project.images().count());
  EXPECT_GE(partial, 32);
  EXPECT_LT(partial, 128);
  take(importDataset(project, dataset_, {images_}));
  EXPECT_EQ(take(project.images().count()), 128);
  EXPECT_EQ(take(project.annotations().counts()).human, 939);
  EXPECT_TRUE(project.checkIntegrity().ok());
}

}  // namespace
}  // namespace distillery
