// The image root: the folder image paths in the project are relative to.
// Stored in meta('image_root'), relative to the project folder when it lies
// inside it (so a project that carries its images can be moved), else absolute.
// Engine-internal helpers used inside the stores' transactions.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <optional>
#include <string>

#include "engine/util/status.h"

namespace distillery {

std::optional<std::filesystem::path> loadImageRoot(SQLite::Database& db,
                                                   const std::filesystem::path& projectDir);
void storeImageRoot(SQLite::Database& db, const std::filesystem::path& projectDir,
                    const std::filesystem::path& root);

// The root to import `folder` under: the stored one, or `folder` itself when
// none is set yet (then stored). Throws UserError when folder lies outside it.
std::filesystem::path rootForImport(SQLite::Database& db, const std::filesystem::path& projectDir,
                                    const std::filesystem::path& folder);

// file relative to root, '/'-separated; empty when file is not inside root.
std::string relativeInside(const std::filesystem::path& root, const std::filesystem::path& file);

// Checks a stored image path: relative, '/'-separated, no "..".
Status validateImagePath(const std::string& path);

}  // namespace distillery
