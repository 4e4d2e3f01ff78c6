// distillery-cli predict: run a contract model over a folder of images and write
// COCO results (image ids from --gt matched by file name, else 1..N by path).
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <opencv2/imgcodecs.hpp>

#include "app/cli/commands.h"
#include "engine/data/formats/coco_json.h"
#include "engine/data/formats/coco_results.h"
#include "engine/modeling/predictor.h"

namespace distillery::cli {

namespace {

namespace fs = std::filesystem;

struct Args {
  std::string model;
  std::string images;
  std::string out;
  std::string gt;
  int maxSide = -1;
  int topK = 100;
  double scoreThreshold = 0.0;
};

bool isImage(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".bmp" || ext == ".tif" ||
         ext == ".tiff";
}

struct Job {
  fs::path file;
  int64_t imageId = 0;
  int width = 0, height = 0;  // from --gt, 0 = unknown
};

int run(const Args& a) {
  if (!fs::is_directory(a.images)) {
    std::cerr << a.images << ": not a folder of images\n";
    return kExitBadInput;
  }
  std::vector<fs::path> files;  // relative to the folder, '/'-separated order
  for (const auto& e : fs::recursive_directory_iterator(a.images))
    if (e.is_regular_file() && isImage(e.path())) files.push_back(fs::relative(e.path(), a.images));
  std::sort(files.begin(), files.end());

  std::vector<Job> jobs;
  if (!a.gt.empty()) {
    auto gt = readCocoJson(a.gt);
    if (!gt) {
      std::cerr << gt.status().message() << "\n";
      return kExitBadInput;
    }
    std::map<std::string, const ImageRecord*> byPath, byName;
    for (const auto& im : gt->images) {
      byPath[im.file] = &im;
      byName[fs::path(im.file).filename().string()] = &im;
    }
    for (const auto& f : files) {
      const ImageRecord* im = byPath.count(f.generic_string())      ? byPath[f.generic_string()]
                              : byName.count(f.filename().string()) ? byName[f.filename().string()]
                                                                    : nullptr;
      if (im == nullptr) {
        std::cerr << "warning: " << f.generic_string() << ": not in " << a.gt << ", skipped\n";
        continue;
      }
      jobs.push_back({fs::path(a.images) / f, im->id, im->width, im->height});
    }
  } else {
    int64_t id = 1;
    for (const auto& f : files) jobs.push_back({fs::path(a.images) / f, id++, 0, 0});
  }

  PredictOptions po;
  po.maxSide = a.maxSide;
  po.topK = a.topK;
  po.scoreThreshold = a.scoreThreshold;
  auto predictor = ModelPredictor::load(a.model, po);
  if (!predictor) {
    std::cerr << predictor.status().message() << "\n";
    return kExitBadInput;
  }
  std::vector<Instance> all;
  int failed = 0;
  // Two images per forward pass: batched kernels (docs/models.md).
  std::vector<cv::Mat> pending;
  std::vector<const Job*> pendingJobs;
  auto flush = [&] {
    if (pending.empty()) return;
    std::vector<int64_t> ids;
    for (const Job* j : pendingJobs) ids.push_back(j->imageId);
    auto instances = predictor->predict(pending, ids);
    if (!instances) {
      for (const Job* j : pendingJobs) std::cerr << j->file.string() << ": " << instances.status().message() << "\n";
      failed += static_cast<int>(pending.size());
    } else {
      for (const auto& list : *instances) all.insert(all.end(), list.begin(), list.end());
    }
    pending.clear();
    pendingJobs.clear();
  };
  for (const auto& job : jobs) {
    // Stored-pixel orientation: annotations ignore EXIF rotation, so do predictions.
    cv::Mat image = cv::imread(job.file.string(), cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
    if (image.empty()) {
      std::cerr << job.file.string() << ": cannot decode image, skipped\n";
      ++failed;
      continue;
    }
    if (job.width > 0 && (image.cols != job.width || image.rows != job.height)) {
      std::cerr << job.file.string() << ": image is " << image.cols << "x" << image.rows << " but "
                << a.gt << " says " << job.width << "x" << job.height << ", skipped\n";
      ++failed;
      continue;
    }
    pending.push_back(image);
    pendingJobs.push_back(&job);
    if (pending.size() == 2) flush();
  }
  flush();
  for (size_t i = 0; i < all.size(); ++i) all[i].id = static_cast<int64_t>(i) + 1;
  if (Status s = writeCocoResults(all, a.out); !s.ok()) {
    std::cerr << s.message() << "\n";
    return kExitFailure;
  }
  std::cout << "predicted " << all.size() << " instances on " << jobs.size() - failed
            << " images -> " << a.out << "\n";
  return failed == 0 ? kExitOk : kExitFailure;
}

}  // namespace

void addPredictCommand(CLI::App& app, int& exitCode) {
  CLI::App* cmd = app.add_subcommand("predict", "Run a model over images and write COCO results");
  cmd->group("Models");
  auto args = std::make_shared<Args>();
  cmd->add_option("--model", args->model, "TorchScript model meeting the teacher contract")
      ->required();
  cmd->add_option("--images", args->images, "Folder of images (searched recursively)")->required();
  cmd->add_option("--out", args->out, "COCO results JSON to write")->required();
  cmd->add_option("--gt", args->gt, "COCO json whose image ids are used, matched by file name");
  cmd->add_option("--max-side", args->maxSide,
                  "Longer image side fed to the model (default: the sidecar's input_size, else the "
                  "image size)");
  cmd->add_option("--top-k", args->topK, "Instances per image");
  cmd->add_option("--score-threshold", args->scoreThreshold,
                  "Drop instances scoring at or below this");
  cmd->callback([args, &exitCode] { exitCode = run(*args); });
}

}  // namespace distillery::cli
