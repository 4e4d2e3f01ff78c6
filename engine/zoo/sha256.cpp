#include "engine/zoo/sha256.h"

#include <openssl/evp.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <vector>

namespace distillery {
namespace {

struct CtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using Ctx = std::unique_ptr<EVP_MD_CTX, CtxDeleter>;

Ctx newSha256() {
  Ctx ctx(EVP_MD_CTX_new());
  // Failing here means OpenSSL itself is broken (out of memory), not a user error.
  DST_CHECK(ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) == 1);
  return ctx;
}

std::string finish(EVP_MD_CTX* ctx) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  DST_CHECK(EVP_DigestFinal_ex(ctx, digest, &length) == 1);
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

}  // namespace

Result<std::string> sha256File(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::error(file.string() + ": cannot open: " + std::strerror(errno));
  Ctx ctx = newSha256();
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto n = in.gcount();
    if (n > 0) DST_CHECK(EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<size_t>(n)) == 1);
  }
  if (in.bad()) return Status::error(file.string() + ": read error while hashing");
  return finish(ctx.get());
}

std::string sha256Hex(const std::string& bytes) {
  Ctx ctx = newSha256();
  DST_CHECK(EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) == 1);
  return finish(ctx.get());
}

}  // namespace distillery
