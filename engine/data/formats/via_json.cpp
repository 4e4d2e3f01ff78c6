#include "engine/data/formats/via_json.h"

#include <algorithm>
#include <set>

#include "engine/data/formats/category_table.h"
#include "engine/data/formats/coco_segmentation.h"
#include "engine/data/formats/image_path.h"
#include "engine/data/formats/shape_polygons.h"

namespace distillery {

using json_fields::Json;

namespace {

std::vector<double> numbers(const Json& list, const char* what) {
  if (!list.is_array())
    throw UserError(std::string("'") + what + "' is " + json_fields::typeName(list) +
                    ", expected a list of numbers");
  std::vector<double> out;
  out.reserve(list.size());
  for (const Json& v : list) out.push_back(json_fields::toNumber(v, what));
  return out;
}

// One region's outline as a polygon in COCO coordinates.
std::vector<double> regionPolygon(const Json& shape) {
  const std::string kind = json_fields::textField(shape, "name");
  if (kind == "polygon") {
    const auto xs = numbers(json_fields::member(shape, "all_points_x"), "all_points_x");
    const auto ys = numbers(json_fields::member(shape, "all_points_y"), "all_points_y");
    if (xs.size() != ys.size()) {
      throw UserError("all_points_x has " + std::to_string(xs.size()) +
                      " values but all_points_y has " + std::to_string(ys.size()));
    }
    std::vector<double> xy;
    xy.reserve(2 * xs.size());
    for (size_t i = 0; i < xs.size(); ++i) {
      xy.push_back(xs[i]);
      xy.push_back(ys[i]);
    }
    // VIA repeats the first point at the end (balloon does); that is harmless.
    return xy;
  }
  if (kind == "rect") {
    const double x = json_fields::numberField(shape, "x"), y = json_fields::numberField(shape, "y");
    return shapes::rectangle(x, y, x + json_fields::numberField(shape, "width"),
                             y + json_fields::numberField(shape, "height"));
  }
  if (kind == "circle") {
    return shapes::circle(json_fields::numberField(shape, "cx"),
                          json_fields::numberField(shape, "cy"),
                          json_fields::numberField(shape, "r"));
  }
  if (kind == "ellipse") {
    double theta = 0;
    if (const Json* t = json_fields::optionalMember(shape, "theta"))
      theta = json_fields::toNumber(*t, "theta");
    return shapes::ellipse(
        json_fields::numberField(shape, "cx"), json_fields::numberField(shape, "cy"),
        json_fields::numberField(shape, "rx"), json_fields::numberField(shape, "ry"), theta);
  }
  throw UserError("shape '" + kind + "' has no area (expected polygon, rect, circle or ellipse)");
}

std::string regionLabel(const Json& region, const ViaReadOptions& options) {
  if (options.labelAttribute.empty()) return options.categoryName;
  const Json* attrs = json_fields::optionalMember(region, "region_attributes");
  const Json* v =
      attrs ? json_fields::optionalMember(*attrs, options.labelAttribute.c_str()) : nullptr;
  if (v && v->is_string() && !v->get<std::string>().empty()) return v->get<std::string>();
  if (v && v->is_object()) {  // checkbox / radio attributes: {"balloon": true}
    for (auto it = v->begin(); it != v->end(); ++it) {
      if (it.value().is_boolean() && it.value().get<bool>()) return it.key();
    }
  }
  throw UserError("region_attributes has no class in '" + options.labelAttribute + "'");
}

// VIA 1 keeps regions in an object keyed "0", "1", ...: take them in numeric order
// (JSON objects here iterate by sorted key, which would put "10" before "2").
std::vector<std::pair<std::string, const Json*>> regionsInOrder(const Json& regions) {
  std::vector<std::pair<std::string, const Json*>> out;
  size_t i = 0;
  for (auto r = regions.begin(); r != regions.end(); ++r, ++i) {
    out.emplace_back(regions.is_object() ? r.key() : std::to_string(i), &r.value());
  }
  if (regions.is_object()) {
    auto numeric = [](const std::string& k) {
      return !k.empty() && k.size() < 10 &&
             std::all_of(k.begin(), k.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    std::stable_sort(out.begin(), out.end(), [&](const auto& a, const auto& b) {
      const bool na = numeric(a.first), nb = numeric(b.first);
      if (na && nb) return std::stoul(a.first) < std::stoul(b.first);
      return na && !nb;
    });
  }
  return out;
}

}  // namespace

Result<Dataset> viaFromJson(const Json& doc, const std::string& name, const ViaReadOptions& options,
                            ConversionReport* report) {
  ConversionReport local;
  ConversionReport& rep = report ? *report : local;
  if (!doc.is_object())
    return Status::error(name + ": top level is " + json_fields::typeName(doc) +
                         ", expected a VIA object");
  const Json* metadata = &doc;
  const auto v2 = doc.find("_via_img_metadata");
  if (v2 != doc.end()) {
    if (!v2->is_object())
      return Status::error(name + ": '_via_img_metadata' is " + json_fields::typeName(*v2) +
                           ", expected an object");
    metadata = &*v2;
  }
  Dataset d;
  CategoryTable categories;
  if (options.labelAttribute.empty()) categories.idFor(options.categoryName);
  std::set<std::string> seen;
  for (auto entry = metadata->begin(); entry != metadata->end(); ++entry) {
    const Json& rec = entry.value();
    std::string record = "image '" + entry.key() + "'";
    ImageRecord image;
    const Json* regions = nullptr;
    try {
      const std::string filename = json_fields::textField(rec, "filename");
      record = "image '" + filename + "'";
      regions = json_fields::optionalMember(rec, "regions");
      image.file = image_path::checkedRelative(filename);
      if (!seen.insert(image.file).second)
        throw UserError("a second entry for the same image file");
      const image_path::Size size = image_path::readImageSize(options.imageRoot / image.file);
      coco::checkImageSize(size.width, size.height);
      image.width = size.width;
      image.height = size.height;
      if (regions && !regions->is_object() && !regions->is_array()) {
        throw UserError("'regions' is " + json_fields::typeName(*regions) +
                        ", expected an object or a list");
      }
    } catch (const UserError& e) {
      const size_t count =
          regions && (regions->is_object() || regions->is_array()) ? regions->size() : 0;
      rep.skip(name, record,
               std::string(e.what()) +
                   (count ? " (with its " + std::to_string(count) + " regions)" : ""));
      continue;
    } catch (const Json::exception& e) {
      rep.skip(name, record, e.what());
      continue;
    }
    image.id = static_cast<int64_t>(d.images.size()) + 1;
    d.images.push_back(image);
    if (!regions) continue;
    for (const auto& [index, regionPtr] : regionsInOrder(*regions)) {
      try {
        const Json& region = *regionPtr;
        const std::string label = regionLabel(region, options);
        const auto polygon = regionPolygon(json_fields::member(region, "shape_attributes"));
        Instance inst;
        inst.mask = coco::polygonsToRle({polygon}, image.height, image.width);
        inst.id = static_cast<int64_t>(d.instances.size()) + 1;
        inst.imageId = image.id;
        inst.categoryId = categories.idFor(label);
        d.instances.push_back(std::move(inst));
      } catch (const UserError& e) {
        rep.skip(name, record + " region " + index, e.what());
      } catch (const Json::exception& e) {
        rep.skip(name, record + " region " + index, e.what());
      }
    }
  }
  d.categories = categories.categories();
  rep.imagesRead += static_cast<int>(d.images.size());
  rep.instancesRead += static_cast<int>(d.instances.size());
  return d;
}

Result<Dataset> readViaJson(const std::filesystem::path& json, const ViaReadOptions& options,
                            ConversionReport* report) {
  const std::string name = json.filename().string();
  Result<Json> doc = json_fields::readFile(json, name);
  if (!doc.ok()) return doc.status();
  ViaReadOptions resolved = options;
  if (resolved.imageRoot.empty())
    resolved.imageRoot = json.parent_path().empty() ? "." : json.parent_path();
  return viaFromJson(*doc, name, resolved, report);
}

}  // namespace distillery
