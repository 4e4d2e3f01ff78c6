// distillery-gui-bench training-stall: does training stall the GUI? The real main
// window runs a small real CAST run on a temporary demo project through the pipeline
// dock's worker (live curves drawn, history and review queue refreshed), while a 5 ms
// QTimer on the GUI thread records how late each of its ticks is. The baseline, measured
// first in the same run, is the same probe on the same idle window. Goal: p99 < 30 ms.
//
//   distillery-gui-bench training-stall [--seconds 60] [--baseline-seconds 15]
//       [--images 24] [--size 128] [--student student-s] [--teacher-arch tiny]
//       [--keep DIR]   (keep the project there; default: a temporary folder)
//
// Training is cancelled after --seconds if it has not finished. The engine uses
// every core unless DISTILLERY_THREADS says otherwise; the figures say which.
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include "app/gui/main_window.h"
#include "app/gui/pipeline_controller.h"
#include "app/gui/project_session.h"
#include "bench/gui/gui_benchmarks.h"
#include "engine/api/demo_project.h"
#include "engine/api/distillation.h"
#include "widgets/pipeline/pipeline_config.h"
#include "widgets/pipeline/pipeline_dock.h"
#include "widgets/pipeline/training_charts.h"

namespace distillery::bench {
namespace {

struct Options {
  double seconds = 60;
  double baselineSeconds = 15;
  int images = 24;
  int size = 128;
  std::string student = "student-s";
  std::string teacherArch = "tiny";
  std::string keep;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    const char* v = argv[i + 1];
    if (key == "--seconds") o.seconds = std::atof(v);
    else if (key == "--baseline-seconds") o.baselineSeconds = std::atof(v);
    else if (key == "--images") o.images = std::atoi(v);
    else if (key == "--size") o.size = std::atoi(v);
    else if (key == "--student") o.student = v;
    else if (key == "--teacher-arch") o.teacherArch = v;
    else if (key == "--keep") o.keep = v;
    else std::fprintf(stderr, "training-stall: ignoring unknown option %s\n", argv[i]);
  }
  return o;
}

double threadCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

struct Probe {
  std::vector<double> lateMs;  // per tick: interval - 5 ms, at least 0
  std::vector<double> atMs;    // when each tick came, from the probe's start
  std::vector<double> cpuMs;   // GUI-thread CPU time since the previous tick (work, not waiting)
  double wallMs = 0, guiCpuMs = 0;
};

// What the window reported, with the time since the training probe started.
struct Note {
  double atMs;
  QString text;
};

// Runs the event loop for `seconds` (or until `stop` says so) with a 5 ms probe timer.
Probe probe(double seconds, const std::function<bool()>& stop = {}) {
  constexpr double kPeriodMs = 5;
  Probe p;
  QTimer timer;
  timer.setTimerType(Qt::PreciseTimer);
  timer.setInterval(static_cast<int>(kPeriodMs));
  QElapsedTimer clock;
  qint64 last = -1;
  double lastCpu = 0;
  QEventLoop loop;
  QObject::connect(&timer, &QTimer::timeout, [&] {
    const qint64 now = clock.nsecsElapsed();
    const double cpu = threadCpuMs();
    if (last >= 0) {
      p.lateMs.push_back(std::max(0.0, (now - last) / 1e6 - kPeriodMs));
      p.atMs.push_back(now / 1e6);
      p.cpuMs.push_back(cpu - lastCpu);
    }
    last = now;
    lastCpu = cpu;
    if (now / 1e9 >= seconds || (stop && stop())) loop.quit();
  });
  const double cpu0 = threadCpuMs();
  clock.start();
  timer.start();
  loop.exec();
  p.wallMs = clock.nsecsElapsed() / 1e6;
  p.guiCpuMs = threadCpuMs() - cpu0;
  return p;
}

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(q * (v.size() - 1) + 0.5))];
}

void report(const char* what, const Probe& p) {
  const double mx = p.lateMs.empty() ? 0 : *std::max_element(p.lateMs.begin(), p.lateMs.end());
  std::printf("  %-9s %6zu ticks in %6.1f s | late p50 %6.2f ms  p99 %6.2f ms  max %7.1f ms | "
              "GUI-thread CPU %4.1f%%\n",
              what, p.lateMs.size(), p.wallMs / 1e3, percentile(p.lateMs, 0.5), percentile(p.lateMs, 0.99),
              mx, 100.0 * p.guiCpuMs / std::max(1.0, p.wallMs));
}

int runTrainingStall(int argc, char** argv) {
  const Options o = parse(argc, argv);
  QStandardPaths::setTestModeEnabled(true);  // the window's settings stay out of the user's
  QTemporaryDir temp;
  const std::filesystem::path root = o.keep.empty() ? temp.path().toStdString() : o.keep;

  std::printf("training-stall: %d-image demo project at %d px, student %s, teacher %s (pretrained here)\n",
              o.images, o.size, o.student.c_str(), o.teacherArch.c_str());
  DemoOptions d;
  d.cacheDir = root;
  d.images = o.images;
  d.seeds = std::max(2, o.images / 6);
  d.val = std::max(2, o.images / 6);
  d.size = o.size;
  auto project = ensureDemoProject(d);
  if (!project.ok()) {
    std::fprintf(stderr, "training-stall: %s\n", project.status().message().c_str());
    return 1;
  }
  PretrainOptions p;
  p.arch = o.teacherArch;
  p.domains = {"studio"};
  p.imagesPerDomain = 16;
  p.size = o.size;
  p.steps = 10;
  p.batch = 4;
  p.cacheDir = root;
  auto teacher = pretrainTeacher(p);
  if (!teacher.ok()) {
    std::fprintf(stderr, "training-stall: %s\n", teacher.status().message().c_str());
    return 1;
  }

  MainWindow w;
  w.resize(1400, 900);
  w.show();
  if (!w.openProject(QString::fromStdString(project->string()))) return 1;
  w.session()->setTeacherModel(QString::fromStdString(teacher->model.string()));
  w.dock("pipelineDock")->raise();  // the curves are visible, so every replot is drawn
  QJsonObject c = defaultPipelineConfig("cast");
  c["image_size"] = o.size;
  c["adapt_steps"] = 40;
  c["distill_steps"] = 120;
  c["refine_steps"] = 40;
  c["eval_period"] = 20;  // evaluations, hence AP points, during the run
  c["student_arch"] = QString::fromStdString(o.student);
  c["class_threshold"] = 0.3;
  w.pipelineDock()->setConfig(c);
  probe(1.0);  // settle: thumbnails, first paint

  const unsigned cores = std::thread::hardware_concurrency();
  const QByteArray threads = qgetenv("DISTILLERY_THREADS");
  std::printf("  %u logical CPUs, engine threads: %s\n", cores,
              threads.isEmpty() ? "every core (DISTILLERY_THREADS unset)" : threads.constData());

  const Probe idle = probe(o.baselineSeconds);
  PipelineController* pc = w.pipelineController();
  if (!pc->start("all")) {
    std::fprintf(stderr, "training-stall: the run did not start (see above)\n");
    return 1;
  }
  std::vector<Note> notes;
  QElapsedTimer since;
  since.start();
  auto note = [&](const QString& text) { notes.push_back({since.nsecsElapsed() / 1e6, text}); };
  QObject::connect(pc, &PipelineController::message, note);
  QObject::connect(pc, &PipelineController::warning, note);
  const Probe busy = probe(o.seconds, [pc] { return !pc->running(); });
  const bool cancelled = pc->running();
  if (cancelled) {
    pc->cancel();
    probe(600, [pc] { return !pc->running(); });
  }
  const TrainingOutcome out = pc->lastOutcome();
  std::printf("  run %lld: %s%s%s; %d replots of the curves\n", static_cast<long long>(out.runId),
              out.status.toUtf8().constData(), out.message.isEmpty() ? "" : ": ",
              out.message.toUtf8().constData(), w.pipelineDock()->charts()->replotCount());
  report("idle", idle);
  report("training", busy);
  // The longest stalls, with what the window had last reported before each.
  std::vector<size_t> order(busy.lateMs.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return busy.lateMs[a] > busy.lateMs[b]; });
  for (size_t k = 0; k < std::min<size_t>(5, order.size()); ++k) {
    const size_t i = order[k];
    QString last = "(nothing yet)";
    for (const Note& n : notes)
      if (n.atMs <= busy.atMs[i]) last = QString("%1 ms earlier: %2").arg(busy.atMs[i] - n.atMs, 0, 'f', 0).arg(n.text.left(70));
    std::printf("    stall %6.1f ms at %6.1f s (GUI thread busy %5.1f ms of it); last report %s\n", busy.lateMs[i],
                busy.atMs[i] / 1e3, busy.cpuMs[i], last.toUtf8().constData());
  }
  const double b99 = std::max(0.01, percentile(idle.lateMs, 0.99));
  std::printf("  p99 training / idle: %.2fx  (goal: training p99 < 30 ms: %s)\n",
              percentile(busy.lateMs, 0.99) / b99, percentile(busy.lateMs, 0.99) < 30 ? "met" : "NOT met");
  return out.status == "failed" ? 1 : 0;
}

const GuiBenchmarkRegistration kRegistration{
    {"training-stall",
     "GUI-thread timer lateness (p50/p99) during a real training run vs idle (goal p99 < 30 ms)",
     runTrainingStall}};

}  // namespace
}  // namespace distillery::bench
