#include "engine/store/image_scan.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <opencv2/imgcodecs.hpp>
#include <optional>
#include <thread>

#include "engine/store/content_hash.h"

namespace distillery {

namespace fs = std::filesystem;

bool hasImageExtension(const fs::path& file) {
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  for (const char* known : {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp"})
    if (ext == known) return true;
  return false;
}

std::vector<fs::path> listImageFiles(const fs::path& folder, const fs::path& exclude) {
  std::vector<fs::path> files;
  const fs::path excluded = exclude.empty() ? fs::path() : fs::weakly_canonical(exclude);
  std::error_code ec;
  fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec),
      end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    const std::string name = p.filename().string();
    const bool hidden = !name.empty() && name[0] == '.';
    if (it->is_directory(ec)) {
      if (hidden || (!excluded.empty() && fs::weakly_canonical(p, ec) == excluded))
        it.disable_recursion_pending();
      continue;
    }
    if (!hidden && it->is_regular_file(ec) && hasImageExtension(p)) files.push_back(p);
  }
  std::sort(files.begin(), files.end());
  return files;
}

Result<ProbedImage> hashImage(const fs::path& file) {
  auto bytes = readFileBytes(file);
  if (!bytes) return bytes.status();
  if (bytes->empty()) return Status::error(file.string() + ": empty file, expected an image");
  return ProbedImage{0, 0, contentHash(*bytes)};
}

Result<ProbedImage> probeImage(const fs::path& file) {
  auto bytes = readFileBytes(file);
  if (!bytes) return bytes.status();
  if (bytes->empty()) return Status::error(file.string() + ": empty file, expected an image");
  ProbedImage out{0, 0, contentHash(*bytes)};
  cv::Mat image;
  try {
    const cv::Mat buffer(1, static_cast<int>(bytes->size()), CV_8U, bytes->data());
    // Stored-pixel size, EXIF orientation ignored: annotations use stored-pixel coordinates
    // (formats agree).
    image = cv::imdecode(buffer, cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
  } catch (const cv::Exception&) {
    image.release();
  }
  if (image.empty()) {
    return Status::error(file.string() +
                         ": cannot be decoded as an image (corrupt, truncated or not a " +
                         file.extension().string() + " file)");
  }
  out.width = image.cols;
  out.height = image.rows;
  return out;
}

std::vector<Result<ProbedImage>> probeImages(const std::vector<fs::path>& files, int threads) {
  std::vector<std::optional<Result<ProbedImage>>> slots(files.size());
  if (threads <= 0)
    threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
  threads = std::max(1, std::min<int>(threads, static_cast<int>(files.size())));
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < files.size(); i = next++) slots[i].emplace(probeImage(files[i]));
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  std::vector<Result<ProbedImage>> out;
  out.reserve(files.size());
  for (auto& s : slots) out.push_back(std::move(*s));
  return out;
}

}  // namespace distillery
