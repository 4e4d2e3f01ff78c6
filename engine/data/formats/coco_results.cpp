#include "engine/data/formats/coco_results.h"

#include <unordered_map>
#include <unordered_set>

#include "engine/data/formats/coco_segmentation.h"

namespace distillery {

using json_fields::Json;

Result<std::vector<Instance>> cocoResultsFromJson(const Json& doc, const std::string& name,
                                                  const Dataset& gt, ConversionReport* report) {
  ConversionReport local;
  ConversionReport& rep = report ? *report : local;
  if (!doc.is_array()) {
    return Status::error(name + ": top level is " + json_fields::typeName(doc) +
                         ", expected a list of COCO results");
  }
  std::unordered_map<int64_t, const ImageRecord*> images;
  for (const ImageRecord& im : gt.images) images.emplace(im.id, &im);
  std::unordered_set<int64_t> categories;
  for (const Category& c : gt.categories) categories.insert(c.id);

  std::vector<Instance> out;
  out.reserve(doc.size());
  for (size_t i = 0; i < doc.size(); ++i) {
    const Json& r = doc[i];
    try {
      Instance inst;
      inst.source = Source::Student;
      inst.imageId = json_fields::intField(r, "image_id");
      const auto im = images.find(inst.imageId);
      if (im == images.end()) throw UserError("unknown image id " + std::to_string(inst.imageId));
      inst.categoryId = json_fields::intField(r, "category_id");
      if (!categories.count(inst.categoryId))
        throw UserError("unknown category id " + std::to_string(inst.categoryId));
      inst.score = json_fields::numberField(r, "score");
      const Json* seg = json_fields::optionalMember(r, "segmentation");
      if (!seg)
        throw UserError("'segmentation' is missing (box-only results are not instance masks)");
      inst.mask = coco::segmentationToRle(*seg, im->second->height, im->second->width);
      inst.id = static_cast<int64_t>(out.size()) + 1;
      out.push_back(std::move(inst));
    } catch (const UserError& e) {
      rep.skip(name, "result " + std::to_string(i), e.what());
    } catch (const Json::exception& e) {
      rep.skip(name, "result " + std::to_string(i),
               std::string("unexpected JSON structure: ") + e.what());
    }
  }
  rep.instancesRead += static_cast<int>(out.size());
  return out;
}

Result<std::vector<Instance>> readCocoResults(const std::filesystem::path& json, const Dataset& gt,
                                              ConversionReport* report) {
  const std::string name = json.filename().string();
  Result<Json> doc = json_fields::readFile(json, name);
  if (!doc.ok()) return doc.status();
  return cocoResultsFromJson(*doc, name, gt, report);
}

Json cocoResultsToJson(const std::vector<Instance>& detections) {
  Json list = Json::array();
  for (const Instance& d : detections) {
    list.push_back({{"image_id", d.imageId},
                    {"category_id", d.categoryId},
                    {"segmentation", coco::rleToJson(d.mask)},
                    {"score", d.score}});
  }
  return list;
}

Status writeCocoResults(const std::vector<Instance>& detections, const std::filesystem::path& out) {
  return json_fields::writeFile(cocoResultsToJson(detections), out);
}

}  // namespace distillery
