// Renders the training-side panels offscreen with realistic content and checks what
// they draw. With DISTILLERY_SCREENSHOT_DIR set it also writes the PNGs used by
// docs/pipeline.md (docs/images/pipeline-*.png).
#include <gtest/gtest.h>
#include <qcustomplot.h>

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QPainter>
#include <QTabWidget>
#include <QTableWidget>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>
#include <random>

#include "tests/support/test_paths.h"
#include "widgets/compare/compare_view.h"
#include "widgets/export/export_dialog.h"
#include "widgets/inspector/negatives_inspector.h"
#include "widgets/pipeline/pipeline_dock.h"
#include "widgets/pipeline/training_charts.h"
#include "widgets/teacher/teacher_panel.h"

namespace distillery {
namespace {

// Grabs the widget; writes it when screenshots are asked for.
QImage shoot(QWidget& w, const QString& name) {
  w.show();
  QCoreApplication::processEvents();
  const QImage image = w.grab().toImage();
  const QString dir = qEnvironmentVariable("DISTILLERY_SCREENSHOT_DIR");
  if (!dir.isEmpty()) {
    QDir().mkpath(dir);
    const QImage opaque = image.convertToFormat(QImage::Format_RGB888);  // no alpha channel
    EXPECT_TRUE(opaque.save(dir + "/pipeline-" + name + ".png", "PNG", 0)) << name.toStdString();
  }
  return image;
}

// How many pixels of the image are close to `colour` (a curve, a bar...).
int pixelsNear(const QImage& image, QColor colour, int tolerance = 40) {
  int n = 0;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) {
      const QColor c = image.pixelColor(x, y);
      if (std::abs(c.red() - colour.red()) + std::abs(c.green() - colour.green()) +
              std::abs(c.blue() - colour.blue()) <
          tolerance)
        ++n;
    }
  return n;
}

// Three stages of a CAST run: losses fall, AP climbs (synthetic, paper-like numbers).
std::vector<ScalarEvent> demoRun() {
  std::mt19937 rng(3);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::vector<ScalarEvent> e;
  for (int64_t s = 0; s < 4500; s += 5) {
    const int stage = s < 1500 ? 0 : s < 3000 ? 1 : 2;
    const double t = (s % 1500) / 1500.0;
    const double sup = (stage == 2 ? 1.1 : 2.2) * std::exp(-2.0 * t) + 0.6 + 0.08 * noise(rng);
    const double semi = stage == 2 ? 0.0 : 1.4 * std::exp(-1.5 * t) + 0.5 + 0.08 * noise(rng);
    const double pxl = stage == 2 ? 0.0 : 3.2 - 0.9 * t + 0.05 * noise(rng);
    e.push_back({s, "loss/sup", sup});
    if (stage < 2) e.push_back({s, "loss/semi", semi});
    if (stage < 2) e.push_back({s, "loss/pxl", pxl});
    e.push_back({s, "loss/total", sup + semi + 0.1 * pxl});
  }
  for (int64_t s = 0; s <= 4500; s += 300) {
    const double t = std::min(s, int64_t{1500}) / 1500.0;
    e.push_back({s, "teacher/ap", 22.0 + 8.5 * std::sqrt(t)});
    e.push_back({s, "teacher/ap50", 42.3 + 14.3 * std::sqrt(t)});
    if (s >= 1500) {
      const double u = (s - 1500) / 3000.0;
      e.push_back({s, "student/ap", 12.0 + 21.9 * std::sqrt(u)});
      e.push_back({s, "student/ap50", 25.0 + 33.7 * std::sqrt(u)});
    }
  }
  return e;
}

TEST(PipelineScreenshotsTest, DockDuringARun) {
  PipelineDock dock;
  dock.resize(380, 640);
  dock.setRunState(RunState::Running);
  dock.setProgress("Refine", 1210, 1500, 148);
  dock.charts()->loadRun(demoRun());
  const QImage shot = shoot(dock, "dock");
  ASSERT_EQ(shot.size(), QSize(380, 640) * shot.devicePixelRatio());
  EXPECT_GT(pixelsNear(shot, QColor(214, 39, 40)), 50);  // the teacher AP curve
  EXPECT_GT(pixelsNear(shot, QColor(44, 160, 44)), 50);  // L_pxl
}

// --- the negatives inspector on COCO128 ground truth ---------------------------------

struct CocoImage {
  QImage image;
  cv::Mat labels;  // per pixel: 0 background, else category id
  std::vector<std::pair<int, std::vector<std::vector<cv::Point>>>>
      instances;  // (category, polygons)
};

CocoImage loadCoco(const nlohmann::json& coco, int imageId) {
  CocoImage out;
  const std::string root = (test::sharedData() / "coco128").string();
  for (const auto& im : coco["images"])
    if (im["id"] == imageId)
      out.image =
          QImage(QString::fromStdString(root + "/images/" + im["file_name"].get<std::string>()));
  out.labels = cv::Mat::zeros(out.image.height(), out.image.width(), CV_32S);
  for (const auto& a : coco["annotations"]) {
    if (a["image_id"] != imageId || !a["segmentation"].is_array()) continue;
    std::vector<std::vector<cv::Point>> polys;
    for (const auto& p : a["segmentation"]) {
      std::vector<cv::Point> poly;
      for (size_t i = 0; i + 1 < p.size(); i += 2)
        poly.emplace_back(static_cast<int>(p[i].get<double>()),
                          static_cast<int>(p[i + 1].get<double>()));
      polys.push_back(poly);
    }
    cv::fillPoly(out.labels, polys, cv::Scalar(a["category_id"].get<int>()));
    out.instances.emplace_back(a["category_id"].get<int>(), polys);
  }
  return out;
}

// F_c of a perfect model at 1/8 resolution: the share of each category in a cell,
// softened, then w = 1 - <F_c[a], F_c[n]> (METHODS.md §1).
cv::Mat fusedWeights(const cv::Mat& labels, int anchorCategory) {
  const int h = labels.rows / 8, w = labels.cols / 8;
  cv::Mat same = (labels == anchorCategory);
  same.convertTo(same, CV_32F, 1.0 / 255);
  cv::Mat share;
  cv::resize(same, share, cv::Size(w, h), 0, 0, cv::INTER_AREA);
  cv::GaussianBlur(share, share, cv::Size(5, 5), 1.0);
  return 1.0 - 0.97 * share;
}

// The Settings tab shows every field of the form, the student's preset among them.
TEST(PipelineScreenshotsTest, SettingsTab) {
  PipelineDock dock;
  dock.resize(380, 760);
  auto* tabs = dock.findChild<QTabWidget*>();
  ASSERT_NE(tabs, nullptr);
  for (int i = 0; i < tabs->count(); ++i)
    if (tabs->tabText(i) == "Settings") tabs->setCurrentIndex(i);
  shoot(dock, "settings");
  auto* student = dock.findChild<QComboBox*>("student_arch");
  ASSERT_NE(student, nullptr);
  EXPECT_TRUE(student->isVisible());
  EXPECT_EQ(student->currentText(), "student-m");
  auto* start = dock.findChild<QLineEdit*>("student_init");
  ASSERT_NE(start, nullptr);
  EXPECT_TRUE(start->isVisible());
  EXPECT_TRUE(start->text().isEmpty());  // none: the preset's random weights
  auto* duplicates = dock.findChild<QDoubleSpinBox*>("duplicate_iou");
  ASSERT_NE(duplicates, nullptr);
  EXPECT_TRUE(duplicates->isVisible());
}

TEST(PipelineScreenshotsTest, NegativesInspectorOnCoco) {
  DST_REQUIRE_SHARED_DATA();
  std::ifstream in(test::sharedData() / "coco128" / "instances.json");
  const nlohmann::json coco = nlohmann::json::parse(in);
  const std::vector<CocoImage> batch = {loadCoco(coco, 25), loadCoco(coco, 144),
                                        loadCoco(coco, 154)};
  const int giraffe = batch[0].instances[0].first;
  const auto& own = batch[0].instances[0].second;

  NegativesResult r;
  r.mode = "fused";
  r.anchorImage = 0;
  {  // the anchor: the giraffe's most interior pixel
    cv::Mat mask = cv::Mat::zeros(batch[0].labels.size(), CV_8U), dist;
    cv::fillPoly(mask, own, cv::Scalar(255));
    cv::distanceTransform(mask, dist, cv::DIST_L2, 3);
    cv::Point deepest;
    cv::minMaxLoc(dist, nullptr, nullptr, nullptr, &deepest);
    r.anchor = QPoint(deepest.x, deepest.y);
  }
  ASSERT_EQ(batch[0].labels.at<int>(r.anchor.y(), r.anchor.x()), giraffe);
  r.weights.push_back(cv::Mat());  // candidates come from the other images
  for (size_t i = 1; i < batch.size(); ++i)
    r.weights.push_back(fusedWeights(batch[i].labels, giraffe));
  // R = 200 negatives by Gumbel top-k on log w over both candidate maps.
  std::mt19937 rng(7);
  std::extreme_value_distribution<double> gumbel(0.0, 1.0);
  std::vector<std::pair<double, NegativeSample>> keys;
  for (int i = 1; i < 3; ++i) {
    const cv::Mat& w = r.weights[static_cast<size_t>(i)];
    for (int y = 0; y < w.rows; ++y)
      for (int x = 0; x < w.cols; ++x)
        keys.push_back({std::log(w.at<float>(y, x)) + gumbel(rng), {i, x * 8 + 4, y * 8 + 4}});
  }
  std::partial_sort(keys.begin(), keys.begin() + 200, keys.end(),
                    [](const auto& a, const auto& b) { return a.first > b.first; });
  for (int k = 0; k < 200; ++k) r.negatives.push_back(keys[static_cast<size_t>(k)].second);
  for (const auto& poly : own) {
    QPolygonF q;
    for (const cv::Point& p : poly) q << QPointF(p.x, p.y);
    r.ownInstance << q;
  }

  NegativesInspector inspector;
  inspector.resize(820, 400);
  inspector.setBatch({batch[0].image, batch[1].image, batch[2].image},
                     {"anchor image", "giraffes", "zebras"});
  inspector.setResult(r);
  EXPECT_EQ(inspector.markerCount(), 200);
  // Negatives avoid the anchor's class: few land on the giraffes of image 2.
  int onGiraffe = 0;
  for (const NegativeSample& n : r.negatives)
    onGiraffe += n.image == 1 && batch[1].labels.at<int>(n.y, n.x) == giraffe;
  EXPECT_LT(onGiraffe, 40);
  const QImage shot = shoot(inspector, "inspector");
  EXPECT_GT(pixelsNear(shot, QColor(0, 200, 255), 30), 200);  // the negatives' dots
  EXPECT_GT(pixelsNear(shot, QColor(255, 230, 0), 60), 50);   // the own-instance outline
}

// A prediction as the app would render it: the photo with filled instance masks.
QImage renderPrediction(const CocoImage& im, size_t instances, QColor colour) {
  QImage out = im.image.convertToFormat(QImage::Format_RGB32);
  QPainter p(&out);
  p.setRenderHint(QPainter::Antialiasing);
  colour.setAlpha(110);
  p.setBrush(colour);
  p.setPen(QPen(colour.darker(150), 3));
  for (size_t i = 0; i < std::min(instances, im.instances.size()); ++i)
    for (const auto& poly : im.instances[i].second) {
      QPolygonF q;
      for (const cv::Point& pt : poly) q << QPointF(pt.x, pt.y);
      p.drawPolygon(q);
    }
  return out;
}

TEST(PipelineScreenshotsTest, CompareView) {
  const double nan = std::nan("");
  CompareView view;
  view.resize(560, 640);
  view.setScores(
      {"person", "rider", "car", "truck", "bus", "train", "motorcycle", "bicycle"},
      {{"zero-shot teacher", 22.0, 42.3, 568e6, 1410.0, {28, 18, 40, 20, 30, 12, 14, 14}},
       {"adapted teacher", 30.5, 56.6, 568e6, 1412.0, {35, 26, 52, 29, 41, 22, 19, 20}},
       {"student", 33.9, 58.7, 52e6, 131.0, {37, 28, 55, 33, 48, 30, nan, 22}}});
  view.setImages({"000000000154.jpg", "000000000025.jpg"});
  QImage left(640, 427, QImage::Format_RGB32), right(640, 427, QImage::Format_RGB32);
  left.fill(QColor(90, 110, 90));
  right.fill(QColor(90, 90, 120));
  if (!test::sharedData().empty()) {
    std::ifstream in(test::sharedData() / "coco128" / "instances.json");
    const CocoImage zebras = loadCoco(nlohmann::json::parse(in), 154);
    left = renderPrediction(zebras, 1, QColor(150, 150, 150));  // the zero-shot teacher misses two
    right = renderPrediction(zebras, 3, QColor(31, 119, 180));
  }
  view.setPrediction("000000000154.jpg", "zero-shot teacher", left);
  view.setPrediction("000000000154.jpg", "student", right);
  EXPECT_EQ(view.table()->rowCount(), 3);
  const QImage shot = shoot(view, "compare");
  EXPECT_GT(pixelsNear(shot, QColor(31, 119, 180)), 100);  // the student's bars
}

TEST(PipelineScreenshotsTest, TeacherPanelWithContractErrors) {
  TeacherPanel panel;
  panel.resize(420, 720);
  panel.setModelPath("/models/gdino_sam21.pt");
  panel.setContractResult(
      false, {},
      {"gdino_sam21.pt: forward(): expected 1 input [1,3,H,W] float32, got 2 inputs",
       "gdino_sam21.json: 'classes' missing, expected a list of class names"});
  panel.setClasses({"person", "rider", "car", "traffic_light", "zebra"},
                   {"person", "car", "traffic light"});
  panel.setPretrainProgress(420, 1200, 95);
  panel.setPoolProgress(64, 128, 173, 41);
  const QImage shot = shoot(panel, "teacher");
  EXPECT_GT(pixelsNear(shot, QColor(198, 40, 40), 60), 30);  // the errors are red
}

TEST(PipelineScreenshotsTest, ExportDialogWithReport) {
  ExportDialog dialog;
  ExportOptions o;
  o.labelsPath = "/projects/streets/export/instances.json";
  o.sources = {"human", "teacher"};
  o.statuses = {"accepted", "edited"};
  dialog.setOptions(o);
  ExportReport r;
  r.imagesWritten = 126;
  r.instancesWritten = 921;
  r.files = {o.labelsPath};
  r.skipped = {"frankfurt_000294.png: annotation 17: polygon has 2 points, expected at least 3",
               "lindau_000031.png: annotation 4: empty mask"};
  r.notes = {"crowd regions kept as RLE"};
  dialog.setReport(r);
  dialog.resize(520, 470);
  const QImage shot = shoot(dialog, "export");
  EXPECT_FALSE(shot.isNull());
  EXPECT_EQ(dialog.reportLines().size(), 4);
}

}  // namespace
}  // namespace distillery
