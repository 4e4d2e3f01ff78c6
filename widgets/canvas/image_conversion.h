// Conversions between OpenCV images and QImage, in one place for the widgets layer.
#pragma once

#include <QImage>
#include <QMetaType>
#include <QString>
#include <opencv2/core.hpp>

#include "engine/util/status.h"

namespace distillery {

// Any 8/16-bit or float image with 1, 3 or 4 channels (OpenCV's BGR order) as 8-bit BGR.
// 16-bit is scaled by 1/257, float is taken as [0, 1]. Fails for other channel counts.
Result<cv::Mat> toBgr8(const cv::Mat& image);
// A QImage of any format as an 8-bit BGR cv::Mat (deep copy).
cv::Mat toBgr8(const QImage& image);
// An 8-bit BGR image as QImage::Format_RGB32 (deep copy; the fast format for painting).
QImage toQImage(const cv::Mat& bgr);

}  // namespace distillery

// Masks and images travel through signals (queued connections need the metatype).
Q_DECLARE_METATYPE(cv::Mat)
