#include "widgets/canvas/image_pyramid.h"

#include <QtGlobal>
#include <opencv2/imgproc.hpp>

namespace distillery {
namespace {

static_assert(Q_BYTE_ORDER == Q_LITTLE_ENDIAN, "tiles rely on BGRA == Format_RGB32 in memory");

PyramidLevel cutTiles(const cv::Mat& bgra) {
  PyramidLevel level;
  level.size = QSize(bgra.cols, bgra.rows);
  const int t = ImagePyramid::kTileSize;
  level.columns = (bgra.cols + t - 1) / t;
  level.rows = (bgra.rows + t - 1) / t;
  level.tiles.reserve(size_t(level.columns * level.rows));
  for (int r = 0; r < level.rows; ++r) {
    for (int c = 0; c < level.columns; ++c) {
      const cv::Rect roi(c * t, r * t, std::min(t, bgra.cols - c * t),
                         std::min(t, bgra.rows - r * t));
      const cv::Mat part = bgra(roi);
      // Wrap the ROI, then deep-copy so each tile owns its pixels.
      const QImage view(part.data, part.cols, part.rows, int(part.step), QImage::Format_RGB32);
      level.tiles.push_back(view.copy());
    }
  }
  return level;
}

}  // namespace

std::shared_ptr<const ImagePyramid> ImagePyramid::build(const cv::Mat& bgr,
                                                        const std::atomic<bool>* cancel) {
  CV_Assert(bgr.type() == CV_8UC3 && !bgr.empty());
  auto pyramid = std::make_shared<ImagePyramid>();
  pyramid->imageSize_ = QSize(bgr.cols, bgr.rows);
  cv::Mat current;
  cv::cvtColor(bgr, current, cv::COLOR_BGR2BGRA);
  while (true) {
    if (cancel && cancel->load()) return nullptr;
    pyramid->levels_.push_back(cutTiles(current));
    if (std::max(current.cols, current.rows) <= kTileSize) break;
    cv::Mat next;
    // INTER_AREA averages each 2x2 block: no aliasing when zoomed out.
    cv::resize(current, next, cv::Size((current.cols + 1) / 2, (current.rows + 1) / 2), 0, 0,
               cv::INTER_AREA);
    current = next;
  }
  return pyramid;
}

QRectF ImagePyramid::tileImageRect(int levelIndex, int column, int row) const {
  const PyramidLevel& l = level(levelIndex);
  // Exact per-axis ratio: odd sizes round up when halved, so 2^L is not quite right.
  const double sx = double(imageSize_.width()) / l.size.width();
  const double sy = double(imageSize_.height()) / l.size.height();
  const int t = kTileSize;
  const int w = std::min(t, l.size.width() - column * t);
  const int h = std::min(t, l.size.height() - row * t);
  return QRectF(column * t * sx, row * t * sy, w * sx, h * sy);
}

size_t ImagePyramid::byteSize() const {
  size_t bytes = 0;
  for (const auto& l : levels_)
    for (const auto& t : l.tiles) bytes += size_t(t.sizeInBytes());
  return bytes;
}

}  // namespace distillery
