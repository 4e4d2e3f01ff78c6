#include "engine/data/formats/labelme_json.h"

#include <algorithm>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <set>

#include "engine/data/formats/coco_segmentation.h"
#include "engine/data/formats/image_path.h"
#include "engine/data/formats/shape_polygons.h"

namespace distillery {

using json_fields::Json;

namespace {

// LabelMe polygons are for people to edit: drop staircase vertices within half a
// pixel (COCO128: mean re-import IoU 0.990 instead of 0.999, far fewer points).
constexpr double kEditableEpsilon = 0.5;

std::vector<std::pair<double, double>> points(const Json& shape) {
  const Json& list = json_fields::member(shape, "points");
  if (!list.is_array())
    throw UserError("'points' is " + json_fields::typeName(list) + ", expected a list of [x, y]");
  std::vector<std::pair<double, double>> out;
  for (const Json& p : list) {
    if (!p.is_array() || p.size() != 2)
      throw UserError("point " + std::to_string(out.size()) + " is not [x, y]");
    out.emplace_back(json_fields::toNumber(p[0], "x"), json_fields::toNumber(p[1], "y"));
  }
  return out;
}

std::string decodeBase64(const std::string& text) {
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char ch : text) {
    int v;
    if (ch >= 'A' && ch <= 'Z')
      v = ch - 'A';
    else if (ch >= 'a' && ch <= 'z')
      v = ch - 'a' + 26;
    else if (ch >= '0' && ch <= '9')
      v = ch - '0' + 52;
    else if (ch == '+' || ch == '-')
      v = 62;
    else if (ch == '/' || ch == '_')
      v = 63;
    else if (ch == '=' || ch == '\n' || ch == '\r')
      continue;
    else
      throw UserError("'mask' is not base64");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

// The RLE of an image-sized mask that is zero except for `crop` at (x0, y0), built
// column by column without allocating the whole image.
Rle placeCrop(const cv::Mat& crop, int x0, int y0, int height, int width) {
  Rle r;
  r.height = height;
  r.width = width;
  uint32_t run = 0;
  bool on = false;
  auto emit = [&](bool v, uint32_t n) {
    if (n == 0) return;
    if (v != on) {
      r.counts.push_back(run);
      run = 0;
      on = v;
    }
    run += n;
  };
  emit(false, static_cast<uint32_t>(x0) * static_cast<uint32_t>(height));
  for (int x = 0; x < crop.cols; ++x) {
    emit(false, static_cast<uint32_t>(y0));
    for (int y = 0; y < crop.rows; ++y) emit(crop.at<uint8_t>(y, x) != 0, 1);
    emit(false, static_cast<uint32_t>(height - y0 - crop.rows));
  }
  emit(false, static_cast<uint32_t>(width - x0 - crop.cols) * static_cast<uint32_t>(height));
  r.counts.push_back(run);
  return r;
}

// LabelMe 5 "mask" shapes: a base64 PNG of the box between the two points.
Rle maskShape(const Json& shape, const std::vector<std::pair<double, double>>& pts, int height,
              int width) {
  if (pts.size() != 2)
    throw UserError("mask shape has " + std::to_string(pts.size()) + " points, expected 2");
  const std::string png = decodeBase64(json_fields::textField(shape, "mask"));
  cv::Mat crop;
  try {
    if (!png.empty()) {
      crop = cv::imdecode(
          cv::Mat(1, static_cast<int>(png.size()), CV_8U, const_cast<char*>(png.data())),
          cv::IMREAD_GRAYSCALE);
    }
  } catch (const cv::Exception&) {
    crop = cv::Mat();  // a decoder that rejects the bytes loudly: same as one that returns nothing
  }
  if (crop.empty()) throw UserError("'mask' is not a PNG image");
  const int x0 = static_cast<int>(std::lround(std::min(pts[0].first, pts[1].first)));
  const int y0 = static_cast<int>(std::lround(std::min(pts[0].second, pts[1].second)));
  const cv::Rect inside = cv::Rect(x0, y0, crop.cols, crop.rows) & cv::Rect(0, 0, width, height);
  if (inside.area() == 0) throw UserError("mask shape lies outside the image");
  return placeCrop(crop(cv::Rect(inside.x - x0, inside.y - y0, inside.width, inside.height)),
                   inside.x, inside.y, height, width);
}

Rle shapeMask(const Json& shape, int height, int width) {
  std::string type = "polygon";
  if (const Json* t = json_fields::optionalMember(shape, "shape_type"))
    type = json_fields::toText(*t, "shape_type");
  const auto pts = points(shape);
  std::vector<double> xy;
  if (type == "polygon") {
    for (const auto& [x, y] : pts) {
      xy.push_back(x);
      xy.push_back(y);
    }
  } else if (type == "rectangle") {
    if (pts.size() != 2 && pts.size() != 4)
      throw UserError("rectangle has " + std::to_string(pts.size()) + " points, expected 2");
    double xs = pts[0].first, xe = xs, ys = pts[0].second, ye = ys;
    for (const auto& [x, y] : pts) {
      xs = std::min(xs, x), xe = std::max(xe, x), ys = std::min(ys, y), ye = std::max(ye, y);
    }
    xy = shapes::rectangle(xs, ys, xe, ye);
  } else if (type == "circle") {
    if (pts.size() != 2)
      throw UserError("circle has " + std::to_string(pts.size()) +
                      " points, expected centre and rim");
    coco::checkPolygon(
        {pts[0].first, pts[0].second, pts[1].first, pts[1].second, pts[0].first, pts[0].second},
        height, width, "circle");
    xy = shapes::circle(pts[0].first, pts[0].second,
                        std::hypot(pts[1].first - pts[0].first, pts[1].second - pts[0].second));
  } else if (type == "mask") {
    return maskShape(shape, pts, height, width);
  } else {
    throw UserError("shape_type '" + type +
                    "' has no area (expected polygon, rectangle, circle or mask)");
  }
  return coco::polygonsToRle({xy}, height, width);
}

std::string shapeName(size_t index, const Json& shape) {
  std::string s = "shape " + std::to_string(index);
  if (shape.is_object()) {
    const auto it = shape.find("label");
    if (it != shape.end() && it->is_string()) s += " ('" + it->get<std::string>() + "')";
  }
  return s;
}

}  // namespace

Status labelmeInto(const Json& doc, const std::string& name, const std::filesystem::path& jsonDir,
                   const LabelmeReadOptions& options, CategoryTable& categories, Dataset& d,
                   ConversionReport& report) {
  ImageRecord image;
  const Json* shapes = nullptr;
  try {
    if (!doc.is_object())
      throw UserError("top level is " + json_fields::typeName(doc) + ", expected a LabelMe object");
    shapes = json_fields::optionalMember(doc, "shapes");
    if (!shapes || !shapes->is_array())
      throw UserError("not a LabelMe file: 'shapes' is missing or not a list");
    image.file = image_path::relativeToRoot(options.imageRoot, jsonDir,
                                            json_fields::textField(doc, "imagePath"));
    const auto file = options.imageRoot / image.file;
    const Json* w = json_fields::optionalMember(doc, "imageWidth");
    const Json* h = json_fields::optionalMember(doc, "imageHeight");
    std::error_code ec;
    if (options.requireImages && !std::filesystem::is_regular_file(file, ec)) {
      throw UserError("image file not found: " + file.string());
    }
    if (w && h) {
      coco::checkImageSize(json_fields::toInt(*w, "imageWidth"),
                           json_fields::toInt(*h, "imageHeight"));
      image.width = static_cast<int>(json_fields::toInt(*w, "imageWidth"));
      image.height = static_cast<int>(json_fields::toInt(*h, "imageHeight"));
    } else {
      const image_path::Size size = image_path::readImageSize(file);
      coco::checkImageSize(size.width, size.height);
      image.width = size.width;
      image.height = size.height;
    }
    for (const ImageRecord& other : d.images) {
      if (other.file == image.file)
        throw UserError("image " + image.file + " already has a LabelMe file");
    }
  } catch (const UserError& e) {
    return Status::error(name + ": " + e.what());
  } catch (const Json::exception& e) {
    return Status::error(name + ": " + e.what());
  }
  image.id = d.images.empty() ? 1 : d.images.back().id + 1;
  d.images.push_back(image);

  // (label, group_id) -> index into d.instances for grouped shapes.
  std::map<std::pair<std::string, int64_t>, size_t> groups;
  for (size_t i = 0; i < shapes->size(); ++i) {
    const Json& shape = (*shapes)[i];
    try {
      const std::string label = json_fields::textField(shape, "label");
      if (label.empty()) throw UserError("'label' is empty");
      const Json* group = json_fields::optionalMember(shape, "group_id");
      const int64_t groupId = group ? json_fields::toInt(*group, "group_id") : 0;
      bool crowd = false;
      if (const Json* flags = json_fields::optionalMember(shape, "flags")) {
        if (const Json* c =
                flags->is_object() ? json_fields::optionalMember(*flags, "iscrowd") : nullptr) {
          crowd = json_fields::toBool(*c, "flags.iscrowd");
        }
      }
      Rle mask = shapeMask(shape, image.height, image.width);
      const int64_t categoryId = categories.idFor(label);
      if (group) {
        const auto it = groups.find({label, groupId});
        if (it != groups.end()) {
          Instance& inst = d.instances[it->second];
          inst.mask = rle::merge({inst.mask, mask});
          inst.iscrowd = inst.iscrowd || crowd;
          continue;
        }
        groups[{label, groupId}] = d.instances.size();
      }
      Instance inst;
      inst.id = static_cast<int64_t>(d.instances.size()) + 1;
      inst.imageId = image.id;
      inst.categoryId = categoryId;
      inst.iscrowd = crowd;
      inst.mask = std::move(mask);
      d.instances.push_back(std::move(inst));
    } catch (const UserError& e) {
      report.skip(name, shapeName(i, shape), e.what());
    } catch (const Json::exception& e) {
      report.skip(name, shapeName(i, shape), e.what());
    }
  }
  return {};
}

Result<Dataset> readLabelme(const std::filesystem::path& input, const LabelmeReadOptions& options,
                            ConversionReport* report) {
  ConversionReport local;
  ConversionReport& rep = report ? *report : local;
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  std::filesystem::path base;
  if (std::filesystem::is_directory(input, ec)) {
    base = input;
    for (auto it = std::filesystem::recursive_directory_iterator(input, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec) && it->path().extension() == ".json") files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
  } else if (std::filesystem::is_regular_file(input, ec)) {
    base = input.parent_path().empty() ? "." : input.parent_path();
    files.push_back(input);
  } else {
    return Status::error(input.string() + ": no such LabelMe file or folder");
  }
  if (files.empty()) return Status::error(input.string() + ": no .json files in this folder");
  LabelmeReadOptions resolved = options;
  if (resolved.imageRoot.empty()) resolved.imageRoot = base;

  Dataset d;
  CategoryTable categories;
  Status last;
  for (const auto& file : files) {
    const std::string name = file.lexically_relative(base).generic_string();
    Result<Json> doc = json_fields::readFile(file, name);
    Status s = doc.ok() ? labelmeInto(*doc, name, file.parent_path(), resolved, categories, d, rep)
                        : doc.status();
    if (!s.ok()) {
      // "name: reason" -> "name: file: reason", like the other skipped records.
      const std::string& m = s.message();
      rep.skipped.push_back(
          m.rfind(name + ": ", 0) == 0 ? name + ": file: " + m.substr(name.size() + 2) : m);
      last = s;
    }
  }
  if (d.images.empty()) {
    return Status::error(input.string() + ": no usable LabelMe file" +
                         (last.ok() ? "" : "; last error: " + last.message()));
  }
  d.categories = categories.categories();
  rep.imagesRead += static_cast<int>(d.images.size());
  rep.instancesRead += static_cast<int>(d.instances.size());
  return d;
}

Status writeLabelme(const Dataset& d, const std::filesystem::path& outDir,
                    const LabelmeWriteOptions& options, ConversionReport* report) {
  ConversionReport local;
  ConversionReport& rep = report ? *report : local;
  const auto byImage = d.instancesByImage();
  std::error_code ec;
  const auto absRoot = options.imageRoot.empty()
                           ? std::filesystem::path()
                           : std::filesystem::absolute(options.imageRoot, ec).lexically_normal();
  std::set<int64_t> written;
  std::set<std::string> names;
  for (const ImageRecord& im : d.images) {
    if (!written.insert(im.id).second) continue;
    std::string relative;
    try {
      relative = image_path::checkedRelative(im.file);
    } catch (const UserError& e) {
      rep.skip(outDir.filename().string(), "image " + std::to_string(im.id), e.what());
      continue;
    }
    auto out = outDir / relative;
    out.replace_extension(".json");
    const std::string name = out.lexically_relative(outDir).generic_string();
    if (!names.insert(name).second) {
      rep.skip(name, "image " + im.file, "another image already writes this LabelMe file");
      continue;
    }
    const auto absOut = std::filesystem::absolute(out, ec).lexically_normal();
    const std::string imagePath =
        absRoot.empty()
            ? std::filesystem::path(im.file).filename().generic_string()
            : (absRoot / im.file).lexically_relative(absOut.parent_path()).generic_string();
    Json shapes = Json::array();
    int group = 0, instances = 0;
    const auto found = byImage.find(im.id);
    for (const Instance* inst :
         found == byImage.end() ? std::vector<const Instance*>{} : found->second) {
      const std::string record = "instance " + std::to_string(inst->id);
      const Category* cat = d.category(inst->categoryId);
      if (!cat) {
        rep.skip(name, record, "unknown category id " + std::to_string(inst->categoryId));
        continue;
      }
      if (inst->mask.height != im.height || inst->mask.width != im.width) {
        rep.skip(name, record, "mask size differs from the image's");
        continue;
      }
      const auto polys = coco::maskToPolygons(inst->mask, kEditableEpsilon);
      if (polys.empty()) {
        rep.skip(name, record,
                 "mask of " + std::to_string(rle::area(inst->mask)) +
                     " pixels is too small for a polygon");
        continue;
      }
      const Json groupId = polys.size() > 1 ? Json(++group) : Json(nullptr);
      for (const auto& poly : polys) {
        Json pts = Json::array();
        for (size_t i = 0; i + 1 < poly.size(); i += 2) pts.push_back({poly[i], poly[i + 1]});
        Json flags = Json::object();
        if (inst->iscrowd) flags["iscrowd"] = true;
        shapes.push_back({{"label", cat->name},
                          {"points", std::move(pts)},
                          {"group_id", groupId},
                          {"description", ""},
                          {"shape_type", "polygon"},
                          {"flags", std::move(flags)}});
      }
      ++instances;
    }
    const Json doc = {{"version", "5.2.1"},          {"flags", Json::object()},
                      {"shapes", std::move(shapes)}, {"imagePath", imagePath},
                      {"imageData", nullptr},        {"imageHeight", im.height},
                      {"imageWidth", im.width}};
    if (Status s = json_fields::writeFile(doc, out, 2); !s.ok()) return s;
    ++rep.imagesWritten;
    rep.instancesWritten += instances;
  }
  return {};
}

}  // namespace distillery
