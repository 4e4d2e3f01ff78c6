// SHA-256 of files, with OpenSSL's EVP interface: how the model zoo checks that a
// downloaded package and the files taken from it are the ones the catalog names.
#pragma once

#include <filesystem>
#include <string>

#include "engine/util/status.h"

namespace distillery {

// 64 lowercase hex digits of the file's bytes; the error names the file.
Result<std::string> sha256File(const std::filesystem::path& file);

// Of a byte string (tests, small checks).
std::string sha256Hex(const std::string& bytes);

}  // namespace distillery
