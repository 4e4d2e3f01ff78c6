// Real tiny models for the teacher, compare and export tests: the `tiny` preset
// exported to TorchScript with its sidecar through the engine's torch-free API (as
// `distillery-cli model export --arch tiny` does), and a finished run that left a
// student in models/ as runOnProject writes it.
//
// Store-side header (see workbench_fixture.h).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/export/torchscript_export.h"
#include "tests/app/workbench_fixture.h"

namespace distillery::test {
inline namespace models_fixture {

// A random-init `tiny` model with these class names (seeded: the same file every run).
inline std::filesystem::path tinyModel(const std::filesystem::path& out,
                                       const std::vector<std::string>& classes, uint64_t seed = 3) {
  ExportRequest r;
  r.arch = "tiny";
  r.out = out;
  r.classNames = classes;
  r.numClasses = static_cast<int>(classes.size());
  r.exampleSize = 64;
  r.seed = seed;
  auto s = exportModel(r);
  EXPECT_TRUE(s.ok()) << s.status().message();
  return out;
}

// A finished `cast` run whose student is models/run-<id>-student.pt (+ checkpoint row).
// `project`: the open window's handle (a second read-write handle would wait for the lock).
inline int64_t finishedRunWithStudent(Project* project, const std::vector<std::string>& classes) {
  auto run = project->runs().start("cast", "{}");
  EXPECT_TRUE(run.ok()) << run.status().message();
  const auto student = project->modelsDir() / ("run-" + std::to_string(*run) + "-student.pt");
  tinyModel(student, classes, 11);
  EXPECT_TRUE(project->runs().addCheckpoint(*run, "student", 0, student.string()).ok());
  EXPECT_TRUE(project->runs().finish(*run, RunStatus::Finished).ok());
  return *run;
}

// One human label (a filled box of `category`) on the image: it leaves the pool.
inline int64_t addHumanBox(const std::filesystem::path& projectDir, int64_t imageId,
                           int64_t category, const BoxXywh& box) {
  auto project = Project::open(projectDir);
  EXPECT_TRUE(project.ok()) << project.status().message();
  NewAnnotation a;
  a.imageId = imageId;
  a.categoryId = category;
  a.mask = rle::fromBox(box, kImageHeight, kImageWidth);
  auto id = project->annotations().add(a);
  EXPECT_TRUE(id.ok()) << id.status().message();
  return id.ok() ? *id : 0;
}

}  // namespace models_fixture
}  // namespace distillery::test
