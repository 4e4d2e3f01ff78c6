#include "engine/data/formats/json_fields.h"

#include <cmath>
#include <fstream>
#include <sstream>

namespace distillery::json_fields {
namespace {

// nlohmann prefixes its messages with "[json.exception.parse_error.101] ".
std::string withoutTag(const std::string& what) {
  const size_t close = what.find("] ");
  return what.rfind("[json.exception", 0) == 0 && close != std::string::npos
             ? what.substr(close + 2)
             : what;
}

}  // namespace

Result<Json> readFile(const std::filesystem::path& path, const std::string& name) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::error(name + ": cannot open file " + path.string());
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Status::error(name + ": read failed");
  return parseText(buffer.str(), name);
}

Result<Json> parseText(const std::string& text, const std::string& name) {
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    return Status::error(name + ": malformed JSON at byte " + std::to_string(e.byte) + ": " +
                         withoutTag(e.what()));
  } catch (const Json::exception& e) {
    return Status::error(name + ": malformed JSON: " + withoutTag(e.what()));
  }
}

Status writeFile(const Json& json, const std::filesystem::path& path, int indent) {
  std::string text;
  try {
    // Replace invalid UTF-8 rather than throwing: names come from user files.
    text = json.dump(indent, ' ', false, Json::error_handler_t::replace);
  } catch (const Json::exception& e) {
    return Status::error(path.string() + ": cannot serialise JSON: " + withoutTag(e.what()));
  }
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  const std::filesystem::path tmp = path.string() + ".part";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::error(path.string() + ": cannot open for writing");
    out << text << '\n';
    out.close();
    if (!out) return Status::error(path.string() + ": write failed");
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status::error(path.string() + ": cannot write: " + ec.message());
  return {};
}

std::string typeName(const Json& v) {
  switch (v.type()) {
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::null:
      return "null";
    case Json::value_t::discarded:
      return "invalid";
    default:
      return "a number";
  }
}

const Json& member(const Json& obj, const char* key) {
  const Json* v = optionalMember(obj, key);
  if (!v) throw UserError(std::string("'") + key + "' is missing");
  return *v;
}

const Json* optionalMember(const Json& obj, const char* key) {
  if (!obj.is_object()) throw UserError("is " + typeName(obj) + ", expected an object");
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

int64_t toInt(const Json& v, const std::string& what) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(INT64_MAX)) throw UserError("'" + what + "' is too large");
    return static_cast<int64_t>(u);
  }
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9e15)
      return static_cast<int64_t>(d);
    throw UserError("'" + what + "' is " + std::to_string(d) + ", expected an integer");
  }
  throw UserError("'" + what + "' is " + typeName(v) + ", expected an integer");
}

double toNumber(const Json& v, const std::string& what) {
  if (!v.is_number()) throw UserError("'" + what + "' is " + typeName(v) + ", expected a number");
  const double d = v.get<double>();
  if (!std::isfinite(d)) throw UserError("'" + what + "' is not a finite number");
  return d;
}

std::string toText(const Json& v, const std::string& what) {
  if (!v.is_string()) throw UserError("'" + what + "' is " + typeName(v) + ", expected a string");
  return v.get<std::string>();
}

bool toBool(const Json& v, const std::string& what) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number_integer() || v.is_number_unsigned()) {
    const int64_t i = v.get<int64_t>();
    if (i == 0 || i == 1) return i == 1;
  }
  throw UserError("'" + what + "' is " + typeName(v) + ", expected 0, 1, true or false");
}

}  // namespace distillery::json_fields
