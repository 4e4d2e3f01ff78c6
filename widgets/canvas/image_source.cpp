#include "widgets/canvas/image_source.h"

#include <QFileInfo>
#include <opencv2/imgcodecs.hpp>

#include "widgets/canvas/image_conversion.h"

namespace distillery {
namespace {

Result<cv::Mat> decode(const QString& path) {
  if (!QFileInfo::exists(path)) return Status::error(path.toStdString() + ": file not found");
  // IMREAD_COLOR applies the EXIF orientation, like the engine's image loading.
  cv::Mat image = cv::imread(path.toStdString(), cv::IMREAD_COLOR);
  if (image.empty())
    return Status::error(path.toStdString() +
                         ": cannot decode the image (expected JPEG, PNG, BMP, TIFF or WebP)");
  return image;
}

}  // namespace

LoadedImage loadImage(const ImageSource& source, const std::atomic<bool>* cancel) {
  LoadedImage out;
  try {
    Result<cv::Mat> bgr = Status::error("no image given");
    if (!source.path.isEmpty()) {
      bgr = decode(source.path);
    } else if (!source.mat.empty()) {
      bgr = toBgr8(source.mat);
    } else if (!source.qimage.isNull()) {
      bgr = toBgr8(source.qimage);
    }
    if (!bgr.ok()) {
      out.error = QString::fromStdString(bgr.status().message());
      return out;
    }
    if (cancel && cancel->load()) return out;
    out.pyramid = ImagePyramid::build(*bgr, cancel);
    if (out.pyramid) out.bgr = std::move(bgr).value();
  } catch (const std::exception& e) {  // cv::Exception, std::bad_alloc on huge images
    const QString what = source.path.isEmpty() ? QStringLiteral("image") : source.path;
    out.error = what + ": cannot load: " + QString::fromUtf8(e.what());
    out.pyramid.reset();
  }
  return out;
}

}  // namespace distillery
