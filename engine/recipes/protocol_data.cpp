#include "engine/recipes/protocol_data.h"

#include <map>

#include "engine/data/formats/coco_json.h"

namespace distillery {

Result<Dataset> readWorldDataset(const std::filesystem::path& dir) {
  return readCocoJson(dir / "instances.json");
}

WorldSplit mergeWorlds(const std::vector<WorldSplit>& worlds) {
  WorldSplit out;
  DST_CHECK(!worlds.empty());
  out.root = worlds[0].root.parent_path().parent_path();  // cache/worlds
  out.dataset.categories = worlds[0].dataset.categories;
  int64_t nextImage = 1, nextInstance = 1;
  for (const auto& w : worlds) {
    const std::string prefix = w.root.parent_path().filename().string() + "/images/";
    std::map<int64_t, int64_t> remap;
    for (auto img : w.dataset.images) {
      remap[img.id] = nextImage;
      img.id = nextImage++;
      img.file = prefix + img.file;
      out.dataset.images.push_back(img);
    }
    for (auto inst : w.dataset.instances) {
      inst.imageId = remap[inst.imageId];
      inst.id = nextInstance++;
      out.dataset.instances.push_back(std::move(inst));
    }
  }
  for (const auto& c : out.dataset.categories) out.categoryIds.push_back(c.id);
  return out;
}

}  // namespace distillery
