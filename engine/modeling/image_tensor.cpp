#include "engine/modeling/image_tensor.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "engine/util/status.h"

namespace distillery {

namespace {

int roundUp(int x, int divisor) {
  return divisor <= 1 ? x : (x + divisor - 1) / divisor * divisor;
}

}  // namespace

torch::Tensor imageToTensor(const cv::Mat& image) {
  if (image.empty()) throw UserError("image is empty");
  const int depth = image.depth();
  if (depth != CV_8U && depth != CV_16U && depth != CV_32F)
    throw UserError("image has an unsupported pixel depth, expected 8 or 16 bit or float");
  cv::Mat rgb;
  switch (image.channels()) {
    case 1:
      cv::cvtColor(image, rgb, cv::COLOR_GRAY2RGB);
      break;
    case 3:
      cv::cvtColor(image, rgb, cv::COLOR_BGR2RGB);
      break;
    case 4:
      cv::cvtColor(image, rgb, cv::COLOR_BGRA2RGB);
      break;
    default:
      throw UserError("image has " + std::to_string(image.channels()) +
                      " channels, expected 1, 3 or 4");
  }
  cv::Mat f;
  switch (rgb.depth()) {
    case CV_8U:
      rgb.convertTo(f, CV_32F, 1.0 / 255.0);
      break;
    case CV_16U:
      rgb.convertTo(f, CV_32F, 1.0 / 65535.0);
      break;
    default:
      f = rgb;
      break;  // CV_32F
  }
  if (!f.isContinuous()) f = f.clone();
  torch::Tensor hwc = torch::from_blob(f.data, {f.rows, f.cols, 3}, torch::kFloat32);
  return hwc.permute({2, 0, 1}).clone();
}

ImagePlacement placeImage(int height, int width, int maxSide) {
  ImagePlacement p{height, width, height, width};
  if (maxSide > 0 && height > 0 && width > 0) {
    const double scale = static_cast<double>(maxSide) / std::max(height, width);
    p.height = std::max(1, static_cast<int>(std::lround(height * scale)));
    p.width = std::max(1, static_cast<int>(std::lround(width * scale)));
  }
  return p;
}

ImageBatch makeImageBatch(const std::vector<cv::Mat>& images, int maxSide, int divisibility) {
  ImageBatch batch;
  std::vector<torch::Tensor> tensors;
  int maxH = 0, maxW = 0;
  for (const cv::Mat& image : images) {
    ImagePlacement p = placeImage(image.rows, image.cols, maxSide);
    cv::Mat resized = image;
    if (p.height != image.rows || p.width != image.cols) {
      const bool shrink = p.height < image.rows;
      cv::resize(image, resized, cv::Size(p.width, p.height), 0, 0,
                 shrink ? cv::INTER_AREA : cv::INTER_LINEAR);
    }
    tensors.push_back(imageToTensor(resized));
    batch.placements.push_back(p);
    maxH = std::max(maxH, p.height);
    maxW = std::max(maxW, p.width);
  }
  const int64_t h = roundUp(std::max(maxH, 1), divisibility),
                w = roundUp(std::max(maxW, 1), divisibility);
  batch.images = torch::zeros({static_cast<int64_t>(tensors.size()), 3, h, w});
  using torch::indexing::Slice;
  for (size_t i = 0; i < tensors.size(); ++i)
    batch.images[static_cast<int64_t>(i)]
        .index({Slice(), Slice(0, tensors[i].size(1)), Slice(0, tensors[i].size(2))})
        .copy_(tensors[i]);
  return batch;
}

TargetInstances makeTargets(const std::vector<int64_t>& labels, const std::vector<cv::Mat>& masks,
                            const ImagePlacement& placement, int paddedHeight, int paddedWidth) {
  DST_CHECK(labels.size() == masks.size());
  TargetInstances t;
  const auto n = static_cast<int64_t>(labels.size());
  t.labels = torch::tensor(labels, torch::kInt64).view({n});
  t.masks = torch::zeros({n, paddedHeight, paddedWidth});
  for (int64_t i = 0; i < n; ++i) {
    cv::Mat m = masks[static_cast<size_t>(i)];
    DST_CHECK(m.rows == placement.originalHeight && m.cols == placement.originalWidth);
    cv::Mat binary = m != 0;  // CV_8U 0/255
    if (binary.rows != placement.height || binary.cols != placement.width)
      cv::resize(binary, binary, cv::Size(placement.width, placement.height), 0, 0,
                 cv::INTER_NEAREST);
    cv::Mat f;
    binary.convertTo(f, CV_32F, 1.0 / 255.0);
    torch::Tensor src = torch::from_blob(f.data, {f.rows, f.cols}, torch::kFloat32);
    using torch::indexing::Slice;
    t.masks[i].index({Slice(0, f.rows), Slice(0, f.cols)}).copy_(src);
  }
  return t;
}

}  // namespace distillery
