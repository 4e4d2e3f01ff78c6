#include "engine/data/formats/coco_json.h"

#include <set>
#include <unordered_map>

#include "engine/data/formats/coco_segmentation.h"
#include "engine/data/formats/image_path.h"

namespace distillery {

using json_fields::Json;

namespace {

// "annotation 5 (id 1774)" when the record has a readable id, else "annotation 5".
std::string recordName(const char* kind, size_t index, const Json& record) {
  std::string s = std::string(kind) + " " + std::to_string(index);
  if (record.is_object()) {
    const auto it = record.find("id");
    if (it != record.end() && (it->is_number_integer() || it->is_number_unsigned())) {
      s += " (id " + it->dump() + ")";
    }
  }
  return s;
}

// A top-level list; absent is fine only where `optional`.
const Json* topLevelList(const Json& doc, const char* key, bool optional) {
  const auto it = doc.find(key);
  if (it == doc.end() || it->is_null()) {
    if (optional) return nullptr;
    throw UserError(std::string("'") + key +
                    "' is missing; a COCO file has 'images', 'annotations' and 'categories'");
  }
  if (!it->is_array())
    throw UserError(std::string("'") + key + "' is " + json_fields::typeName(*it) +
                    ", expected a list");
  return &*it;
}

struct Reader {
  const std::string& name;
  const CocoReadOptions& options;
  ConversionReport& report;
  Dataset d;
  std::unordered_map<int64_t, size_t> imageIndex;  // id -> index in d.images
  std::set<int64_t> skippedImages, categoryIds, instanceIds;

  void readCategories(const Json& list) {
    for (size_t i = 0; i < list.size(); ++i) {
      const Json& c = list[i];
      try {
        Category cat;
        cat.id = json_fields::intField(c, "id");
        cat.name = json_fields::textField(c, "name");
        if (const Json* s = json_fields::optionalMember(c, "supercategory"))
          cat.supercategory = json_fields::toText(*s, "supercategory");
        if (!categoryIds.insert(cat.id).second)
          throw UserError("duplicate category id " + std::to_string(cat.id));
        d.categories.push_back(std::move(cat));
      } catch (const UserError& e) {
        report.skip(name, recordName("category", i, c), e.what());
      } catch (const Json::exception& e) {  // a type mismatch this code did not foresee
        report.skip(name, recordName("category", i, c), e.what());
      }
    }
  }

  void readImages(const Json& list) {
    for (size_t i = 0; i < list.size(); ++i) {
      const Json& im = list[i];
      int64_t id = 0;
      bool haveId = false;
      try {
        ImageRecord rec;
        rec.id = id = json_fields::intField(im, "id");
        haveId = true;
        if (imageIndex.count(id)) {
          haveId = false;  // the first record with this id stays valid
          throw UserError("duplicate image id " + std::to_string(id));
        }
        rec.file = image_path::checkedRelative(json_fields::textField(im, "file_name"));
        const int64_t w = json_fields::intField(im, "width"),
                      h = json_fields::intField(im, "height");
        coco::checkImageSize(w, h);
        rec.width = static_cast<int>(w);
        rec.height = static_cast<int>(h);
        if (!options.imageRoot.empty()) {
          std::error_code ec;
          const auto path = options.imageRoot / rec.file;
          if (!std::filesystem::is_regular_file(path, ec))
            throw UserError("image file not found: " + path.string());
        }
        imageIndex[id] = d.images.size();
        d.images.push_back(std::move(rec));
      } catch (const UserError& e) {
        if (haveId) skippedImages.insert(id);
        report.skip(name, recordName("image", i, im), e.what());
      } catch (const Json::exception& e) {
        if (haveId) skippedImages.insert(id);
        report.skip(name, recordName("image", i, im), e.what());
      }
    }
  }

  void readAnnotations(const Json& list) {
    std::vector<size_t> needId;  // instances without an id get one after all are read
    for (size_t i = 0; i < list.size(); ++i) {
      const Json& a = list[i];
      try {
        Instance inst;
        const Json* id = json_fields::optionalMember(a, "id");
        if (id) {
          inst.id = json_fields::toInt(*id, "id");
          if (instanceIds.count(inst.id))
            throw UserError("duplicate annotation id " + std::to_string(inst.id));
        }
        inst.imageId = json_fields::intField(a, "image_id");
        const auto im = imageIndex.find(inst.imageId);
        if (im == imageIndex.end()) {
          throw UserError(skippedImages.count(inst.imageId)
                              ? "its image " + std::to_string(inst.imageId) + " was skipped"
                              : "unknown image id " + std::to_string(inst.imageId));
        }
        inst.categoryId = json_fields::intField(a, "category_id");
        if (!categoryIds.count(inst.categoryId))
          throw UserError("unknown category id " + std::to_string(inst.categoryId));
        if (const Json* c = json_fields::optionalMember(a, "iscrowd"))
          inst.iscrowd = json_fields::toBool(*c, "iscrowd");
        if (const Json* ar = json_fields::optionalMember(a, "area"))
          inst.area = json_fields::toNumber(*ar, "area");
        if (const Json* s = json_fields::optionalMember(a, "score"))
          inst.score = json_fields::toNumber(*s, "score");
        const ImageRecord& image = d.images[im->second];
        inst.mask = coco::segmentationToRle(json_fields::member(a, "segmentation"), image.height,
                                            image.width);
        if (id) {
          instanceIds.insert(inst.id);
        } else {
          needId.push_back(d.instances.size());
        }
        d.instances.push_back(std::move(inst));
      } catch (const UserError& e) {
        report.skip(name, recordName("annotation", i, a), e.what());
      } catch (const Json::exception& e) {
        report.skip(name, recordName("annotation", i, a), e.what());
      }
    }
    int64_t next = instanceIds.empty() ? 1 : std::max<int64_t>(1, *instanceIds.rbegin() + 1);
    for (size_t k : needId) d.instances[k].id = next++;
    if (!needId.empty())
      report.notes.push_back(name + ": " + std::to_string(needId.size()) +
                             " annotations without 'id' numbered from " +
                             std::to_string(next - static_cast<int64_t>(needId.size())));
  }
};

}  // namespace

Result<Dataset> cocoFromJson(const Json& doc, const std::string& name,
                             const CocoReadOptions& options, ConversionReport* report) {
  ConversionReport local;
  ConversionReport& rep = report ? *report : local;
  if (!doc.is_object())
    return Status::error(name + ": top level is " + json_fields::typeName(doc) +
                         ", expected a COCO object");
  try {
    Reader r{name, options, rep, {}, {}, {}, {}, {}};
    const Json* categories = topLevelList(doc, "categories", false);
    const Json* images = topLevelList(doc, "images", false);
    const Json* annotations = topLevelList(doc, "annotations", true);  // test-set files have none
    r.readCategories(*categories);
    r.readImages(*images);
    if (annotations) r.readAnnotations(*annotations);
    rep.imagesRead += static_cast<int>(r.d.images.size());
    rep.instancesRead += static_cast<int>(r.d.instances.size());
    return std::move(r.d);
  } catch (const UserError& e) {
    return Status::error(name + ": " + e.what());
  } catch (const Json::exception& e) {  // a type mismatch this code did not foresee
    return Status::error(name + ": unexpected JSON structure: " + e.what());
  }
}

Result<Dataset> readCocoJson(const std::filesystem::path& json, const CocoReadOptions& options,
                             ConversionReport* report) {
  const std::string name = json.filename().string();
  Result<Json> doc = json_fields::readFile(json, name);
  if (!doc.ok()) return doc.status();
  return cocoFromJson(*doc, name, options, report);
}

Result<Dataset> readCocoJson(const std::filesystem::path& json, ConversionReport* report) {
  return readCocoJson(json, CocoReadOptions{}, report);
}

Json cocoToJson(const Dataset& d, const CocoWriteOptions& options, ConversionReport* report,
                const std::string& name) {
  ConversionReport local;
  ConversionReport& rep = report ? *report : local;
  Json categories = Json::array(), images = Json::array(), annotations = Json::array();
  for (const Category& c : d.categories) {
    categories.push_back({{"id", c.id}, {"name", c.name}, {"supercategory", c.supercategory}});
  }
  std::unordered_map<int64_t, const ImageRecord*> byId;
  for (const ImageRecord& im : d.images) {
    if (!byId.emplace(im.id, &im).second) {
      rep.skip(name, "image " + std::to_string(im.id), "duplicate image id");
      continue;
    }
    images.push_back(
        {{"id", im.id}, {"file_name", im.file}, {"width", im.width}, {"height", im.height}});
    ++rep.imagesWritten;
  }
  // pycocotools treats annotation id 0 as "unmatched", so ids must be positive and unique.
  std::set<int64_t> used;
  int64_t maxId = 0;
  for (const Instance& inst : d.instances) maxId = std::max(maxId, inst.id);
  int renumbered = 0, keptRle = 0;
  for (const Instance& inst : d.instances) {
    const std::string record = "instance " + std::to_string(inst.id);
    const auto im = byId.find(inst.imageId);
    if (im == byId.end()) {
      rep.skip(name, record, "unknown image id " + std::to_string(inst.imageId));
      continue;
    }
    if (!d.category(inst.categoryId)) {
      rep.skip(name, record, "unknown category id " + std::to_string(inst.categoryId));
      continue;
    }
    if (inst.mask.height != im->second->height || inst.mask.width != im->second->width) {
      rep.skip(name, record,
               "mask is " + std::to_string(inst.mask.width) + "x" +
                   std::to_string(inst.mask.height) + ", image is " +
                   std::to_string(im->second->width) + "x" + std::to_string(im->second->height));
      continue;
    }
    int64_t id = inst.id;
    if (id <= 0 || !used.insert(id).second) {
      id = ++maxId;
      used.insert(id);
      ++renumbered;
    }
    Json seg;
    if (options.polygons && !inst.iscrowd) {
      const auto polys = coco::maskToPolygons(inst.mask);
      if (polys.empty()) ++keptRle;
      seg = polys.empty() ? coco::rleToJson(inst.mask) : Json(polys);
    } else {
      seg = coco::rleToJson(inst.mask);
    }
    const BoxXywh b = rle::bbox(inst.mask);
    Json a = {{"id", id},
              {"image_id", inst.imageId},
              {"category_id", inst.categoryId},
              {"segmentation", std::move(seg)},
              {"area", inst.area >= 0 ? inst.area : static_cast<double>(rle::area(inst.mask))},
              {"bbox", {b.x, b.y, b.w, b.h}},
              {"iscrowd", inst.iscrowd ? 1 : 0}};
    if (inst.source != Source::Human) a["score"] = inst.score;
    annotations.push_back(std::move(a));
    ++rep.instancesWritten;
  }
  if (renumbered)
    rep.notes.push_back(name + ": " + std::to_string(renumbered) +
                        " instances with a zero or repeated id got new ids");
  if (keptRle)
    rep.notes.push_back(name + ": " + std::to_string(keptRle) +
                        " masks too small for a polygon were kept as RLE");
  return Json{{"info", {{"description", "written by Distillery"}}},
              {"licenses", Json::array()},
              {"images", std::move(images)},
              {"annotations", std::move(annotations)},
              {"categories", std::move(categories)}};
}

Status writeCocoJson(const Dataset& d, const std::filesystem::path& out,
                     const CocoWriteOptions& options, ConversionReport* report) {
  return json_fields::writeFile(cocoToJson(d, options, report, out.filename().string()), out);
}

}  // namespace distillery
