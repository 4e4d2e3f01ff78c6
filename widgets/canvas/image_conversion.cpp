#include "widgets/canvas/image_conversion.h"

#include <opencv2/imgproc.hpp>

namespace distillery {

Result<cv::Mat> toBgr8(const cv::Mat& image) {
  if (image.empty()) return Status::error("image is empty");
  cv::Mat eight;
  switch (image.depth()) {
    case CV_8U:
      eight = image;
      break;
    case CV_16U:
      image.convertTo(eight, CV_8U, 1.0 / 257.0);
      break;
    case CV_32F:
    case CV_64F:
      image.convertTo(eight, CV_8U, 255.0);
      break;
    default:
      return Status::error("image has pixel depth " + std::to_string(image.depth()) +
                           ", expected 8-bit, 16-bit or floating point");
  }
  cv::Mat bgr;
  switch (eight.channels()) {
    case 1:
      cv::cvtColor(eight, bgr, cv::COLOR_GRAY2BGR);
      break;
    case 3:
      bgr = eight.clone();
      break;
    case 4:
      cv::cvtColor(eight, bgr, cv::COLOR_BGRA2BGR);
      break;
    default:
      return Status::error("image has " + std::to_string(eight.channels()) +
                           " channels, expected 1 (grey), 3 (BGR) or 4 (BGRA)");
  }
  return bgr;
}

cv::Mat toBgr8(const QImage& image) {
  if (image.isNull()) return {};
  const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
  const cv::Mat view(rgb.height(), rgb.width(), CV_8UC3, const_cast<uchar*>(rgb.constBits()),
                     size_t(rgb.bytesPerLine()));
  cv::Mat bgr;
  cv::cvtColor(view, bgr, cv::COLOR_RGB2BGR);  // writes a new buffer: safe after rgb is gone
  return bgr;
}

QImage toQImage(const cv::Mat& bgr) {
  if (bgr.empty()) return {};
  CV_Assert(bgr.type() == CV_8UC3);
  QImage out(bgr.cols, bgr.rows, QImage::Format_RGB32);
  // Format_RGB32 is 0xffRRGGBB, i.e. bytes B,G,R,255 in memory on little-endian: OpenCV's BGRA.
  cv::Mat target(bgr.rows, bgr.cols, CV_8UC4, out.bits(), size_t(out.bytesPerLine()));
  cv::cvtColor(bgr, target, cv::COLOR_BGR2BGRA);
  return out;
}

}  // namespace distillery
