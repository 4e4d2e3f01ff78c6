// distillery-cli bench store: the project store at gallery scale.
//
// Builds a synthetic project of N image records (no image files) with a
// realistic mix of human labels and teacher pseudo-labels, then measures what
// the GUI waits for: opening the project, gallery pages at random offsets
// (status filter + sort), counts, a jump to an image, and importing 10k more
// records. Page queries are compared with the same query run without indexes
// (a full table scan and sort) in the same run.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <iostream>
#include <random>

#include "app/cli/commands.h"
#include "engine/store/project.h"

namespace distillery::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// CPU time of this thread: on a loaded machine wall time also counts waiting
// for a core, so both are reported.
double threadCpuMs() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct Stats {
  double median = 0, p95 = 0, max = 0, cpuMedian = 0;
};

// Runs f `n` times and summarises the wall and CPU time per run in ms; stops at the first error.
Stats timeRuns(int n, const std::function<Status()>& f, Status& error) {
  std::vector<double> wall, cpu;
  for (int i = 0; i < n && error.ok(); ++i) {
    const auto t = Clock::now();
    const double c = threadCpuMs();
    error = f();
    cpu.push_back(threadCpuMs() - c);
    wall.push_back(msSince(t));
  }
  if (wall.empty()) return {};
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  return {wall[wall.size() / 2], wall[std::min(wall.size() - 1, wall.size() * 95 / 100)],
          wall.back(), cpu[cpu.size() / 2]};
}

std::string hashOf(int64_t i) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "%016llx",
                static_cast<unsigned long long>(i * 0x9E3779B97F4A7C15ULL));
  return buffer;
}

std::vector<NewImage> records(int64_t from, int64_t count) {
  std::vector<NewImage> out;
  out.reserve(static_cast<size_t>(count));
  for (int64_t i = from; i < from + count; ++i) {
    char path[64];
    std::snprintf(path, sizeof path, "site%03lld/img_%07lld.jpg", static_cast<long long>(i % 500),
                  static_cast<long long>((i * 7919) % 1000003));
    out.push_back({path, 640, 480, hashOf(i), Split::Unlabelled});
  }
  return out;
}

// 1% human seeds, 45% with teacher output (of which 1/6 accepted, 1/9 rejected).
Status populate(Project& project, int64_t images, std::mt19937& random) {
  for (int64_t from = 0; from < images; from += 10000) {
    auto r = project.images().addRecords(records(from, std::min<int64_t>(10000, images - from)));
    if (!r) return r.status();
  }
  NewAnnotation box;
  box.categoryId = 1;
  box.mask = rle::fromBox({100, 80, 60, 40}, 480, 640);
  std::vector<NewAnnotation> humans;
  std::vector<ImagePredictions> predictions;
  std::uniform_real_distribution<double> uncertainty(0, 1);
  for (int64_t id = 1; id <= images; ++id) {
    if (id % 100 == 0) {
      NewAnnotation h = box;
      h.imageId = id;
      humans.push_back(h);
    } else if (id % 20 < 9) {
      NewAnnotation p = box;
      p.score = 0.5;
      predictions.push_back({id, {p, p}, uncertainty(random)});
    }
  }
  if (auto r = project.annotations().addMany(humans); !r) return r.status();
  for (size_t from = 0; from < predictions.size(); from += 5000) {
    const std::vector<ImagePredictions> batch(
        predictions.begin() + static_cast<long>(from),
        predictions.begin() + static_cast<long>(std::min(predictions.size(), from + 5000)));
    if (auto r = project.annotations().replacePredictions(batch, Source::Teacher); !r)
      return r.status();
  }
  std::vector<int64_t> accept, reject;
  const int64_t firstPrediction = static_cast<int64_t>(humans.size()) + 1;
  for (int64_t i = 0; i < static_cast<int64_t>(predictions.size()); ++i) {
    const int64_t ann = firstPrediction + 2 * i;  // two per image, in insertion order
    if (i % 6 == 0)
      accept.insert(accept.end(), {ann, ann + 1});
    else if (i % 9 == 1)
      reject.insert(reject.end(), {ann, ann + 1});
  }
  if (Status s = project.annotations().setReviewStatus(accept, ReviewStatus::Accepted); !s.ok())
    return s;
  return project.annotations().setReviewStatus(reject, ReviewStatus::Rejected);
}

struct PageCase {
  const char* name;
  std::optional<ImageStatus> status;
  GallerySort sort;
  bool descending;
};

int runBench(int64_t images, int pages, std::string dirArg, bool keep) {
  std::mt19937 random(7);
  const fs::path dir = dirArg.empty() ? fs::temp_directory_path() /
                                            ("distillery-bench-store-" + std::to_string(::getpid()))
                                      : fs::path(dirArg);
  if (Project::isProject(dir)) {
    std::cerr << "bench store: " << dir << " is already a project; give an empty --dir\n";
    return kExitBadInput;
  }
  auto fail = [&](const Status& s) {
    std::cerr << "bench store: " << s.message() << "\n";
    if (!keep) fs::remove_all(dir);
    return kExitFailure;
  };
  std::printf("bench store: %lld image records, pages of 200 rows, %d random offsets per case\n",
              static_cast<long long>(images), pages);
  auto t = Clock::now();
  {
    ProjectOptions options;
    options.classes = {"object"};
    auto project = Project::create(dir, options);
    if (!project) return fail(project.status());
    if (Status s = populate(*project, images, random); !s.ok()) return fail(s);
  }
  std::printf("build synthetic project: %.0f ms (%.1f MB on disk)\n", msSince(t),
              static_cast<double>(fs::file_size(dir / "project.sqlite")) / 1e6);

  Status error;
  const Stats open = timeRuns(
      5, [&] { return Project::open(dir).status(); }, error);
  if (!error.ok()) return fail(error);
  auto row = [](const char* name, const Stats& s) {
    std::printf("%-44s %7.2fms %7.2fms %7.2fms %7.2fms", name, s.median, s.p95, s.max, s.cpuMedian);
  };
  std::printf("\n%-44s %9s %9s %9s %9s %9s\n", "", "median", "p95", "max", "cpu med", "target");
  row("open project (read-write)", open);
  std::printf(" %9s %s\n", "< 1000ms", open.max < 1000 ? "ok" : "MISSED");

  auto project = Project::open(dir);
  if (!project) return fail(project.status());
  const std::vector<PageCase> cases = {
      {"all images, by name", std::nullopt, GallerySort::Name, false},
      {"all images, by id", std::nullopt, GallerySort::Id, false},
      {"unlabelled, by name", ImageStatus::Unlabelled, GallerySort::Name, false},
      {"pending review, most uncertain first", ImageStatus::Pending, GallerySort::Uncertainty,
       true},
      {"accepted, by name descending", ImageStatus::Accepted, GallerySort::Name, true},
  };
  std::printf("%-44s %9s %9s %9s %9s %9s  %s\n", "gallery page (200 rows, random offset)", "", "",
              "", "", "p95 < 20ms", "baseline: same query without indexes (median, ratio)");
  double worstPage = 0;
  for (const PageCase& c : cases) {
    auto total = project->images().count(c.status);
    if (!total) return fail(total.status());
    std::uniform_int_distribution<int64_t> offset(0, std::max<int64_t>(0, *total - 200));
    GalleryQuery q{c.status, c.sort, c.descending, 0, 200, false};
    const Stats indexed = timeRuns(
        pages,
        [&] {
          q.offset = offset(random);
          return project->images().page(q).status();
        },
        error);
    q.forceTableScan = true;
    const Stats baseline = timeRuns(
        std::max(3, pages / 10),
        [&] {
          q.offset = offset(random);
          return project->images().page(q).status();
        },
        error);
    if (!error.ok()) return fail(error);
    worstPage = std::max(worstPage, indexed.p95);
    std::printf("  ");
    row(c.name, indexed);
    std::printf(" %9s  %7.1fms  x%.0f\n", indexed.p95 < 20 ? "ok" : "MISSED", baseline.median,
                baseline.median / std::max(indexed.median, 1e-3));
  }
  const Stats counts = timeRuns(
      pages, [&] { return project->images().counts().status(); }, error);
  std::uniform_int_distribution<int64_t> anyImage(1, images);
  GalleryQuery review{ImageStatus::Pending, GallerySort::Uncertainty, true, 0, 200, false};
  const Stats jump = timeRuns(
      pages, [&] { return project->images().indexOf(review, anyImage(random)).status(); }, error);
  const Stats annotations = timeRuns(
      pages, [&] { return project->annotations().forImage(anyImage(random)).status(); }, error);
  if (!error.ok()) return fail(error);
  row("counts per status", counts);
  std::printf("\n");
  row("position of an image (review order)", jump);
  std::printf("\n");
  row("annotations of one image", annotations);
  std::printf("\n");

  t = Clock::now();
  const double cpu = threadCpuMs();
  auto added = project->images().addRecords(records(images, 10000));
  if (!added) return fail(added.status());
  const double importMs = msSince(t);
  std::printf("%-44s %7.0fms %9s %9s %7.0fms %9s %s\n",
              "import 10k image records (one transaction)", importMs, "", "", threadCpuMs() - cpu,
              "< 30000ms", importMs < 30000 ? "ok" : "MISSED");
  std::printf("\nsummary: open %.0f ms, worst page p95 %.2f ms, 10k import %.0f ms\n", open.max,
              worstPage, importMs);
  if (!keep) {
    project = Status::error("closed");
    fs::remove_all(dir);
  } else {
    std::printf("project kept in %s\n", dir.c_str());
  }
  return kExitOk;
}

}  // namespace

void addStoreBench(CLI::App& bench, int& exitCode) {
  CLI::App* cmd = bench.add_subcommand("store", "Project store at 100k images");
  auto images = std::make_shared<int64_t>(100000);
  auto pages = std::make_shared<int>(50);
  auto dir = std::make_shared<std::string>();
  auto keep = std::make_shared<bool>(false);
  cmd->add_option("--images", *images, "Synthetic image records")
      ->check(CLI::Range(int64_t{1000}, int64_t{10000000}));
  cmd->add_option("--pages", *pages, "Page queries per case")->check(CLI::Range(5, 100000));
  cmd->add_option("--dir", *dir, "Where to build the project (default: a temporary folder)");
  cmd->add_flag("--keep", *keep, "Keep the project afterwards");
  cmd->callback([=, &exitCode] { exitCode = runBench(*images, *pages, *dir, *keep); });
}

}  // namespace distillery::cli
