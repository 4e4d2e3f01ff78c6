#include "engine/foundation/promptable_segmenter.h"

namespace distillery {

Result<PromptableSegmenter> PromptableSegmenter::load(const std::filesystem::path& encoder,
                                                      const std::filesystem::path& decoder) {
  auto enc = OnnxModuleImpl::load(encoder);
  if (!enc) return enc.status();
  // The masks at the original size are computed here from low_res_masks (the
  // graph's own `masks` output would cost a full-size resize per prompt).
  OnnxModuleImpl::Options decoderOptions;
  decoderOptions.outputs = {"iou_predictions", "low_res_masks"};
  auto dec = OnnxModuleImpl::load(decoder, decoderOptions);
  if (!dec) return dec.status();
  const auto& in = (*dec)->inputs();
  const std::vector<std::string> expected = {"image_embeddings", "point_coords", "point_labels",
                                             "mask_input", "has_mask_input", "orig_im_size"};
  for (size_t i = 0; i < expected.size(); ++i)
    if (i >= in.size() || in[i].name != expected[i])
      return Status::error(decoder.string() +
                           ": not a SAM prompt decoder (inputs must be image_embeddings, "
                           "point_coords, point_labels, mask_input, has_mask_input, orig_im_size)");
  // SAM's decoder repeats the embedding per prompt, so a batch of prompts runs
  // in one call though the export declares a batch of one.
  (*dec)->relaxInputDim("point_coords", 0);
  (*dec)->relaxInputDim("point_labels", 0);
  PromptableSegmenter s;
  s.encoder_ = OnnxModule(*enc);
  s.decoder_ = OnnxModule(*dec);
  return s;
}

torch::Tensor PromptableSegmenter::embed(const cv::Mat& image, const SamFrame& frame) {
  torch::NoGradGuard noGrad;
  return encoder_->forward(std::vector<torch::Tensor>{samInput(image, frame)}).at(0);
}

namespace {

std::vector<torch::Tensor> decoderInputs(const torch::Tensor& embedding, const SamFrame& frame,
                                         torch::Tensor coords, torch::Tensor labels,
                                         const torch::Tensor& previous) {
  auto hasMask = torch::full({1}, previous.defined() ? 1.0f : 0.0f);
  auto mask = previous.defined() ? previous.reshape({1, 1, 256, 256}).to(torch::kFloat)
                                 : torch::zeros({1, 1, 256, 256});
  auto size = torch::tensor({static_cast<float>(frame.originalHeight),
                             static_cast<float>(frame.originalWidth)});
  return {embedding, std::move(coords), std::move(labels), mask, hasMask, size};
}

}  // namespace

SamMasks PromptableSegmenter::segment(const torch::Tensor& embedding, const SamFrame& frame,
                                      const SamPrompt& prompt) {
  torch::NoGradGuard noGrad;
  std::vector<float> xy, labels;
  for (size_t i = 0; i < prompt.points.size(); ++i) {
    xy.push_back(prompt.points[i].x * frame.scaleX());
    xy.push_back(prompt.points[i].y * frame.scaleY());
    labels.push_back(static_cast<float>(prompt.labels.at(i)));
  }
  if (prompt.box) {  // corners labelled 2 and 3
    xy.insert(xy.end(), {prompt.box->x * frame.scaleX(), prompt.box->y * frame.scaleY(),
                         (prompt.box->x + prompt.box->width) * frame.scaleX(),
                         (prompt.box->y + prompt.box->height) * frame.scaleY()});
    labels.insert(labels.end(), {2.0f, 3.0f});
  } else {  // SAM's padding point when there is no box
    xy.insert(xy.end(), {0.0f, 0.0f});
    labels.push_back(-1.0f);
  }
  const int64_t n = static_cast<int64_t>(labels.size());
  auto coords = torch::tensor(xy).view({1, n, 2});
  auto lab = torch::tensor(labels).view({1, n});
  auto out = decoder_->forward(decoderInputs(embedding, frame, coords, lab, prompt.previousLowRes));
  SamMasks m;
  m.iou = out[0].reshape({-1});
  m.lowRes = out[1].reshape({-1, 1, 256, 256});
  m.logits = samMasksAtOriginalSize(m.lowRes, frame);
  return m;
}

SamMasks PromptableSegmenter::segmentPoints(const torch::Tensor& embedding, const SamFrame& frame,
                                            const torch::Tensor& points, bool fullSize) {
  torch::NoGradGuard noGrad;
  const int64_t b = points.size(0);
  auto scaled = points.to(torch::kFloat) *
                torch::tensor({frame.scaleX(), frame.scaleY()}).view({1, 2});
  auto coords = torch::cat({scaled.view({b, 1, 2}), torch::zeros({b, 1, 2})}, 1);
  auto labels = torch::tensor({1.0f, -1.0f}).view({1, 2}).expand({b, 2}).contiguous();
  auto out = decoder_->forward(decoderInputs(embedding, frame, coords, labels, {}));
  SamMasks m;
  m.iou = out[0].reshape({-1});
  m.lowRes = out[1].reshape({-1, 1, 256, 256});
  if (fullSize) m.logits = samMasksAtOriginalSize(m.lowRes, frame);
  return m;
}

int64_t PromptableSegmenter::parameterCount() const {
  return encoder_->parameterCount() + decoder_->parameterCount();
}

}  // namespace distillery
