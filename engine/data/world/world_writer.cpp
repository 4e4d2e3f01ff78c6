#include "engine/data/world/world_writer.h"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <system_error>

#include "engine/data/world/world_generator.h"

namespace distillery {
namespace {

namespace fs = std::filesystem;

// Fastest zlib level: the images are small and generation speed matters more.
const std::vector<int> kPngParams{cv::IMWRITE_PNG_COMPRESSION, 1};

Status writeAnnotations(const Dataset& ds, const fs::path& file) {
  // TODO(world): replace with writeCocoJson from engine/data/formats once merged.
  nlohmann::json j;
  j["categories"] = nlohmann::json::array();
  for (const Category& c : ds.categories)
    j["categories"].push_back({{"id", c.id}, {"name", c.name}, {"supercategory", c.supercategory}});
  j["images"] = nlohmann::json::array();
  for (const ImageRecord& im : ds.images)
    j["images"].push_back(
        {{"id", im.id}, {"file_name", im.file}, {"width", im.width}, {"height", im.height}});
  j["annotations"] = nlohmann::json::array();
  for (const Instance& in : ds.instances) {
    const BoxXywh b = rle::bbox(in.mask);
    j["annotations"].push_back(
        {{"id", in.id},
         {"image_id", in.imageId},
         {"category_id", in.categoryId},
         {"segmentation",
          {{"size", {in.mask.height, in.mask.width}}, {"counts", rle::toString(in.mask)}}},
         {"area", in.area},
         {"bbox", {b.x, b.y, b.w, b.h}},
         {"iscrowd", 0}});
  }
  std::ofstream out(file);
  out << j.dump();
  if (!out) return Status::error(file.string() + ": cannot write annotations");
  return {};
}

}  // namespace

std::string worldImageName(int64_t index) {
  char name[32];
  std::snprintf(name, sizeof(name), "%06lld.png", static_cast<long long>(index));
  return name;
}

Result<Dataset> generateWorld(const DomainSpec& spec, int count, uint64_t seed, int size,
                              const fs::path& outDir) {
  if (Status st = validateDomain(spec); !st.ok()) return st;
  if (count < 0) return Status::error("world: count " + std::to_string(count) + ", expected >= 0");
  if (size < kMinWorldSize || size > kMaxWorldSize)
    return Status::error("world: size " + std::to_string(size) + ", expected " +
                         std::to_string(kMinWorldSize) + " to " + std::to_string(kMaxWorldSize));
  const fs::path imageDir = outDir / "images";
  std::error_code ec;
  fs::create_directories(imageDir, ec);
  if (ec || !fs::is_directory(imageDir))
    return Status::error(imageDir.string() + ": cannot create the output folder (" +
                         (ec ? ec.message() : std::string("not a folder")) + ")");

  const WorldGenerator generator(spec, size, seed);
  Dataset ds;
  ds.categories = worldCategories();
  ds.images.reserve(static_cast<size_t>(count));
  int64_t nextId = 1;
  for (int i = 0; i < count; ++i) {
    WorldSample s = generator.sample(i);
    const std::string name = worldImageName(i);
    const fs::path file = imageDir / name;
    bool written = false;
    try {
      written = cv::imwrite(file.string(), s.image, kPngParams);
    } catch (const cv::Exception& e) {
      return Status::error(file.string() + ": cannot write the image (" + e.what() + ")");
    }
    if (!written) return Status::error(file.string() + ": cannot write the image");
    ds.images.push_back({i + 1, name, size, size});
    for (Instance& inst : s.instances) {
      inst.id = nextId++;
      ds.instances.push_back(std::move(inst));
    }
  }
  if (Status st = writeAnnotations(ds, outDir / "instances.json"); !st.ok()) return st;
  return ds;
}

}  // namespace distillery
