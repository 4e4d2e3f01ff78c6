// Image paths found inside annotation files, kept inside the dataset's image root.
//
// A path from a file is data, not a place to read from: an absolute path or one that
// climbs out of the root with ".." is refused, so a converted dataset never points
// (or makes a reader go) outside its own folder.
#pragma once

#include <filesystem>
#include <string>

namespace distillery::image_path {

// Normalises a relative path from a file ('\\' -> '/', "a/./b" -> "a/b", "a/../b" -> "b")
// and returns it '/'-separated. Throws UserError for an empty path, an absolute path
// (including "C:..." and "//host") or one that escapes the root with "..".
std::string checkedRelative(const std::string& path);

// The image path `path` found in a file that lives in `baseDir`, made relative to
// `root` ('/'-separated). Throws UserError for an absolute path or one that ends
// up outside `root` (e.g. "../x.jpg" when the file sits in the root).
std::string relativeToRoot(const std::filesystem::path& root, const std::filesystem::path& baseDir,
                           const std::string& path);

// Reads width and height from a JPEG or PNG header (other formats: OpenCV decodes).
// EXIF orientation is ignored: annotations are in stored-pixel coordinates.
// Throws UserError when the file is missing or unreadable.
struct Size {
  int width = 0, height = 0;
};
Size readImageSize(const std::filesystem::path& file);

}  // namespace distillery::image_path
