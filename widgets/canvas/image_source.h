// Turning what the app hands the canvas (a file, a cv::Mat, a QImage) into the BGR image
// and the tile pyramid. Runs on a worker thread: decoding and building the pyramid of a
// 4000x3000 image takes far longer than a frame.
#pragma once

#include <QImage>
#include <QString>
#include <atomic>
#include <memory>
#include <opencv2/core.hpp>

#include "widgets/canvas/image_pyramid.h"

namespace distillery {

struct ImageSource {
  QString path;   // decoded with OpenCV when set
  cv::Mat mat;    // else this (any depth, 1/3/4 channels)
  QImage qimage;  // else this
};

struct LoadedImage {
  cv::Mat bgr;  // 8-bit BGR, the pixels tools such as GrabCut read
  std::shared_ptr<const ImagePyramid> pyramid;
  QString error;  // set when the image could not be loaded; names the file and the problem
};

// Returns an empty result (no error, no image) when `cancel` became true.
LoadedImage loadImage(const ImageSource& source, const std::atomic<bool>* cancel);

}  // namespace distillery
