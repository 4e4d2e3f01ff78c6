// Finding and probing image files for import (no database here).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/util/status.h"

namespace distillery {

// jpg, jpeg, png, bmp, tif, tiff, webp (any letter case).
bool hasImageExtension(const std::filesystem::path& file);

// Image files under folder, recursively, sorted; hidden entries and anything
// under `exclude` (the project folder, whose thumbnails are images too) skipped.
std::vector<std::filesystem::path> listImageFiles(const std::filesystem::path& folder,
                                                  const std::filesystem::path& exclude = {});

struct ProbedImage {
  int width = 0;
  int height = 0;
  std::string hash;  // contentHash of the file bytes
};

// Reads the file once: hashes the bytes and decodes them for the size in
// stored pixels (EXIF orientation ignored, as annotations are in stored-pixel
// coordinates). Fails on unreadable or undecodable files.
Result<ProbedImage> probeImage(const std::filesystem::path& file);
// Only reads and hashes (for datasets whose sizes are known already).
Result<ProbedImage> hashImage(const std::filesystem::path& file);

// probeImage over many files on up to `threads` threads, results in input order.
std::vector<Result<ProbedImage>> probeImages(const std::vector<std::filesystem::path>& files,
                                             int threads = 0);

}  // namespace distillery
