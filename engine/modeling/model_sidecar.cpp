#include "engine/modeling/model_sidecar.h"

#include <fstream>

namespace distillery {

std::filesystem::path sidecarPath(const std::filesystem::path& model) {
  std::filesystem::path p = model;
  return p.replace_extension(".json");
}

std::optional<std::filesystem::path> findSidecar(const std::filesystem::path& model) {
  std::error_code ec;
  const std::filesystem::path replaced = sidecarPath(model);
  if (replaced != model && std::filesystem::is_regular_file(replaced, ec)) return replaced;
  const std::filesystem::path appended = model.string() + ".json";
  if (std::filesystem::is_regular_file(appended, ec)) return appended;
  return std::nullopt;
}

nlohmann::json toJson(const ModelSidecar& s) {
  nlohmann::json j{{"contract_version", s.contractVersion},
                   {"class_names", s.classNames},
                   {"normalization",
                    {{"mean", s.mean}, {"std", s.std}, {"inside_model", s.normalizationInside}}},
                   {"size_divisibility", s.sizeDivisibility},
                   {"mask_stride", s.maskStride}};
  if (!s.categoryIds.empty()) j["category_ids"] = s.categoryIds;
  if (s.inputSize > 0) j["input_size"] = s.inputSize;
  if (!s.arch.empty()) j["arch"] = s.arch;
  if (s.numQueries > 0) j["num_queries"] = s.numQueries;
  if (!s.modelConfig.is_null()) j["model_config"] = s.modelConfig;
  return j;
}

Result<ModelSidecar> sidecarFromJson(const nlohmann::json& j, const std::string& name) {
  if (!j.is_object()) return Status::error(name + ": expected a JSON object");
  ModelSidecar s;
  std::string field;
  try {
    field = "contract_version";
    s.contractVersion = j.value(field, kContractVersion);
    field = "class_names";
    if (j.contains(field)) s.classNames = j.at(field).get<std::vector<std::string>>();
    field = "category_ids";
    if (j.contains(field)) s.categoryIds = j.at(field).get<std::vector<int64_t>>();
    field = "normalization";
    if (j.contains(field)) {
      const auto& n = j.at(field);
      if (n.contains("mean")) s.mean = n.at("mean").get<std::array<float, 3>>();
      if (n.contains("std")) s.std = n.at("std").get<std::array<float, 3>>();
      s.normalizationInside = n.value("inside_model", true);
    }
    field = "size_divisibility";
    s.sizeDivisibility = j.value(field, 32);
    field = "input_size";
    s.inputSize = j.value(field, 0);
    field = "arch";
    s.arch = j.value(field, std::string());
    field = "num_queries";
    s.numQueries = j.value(field, 0);
    field = "mask_stride";
    s.maskStride = j.value(field, 4);
    if (j.contains("model_config")) s.modelConfig = j.at("model_config");
  } catch (const nlohmann::json::exception& e) {
    return Status::error(name + ": field '" + field + "': " + e.what());
  }
  if (s.contractVersion != kContractVersion)
    return Status::error(name + ": contract_version " + std::to_string(s.contractVersion) +
                         ", expected " + std::to_string(kContractVersion));
  if (!s.categoryIds.empty() && s.categoryIds.size() != s.classNames.size())
    return Status::error(name + ": " + std::to_string(s.categoryIds.size()) + " category_ids for " +
                         std::to_string(s.classNames.size()) +
                         " class_names, expected one per class");
  if (s.sizeDivisibility < 1) return Status::error(name + ": size_divisibility must be >= 1");
  for (float v : s.std)
    if (v <= 0) return Status::error(name + ": normalization std must be positive");
  return s;
}

Result<ModelSidecar> readSidecar(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return Status::error(file.string() + ": cannot open sidecar");
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::error(file.string() + ": not valid JSON");
  return sidecarFromJson(j, file.string());
}

Status writeSidecar(const ModelSidecar& s, const std::filesystem::path& file) {
  std::ofstream out(file);
  if (!out) return Status::error(file.string() + ": cannot write sidecar");
  out << toJson(s).dump(2) << "\n";
  if (!out) return Status::error(file.string() + ": write failed");
  return {};
}

}  // namespace distillery
