#include "engine/store/image_root.h"

namespace distillery {

namespace fs = std::filesystem;

std::optional<fs::path> loadImageRoot(SQLite::Database& db, const fs::path& projectDir) {
  SQLite::Statement q(db, "SELECT value FROM meta WHERE key = 'image_root'");
  if (!q.executeStep()) return std::nullopt;
  const fs::path stored = q.getColumn(0).getString();
  if (stored.empty()) return std::nullopt;
  return stored.is_absolute() ? stored : (projectDir / stored).lexically_normal();
}

void storeImageRoot(SQLite::Database& db, const fs::path& projectDir, const fs::path& root) {
  const fs::path absolute = fs::weakly_canonical(fs::absolute(root));
  const std::string inside =
      relativeInside(fs::weakly_canonical(fs::absolute(projectDir)), absolute);
  SQLite::Statement q(db,
                      "INSERT INTO meta(key, value) VALUES ('image_root', ?) "
                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  q.bind(1, inside.empty() ? absolute.generic_string() : inside);
  q.exec();
}

fs::path rootForImport(SQLite::Database& db, const fs::path& projectDir, const fs::path& folder) {
  const fs::path absoluteFolder = fs::weakly_canonical(fs::absolute(folder));
  const auto root = loadImageRoot(db, projectDir);
  if (!root) {
    storeImageRoot(db, projectDir, absoluteFolder);
    return absoluteFolder;
  }
  const fs::path canonicalRoot = fs::weakly_canonical(*root);
  if (relativeInside(canonicalRoot, absoluteFolder).empty()) {
    throw UserError(
        folder.string() + ": outside the project's image root " + canonicalRoot.string() +
        "; image paths are stored relative to it (set a common parent as the image root first)");
  }
  return canonicalRoot;
}

std::string relativeInside(const fs::path& root, const fs::path& file) {
  const fs::path rel = file.lexically_normal().lexically_relative(root.lexically_normal());
  if (rel.empty()) return {};
  const std::string s = rel.generic_string();
  if (s == ".." || s.rfind("../", 0) == 0) return {};
  return s;
}

Status validateImagePath(const std::string& path) {
  if (path.empty()) return Status::error("image path is empty");
  if (path.front() == '/')
    return Status::error("image path '" + path +
                         "' is absolute, expected relative to the image root");
  if (path.find('\\') != std::string::npos)
    return Status::error("image path '" + path + "' contains '\\', expected '/'-separated");
  for (const auto& part : fs::path(path)) {
    if (part == "..")
      return Status::error("image path '" + path + "' leaves the image root ('..')");
  }
  return Status();
}

}  // namespace distillery
