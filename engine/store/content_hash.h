// Content hashes of image files: XXH64 (seed 0) of the file bytes, written as
// 16 lowercase hex digits. XXH64 runs at memory speed, so hashing costs little
// next to decoding; 64 bits make an accidental collision in a 100k-image
// project about 1 in 10^9. Implemented here from the public XXH64 specification
// (no extra dependency); the tests check it against the reference vectors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "engine/util/status.h"

namespace distillery {

uint64_t xxh64(const void* data, size_t size, uint64_t seed = 0);

// 16 lowercase hex digits.
std::string hashToHex(uint64_t hash);

// The content hash of a byte buffer / of a file's bytes.
std::string contentHash(const std::string& bytes);
Result<std::string> fileContentHash(const std::filesystem::path& file);

// Reads a whole file; the error names the file and the reason.
Result<std::string> readFileBytes(const std::filesystem::path& file);

}  // namespace distillery
