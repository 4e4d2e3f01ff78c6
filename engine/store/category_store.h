// Categories (classes) of a project: id, name, display colour.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/store/store_types.h"

namespace distillery {

class Connection;

class CategoryStore {
 public:
  explicit CategoryStore(Connection& connection) : c_(&connection) {}

  Result<std::vector<CategoryInfo>> list() const;
  Result<CategoryInfo> get(int64_t id) const;
  // Adds a category; id 0 = next free id; empty colour = the palette's next.
  Result<int64_t> add(const std::string& name, const std::string& colour = "", int64_t id = 0,
                      const std::string& supercategory = "");
  Status rename(int64_t id, const std::string& name);
  Status setColour(int64_t id, const std::string& colour);
  // Fails while annotations use the category.
  Status remove(int64_t id);

  // The default colour of the n-th category (a fixed palette of distinct colours).
  static std::string paletteColour(int64_t index);

 private:
  Connection* c_;
};

}  // namespace distillery
