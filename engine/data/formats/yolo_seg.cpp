#include "engine/data/formats/yolo_seg.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include "engine/data/formats/coco_segmentation.h"
#include "engine/data/formats/image_path.h"

namespace distillery {

namespace fs = std::filesystem;

std::string yoloLabelPath(const std::string& imageFile) {
  fs::path p(image_path::checkedRelative(imageFile));
  if (p.begin() != p.end() && *p.begin() == "images") p = p.lexically_relative("images");
  p.replace_extension(".txt");
  return (fs::path("labels") / p).generic_string();
}

std::vector<double> joinParts(const std::vector<std::vector<double>>& parts) {
  std::vector<double> out;
  for (const auto& part : parts) {
    out.insert(out.end(), part.begin(), part.end());
    out.push_back(part[0]);  // close the part, so the bridge leaves from its first point
    out.push_back(part[1]);
  }
  // Walk back along the bridges to part 0's first point, so each bridge is traversed
  // twice in opposite directions and encloses no area.
  for (size_t k = parts.size(); k-- > 1;) {
    out.push_back(parts[k - 1][0]);
    out.push_back(parts[k - 1][1]);
  }
  return out;
}

namespace {

Status writeLines(const fs::path& file, const std::vector<std::string>& lines) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  for (const std::string& l : lines) out << l << '\n';
  out.close();
  if (!out) return Status::error(file.string() + ": write failed");
  return {};
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", std::clamp(v, 0.0, 1.0));
  return buf;
}

}  // namespace

Status writeYoloSeg(const Dataset& d, const fs::path& outDir, ConversionReport* report) {
  ConversionReport local;
  ConversionReport& rep = report ? *report : local;
  std::map<int64_t, size_t> classIndex;
  std::vector<std::string> names;
  for (const Category& c : d.categories) {
    if (classIndex.emplace(c.id, names.size()).second) names.push_back(c.name);
  }
  if (Status s = writeLines(outDir / "classes.txt", names); !s.ok()) return s;
  const auto byImage = d.instancesByImage();
  std::set<std::string> written;
  for (const ImageRecord& im : d.images) {
    std::string labelPath;
    try {
      labelPath = yoloLabelPath(im.file);
    } catch (const UserError& e) {
      rep.skip("labels", "image " + std::to_string(im.id), e.what());
      continue;
    }
    if (!written.insert(labelPath).second) {
      rep.skip(labelPath, "image " + im.file, "another image already writes this label file");
      continue;
    }
    std::vector<std::string> lines;
    const auto found = byImage.find(im.id);
    for (const Instance* inst :
         found == byImage.end() ? std::vector<const Instance*>{} : found->second) {
      const std::string record = "instance " + std::to_string(inst->id);
      const auto cls = classIndex.find(inst->categoryId);
      if (cls == classIndex.end()) {
        rep.skip(labelPath, record, "unknown category id " + std::to_string(inst->categoryId));
        continue;
      }
      if (inst->iscrowd) {
        rep.skip(labelPath, record, "crowd region (YOLO-seg has no crowd regions)");
        continue;
      }
      if (inst->mask.height != im.height || inst->mask.width != im.width) {
        rep.skip(labelPath, record, "mask size differs from the image's");
        continue;
      }
      const auto parts = coco::maskToPolygons(inst->mask);
      if (parts.empty()) {
        rep.skip(labelPath, record,
                 "mask of " + std::to_string(rle::area(inst->mask)) +
                     " pixels is too small for a polygon");
        continue;
      }
      const std::vector<double> xy = parts.size() == 1 ? parts[0] : joinParts(parts);
      std::string line = std::to_string(cls->second);
      for (size_t i = 0; i + 1 < xy.size(); i += 2) {
        line += ' ' + number(xy[i] / im.width) + ' ' + number(xy[i + 1] / im.height);
      }
      lines.push_back(std::move(line));
      ++rep.instancesWritten;
    }
    if (Status s = writeLines(outDir / labelPath, lines); !s.ok()) return s;
    ++rep.imagesWritten;
  }
  return {};
}

}  // namespace distillery
