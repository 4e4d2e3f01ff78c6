#include "engine/data/dataset.h"

#include <algorithm>

namespace distillery {

const char* toString(Source s) {
  switch (s) {
    case Source::Human: return "human";
    case Source::Teacher: return "teacher";
    case Source::Student: return "student";
  }
  return "human";
}

Result<Source> sourceFromString(const std::string& s) {
  if (s == "human") return Source::Human;
  if (s == "teacher") return Source::Teacher;
  if (s == "student") return Source::Student;
  return Status::error("unknown source '" + s + "' (expected human, teacher or student)");
}

const Category* Dataset::category(int64_t id) const {
  auto it = std::find_if(categories.begin(), categories.end(), [id](const Category& c) { return c.id == id; });
  return it == categories.end() ? nullptr : &*it;
}

const ImageRecord* Dataset::image(int64_t id) const {
  auto it = std::find_if(images.begin(), images.end(), [id](const ImageRecord& i) { return i.id == id; });
  return it == images.end() ? nullptr : &*it;
}

std::map<int64_t, std::vector<const Instance*>> Dataset::instancesByImage() const {
  std::map<int64_t, std::vector<const Instance*>> out;
  for (const Instance& inst : instances) out[inst.imageId].push_back(&inst);
  return out;
}

}  // namespace distillery
