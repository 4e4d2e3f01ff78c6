// JSON file I/O and typed field access for the importers.
//
// Parse errors become a Status naming the file and the byte; a field of the wrong
// type or a missing one throws UserError naming the key, so an importer can skip
// the record it was reading (nlohmann's own exceptions never leave this layer).
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/util/status.h"

namespace distillery::json_fields {

using Json = nlohmann::json;

// Reads and parses a whole file. `name` is how errors call the file.
Result<Json> readFile(const std::filesystem::path& path, const std::string& name);
// Parses text; malformed JSON is an error "<name>: malformed JSON at byte N: ...".
Result<Json> parseText(const std::string& text, const std::string& name);
// Writes through a temporary file and a rename, so a failed write leaves no half file.
Status writeFile(const Json& json, const std::filesystem::path& path, int indent = -1);

// "an object", "a string", ... for messages.
std::string typeName(const Json& v);

// The member `key` of an object; throws UserError when v is not an object or key is absent.
const Json& member(const Json& obj, const char* key);
// nullptr when absent or null; throws when obj is not an object.
const Json* optionalMember(const Json& obj, const char* key);

// Conversions that throw UserError("'<what>' is a string, expected an integer").
int64_t toInt(const Json& v, const std::string& what);
double toNumber(const Json& v, const std::string& what);  // finite numbers only
std::string toText(const Json& v, const std::string& what);
bool toBool(const Json& v, const std::string& what);  // true/false or 0/1

// The members that carry data in all formats: int / number / string, by key.
inline int64_t intField(const Json& obj, const char* key) {
  return toInt(member(obj, key), key);
}
inline double numberField(const Json& obj, const char* key) {
  return toNumber(member(obj, key), key);
}
inline std::string textField(const Json& obj, const char* key) {
  return toText(member(obj, key), key);
}

}  // namespace distillery::json_fields
