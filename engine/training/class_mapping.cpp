#include "engine/training/class_mapping.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "engine/modeling/segmenter_config.h"
#include "engine/training/checkpoint.h"
#include "engine/training/segmentation_model.h"

namespace distillery {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  const auto e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return "[" + out + "]";
}

int indexOf(const std::vector<std::string>& names, const std::string& name) {
  for (size_t i = 0; i < names.size(); ++i)
    if (lower(names[i]) == lower(name)) return static_cast<int>(i);
  return -1;
}

}  // namespace

Result<std::vector<std::string>> checkpointClassNames(const std::filesystem::path& checkpoint) {
  auto meta = readCheckpointMeta(checkpoint);
  if (!meta.ok()) return meta.status();
  if (!meta->contains("class_names") || !(*meta)["class_names"].is_array())
    return Status::error(checkpoint.string() + ": checkpoint has no 'class_names' list");
  std::vector<std::string> names;
  for (const auto& n : (*meta)["class_names"]) {
    if (!n.is_string()) return Status::error(checkpoint.string() + ": 'class_names' holds a non-string");
    names.push_back(n.get<std::string>());
  }
  return names;
}

ClassMapping classMappingByName(const std::vector<std::string>& teacher, const std::vector<std::string>& project) {
  ClassMapping m(teacher.size(), -1);
  for (size_t t = 0; t < teacher.size(); ++t) m[t] = indexOf(project, teacher[t]);
  return m;
}

Result<ClassMapping> parseClassMapping(const std::string& spec, const std::vector<std::string>& teacher,
                                       const std::vector<std::string>& project) {
  ClassMapping m(teacher.size(), -1);
  size_t start = 0;
  while (start <= spec.size()) {
    const size_t end = std::min(spec.find(',', start), spec.size());
    const std::string pair = trim(spec.substr(start, end - start));
    start = end + 1;
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    if (eq == std::string::npos)
      return Status::error("class map: '" + pair + "': expected teacher=project");
    const std::string from = trim(pair.substr(0, eq)), to = trim(pair.substr(eq + 1));
    const int t = indexOf(teacher, from), p = indexOf(project, to);
    if (t < 0) return Status::error("class map: '" + from + "' is not a teacher class " + joined(teacher));
    if (p < 0) return Status::error("class map: '" + to + "' is not a project class " + joined(project));
    m[t] = p;
  }
  if (std::all_of(m.begin(), m.end(), [](int v) { return v < 0; }))
    return Status::error("class map: '" + spec + "' maps no teacher class onto a project class");
  return m;
}

Result<ClassMapping> resolveClassMapping(const std::string& spec, const std::vector<std::string>& teacher,
                                         const std::vector<std::string>& project) {
  if (!spec.empty()) return parseClassMapping(spec, teacher, project);
  ClassMapping byName = classMappingByName(teacher, project);
  std::vector<int> sorted(byName);
  std::sort(sorted.begin(), sorted.end());
  std::vector<int> all(project.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
  if (teacher.size() == project.size() && sorted == all) return byName;
  return Status::error("the teacher's classes " + joined(teacher) + " differ from the project's " +
                       joined(project) + "; map them explicitly, e.g. --class-map '" +
                       (teacher.empty() ? std::string("a") : teacher[0]) + "=" +
                       (project.empty() ? std::string("b") : project[0]) +
                       "' (teacher=project, comma-separated; unmapped teacher classes are dropped)");
}

bool isIdentity(const ClassMapping& mapping, size_t projectClasses) {
  if (mapping.size() != projectClasses) return false;
  for (size_t i = 0; i < mapping.size(); ++i)
    if (mapping[i] != static_cast<int>(i)) return false;
  return true;
}

Result<std::unique_ptr<SegmentationModel>> remapClasses(SegmentationModel& model, const ClassMapping& mapping,
                                                        int projectClasses) {
  const int64_t teacherClasses = model.numClasses();
  if (static_cast<int64_t>(mapping.size()) != teacherClasses)
    return Status::error("class map: " + std::to_string(mapping.size()) + " entries for a teacher with " +
                         std::to_string(teacherClasses) + " classes");
  for (int p : mapping)
    if (p >= projectClasses) return Status::error("class map: project class index out of range");
  SegmenterConfig config = model.config();
  config.numClasses = projectClasses;
  auto out = std::make_unique<NativeSegmentationModel>(config);
  torch::NoGradGuard noGrad;
  auto source = model.module()->named_parameters(true);
  for (auto& item : out->module()->named_parameters(true)) {
    const torch::Tensor* from = source.find(item.key());
    if (from == nullptr) return Status::error("class map: the model has no parameter " + item.key());
    torch::Tensor target = item.value();
    if (from->sizes() == target.sizes()) {
      target.copy_(*from);
      continue;
    }
    // The class head: K+1 output rows (last = no object).
    if (from->size(0) != teacherClasses + 1 || target.size(0) != projectClasses + 1)
      return Status::error("class map: unexpected shape for " + item.key());
    for (int p = 0; p < projectClasses; ++p) {
      auto t = std::find(mapping.begin(), mapping.end(), p);
      if (t != mapping.end()) target[p].copy_((*from)[t - mapping.begin()]);
    }
    target[projectClasses].copy_((*from)[teacherClasses]);
  }
  for (auto& item : out->module()->named_buffers(true))
    if (const torch::Tensor* from = model.module()->named_buffers(true).find(item.key()))
      if (from->sizes() == item.value().sizes()) item.value().copy_(*from);
  std::unique_ptr<SegmentationModel> result = std::move(out);
  return result;
}

}  // namespace distillery
