// Categories named by label strings (LabelMe, VIA, masks): ids 1, 2, ... in order
// of first appearance, so the same files always give the same ids.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/data/dataset.h"

namespace distillery {

class CategoryTable {
 public:
  int64_t idFor(const std::string& name) {
    const auto it = ids_.find(name);
    if (it != ids_.end()) return it->second;
    const int64_t id = static_cast<int64_t>(categories_.size()) + 1;
    ids_.emplace(name, id);
    categories_.push_back({id, name, ""});
    return id;
  }
  const std::vector<Category>& categories() const { return categories_; }

 private:
  std::map<std::string, int64_t> ids_;
  std::vector<Category> categories_;
};

}  // namespace distillery
