#include "engine/store/sqlite_version.h"

#include <sqlite3.h>

namespace distillery {

std::string sqliteVersion() { return sqlite3_libversion(); }

}  // namespace distillery
