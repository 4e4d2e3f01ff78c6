#include "engine/evaluation/coco_report.h"

#include <algorithm>
#include <cstdio>
#include <set>

namespace distillery {
namespace {

// Python's '{:0.2f}'.format(x).
std::string fixed(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

std::string summaryLine(const CocoEvalResult& r, bool ap, std::optional<double> iouThr,
                        const std::string& area, int maxDets, double value) {
  const CocoEvalParams& p = r.params;
  const std::string iou = iouThr ? fixed(*iouThr, 2)
                                 : fixed(p.iouThresholds.front(), 2) + ":" +
                                       fixed(p.iouThresholds.back(), 2);
  // ' {:<18} {} @[ IoU={:<9} | area={:>6s} | maxDets={:>3d} ] = {:0.3f}'
  char buf[256];
  std::snprintf(buf, sizeof buf, " %-18s %s @[ IoU=%-9s | area=%6s | maxDets=%3d ] = %.3f\n",
                ap ? "Average Precision" : "Average Recall", ap ? "(AP)" : "(AR)", iou.c_str(),
                area.c_str(), maxDets, value);
  return buf;
}

}  // namespace

std::string formatCocoSummary(const CocoEvalResult& r) {
  const std::vector<int>& md = r.params.maxDets;
  const std::optional<double> all;
  struct Line {
    bool ap;
    std::optional<double> iou;
    const char* area;
    int maxDets;
  };
  const Line lines[kNumCocoStats] = {
      {true, all, "all", 100},        {true, .5, "all", md[2]},       {true, .75, "all", md[2]},
      {true, all, "small", md[2]},    {true, all, "medium", md[2]},   {true, all, "large", md[2]},
      {false, all, "all", md[0]},     {false, all, "all", md[1]},     {false, all, "all", md[2]},
      {false, all, "small", md[2]},   {false, all, "medium", md[2]},  {false, all, "large", md[2]}};
  std::string out;
  for (size_t i = 0; i < kNumCocoStats; ++i)
    out += summaryLine(r, lines[i].ap, lines[i].iou, lines[i].area, lines[i].maxDets, r.stats[i]);
  return out;
}

std::string formatPerCategoryTable(const CocoEvalResult& r) {
  size_t nameWidth = 8;
  for (const CategoryAp& c : r.perCategory) nameWidth = std::max(nameWidth, c.name.size());
  const auto cell = [](double v) { return v > -1 ? fixed(v, 3) : std::string("-"); };
  char buf[512];
  std::string out;
  std::snprintf(buf, sizeof buf, "%6s  %-*s  %6s  %6s\n", "id", static_cast<int>(nameWidth),
                "category", "AP", "AP50");
  out += buf;
  for (const CategoryAp& c : r.perCategory) {
    std::snprintf(buf, sizeof buf, "%6lld  %-*s  %6s  %6s\n", static_cast<long long>(c.id),
                  static_cast<int>(nameWidth), c.name.c_str(), cell(c.ap).c_str(),
                  cell(c.ap50).c_str());
    out += buf;
  }
  return out;
}

nlohmann::json cocoResultToJson(const CocoEvalResult& r) {
  nlohmann::json j;
  j["stats"] = nlohmann::json::array();
  for (double s : r.stats) j["stats"].push_back(s);
  nlohmann::json per = nlohmann::json::object();
  std::set<std::string> used;
  for (const CategoryAp& c : r.perCategory) {
    std::string key = c.name;
    if (!used.insert(key).second) {
      key += " (id " + std::to_string(c.id) + ")";
      used.insert(key);
    }
    per[key] = {{"ap", c.ap}, {"ap50", c.ap50}};
  }
  j["per_category"] = per;
  return j;
}

}  // namespace distillery
