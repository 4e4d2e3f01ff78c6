#include "engine/foundation/embedding_cache.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <vector>

#include "engine/zoo/sha256.h"

namespace distillery {

namespace {

namespace fs = std::filesystem;
constexpr char kMagic[8] = {'D', 'S', 'T', 'E', 'M', 'B', '0', '1'};

struct Header {
  char magic[8];
  char digest[64];  // sha256 of the payload
  int64_t dims[4];
};

}  // namespace

EmbeddingCache::EmbeddingCache(fs::path folder, std::string modelKey, int64_t capBytes)
    : folder_(std::move(folder)), modelKey_(std::move(modelKey)), capBytes_(capBytes) {}

fs::path EmbeddingCache::entryPath(const std::string& imageKey) const {
  return folder_ / (imageKey + "-" + modelKey_.substr(0, 16) + ".emb");
}

std::optional<torch::Tensor> EmbeddingCache::get(const std::string& imageKey) const {
  const auto path = entryPath(imageKey);
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  Header h{};
  std::string payload;
  auto corrupt = [&](const char* why) -> std::optional<torch::Tensor> {
    spdlog::warn("{}: corrupt embedding cache entry ({}); it will be recomputed", path.string(), why);
    std::error_code ec;
    fs::remove(path, ec);
    return std::nullopt;
  };
  if (!in.read(reinterpret_cast<char*>(&h), sizeof h) || !std::equal(kMagic, kMagic + 8, h.magic))
    return corrupt("bad header");
  int64_t numel = 1;
  for (auto d : h.dims) {
    if (d <= 0 || d > (1 << 16)) return corrupt("bad shape");
    numel *= d;
  }
  payload.resize(numel * 2);
  if (!in.read(payload.data(), payload.size()) || in.peek() != EOF) return corrupt("wrong size");
  if (sha256Hex(payload) != std::string(h.digest, 64)) return corrupt("checksum mismatch");
  std::error_code ec;
  fs::last_write_time(path, fs::file_time_type::clock::now(), ec);  // LRU touch
  auto t = torch::empty({h.dims[0], h.dims[1], h.dims[2], h.dims[3]}, torch::kHalf);
  std::memcpy(t.data_ptr(), payload.data(), payload.size());
  return t.to(torch::kFloat);
}

void EmbeddingCache::put(const std::string& imageKey, const torch::Tensor& embedding) const {
  if (embedding.dim() != 4) return;
  std::error_code ec;
  fs::create_directories(folder_, ec);
  auto half = embedding.detach().to(torch::kCPU, torch::kHalf).contiguous();
  std::string payload(static_cast<const char*>(half.data_ptr()), half.nbytes());
  Header h{};
  std::copy(kMagic, kMagic + 8, h.magic);
  const std::string digest = sha256Hex(payload);
  std::copy(digest.begin(), digest.end(), h.digest);
  for (int i = 0; i < 4; ++i) h.dims[i] = half.size(i);
  const auto path = entryPath(imageKey);
  const auto tmp = fs::path(path.string() + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(&h), sizeof h);
    out.write(payload.data(), payload.size());
    if (!out.flush()) {
      spdlog::warn("{}: cannot write embedding cache entry", path.string());
      fs::remove(tmp, ec);
      return;
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) fs::remove(tmp, ec);
  evict();
}

int64_t EmbeddingCache::sizeBytes() const {
  int64_t total = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(folder_, ec))
    if (e.path().extension() == ".emb") total += e.file_size(ec);
  return total;
}

void EmbeddingCache::evict() const {
  struct Entry {
    fs::path path;
    fs::file_time_type time;
    int64_t size;
  };
  std::vector<Entry> entries;
  int64_t total = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(folder_, ec)) {
    if (e.path().extension() != ".emb") continue;
    entries.push_back({e.path(), e.last_write_time(ec), static_cast<int64_t>(e.file_size(ec))});
    total += entries.back().size;
  }
  if (total <= capBytes_) return;
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.time < b.time; });
  for (const auto& e : entries) {
    if (total <= capBytes_) break;
    fs::remove(e.path, ec);
    total -= e.size;
  }
}

}  // namespace distillery
