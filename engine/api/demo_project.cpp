#include "engine/api/demo_project.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "engine/api/distillation.h"
#include "engine/data/world/domain_spec.h"
#include "engine/data/world/world_writer.h"
#include "engine/store/dataset_io.h"
#include "engine/store/project.h"

namespace distillery {

PretrainOptions demoPretrainOptions() {
  PretrainOptions o;
  o.arch = "teacher-l";
  o.imagesPerDomain = 300;
  o.size = 128;
  o.steps = 200;
  o.batch = 4;
  return o;
}

Result<std::filesystem::path> ensureDemoProject(const DemoOptions& o) {
  const auto cache = o.cacheDir.empty() ? defaultCacheDir() : o.cacheDir;
  const auto dir = cache / "demo" / "project";
  if (std::filesystem::exists(dir / "project.sqlite")) return dir;
  auto spec = findDomain(o.domain);
  if (!spec.ok()) return spec.status();
  const auto worldDir = cache / "demo" / "world";
  auto world = generateWorld(*spec, o.images, 2024, o.size, worldDir);
  if (!world.ok()) return world.status();
  // Building in a side folder and renaming makes a half-made demo impossible.
  const auto staging = cache / "demo" / "project.partial";
  std::filesystem::remove_all(staging);
  ProjectOptions po;
  po.imageRoot = worldDir / "images";
  auto project = Project::create(staging, po);
  if (!project.ok()) return project.status();
  // Seeds and val keep their labels; the pool is imported as plain images.
  Dataset labelled = *world;
  labelled.images.resize(static_cast<size_t>(o.seeds + o.val));
  labelled.instances.erase(std::remove_if(labelled.instances.begin(), labelled.instances.end(),
                                          [&](const Instance& i) { return i.imageId > o.seeds + o.val; }),
                           labelled.instances.end());
  auto imported = importDataset(*project, labelled, DatasetImportOptions(worldDir / "images"));
  if (!imported.ok()) return imported.status();
  auto pool = project->images().importFolder(worldDir / "images");
  if (!pool.ok()) return pool.status();
  std::vector<int64_t> valIds;
  GalleryQuery q;
  q.sort = GallerySort::Name;
  q.limit = o.images;
  auto rows = project->images().page(q);
  if (!rows.ok()) return rows.status();
  for (const auto& r : *rows) {
    const int index = std::stoi(std::filesystem::path(r.path).stem().string());  // 000000.png -> 0
    if (index >= o.seeds && index < o.seeds + o.val) valIds.push_back(r.id);
  }
  if (Status s = project->images().setSplit(valIds, Split::Val); !s.ok()) return s;
  project = Result<Project>(Status::error("closed"));  // release the lock before renaming
  std::filesystem::rename(staging, dir);
  spdlog::info("created the demo project {}", dir.string());
  return dir;
}

}  // namespace distillery
