#include "engine/store/thumbnail_cache.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace distillery {

namespace fs = std::filesystem;

fs::path ThumbnailCache::path(const std::string& hash, int maxSide) const {
  const std::string shard = hash.size() >= 2 ? hash.substr(0, 2) : "00";
  return dir_ / shard / (hash + "-" + std::to_string(maxSide) + ".jpg");
}

Result<fs::path> ThumbnailCache::ensure(const fs::path& imageFile, const std::string& hash,
                                        int maxSide) const {
  if (hash.empty() || hash.find_first_of("/\\.") != std::string::npos)
    return Status::error(imageFile.string() + ": invalid content hash '" + hash +
                         "' for a thumbnail");
  if (maxSide < 16)
    return Status::error("thumbnail size " + std::to_string(maxSide) +
                         " is too small (minimum 16)");
  const fs::path target = path(hash, maxSide);
  std::error_code ec;
  if (fs::exists(target, ec)) return target;

  cv::Mat image;
  try {
    image = cv::imread(imageFile.string(), cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
  } catch (const cv::Exception&) {
    image.release();
  }
  if (image.empty())
    return Status::error(imageFile.string() + ": cannot be read or decoded for a thumbnail");
  const double scale =
      std::min(1.0, static_cast<double>(maxSide) / std::max(image.cols, image.rows));
  cv::Mat thumb = image;
  if (scale < 1.0) {
    const cv::Size size(std::max(1, static_cast<int>(std::lround(image.cols * scale))),
                        std::max(1, static_cast<int>(std::lround(image.rows * scale))));
    cv::resize(image, thumb, size, 0, 0, cv::INTER_AREA);
  }
  fs::create_directories(target.parent_path(), ec);
  if (ec)
    return Status::error(target.parent_path().string() + ": cannot create the thumbnail folder (" +
                         ec.message() + ")");
  // Unique temporary name per process and call, then an atomic rename.
  static std::atomic<uint64_t> counter{0};
  const fs::path temp = target.parent_path() / ("." + hash + "-" + std::to_string(::getpid()) +
                                                "-" + std::to_string(counter++) + ".tmp.jpg");
  bool written = false;
  try {
    written = cv::imwrite(temp.string(), thumb, {cv::IMWRITE_JPEG_QUALITY, 85});
  } catch (const cv::Exception&) {
    written = false;
  }
  if (!written) {
    fs::remove(temp, ec);
    return Status::error(temp.string() +
                         ": cannot write the thumbnail (disk full or folder read-only?)");
  }
  fs::rename(temp, target, ec);
  if (ec) {
    const std::string reason = ec.message();
    fs::remove(temp, ec);
    return Status::error(target.string() + ": cannot store the thumbnail (" + reason + ")");
  }
  return target;
}

}  // namespace distillery
