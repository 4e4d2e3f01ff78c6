// The dataset model shared by importers, exporters, the project store and evaluation:
// categories, images (path and size) and instances (category, mask, score, source).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/data/rle.h"

namespace distillery {

// Who made an instance. Human annotations are never overwritten by the others.
enum class Source { Human, Teacher, Student };

const char* toString(Source s);
Result<Source> sourceFromString(const std::string& s);

struct Category {
  int64_t id = 0;
  std::string name;
  std::string supercategory;
};

struct ImageRecord {
  int64_t id = 0;
  std::string file;  // relative to the dataset's image root, '/'-separated
  int width = 0;
  int height = 0;
};

struct Instance {
  int64_t id = 0;
  int64_t imageId = 0;
  int64_t categoryId = 0;
  Rle mask;
  double score = 1.0;        // 1 for human labels
  Source source = Source::Human;
  bool iscrowd = false;
  double area = -1;          // area stored in the source file; -1 = compute from the mask
};

struct Dataset {
  std::vector<Category> categories;
  std::vector<ImageRecord> images;
  std::vector<Instance> instances;

  const Category* category(int64_t id) const;
  const ImageRecord* image(int64_t id) const;
  // Instances grouped by image id, in file order.
  std::map<int64_t, std::vector<const Instance*>> instancesByImage() const;
};

}  // namespace distillery
