#include "engine/data/formats/mask_folder.h"

#include <algorithm>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <set>

#include "engine/data/formats/coco_segmentation.h"
#include "engine/data/formats/image_path.h"

namespace distillery {

namespace fs = std::filesystem;

namespace {

bool isImageFile(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const std::set<std::string> kExts = {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff"};
  return kExts.count(ext) > 0;
}

std::vector<fs::path> imageFiles(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file(ec) && isImageFile(it->path())) out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

fs::path firstExisting(const fs::path& dir, std::initializer_list<const char*> names) {
  std::error_code ec;
  for (const char* n : names) {
    if (fs::is_directory(dir / n, ec)) return dir / n;
  }
  return {};
}

cv::Mat readMask(const fs::path& file) {
  cv::Mat m;
  try {
    m = cv::imread(file.string(), cv::IMREAD_UNCHANGED | cv::IMREAD_IGNORE_ORIENTATION);
  } catch (const cv::Exception&) {
    m = cv::Mat();
  }
  if (m.empty()) throw UserError("cannot decode mask PNG");
  return m;
}

void checkSize(const cv::Mat& m, const ImageRecord& image) {
  if (m.cols != image.width || m.rows != image.height) {
    throw UserError("mask is " + std::to_string(m.cols) + "x" + std::to_string(m.rows) +
                    ", image is " + std::to_string(image.width) + "x" +
                    std::to_string(image.height));
  }
}

// One key per pixel: the value of a 1-channel mask, or the packed B,G,R colour.
cv::Mat instanceKeys(const cv::Mat& m) {
  cv::Mat keys(m.rows, m.cols, CV_32S);
  cv::Mat src = m;
  if (src.depth() != CV_8U && src.depth() != CV_16U)
    throw UserError("mask PNG has an unsupported pixel type");
  for (int y = 0; y < m.rows; ++y) {
    int32_t* k = keys.ptr<int32_t>(y);
    for (int x = 0; x < m.cols; ++x) {
      if (src.channels() == 1) {
        k[x] = src.depth() == CV_8U ? src.at<uint8_t>(y, x) : src.at<uint16_t>(y, x);
      } else if (src.depth() == CV_8U) {
        const uint8_t* p = src.ptr<uint8_t>(y) + static_cast<size_t>(x) * src.channels();
        k[x] = (p[2] << 16) | (p[1] << 8) | p[0];  // alpha, if any, is ignored
      } else {
        const uint16_t* p = src.ptr<uint16_t>(y) + static_cast<size_t>(x) * src.channels();
        k[x] = ((p[2] >> 8) << 16) | ((p[1] >> 8) << 8) | (p[0] >> 8);
      }
    }
  }
  return keys;
}

struct FolderReader {
  const fs::path& root;
  ConversionReport& report;
  Dataset d;

  std::string rel(const fs::path& p) const { return p.lexically_relative(root).generic_string(); }

  void addInstance(const ImageRecord& image, const cv::Mat& binary) {
    Instance inst;
    inst.id = static_cast<int64_t>(d.instances.size()) + 1;
    inst.imageId = image.id;
    inst.categoryId = 1;
    inst.mask = rle::encode(binary);
    d.instances.push_back(std::move(inst));
  }

  void instanceIdMask(const ImageRecord& image, const fs::path& file) {
    try {
      const cv::Mat m = readMask(file);
      checkSize(m, image);
      const cv::Mat keys = instanceKeys(m);
      std::set<int32_t> values(keys.begin<int32_t>(), keys.end<int32_t>());
      values.erase(0);
      for (int32_t v : values) addInstance(image, keys == v);
    } catch (const UserError& e) {
      report.skip(rel(file), "mask", e.what());
    }
  }

  void binaryMasks(const ImageRecord& image, const std::vector<fs::path>& files) {
    for (const fs::path& file : files) {
      try {
        const cv::Mat m = readMask(file);
        checkSize(m, image);
        cv::Mat gray = m;
        if (m.channels() > 1) {
          std::vector<cv::Mat> planes;
          cv::split(m, planes);
          gray = planes[0] != 0;
          for (size_t c = 1; c < std::min<size_t>(3, planes.size()); ++c) gray |= planes[c] != 0;
        }
        if (cv::countNonZero(gray) == 0) throw UserError("mask is empty");
        addInstance(image, gray != 0);
      } catch (const UserError& e) {
        report.skip(rel(file), "mask", e.what());
      }
    }
  }

  bool addImage(const fs::path& file, ImageRecord& image) {
    try {
      const image_path::Size size = image_path::readImageSize(file);
      coco::checkImageSize(size.width, size.height);
      image.id = static_cast<int64_t>(d.images.size()) + 1;
      image.file = rel(file);
      image.width = size.width;
      image.height = size.height;
      d.images.push_back(image);
      return true;
    } catch (const UserError& e) {
      report.skip(rel(file), "image", e.what());
      return false;
    }
  }

  void readPair(const fs::path& imagesDir, const fs::path& masksDir) {
    const auto images = imageFiles(imagesDir);
    std::set<fs::path> used;
    const auto pngs = imageFiles(masksDir);
    for (const fs::path& file : images) {
      ImageRecord image;
      const std::string stem = file.stem().string();
      std::error_code ec;
      fs::path idMask;
      for (const std::string& n : {stem + ".png", stem + "_mask.png"}) {
        if (idMask.empty() && fs::is_regular_file(masksDir / n, ec)) idMask = masksDir / n;
      }
      if (!idMask.empty()) used.insert(idMask);
      if (!addImage(file, image)) continue;
      if (!idMask.empty()) {
        instanceIdMask(image, idMask);
      } else if (fs::is_directory(masksDir / stem, ec)) {
        binaryMasks(image, imageFiles(masksDir / stem));
      } else if (images.size() == 1 &&
                 !pngs.empty()) {  // layout B: masks/ holds this image's instances
        binaryMasks(image, pngs);
        used.insert(pngs.begin(), pngs.end());
      } else {
        report.notes.push_back(rel(file) + ": no mask file, kept with no instances");
      }
    }
    for (const fs::path& png : pngs) {
      if (!used.count(png))
        report.skip(rel(png), "mask", "no image named like it in " + rel(imagesDir));
    }
  }
};

}  // namespace

Result<Dataset> readMaskFolder(const fs::path& input, const MaskFolderOptions& options,
                               ConversionReport* report) {
  ConversionReport local;
  ConversionReport& rep = report ? *report : local;
  std::error_code ec;
  if (!fs::is_directory(input, ec))
    return Status::error(input.string() + ": not a folder of mask PNGs");
  FolderReader r{input, rep, {}};
  const fs::path images = firstExisting(input, {"images", "PNGImages"});
  const fs::path masks = firstExisting(input, {"masks", "PedMasks"});
  if (!images.empty() && !masks.empty()) {
    r.readPair(images, masks);
  } else {
    std::vector<fs::path> dirs;
    for (auto it = fs::directory_iterator(input, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
      if (it->is_directory(ec) && fs::is_directory(it->path() / "images", ec) &&
          fs::is_directory(it->path() / "masks", ec)) {
        dirs.push_back(it->path());
      }
    }
    if (dirs.empty()) {
      return Status::error(
          input.string() +
          ": no mask layout found (expected images/ + masks/, PNGImages/ + PedMasks/, or "
          "<id>/images/ + <id>/masks/ folders; see docs/formats.md)");
    }
    std::sort(dirs.begin(), dirs.end());
    for (const fs::path& dir : dirs) r.readPair(dir / "images", dir / "masks");
  }
  if (r.d.images.empty())
    return Status::error(input.string() + ": no readable images in the mask layout");
  r.d.categories = {{1, options.categoryName, ""}};
  rep.imagesRead += static_cast<int>(r.d.images.size());
  rep.instancesRead += static_cast<int>(r.d.instances.size());
  return std::move(r.d);
}

}  // namespace distillery
