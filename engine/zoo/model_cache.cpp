#include "engine/zoo/model_cache.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/zoo/sha256.h"

namespace distillery {
namespace {

constexpr const char* kStampName = ".verified.json";

struct FileStat {
  bool exists = false;
  uint64_t size = 0;
  int64_t mtimeNs = 0;
};

FileStat statFile(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return {};
  return {true, static_cast<uint64_t>(st.st_size),
          static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

// The stamp's entry per file name; an unreadable stamp is an empty one (re-hash).
nlohmann::json readStamp(const std::filesystem::path& folder) {
  std::ifstream in(folder / kStampName);
  if (!in) return nlohmann::json::object();
  auto j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("files") || !j["files"].is_object())
    return nlohmann::json::object();
  return j["files"];
}

bool stampVouches(const nlohmann::json& stamp, const ModelFileSpec& spec, const FileStat& st) {
  auto it = stamp.find(spec.fileName);
  if (it == stamp.end() || !it->is_object()) return false;
  return it->value("size", uint64_t{0}) == st.size &&
         it->value("mtime_ns", int64_t{0}) == st.mtimeNs &&
         it->value("sha256", std::string()) == spec.sha256;
}

std::string fetchHint(const std::string& name) {
  return "run `distillery-cli model fetch " + name + "`";
}

}  // namespace

bool ModelStatus::cached() const {
  for (const auto& f : files)
    if (!f.verified) return false;
  return !files.empty();
}

bool ModelStatus::damaged() const {
  bool anyPresent = false;
  for (const auto& f : files) anyPresent = anyPresent || f.present;
  return anyPresent && !cached();
}

std::string ModelStatus::problem() const {
  for (const auto& f : files) {
    if (!f.present) return f.path.string() + ": not fetched";
    if (!f.verified) return f.path.string() + ": " + f.problem;
  }
  return "";
}

Result<std::filesystem::path> ModelCache::defaultRoot() {
  auto set = [](const char* name) -> const char* {
    const char* v = std::getenv(name);
    return v && *v ? v : nullptr;
  };
  if (const char* dir = set("DISTILLERY_MODEL_CACHE")) return std::filesystem::path(dir);
  // The XDG spec says to ignore a relative XDG_CACHE_HOME.
  if (const char* xdg = set("XDG_CACHE_HOME"); xdg && xdg[0] == '/')
    return std::filesystem::path(xdg) / "distillery" / "models";
  if (const char* home = set("HOME"))
    return std::filesystem::path(home) / ".cache" / "distillery" / "models";
  return Status::error(
      "cannot place the model cache: none of DISTILLERY_MODEL_CACHE, XDG_CACHE_HOME, HOME is set");
}

Result<ModelCache> ModelCache::fromEnvironment() {
  auto root = defaultRoot();
  if (!root) return root.status();
  return ModelCache(*root);
}

std::filesystem::path ModelCache::folder(const FoundationModel& model) const {
  return root_ / model.folderName();
}

ModelStatus ModelCache::status(const FoundationModel& model) const {
  ModelStatus s;
  s.model = &model;
  s.folder = folder(model);
  const nlohmann::json stamp = readStamp(s.folder);
  bool hashed = false;
  for (const auto& spec : model.files) {
    CachedFileStatus f;
    f.spec = &spec;
    f.path = s.folder / spec.fileName;
    const FileStat st = statFile(f.path);
    f.present = st.exists;
    f.size = st.size;
    f.mtimeNs = st.mtimeNs;
    if (!f.present) {
    } else if (st.size != spec.size) {
      f.problem =
          "size " + std::to_string(st.size) + " bytes, expected " + std::to_string(spec.size);
    } else if (stampVouches(stamp, spec, st)) {
      f.verified = true;
    } else {
      auto got = sha256File(f.path);
      hashed = true;
      if (!got)
        f.problem = got.status().message();
      else if (*got != spec.sha256)
        f.problem = "sha256 " + *got + ", expected " + spec.sha256;
      else
        f.verified = true;
    }
    s.files.push_back(std::move(f));
  }
  if (hashed) writeStamp(s);
  return s;
}

Result<ModelStatus> ModelCache::status(const std::string& name) const {
  auto model = findFoundationModel(name);
  if (!model) return model.status();
  return status(**model);
}

std::vector<ModelStatus> ModelCache::list() const {
  std::vector<ModelStatus> all;
  for (const auto& m : foundationModels()) all.push_back(status(m));
  return all;
}

Result<std::filesystem::path> ModelCache::modelFile(const std::string& name,
                                                    const std::string& role) const {
  auto model = findFoundationModel(name);
  if (!model) return model.status();
  if ((*model)->file(role) == nullptr) {
    std::string roles;
    for (const auto& f : (*model)->files) roles += (roles.empty() ? "" : ", ") + f.role;
    return Status::error("model '" + name + "' has no file with role '" + role +
                         "' (roles: " + roles + ")");
  }
  const ModelStatus s = status(**model);
  for (const auto& f : s.files) {
    if (f.spec->role != role) continue;
    if (f.verified) return f.path;
    if (!f.present)
      return Status::error("model '" + name + "' is not fetched yet: " + fetchHint(name) +
                           " (looked for " + f.path.string() + ")");
    return Status::error("model '" + name + "' file " + f.path.string() + " is damaged (" +
                         f.problem + "): " + fetchHint(name) + " to fetch it again");
  }
  DST_CHECK(false);  // the role was found above
  return Status::error("unreachable");
}

void ModelCache::writeStamp(const ModelStatus& status) const {
  nlohmann::json files = nlohmann::json::object();
  for (const auto& f : status.files) {
    // The size and mtime seen before hashing: a file changed meanwhile is re-hashed.
    if (f.verified)
      files[f.spec->fileName] = {
          {"size", f.size}, {"mtime_ns", f.mtimeNs}, {"sha256", f.spec->sha256}};
  }
  // Written aside and renamed, so a reader never sees half a stamp.
  const auto target = status.folder / kStampName;
  const auto tmp = status.folder / (std::string(kStampName) + ".tmp-" + std::to_string(::getpid()));
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return;
    out << nlohmann::json{{"files", files}}.dump(2) << "\n";
    if (!out) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      return;
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, target, ec);
  if (ec) std::filesystem::remove(tmp, ec);
}

}  // namespace distillery
