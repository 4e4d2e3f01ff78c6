#include "engine/foundation/foundation_benchmark.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <random>
#include <sstream>

#include "engine/foundation/promptable_segmenter.h"
#include "engine/foundation/segment_everything.h"
#include "engine/zoo/model_cache.h"
#include "engine/zoo/subprocess.h"

namespace distillery {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::string blasLibrary() {
  std::ifstream maps("/proc/self/maps");
  for (std::string line; std::getline(maps, line);) {
    auto slash = line.rfind('/');
    if (slash == std::string::npos) continue;
    std::string lib = line.substr(slash + 1);
    if (lib.find("openblas") != std::string::npos || lib.rfind("libblas", 0) == 0 ||
        lib.find("mkl_rt") != std::string::npos) {
      // Resolve the alternatives link so the report names the implementation.
      std::error_code ec;
      auto real = fs::canonical(line.substr(line.find('/')), ec);
      return ec ? lib : real.string();
    }
  }
  return "none mapped";
}

void writeRaw(const fs::path& file, const torch::Tensor& t) {
  auto c = t.to(torch::kFloat).contiguous();
  std::ofstream(file, std::ios::binary).write(static_cast<const char*>(c.data_ptr()), c.nbytes());
}

torch::Tensor readRaw(const fs::path& file, at::IntArrayRef shape) {
  std::ifstream in(file, std::ios::binary);
  auto t = torch::empty(shape, torch::kFloat);
  in.read(static_cast<char*>(t.data_ptr()), t.nbytes());
  if (!in) throw UserError(file.string() + ": shorter than expected");
  return t;
}

// Runs the reference script; returns its times (ms) or an error.
Result<std::vector<double>> runOrt(const FoundationBenchOptions& o, const fs::path& model,
                                   const nlohmann::json& inputs, const fs::path& dir, int repeats) {
  const auto manifest = dir / "inputs.json";
  std::ofstream(manifest) << inputs.dump();
  auto r = runProcess({"node", o.ortScript.string(), o.ortModules.string(), model.string(),
                       manifest.string(), dir.string(), std::to_string(o.threads),
                       std::to_string(repeats)});
  if (!r.succeeded())
    return Status::error("onnxruntime reference " + r.outcome() + ": " + lastLines(r.stderrText, 3));
  auto j = nlohmann::json::parse(r.stdoutText, nullptr, false);
  if (j.is_discarded()) return Status::error("onnxruntime reference printed no JSON");
  return j["times_ms"].get<std::vector<double>>();
}

}  // namespace

Result<FoundationBenchReport> runFoundationBench(const FoundationBenchOptions& o) {
  auto cache = ModelCache::fromEnvironment();
  if (!cache) return cache.status();
  auto encoderFile = cache->modelFile(o.model, "encoder");
  if (!encoderFile) return encoderFile.status();
  auto decoderFile = cache->modelFile(o.model, "decoder");
  if (!decoderFile) return decoderFile.status();
  cv::Mat image = cv::imread(o.image.string(), cv::IMREAD_COLOR);
  if (image.empty()) return Status::error(o.image.string() + ": cannot read as an image");

  FoundationBenchReport r;
  r.threads = o.threads;
  torch::set_num_threads(std::max(1, o.threads));
  auto sam = PromptableSegmenter::load(*encoderFile, *decoderFile);
  if (!sam) return sam.status();
  r.parameters = sam->parameterCount();
  r.blas = blasLibrary();
  const auto frame = SamFrame::of(image.rows, image.cols);
  const auto input = samInput(image, frame);
  torch::Tensor embedding;
  for (int i = 0; i < std::max(1, o.encoderRuns); ++i) {
    auto t = Clock::now();
    embedding = sam->embed(image, frame);
    r.encoderMs.push_back(msSince(t));
  }
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> ux(0, image.cols - 1), uy(0, image.rows - 1);
  SamMasks lastClick;
  SamPrompt lastPrompt;
  for (int i = 0; i < o.clicks; ++i) {
    SamPrompt p;
    p.points = {{ux(rng), uy(rng)}};
    p.labels = {1};
    auto t = Clock::now();
    lastClick = sam->segment(embedding, frame, p);
    r.decoderMs.push_back(msSince(t));
    lastPrompt = p;
  }
  if (o.everythingPointsPerSide > 0) {
    SegmentEverythingConfig c;
    c.pointsPerSide = o.everythingPointsPerSide;
    auto t = Clock::now();
    r.everythingMasks = static_cast<int>(segmentEverything(*sam, embedding, frame, c).size());
    r.everythingMs = msSince(t);
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  r.peakRssMb = usage.ru_maxrss / 1024.0;

  if (o.ortModules.empty() || !fs::exists(o.ortModules / "onnxruntime-node")) {
    r.ortNote = "onnxruntime-node not installed (npm install onnxruntime-node --ignore-scripts)";
    return r;
  }
  const auto dir = fs::temp_directory_path() / ("distillery-bench-onnx-" + std::to_string(getpid()));
  fs::create_directories(dir);
  try {
    writeRaw(dir / "input.raw", input);
    nlohmann::json encIn = nlohmann::json::array(
        {{{"name", "input"}, {"dims", {1, 3, 1024, 1024}}, {"file", (dir / "input.raw").string()}}});
    auto encTimes = runOrt(o, *encoderFile, encIn, dir, std::max(1, o.encoderRuns));
    if (!encTimes) {
      r.ortNote = encTimes.status().message();
    } else {
      r.ortRan = true;
      r.ortEncoderMs = *encTimes;
      auto theirs = readRaw(dir / "output.bin", {1, 256, 64, 64});
      r.encoderMaxAbsDiff = (theirs - embedding).abs().max().item<double>();
      r.encoderMaxAbs = theirs.abs().max().item<double>();
      // The last click's prompt, on the same embedding (ours), through both decoders.
      const auto& pt = lastPrompt.points[0];
      writeRaw(dir / "emb.raw", embedding);
      writeRaw(dir / "coords.raw", torch::tensor({pt.x * frame.scaleX(), pt.y * frame.scaleY(), 0.f, 0.f}));
      writeRaw(dir / "labels.raw", torch::tensor({1.f, -1.f}));
      writeRaw(dir / "mask.raw", torch::zeros({1, 1, 256, 256}));
      writeRaw(dir / "has.raw", torch::zeros({1}));
      writeRaw(dir / "size.raw", torch::tensor({float(frame.originalHeight), float(frame.originalWidth)}));
      auto in = [&](const char* name, std::vector<int64_t> dims, const char* file) {
        return nlohmann::json{{"name", name}, {"dims", dims}, {"file", (dir / file).string()}};
      };
      nlohmann::json decIn = nlohmann::json::array(
          {in("image_embeddings", {1, 256, 64, 64}, "emb.raw"), in("point_coords", {1, 2, 2}, "coords.raw"),
           in("point_labels", {1, 2}, "labels.raw"), in("mask_input", {1, 1, 256, 256}, "mask.raw"),
           in("has_mask_input", {1}, "has.raw"), in("orig_im_size", {2}, "size.raw")});
      auto decTimes = runOrt(o, *decoderFile, decIn, dir, std::max(1, o.clicks));
      if (decTimes) {
        r.ortDecoderMs = *decTimes;
        auto low = readRaw(dir / "low_res_masks.bin", {1, 1, 256, 256});
        r.decoderMaxAbsDiff = (low - lastClick.lowRes[0]).abs().max().item<double>();
      } else {
        r.ortNote = decTimes.status().message();
      }
    }
  } catch (const std::exception& e) {
    r.ortNote = e.what();
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return r;
}

std::string FoundationBenchReport::toText() const {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(1);
  s << "BLAS: " << blas << "\nthreads: " << threads << ", parameters (encoder + decoder): " << parameters
    << "\n\n| measure | distillery (LibTorch) | onnxruntime | ratio |\n|---|---|---|---|\n";
  auto row = [&](const char* what, const std::vector<double>& ours, const std::vector<double>& ort) {
    s << "| " << what << " | " << median(ours) << " | ";
    if (ort.empty()) {
      s << "- | - |\n";
    } else {
      s << median(ort) << " | ";
      s.precision(2);
      s << median(ours) / median(ort) << "x |\n";
      s.precision(1);
    }
  };
  row("encoder ms / 1024x1024 image (median)", encoderMs, ortEncoderMs);
  row("decoder ms / click (median)", decoderMs, ortDecoderMs);
  s << "| segment everything ms / image | " << everythingMs << " (" << everythingMasks
    << " masks) | - | - |\n| peak RSS MB | " << peakRssMb << " | - | - |\n";
  if (ortRan) {
    s.precision(6);
    s << "\nmax |ours - onnxruntime|: encoder " << encoderMaxAbsDiff << " (values up to " << encoderMaxAbs
      << "), decoder low-res logits " << decoderMaxAbsDiff << "\n";
  }
  if (!ortNote.empty()) s << "\nonnxruntime: " << ortNote << "\n";
  return s.str();
}

std::string FoundationBenchReport::toJson() const {
  nlohmann::json j{{"blas", blas},
                   {"threads", threads},
                   {"parameters", parameters},
                   {"encoder_ms", encoderMs},
                   {"decoder_ms", decoderMs},
                   {"everything_ms", everythingMs},
                   {"everything_masks", everythingMasks},
                   {"peak_rss_mb", peakRssMb},
                   {"onnxruntime",
                    {{"ran", ortRan},
                     {"note", ortNote},
                     {"encoder_ms", ortEncoderMs},
                     {"decoder_ms", ortDecoderMs},
                     {"encoder_max_abs_diff", encoderMaxAbsDiff},
                     {"decoder_max_abs_diff", decoderMaxAbsDiff}}}};
  return j.dump(2);
}

}  // namespace distillery
