#include "engine/data/formats/image_path.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "engine/util/status.h"

namespace distillery::image_path {

std::string checkedRelative(const std::string& path) {
  std::string p = path;
  std::replace(p.begin(), p.end(), '\\', '/');
  if (p.empty()) throw UserError("image path is empty");
  if (p.find('\0') != std::string::npos) throw UserError("image path contains a NUL byte");
  const bool drive = p.size() >= 2 && std::isalpha(static_cast<unsigned char>(p[0])) && p[1] == ':';
  if (p[0] == '/' || drive)
    throw UserError("image path '" + path +
                    "' is absolute, expected a path relative to the image root");
  const std::filesystem::path normal = std::filesystem::path(p).lexically_normal();
  const std::string out = normal.generic_string();
  if (out.empty() || out == "." || out.back() == '/')
    throw UserError("image path '" + path + "' names a folder, not a file");
  if (*normal.begin() == "..")
    throw UserError("image path '" + path + "' escapes the image root with '..'");
  return out;
}

std::string relativeToRoot(const std::filesystem::path& root, const std::filesystem::path& baseDir,
                           const std::string& path) {
  std::string p = path;
  std::replace(p.begin(), p.end(), '\\', '/');
  if (p.empty()) throw UserError("image path is empty");
  const bool drive = p.size() >= 2 && std::isalpha(static_cast<unsigned char>(p[0])) && p[1] == ':';
  if (p[0] == '/' || drive)
    throw UserError("image path '" + path + "' is absolute, expected a path relative to its file");
  std::error_code ec;
  const auto absRoot = std::filesystem::absolute(root, ec).lexically_normal();
  const auto full = (std::filesystem::absolute(baseDir, ec) / p).lexically_normal();
  const auto rel = full.lexically_relative(absRoot);
  if (rel.empty() || *rel.begin() == "..") {
    throw UserError("image path '" + path + "' escapes the image root " + root.string());
  }
  return checkedRelative(rel.generic_string());
}

namespace {

// Big-endian reads from a byte buffer.
uint32_t be16(const unsigned char* p) {
  return (uint32_t{p[0]} << 8) | p[1];
}
uint32_t be32(const unsigned char* p) {
  return (be16(p) << 16) | be16(p + 2);
}

bool pngSize(std::istream& in, Size& size) {
  std::array<unsigned char, 24> h{};
  in.seekg(0);
  if (!in.read(reinterpret_cast<char*>(h.data()), h.size())) return false;
  static const unsigned char kSig[8] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};
  if (!std::equal(kSig, kSig + 8, h.begin()) ||
      std::string(h.begin() + 12, h.begin() + 16) != "IHDR")
    return false;
  size.width = static_cast<int>(be32(&h[16]));
  size.height = static_cast<int>(be32(&h[20]));
  return true;
}

// Walks JPEG markers to the first start-of-frame (SOF0..SOF15 except DHT, JPG, DAC).
bool jpegSize(std::istream& in, Size& size) {
  unsigned char b[9];
  in.seekg(0);
  if (!in.read(reinterpret_cast<char*>(b), 2) || b[0] != 0xFF || b[1] != 0xD8) return false;
  for (int guard = 0; guard < 10000; ++guard) {
    if (!in.read(reinterpret_cast<char*>(b), 2)) return false;
    if (b[0] != 0xFF) return false;
    const unsigned char marker = b[1];
    if (marker == 0xFF) {  // fill byte
      in.seekg(-1, std::ios::cur);
      continue;
    }
    if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) continue;
    if (!in.read(reinterpret_cast<char*>(b), 2)) return false;
    const uint32_t length = be16(b);
    if (length < 2) return false;
    const bool sof =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      if (!in.read(reinterpret_cast<char*>(b), 5)) return false;
      size.height = static_cast<int>(be16(b + 1));
      size.width = static_cast<int>(be16(b + 3));
      return size.width > 0 && size.height > 0;
    }
    in.seekg(length - 2, std::ios::cur);
  }
  return false;
}

}  // namespace

Size readImageSize(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec))
    throw UserError("image file not found: " + file.string());
  std::ifstream in(file, std::ios::binary);
  if (!in) throw UserError("cannot open image file " + file.string());
  Size size;
  if (pngSize(in, size) || (in.clear(), jpegSize(in, size))) return size;
  cv::Mat image;
  try {
    image = cv::imread(file.string(), cv::IMREAD_UNCHANGED | cv::IMREAD_IGNORE_ORIENTATION);
  } catch (const cv::Exception&) {
    image = cv::Mat();
  }
  if (image.empty())
    throw UserError("cannot read image file " + file.string() +
                    " (not an image OpenCV can decode)");
  return {image.cols, image.rows};
}

}  // namespace distillery::image_path
