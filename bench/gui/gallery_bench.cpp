// distillery-gui-bench gallery: scroll a 100k-image synthetic project through
// the virtualised gallery and report frame times (scroll + layout + paint per
// step) against a baseline measured in the same run: a QListWidget of 10k
// items built eagerly with every thumbnail made up front (the naive gallery).
//
//   distillery-gui-bench gallery [--rows 100000] [--baseline-rows 10000]
//       [--steps 300] [--thumb-delay-us 0] [--screenshot docs/images/gallery.png]
#include <QApplication>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QListWidget>
#include <QScrollBar>
#include <QSplitter>
#include <QVBoxLayout>
#include <QWindow>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "bench/gui/gui_benchmarks.h"
#include "widgets/gallery/gallery_model.h"
#include "widgets/gallery/gallery_panel.h"
#include "widgets/gallery/synthetic_gallery.h"
#include "widgets/gallery/thumbnail_loader.h"
#include "widgets/panels/classes_panel.h"
#include "widgets/panels/instances_panel.h"
#include "widgets/review/review_queue_panel.h"

namespace distillery::bench {
namespace {

struct Options {
  int rows = 100000;
  int baselineRows = 10000;
  int steps = 300;
  int thumbDelayUs = 0;
  bool thumbnails = true;
  std::string screenshot;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    if (key == "--rows")
      o.rows = std::atoi(argv[i + 1]);
    else if (key == "--baseline-rows")
      o.baselineRows = std::atoi(argv[i + 1]);
    else if (key == "--steps")
      o.steps = std::atoi(argv[i + 1]);
    else if (key == "--thumb-delay-us")
      o.thumbDelayUs = std::atoi(argv[i + 1]);
    else if (key == "--screenshot")
      o.screenshot = argv[i + 1];
    else if (key == "--thumbnails")
      o.thumbnails = std::atoi(argv[i + 1]) != 0;
    else
      std::fprintf(stderr, "gallery: ignoring unknown option %s\n", key.c_str());
  }
  return o;
}

struct Stats {
  double p50 = 0, p99 = 0, max = 0;
};

Stats stats(std::vector<double> ms) {
  Stats s;
  if (ms.empty()) return s;
  std::sort(ms.begin(), ms.end());
  const auto at = [&](double q) {
    return ms[std::min(ms.size() - 1, static_cast<size_t>(std::ceil(q * ms.size())) - 1)];
  };
  s.p50 = at(0.50);
  s.p99 = at(0.99);
  s.max = ms.back();
  return s;
}

void waitExposed(QWidget& w) {
  QElapsedTimer t;
  t.start();
  while ((!w.windowHandle() || !w.windowHandle()->isExposed()) && t.elapsed() < 3000)
    QApplication::processEvents(QEventLoop::AllEvents, 20);
}

// CPU time of the calling (GUI) thread: steadier than wall time on a shared
// machine, and what the widgets themselves cost.
double threadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct Frames {
  std::vector<double> wall, cpu;
  int paints = 0;
};

// Counts paint events of a viewport (a frame must paint exactly once).
class PaintCounter : public QObject {
 public:
  int paints = 0;
  bool eventFilter(QObject*, QEvent* e) override {
    paints += e->type() == QEvent::Paint;
    return false;
  }
};

// One frame: move the scroll bar, then one turn of the event loop: queued
// thumbnails land, the delayed layout runs and the dirty region is painted.
void frame(QAbstractItemView* view, int value, Frames& out) {
  PaintCounter counter;
  view->viewport()->installEventFilter(&counter);
  QElapsedTimer t;
  const double cpu0 = threadCpuMs();
  t.start();
  view->verticalScrollBar()->setValue(value);
  QApplication::processEvents();
  if (counter.paints == 0) view->viewport()->repaint();
  out.wall.push_back(t.nsecsElapsed() / 1e6);
  out.cpu.push_back(threadCpuMs() - cpu0);
  out.paints += std::max(1, counter.paints);
  view->viewport()->removeEventFilter(&counter);
}

struct Run {
  Frames smooth, jump;
};

// Both views scroll in turn, step by step, so load from other processes hits
// both alike. Smooth: half a viewport per step from the top. Jump: random
// positions over the whole range, as when dragging the scroll bar.
void scrollBoth(QAbstractItemView* a, QAbstractItemView* b, int steps, Run& ra, Run& rb) {
  std::mt19937 rng(3);
  for (int i = 0; i < steps; ++i) {
    for (auto [view, run] : {std::pair{a, &ra}, std::pair{b, &rb}}) {
      QScrollBar* bar = view->verticalScrollBar();
      frame(view, std::min(bar->maximum(), i * view->viewport()->height() / 2), run->smooth);
    }
  }
  for (int i = 0; i < steps; ++i) {
    const double where = std::uniform_real_distribution<double>(0, 1)(rng);
    for (auto [view, run] : {std::pair{a, &ra}, std::pair{b, &rb}}) {
      QScrollBar* bar = view->verticalScrollBar();
      frame(view, static_cast<int>(where * bar->maximum()), run->jump);
    }
  }
}

void printFrames(const char* what, const Frames& f) {
  const Stats w = stats(f.wall), c = stats(f.cpu);
  std::printf(
      "  %-13s wall p50 %6.2f  p99 %6.2f ms | GUI-thread CPU p50 %6.2f  p99 %6.2f ms | %.2f "
      "paints/frame\n",
      what, w.p50, w.p99, c.p50, c.p99, double(f.paints) / std::max<size_t>(1, f.wall.size()));
}

void printRatio(const char* what, const Frames& g, const Frames& b) {
  std::printf("  %-13s wall p50 %6.2f  p99 %6.2f    | GUI-thread CPU p50 %6.2f  p99 %6.2f\n", what,
              stats(g.wall).p50 / stats(b.wall).p50, stats(g.wall).p99 / stats(b.wall).p99,
              stats(g.cpu).p50 / stats(b.cpu).p50, stats(g.cpu).p99 / stats(b.cpu).p99);
}

double elapsedMs(const QElapsedTimer& t) {
  return t.nsecsElapsed() / 1e6;
}

int saveScreenshot(const std::string& file);

int runGallery(int argc, char** argv) {
  const Options o = parse(argc, argv);
  if (!o.screenshot.empty()) return saveScreenshot(o.screenshot);

  // ---- baseline: an eager QListWidget, every thumbnail made up front ---------
  auto small = std::make_shared<SyntheticGallery>(o.baselineRows);
  small->setThumbnailDelayUs(o.thumbDelayUs);
  QListWidget list;
  list.setViewMode(QListView::IconMode);
  list.setMovement(QListView::Static);
  list.setResizeMode(QListView::Adjust);
  list.setIconSize({96, 96});
  list.setUniformItemSizes(true);
  list.setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
  list.resize(340, 900);
  list.show();
  waitExposed(list);
  QElapsedTimer t;
  t.start();
  for (int64_t id = 1; id <= o.baselineRows; ++id)
    new QListWidgetItem(QIcon(QPixmap::fromImage(small->thumbnail(id, {96, 96}))),
                        small->row(id).fileName, &list);
  QApplication::processEvents();
  list.viewport()->repaint();
  const double buildMs = elapsedMs(t);
  t.restart();
  list.resize(360, 900);
  QApplication::processEvents();
  list.viewport()->repaint();
  const double baseRelayoutMs = elapsedMs(t);

  // ---- the virtualised gallery -----------------------------------------------
  auto project = std::make_shared<SyntheticGallery>(o.rows);
  project->setThumbnailDelayUs(o.thumbDelayUs);
  GalleryPanel panel;
  panel.resize(340, 900);
  panel.show();
  waitExposed(panel);
  t.restart();
  panel.setProviders(project, o.thumbnails ? project : nullptr);
  QApplication::processEvents();
  panel.view()->viewport()->repaint();
  const double openMs = elapsedMs(t);
  t.restart();
  panel.resize(360, 900);  // a dock resize lays out every row again
  QApplication::processEvents();
  panel.view()->viewport()->repaint();
  const double relayoutMs = elapsedMs(t);

  Run gallery, baseline;
  scrollBoth(panel.view(), &list, o.steps, gallery, baseline);
  const int heldPages = panel.model()->heldPageCount();
  panel.thumbnails()->waitForIdle();

  std::printf(
      "gallery (virtualised): %d rows, %d steps smooth + %d jump, paint of a %dx%d viewport\n",
      o.rows, o.steps, o.steps, panel.view()->viewport()->width(),
      panel.view()->viewport()->height());
  std::printf("  open (count + first paint) %8.1f ms\n", openMs);
  std::printf("  relayout after a resize    %8.1f ms\n", relayoutMs);
  printFrames("smooth scroll", gallery.smooth);
  printFrames("jump scroll", gallery.jump);
  std::printf("  pages held at the end      %8d of %d\n", heldPages, (o.rows + 199) / 200);
  std::printf("baseline QListWidget, eager thumbnails: %d items\n", o.baselineRows);
  std::printf("  build (items + first paint)%8.1f ms\n", buildMs);
  std::printf("  relayout after a resize    %8.1f ms\n", baseRelayoutMs);
  printFrames("smooth scroll", baseline.smooth);
  printFrames("jump scroll", baseline.jump);
  std::printf("ratios gallery / baseline (gallery holds %.0fx the rows)\n",
              double(o.rows) / o.baselineRows);
  std::printf("  open / build               %8.3f\n", openMs / buildMs);
  std::printf("  relayout                   %8.3f\n", relayoutMs / baseRelayoutMs);
  printRatio("smooth scroll", gallery.smooth, baseline.smooth);
  printRatio("jump scroll", gallery.jump, baseline.jump);
  return 0;
}

// ---- screenshot for docs/gallery.md ------------------------------------------

class DemoQueue : public ReviewQueueProvider {
 public:
  std::vector<ReviewItem> reviewQueue() override {
    const QColor person("#e6194b"), balloon("#3cb44b"), dog("#4363d8");
    return {
        {901, 40213, "img_0040213.jpg", 1, "person", person, 0.97, 0.91, LabelReview::Accepted},
        {902, 40213, "img_0040213.jpg", 2, "balloon", balloon, 0.88, 0.83, LabelReview::Pending},
        {903, 7781, "img_0007781.jpg", 3, "dog", dog, 0.74, 0.69, LabelReview::Pending},
        {904, 7781, "img_0007781.jpg", 1, "person", person, 0.52, 0.61, LabelReview::Pending},
        {905, 120, "img_0000120.jpg", 2, "balloon", balloon, 0.35, 0.40, LabelReview::Rejected},
        {906, 66002, "img_0066002.jpg", 3, "dog", dog, 0.31, 0.22, LabelReview::Pending}};
  }
};

int saveScreenshot(const std::string& file) {
  auto project = std::make_shared<SyntheticGallery>(100000);
  QWidget window;
  window.setWindowTitle("Distillery gallery docks");
  auto* gallery = new GalleryPanel;
  gallery->setThumbnailSize(80);
  auto* classes = new ClassesPanel;
  auto* instances = new InstancesPanel;
  auto* review = new ReviewQueuePanel;
  auto* right = new QSplitter(Qt::Vertical);
  right->addWidget(classes);
  right->addWidget(instances);
  right->addWidget(review);
  auto* layout = new QHBoxLayout(&window);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(gallery, 1);
  layout->addWidget(right, 1);
  window.resize(760, 620);
  window.show();
  waitExposed(window);

  gallery->setProviders(project, project);
  gallery->setOrder(GalleryOrder::Uncertainty);
  gallery->setCurrentImage(gallery->model()->imageIdAt(1));
  classes->setClasses({{1, "person", QColor("#e6194b"), 412},
                       {2, "balloon", QColor("#3cb44b"), 96},
                       {3, "dog", QColor("#4363d8"), 57}});
  classes->setCurrentClass(2);
  instances->setInstances(
      {{901, 1, "person", QColor("#e6194b"), Source::Teacher, 0.97, LabelReview::Accepted},
       {902, 2, "balloon", QColor("#3cb44b"), Source::Teacher, 0.88, LabelReview::Pending},
       {910, 2, "balloon", QColor("#3cb44b"), Source::Human, 1.0, LabelReview::Accepted}});
  instances->setSelectedInstance(902);
  review->setProvider(std::make_shared<DemoQueue>());
  review->setThresholds(0.5, 0.5);
  review->setCurrentAnnotation(902);
  right->setSizes({120, 150, 330});
  for (int i = 0; i < 3; ++i) {  // paint, let thumbnails land, paint again
    QApplication::processEvents();
    gallery->thumbnails()->waitForIdle();
  }
  QApplication::processEvents();
  // 8-bit palette keeps the PNG small; the thumbnails are flat colours anyway.
  const QImage shot =
      window.grab().toImage().convertToFormat(QImage::Format_Indexed8, Qt::ThresholdDither);
  if (!shot.save(QString::fromStdString(file))) {
    std::fprintf(stderr, "gallery: cannot write %s\n", file.c_str());
    return 1;
  }
  std::printf("wrote %s (%dx%d)\n", file.c_str(), shot.width(), shot.height());
  return 0;
}

const GuiBenchmarkRegistration kRegistration{
    {"gallery",
     "gallery scroll frame times, 100k rows, vs an eager QListWidget (--screenshot FILE)",
     runGallery}};

}  // namespace
}  // namespace distillery::bench
