// SamQualityReport as text (a Markdown table, as the other benchmarks print) and JSON.
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/foundation/sam_quality.h"

namespace distillery {

namespace {

template <class F>
double meanOver(const std::vector<SamQualityImage>& rows, F value) {
  if (rows.empty()) return 0;
  double sum = 0;
  for (const auto& r : rows) sum += value(r);
  return sum / rows.size();
}

nlohmann::json tallyJson(const SamQualityTally& t, bool everything) {
  nlohmann::json j{{"instances", t.instances}, {"mean_box_iou", t.meanBoxIou()}};
  if (everything) {
    j["recalled"] = t.recalled;
    j["recall"] = t.recall();
  }
  return j;
}

}  // namespace

double SamQualityReport::meanProposals() const {
  return meanOver(perImage, [](const auto& r) { return r.proposals; });
}

double SamQualityReport::everythingMsPerImage() const {
  return meanOver(perImage, [](const auto& r) { return r.everythingMs; });
}

double SamQualityReport::boxMsPerPrompt() const {
  double ms = 0;
  for (const auto& r : perImage) ms += r.boxMs;
  return all.instances > 0 ? ms / all.instances : 0;
}

std::string SamQualityReport::toText() const {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(3);
  s << "dataset: " << dataset << " (" << format << "), " << images << " images, threads " << threads
    << "\ninstances: " << all.instances << " (left out: " << crowdSkipped << " crowd, "
    << emptySkipped << " empty, " << smallSkipped << " under the minimum area)\n";
  if (!readSkips.empty())
    s << "records the reader skipped: " << readSkips.size() << " (first: " << readSkips.front()
      << ")\n";
  s << "\n| instances | count | box-prompted mean mask IoU |";
  if (everything) s << " recall @ IoU 0.5 (" << pointsPerSide << "x" << pointsPerSide << " grid) |";
  s << "\n|---|---|---|" << (everything ? "---|" : "") << "\n";
  auto row = [&](const char* name, const SamQualityTally& t) {
    if (t.instances == 0) return;
    s << "| " << name << " | " << t.instances << " | " << t.meanBoxIou() << " |";
    if (everything) s << " " << t.recall() << " (" << t.recalled << ") |";
    s << "\n";
  };
  row("all", all);
  row("small (< 32^2 px)", small);
  row("medium (< 96^2 px)", medium);
  row("large", large);
  int cached = 0;
  double embedMs = 0;
  for (const auto& r : perImage) {
    cached += r.embeddingCached ? 1 : 0;
    embedMs += r.embedMs;
  }
  s.precision(1);
  s << "\nencoder: " << (images - cached) << " images embedded";
  if (images > cached) s << " (" << embedMs / (images - cached) << " ms each)";
  s << ", " << cached << " from the embedding cache\nbox prompt: " << boxMsPerPrompt()
    << " ms each\n";
  if (everything)
    s << "segment everything: " << meanProposals() << " proposals per image, "
      << everythingMsPerImage() << " ms per image\n";
  s << "wall time: " << wallSeconds << " s\n";
  return s.str();
}

std::string SamQualityReport::toJson() const {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : perImage)
    rows.push_back({{"file", r.file},
                    {"instances", r.instances},
                    {"mean_box_iou", r.meanBoxIou},
                    {"proposals", r.proposals},
                    {"recalled", r.recalled},
                    {"embedding_cached", r.embeddingCached},
                    {"embed_ms", r.embedMs},
                    {"box_ms", r.boxMs},
                    {"everything_ms", r.everythingMs}});
  nlohmann::json j{{"dataset", dataset},
                   {"format", format},
                   {"threads", threads},
                   {"images", images},
                   {"crowd_skipped", crowdSkipped},
                   {"empty_skipped", emptySkipped},
                   {"small_skipped", smallSkipped},
                   {"read_skips", readSkips},
                   {"all", tallyJson(all, everything)},
                   {"small", tallyJson(small, everything)},
                   {"medium", tallyJson(medium, everything)},
                   {"large", tallyJson(large, everything)},
                   {"box_ms_per_prompt", boxMsPerPrompt()},
                   {"wall_seconds", wallSeconds},
                   {"per_image", rows}};
  if (everything)
    j["everything"] = {{"points_per_side", pointsPerSide},
                       {"proposals_per_image", meanProposals()},
                       {"ms_per_image", everythingMsPerImage()}};
  return j.dump(2);
}

}  // namespace distillery
