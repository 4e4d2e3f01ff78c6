#include "engine/store/category_store.h"

#include <cctype>

#include "engine/store/connection.h"

namespace distillery {
namespace {

// 20 colours that stay distinguishable as mask overlays.
constexpr const char* kPalette[] = {"#e6194b", "#3cb44b", "#ffe119", "#4363d8", "#f58231",
                                    "#911eb4", "#46f0f0", "#f032e6", "#bcf60c", "#fabebe",
                                    "#008080", "#e6beff", "#9a6324", "#fffac8", "#800000",
                                    "#aaffc3", "#808000", "#ffd8b1", "#000075", "#808080"};

bool validColour(const std::string& c) {
  if (c.size() != 7 || c[0] != '#') return false;
  for (size_t i = 1; i < c.size(); ++i)
    if (!std::isxdigit(static_cast<unsigned char>(c[i]))) return false;
  return true;
}

std::string lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

CategoryInfo readRow(SQLite::Statement& q) {
  return {q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
          q.getColumn(3).getString()};
}

}  // namespace

std::string CategoryStore::paletteColour(int64_t index) {
  const int64_t n = static_cast<int64_t>(std::size(kPalette));
  return kPalette[((index % n) + n) % n];
}

Result<std::vector<CategoryInfo>> CategoryStore::list() const {
  return c_->read<std::vector<CategoryInfo>>("list the categories", [](SQLite::Database& db) {
    std::vector<CategoryInfo> out;
    SQLite::Statement q(db, "SELECT id, name, colour, supercategory FROM categories ORDER BY id");
    while (q.executeStep()) out.push_back(readRow(q));
    return out;
  });
}

Result<CategoryInfo> CategoryStore::get(int64_t id) const {
  auto found = c_->read<std::vector<CategoryInfo>>("read a category", [id](SQLite::Database& db) {
    std::vector<CategoryInfo> out;
    SQLite::Statement q(db, "SELECT id, name, colour, supercategory FROM categories WHERE id = ?");
    q.bind(1, id);
    if (q.executeStep()) out.push_back(readRow(q));
    return out;
  });
  if (!found) return found.status();
  if (found->empty()) return Status::error("category " + std::to_string(id) + " does not exist");
  return found->front();
}

Result<int64_t> CategoryStore::add(const std::string& name, const std::string& colour, int64_t id,
                                   const std::string& supercategory) {
  if (name.empty()) return Status::error("a category needs a non-empty name");
  if (!colour.empty() && !validColour(colour))
    return Status::error("category '" + name + "': colour '" + colour +
                         "' is not of the form #rrggbb");
  int64_t newId = 0;
  Status s = c_->write("add category '" + name + "'", [&](SQLite::Database& db) {
    SQLite::Statement exists(db, "SELECT id FROM categories WHERE name = ?");
    exists.bind(1, name);
    if (exists.executeStep())
      throw UserError("category '" + name + "' already exists (id " +
                      std::to_string(exists.getColumn(0).getInt64()) + ")");
    const int64_t count = db.execAndGet("SELECT count(*) FROM categories").getInt64();
    SQLite::Statement q(
        db, "INSERT INTO categories(id, name, colour, supercategory) VALUES (?, ?, ?, ?)");
    if (id > 0)
      q.bind(1, id);
    else
      q.bind(1);
    q.bind(2, name);
    q.bind(3, colour.empty() ? paletteColour(count) : lower(colour));
    q.bind(4, supercategory);
    q.exec();
    newId = db.getLastInsertRowid();
  });
  if (!s.ok()) return s;
  return newId;
}

Status CategoryStore::rename(int64_t id, const std::string& name) {
  if (name.empty())
    return Status::error("category " + std::to_string(id) + ": the name cannot be empty");
  return c_->write("rename category " + std::to_string(id), [&](SQLite::Database& db) {
    SQLite::Statement q(db, "UPDATE categories SET name = ? WHERE id = ?");
    q.bind(1, name);
    q.bind(2, id);
    if (q.exec() == 0) throw UserError("category " + std::to_string(id) + " does not exist");
  });
}

Status CategoryStore::setColour(int64_t id, const std::string& colour) {
  if (!validColour(colour))
    return Status::error("category " + std::to_string(id) + ": colour '" + colour +
                         "' is not of the form #rrggbb");
  return c_->write("recolour category " + std::to_string(id), [&](SQLite::Database& db) {
    SQLite::Statement q(db, "UPDATE categories SET colour = ? WHERE id = ?");
    q.bind(1, lower(colour));
    q.bind(2, id);
    if (q.exec() == 0) throw UserError("category " + std::to_string(id) + " does not exist");
  });
}

Status CategoryStore::remove(int64_t id) {
  return c_->write("delete category " + std::to_string(id), [&](SQLite::Database& db) {
    SQLite::Statement used(db, "SELECT count(*) FROM annotations WHERE category_id = ?");
    used.bind(1, id);
    used.executeStep();
    if (const int64_t n = used.getColumn(0).getInt64(); n > 0)
      throw UserError("category " + std::to_string(id) + " is used by " + std::to_string(n) +
                      " annotations; delete or relabel them first");
    SQLite::Statement q(db, "DELETE FROM categories WHERE id = ?");
    q.bind(1, id);
    if (q.exec() == 0) throw UserError("category " + std::to_string(id) + " does not exist");
  });
}

}  // namespace distillery
