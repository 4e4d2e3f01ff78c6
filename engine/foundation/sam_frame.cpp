#include "engine/foundation/sam_frame.h"

#include <opencv2/imgproc.hpp>

#include "engine/modeling/image_tensor.h"

namespace distillery {

SamFrame SamFrame::of(int height, int width) {
  SamFrame f;
  f.originalHeight = height;
  f.originalWidth = width;
  const double scale = static_cast<double>(kSide) / std::max(height, width);
  // SAM's ResizeLongestSide rounds half up.
  f.height = std::min(kSide, static_cast<int>(height * scale + 0.5));
  f.width = std::min(kSide, static_cast<int>(width * scale + 0.5));
  return f;
}

torch::Tensor samInput(const cv::Mat& image, const SamFrame& frame) {
  cv::Mat resized;
  const bool shrink = frame.width < image.cols;
  cv::resize(image, resized, cv::Size(frame.width, frame.height), 0, 0,
             shrink ? cv::INTER_AREA : cv::INTER_LINEAR);
  auto rgb = imageToTensor(resized) * 255.0;  // [3,h,w] RGB in [0,255]
  const auto mean = torch::tensor({123.675f, 116.28f, 103.53f}).view({3, 1, 1});
  const auto std = torch::tensor({58.395f, 57.12f, 57.375f}).view({3, 1, 1});
  auto input = torch::zeros({1, 3, SamFrame::kSide, SamFrame::kSide});
  input[0].narrow(1, 0, frame.height).narrow(2, 0, frame.width).copy_((rgb - mean) / std);
  return input;
}

torch::Tensor samMasksAtOriginalSize(const torch::Tensor& lowRes, const SamFrame& frame) {
  namespace F = torch::nn::functional;
  auto up = F::interpolate(lowRes, F::InterpolateFuncOptions()
                                       .size(std::vector<int64_t>{SamFrame::kSide, SamFrame::kSide})
                                       .mode(torch::kBilinear)
                                       .align_corners(false));
  up = up.narrow(2, 0, frame.height).narrow(3, 0, frame.width);
  up = F::interpolate(up, F::InterpolateFuncOptions()
                              .size(std::vector<int64_t>{frame.originalHeight, frame.originalWidth})
                              .mode(torch::kBilinear)
                              .align_corners(false));
  return up.squeeze(1);
}

}  // namespace distillery
