// distillery-gui-bench canvas: frames per second of the annotation canvas on large images
// with ~50 instance overlays while zooming and panning, against a baseline measured in the
// same run that draws the full-resolution image and full-resolution overlay images scaled
// each frame (no pyramid, no per-level overlay cache). Frames of the two alternate, so a
// busy machine slows both alike; the ratio is the figure to read.
//
//   distillery-gui-bench canvas [--frames N] [--sizes 4000x3000,8000x6000] [--view 1280x800]
//                               [--overlays 50] [--no-image-only]
//   distillery-gui-bench canvas --screenshots docs/images   (the figures of docs/canvas.md)
// Each size runs with the overlays, then without (the image alone: the pyramid's share).
#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPainter>
#include <QTimer>
#include <QWidget>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <opencv2/imgproc.hpp>
#include <random>
#include <string>
#include <vector>

#include "bench/gui/gui_benchmarks.h"
#include "widgets/canvas/image_canvas.h"
#include "widgets/canvas/image_conversion.h"
#include "widgets/canvas/instance_colors.h"
#include "widgets/canvas/mask_polygon.h"
#include "widgets/tools/abstract_tool.h"
#include "widgets/tools/brush_tool.h"

namespace distillery::bench {
namespace {

struct Options {
  int frames = 60;
  int overlays = 50;
  bool imageOnly = true;  // also run without overlays
  std::vector<QSize> sizes = {QSize(4000, 3000), QSize(8000, 6000)};
  QSize view = QSize(1280, 800);
};

// A textured photo stand-in: smooth colour fields plus fine noise.
cv::Mat syntheticPhoto(QSize size) {
  cv::Mat coarse(24, 32, CV_8UC3);
  cv::randu(coarse, 30, 220);
  cv::Mat image;
  cv::resize(coarse, image, cv::Size(size.width(), size.height()), 0, 0, cv::INTER_CUBIC);
  cv::Mat noise(image.size(), CV_8UC3);
  cv::randu(noise, 0, 24);
  image += noise;
  return image;
}

// ~50 ellipses of a few hundred pixels, as crops; every fourth a teacher pseudo-mask.
std::vector<OverlayInstance> syntheticInstances(QSize size, int count) {
  std::mt19937 rng(11);
  const int unit = std::max(size.width(), size.height()) / 40;
  std::uniform_int_distribution<int> radius(unit, 4 * unit);
  std::uniform_real_distribution<double> u(0.1, 0.9);
  std::vector<OverlayInstance> out;
  for (int i = 0; i < count; ++i) {
    const int rx = radius(rng), ry = radius(rng);
    OverlayInstance instance;
    instance.id = i + 1;
    instance.mask = cv::Mat::zeros(2 * ry + 1, 2 * rx + 1, CV_8U);
    cv::ellipse(instance.mask, cv::Point(rx, ry), cv::Size(rx, ry), 0, 0, 360, 255, cv::FILLED);
    instance.maskOrigin = QPoint(int(u(rng) * size.width()) - rx, int(u(rng) * size.height()) - ry);
    if (i % 4 == 0) {
      instance.source = Source::Teacher;
      instance.score = u(rng);
      instance.review = OverlayReview::Pending;
    }
    out.push_back(std::move(instance));
  }
  return out;
}

// The naive canvas: one full-resolution QImage and full-resolution overlay images, scaled by
// QPainter on every frame. Same view transform, same outlines.
class NaiveCanvas : public QWidget {
 public:
  NaiveCanvas(QImage image, const OverlayLayer& layer) : image_(std::move(image)), layer_(layer) {
    for (int i = 0; i < layer.size(); ++i) fills_.push_back(layer.fill(i, 0));
  }
  ViewTransform view;

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter p(this);
    p.fillRect(rect(), QColor(48, 48, 52));
    p.setRenderHint(QPainter::SmoothPixmapTransform, view.scale() < 1.0);
    p.drawImage(view.toView(QRectF(image_.rect())), image_);
    for (int i = 0; i < layer_.size(); ++i) {
      const OverlayLayer::Entry& e = layer_.entry(i);
      p.setOpacity(0.45);
      p.drawImage(view.toView(QRectF(e.bounds)), fills_[size_t(i)]);
      p.setOpacity(1.0);
      p.save();
      p.setTransform(view.imageToView(), true);
      QPen pen(e.color, 1.5, e.instance.source == Source::Teacher ? Qt::DashLine : Qt::SolidLine);
      pen.setCosmetic(true);
      p.setPen(pen);
      for (const QPolygonF& polygon : e.outline) p.drawPolygon(polygon);
      p.restore();
    }
  }

 private:
  QImage image_;
  const OverlayLayer& layer_;
  std::vector<QImage> fills_;
};

// The camera path: from fit, zoom in at wandering points to 4x while panning, then back out.
std::vector<ViewTransform> cameraPath(QSize image, QSize view, int frames) {
  std::vector<ViewTransform> path;
  ViewTransform v;
  v.fit(image, view);
  const double fit = v.scale();
  const double steps = std::log(4.0 / fit) / std::log(1.25);
  for (int i = 0; i < frames; ++i) {
    const double t = double(i) / std::max(1, frames - 1);          // 0..1
    const double level = steps * (1.0 - std::abs(2.0 * t - 1.0));  // up then down
    ViewTransform f;
    f.fit(image, view);
    const QPointF anchor(view.width() * (0.3 + 0.4 * t),
                         view.height() * (0.4 + 0.2 * std::sin(6 * t)));
    f.zoomAt(anchor, std::pow(1.25, level));
    f.panBy(QPointF(37.0 * std::sin(9 * t), 23.0 * std::cos(7 * t)));
    path.push_back(f);
  }
  return path;
}

// CPU time of the process: on a shared machine, wall time mostly measures the other
// processes. (Not the thread's: Qt's raster engine spreads large fills over its pool.)
double cpuMs() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

struct Timing {
  double overviewMs = 0, detailMs = 0;
  int overviewFrames = 0, detailFrames = 0;
  void add(double ms, bool detail) {
    (detail ? detailMs : overviewMs) += ms;
    ++(detail ? detailFrames : overviewFrames);
  }
  static double fps(double ms, int frames) { return ms > 0 ? 1000.0 * frames / ms : 0; }
  double total() const { return fps(overviewMs + detailMs, overviewFrames + detailFrames); }
};

int runOne(QSize size, int overlays, const Options& options) {
  const cv::Mat photo = syntheticPhoto(size);
  ImageCanvas canvas;
  canvas.resize(options.view);
  QEventLoop loop;
  QObject::connect(&canvas, &ImageCanvas::imageReady, &loop, &QEventLoop::quit);
  QObject::connect(&canvas, &ImageCanvas::imageFailed, &loop, &QEventLoop::quit);
  QTimer::singleShot(300000, &loop, &QEventLoop::quit);
  QElapsedTimer build;
  build.start();
  canvas.setImage(photo);
  loop.exec();
  if (!canvas.isImageReady()) {
    std::fprintf(stderr, "canvas: the pyramid of %dx%d was not built\n", size.width(),
                 size.height());
    return 1;
  }
  const double buildMs = build.elapsed();
  canvas.setInstances(syntheticInstances(size, overlays));
  NaiveCanvas naive(toQImage(photo), canvas.overlays());
  naive.resize(options.view);

  QImage frame(options.view, QImage::Format_ARGB32_Premultiplied);
  const auto path = cameraPath(size, options.view, options.frames);
  // One untimed pass warms both (lazy overlay fills, first pixmap conversions).
  for (const auto* w : {static_cast<QWidget*>(&canvas), static_cast<QWidget*>(&naive)})
    const_cast<QWidget*>(w)->render(&frame);
  Timing ours, base;
  double oursWall = 0, baseWall = 0;
  QElapsedTimer wall;
  for (const ViewTransform& v : path) {
    const bool detail = v.scale() >= 1.0;
    canvas.setView(v.scale(), v.offset());
    double start = cpuMs();
    wall.start();
    canvas.render(&frame);
    oursWall += wall.nsecsElapsed() / 1e6;
    ours.add(cpuMs() - start, detail);
    naive.view = v;
    start = cpuMs();
    wall.start();
    naive.render(&frame);
    baseWall += wall.nsecsElapsed() / 1e6;
    base.add(cpuMs() - start, detail);
  }
  std::printf("%dx%d, %d overlays, view %dx%d, %d frames (%d overview below 1:1, %d detail)\n",
              size.width(), size.height(), canvas.overlays().size(), options.view.width(),
              options.view.height(), options.frames, ours.overviewFrames, ours.detailFrames);
  std::printf("  pyramid build (worker thread): %.0f ms, %d levels, %.0f MB of tiles\n", buildMs,
              canvas.pyramid()->levelCount(), canvas.pyramid()->byteSize() / 1e6);
  std::printf("  frames per CPU-second (first visits of each tile included)\n");
  std::printf("  %-28s %10s %10s %10s\n", "", "overview", "detail", "all");
  std::printf("  %-28s %10.1f %10.1f %10.1f fps\n", "canvas (pyramid + caches)",
              Timing::fps(ours.overviewMs, ours.overviewFrames),
              Timing::fps(ours.detailMs, ours.detailFrames), ours.total());
  std::printf("  %-28s %10.1f %10.1f %10.1f fps\n", "baseline (full-res scaled)",
              Timing::fps(base.overviewMs, base.overviewFrames),
              Timing::fps(base.detailMs, base.detailFrames), base.total());
  auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
  std::printf("  %-28s %10.1fx %9.1fx %9.1fx\n", "speed-up",
              ratio(Timing::fps(ours.overviewMs, ours.overviewFrames),
                    Timing::fps(base.overviewMs, base.overviewFrames)),
              ratio(Timing::fps(ours.detailMs, ours.detailFrames),
                    Timing::fps(base.detailMs, base.detailFrames)),
              ratio(ours.total(), base.total()));
  std::printf("  wall clock on this machine now: canvas %.1f fps, baseline %.1f fps (%.1fx)\n",
              1000.0 * path.size() / oursWall, 1000.0 * path.size() / baseWall,
              baseWall / oursWall);
  std::fflush(stdout);
  return 0;
}

// The figure in docs/canvas.md: a synthetic scene with every kind of overlay and a polygon
// being drawn, rendered offscreen to a PNG.
int writeScreenshots(const QString& dir) {
  cv::Mat scene(600, 900, CV_8UC3);
  for (int y = 0; y < scene.rows; ++y)  // sky to haze, then a field
    scene.row(y).setTo(y < 420 ? cv::Scalar(235 - y / 6, 190 - y / 8, 120 + y / 8)
                               : cv::Scalar(70, 140, 90));
  cv::ellipse(scene, {200, 200}, {70, 90}, 0, 0, 360, cv::Scalar(60, 60, 210), cv::FILLED);
  cv::ellipse(scene, {420, 160}, {60, 78}, 0, 0, 360, cv::Scalar(40, 170, 230), cv::FILLED);
  cv::ellipse(scene, {760, 230}, {55, 70}, 0, 0, 360, cv::Scalar(160, 80, 150), cv::FILLED);
  cv::rectangle(scene, cv::Rect(560, 330, 180, 140), cv::Scalar(80, 90, 120), cv::FILLED);

  ImageCanvas canvas;
  canvas.resize(900, 600);
  QEventLoop loop;
  QObject::connect(&canvas, &ImageCanvas::imageReady, &loop, &QEventLoop::quit);
  canvas.setImage(scene);
  loop.exec();
  auto ellipse = [](qint64 id, cv::Point c, cv::Size axes) {
    OverlayInstance o;
    o.id = id;
    o.mask = cv::Mat::zeros(600, 900, CV_8U);
    cv::ellipse(o.mask, c, axes, 0, 0, 360, 255, cv::FILLED);
    return o;
  };
  OverlayInstance human = ellipse(1, {200, 200}, {70, 90});  // a seed label, selected
  human.classColor = QColor(255, 90, 90);
  human.selected = true;
  OverlayInstance teacher = ellipse(2, {420, 160}, {63, 80});
  teacher.source = Source::Teacher;
  teacher.score = 0.87;
  teacher.review = OverlayReview::Pending;
  OverlayInstance unsure = ellipse(3, {760, 230}, {50, 75});
  unsure.source = Source::Teacher;
  unsure.score = 0.41;
  unsure.review = OverlayReview::Pending;
  OverlayInstance rejected = ellipse(4, {330, 470}, {60, 30});
  rejected.source = Source::Teacher;
  rejected.score = 0.22;
  rejected.review = OverlayReview::Rejected;
  canvas.setInstances({human, teacher, unsure, rejected});
  canvas.setTool(ImageCanvas::ToolId::Polygon);  // a polygon half drawn around the house
  auto press = [&](QPointF image, bool moveOnly) {
    ToolMouseEvent e;
    e.imagePos = image;
    e.viewPos = canvas.mapFromImage(image);
    e.button = moveOnly ? Qt::NoButton : Qt::LeftButton;
    if (moveOnly) {
      canvas.tool()->mouseMoved(e);
    } else {
      canvas.tool()->mousePressed(e);
      canvas.tool()->mouseReleased(e);
    }
  };
  for (QPointF p : {QPointF(560, 330), QPointF(740, 330), QPointF(740, 470)}) press(p, false);
  press(QPointF(585, 468), true);
  auto save = [&](const char* name) {
    const QString path = dir + "/" + name;
    const bool ok = canvas.grab().save(path);
    std::printf("%s %s\n", ok ? "wrote" : "cannot write", qPrintable(path));
    return ok;
  };
  if (!save("canvas-overview.png")) return 1;
  // Zoomed in on the teacher's pseudo-mask with the brush: pixels, dashes, the size circle.
  canvas.setTool(ImageCanvas::ToolId::Brush);
  canvas.selectInstance(2);
  canvas.brushTool()->setBrushSize(18);
  canvas.zoomAt(canvas.mapFromImage(QPointF(470, 190)), 4.0);
  press(QPointF(462, 196), true);
  return save("canvas-zoom.png") ? 0 : 1;
}

QSize parseSize(const char* text) {
  int w = 0, h = 0;
  return std::sscanf(text, "%dx%d", &w, &h) == 2 && w > 0 && h > 0 ? QSize(w, h) : QSize();
}

int runCanvasBench(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const bool hasValue = i + 1 < argc;
    if (!std::strcmp(argv[i], "--frames") && hasValue) {
      options.frames = std::max(2, std::atoi(argv[++i]));
    } else if (!std::strcmp(argv[i], "--overlays") && hasValue) {
      options.overlays = std::max(0, std::atoi(argv[++i]));
    } else if (!std::strcmp(argv[i], "--screenshots") && hasValue) {
      return writeScreenshots(argv[++i]);
    } else if (!std::strcmp(argv[i], "--no-image-only")) {
      options.imageOnly = false;
    } else if (!std::strcmp(argv[i], "--view") && hasValue) {
      options.view = parseSize(argv[++i]);
    } else if (!std::strcmp(argv[i], "--sizes") && hasValue) {
      options.sizes.clear();
      for (const QString& s : QString(argv[++i]).split(','))
        if (QSize q = parseSize(s.toLatin1().constData()); q.isValid()) options.sizes.push_back(q);
    } else {
      std::fprintf(stderr,
                   "usage: distillery-gui-bench canvas [--frames N] [--sizes WxH,...] [--view WxH] "
                   "[--overlays N] [--no-image-only]\n");
      return 2;
    }
  }
  if (options.view.isEmpty() || options.sizes.empty()) {
    std::fprintf(stderr,
                 "canvas: sizes are WIDTHxHEIGHT, e.g. --sizes 4000x3000 --view 1280x800\n");
    return 2;
  }
  for (const QSize& size : options.sizes) {
    if (int rc = runOne(size, options.overlays, options)) return rc;
    if (options.overlays > 0 && options.imageOnly) {
      if (int rc = runOne(size, 0, options)) return rc;  // the pyramid's share of the gain
    }
  }
  return 0;
}

const GuiBenchmarkRegistration kRegistration(
    {"canvas",
     "canvas fps on 4000x3000 and 8000x6000 images with 50 "
     "overlays, zooming/panning, vs full-resolution scaling",
     runCanvasBench});

}  // namespace
}  // namespace distillery::bench
