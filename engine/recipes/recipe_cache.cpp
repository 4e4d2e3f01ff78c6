#include "engine/recipes/recipe_cache.h"

#include <fmt/format.h>

#include <fstream>

namespace distillery {
namespace {

const char* kOutcomeFile = "outcome.json";
const char* kStudentFile = "student.ckpt";
const char* kTeacherFile = "teacher-adapted.ckpt";

}  // namespace

Status saveRecipeOutcome(RecipeOutcome& outcome, const std::filesystem::path& dir,
                         const std::vector<std::string>& classNames) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::error(dir.string() + ": cannot create the folder: " + ec.message());
  nlohmann::json j;
  j["scores"] = outcome.scores;
  for (auto [model, file, key] : {std::tuple{outcome.student.get(), kStudentFile, "student"},
                                  std::tuple{outcome.adaptedTeacher.get(), kTeacherFile, "teacher_adapted"}}) {
    if (model == nullptr) continue;
    if (Status s = saveNativeModel(*model, dir / file, classNames); !s.ok()) return s;
    j[key] = file;
  }
  const auto tmp = dir / (std::string(kOutcomeFile) + ".tmp");
  {
    std::ofstream out(tmp);
    out << j.dump(2) << "\n";
    if (!out) return Status::error(tmp.string() + ": cannot write");
  }
  std::filesystem::rename(tmp, dir / kOutcomeFile, ec);
  if (ec) return Status::error((dir / kOutcomeFile).string() + ": cannot write: " + ec.message());
  return {};
}

std::optional<Result<RecipeOutcome>> loadRecipeOutcome(const std::filesystem::path& dir) {
  const auto file = dir / kOutcomeFile;
  if (!std::filesystem::exists(file)) return std::nullopt;
  std::ifstream in(file);
  const auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("scores") || !j["scores"].is_object())
    return Status::error(file.string() + ": not a finished recipe (expected {\"scores\": {...}, ...})");
  RecipeOutcome out;
  for (const auto& [name, value] : j["scores"].items()) {
    if (!value.is_number()) return Status::error(file.string() + ": score '" + name + "': expected a number");
    out.scores[name] = value.get<double>();
  }
  for (auto [key, target] : {std::pair{"student", &out.student}, std::pair{"teacher_adapted", &out.adaptedTeacher}}) {
    if (!j.contains(key)) continue;
    if (!j[key].is_string()) return Status::error(file.string() + ": '" + key + "': expected a file name");
    auto model = loadNativeModel(dir / j[key].get<std::string>());
    if (!model.ok()) return model.status();
    *target = std::move(*model);
  }
  return out;
}

std::string settingsFingerprint(const nlohmann::json& settings) {
  // FNV-1a over the canonical dump: stable across runs and builds (std::hash is not promised to be).
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : settings.dump()) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

}  // namespace distillery
