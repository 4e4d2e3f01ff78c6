#pragma once
#include <string>

namespace distillery {

// The SQLite library version the project store runs on.
std::string sqliteVersion();

}  // namespace distillery
