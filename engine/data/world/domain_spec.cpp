// DomainSpec validation and JSON form. One field list (visitFields) serves reading,
// writing and error messages, so a new parameter is added in one place.
#include "engine/data/world/domain_spec.h"

#include <nlohmann/json.hpp>
#include <sstream>

namespace distillery {
namespace {

using nlohmann::json;

template <class Visitor>
void visitFields(DomainSpec& s, Visitor&& v) {
  v("name", s.name);
  v("description", s.description);
  v("isSource", s.isSource);
  v("objects", s.objects);
  v("objectScale", s.objectScale);
  v("separation", s.separation);
  v("minVisibleFraction", s.minVisibleFraction);
  v("minVisibleArea", s.minVisibleArea);
  v("objectColouring", s.objectColouring);
  v("paletteShift", s.paletteShift);
  v("colourFidelity", s.colourFidelity);
  v("hueJitter", s.hueJitter);
  v("objectSaturation", s.objectSaturation);
  v("objectValue", s.objectValue);
  v("objectTextures", s.objectTextures);
  v("textureAssignment", s.textureAssignment);
  v("objectTextureContrast", s.objectTextureContrast);
  v("texturePeriod", s.texturePeriod);
  v("backgroundTextures", s.backgroundTextures);
  v("backgroundValue", s.backgroundValue);
  v("backgroundSaturation", s.backgroundSaturation);
  v("backgroundTextureContrast", s.backgroundTextureContrast);
  v("minContrast", s.minContrast);
  v("distractors", s.distractors);
  v("distractorScale", s.distractorScale);
  v("distractorColouring", s.distractorColouring);
  v("distractorValue", s.distractorValue);
  v("distractorFront", s.distractorFront);
  v("gradient", s.gradient);
  v("gamma", s.gamma);
  v("tint", s.tint);
  v("fog", s.fog);
  v("blurSigma", s.blurSigma);
  v("noiseSigma", s.noiseSigma);
}

constexpr Colouring kColourings[] = {Colouring::Canonical, Colouring::Permuted, Colouring::Palette,
                                     Colouring::Random, Colouring::Neutral};

struct Writer {
  nlohmann::ordered_json& out;
  template <class T>
  void operator()(const char* key, const T& value) { out[key] = value; }
  void operator()(const char* key, const Range& r) { out[key] = {r.min, r.max}; }
  void operator()(const char* key, const IntRange& r) { out[key] = {r.min, r.max}; }
  void operator()(const char* key, Colouring c) { out[key] = colouringName(c); }
  void operator()(const char* key, TextureAssignment t) { out[key] = textureAssignmentName(t); }
  void operator()(const char* key, const std::vector<world::Texture>& ts) {
    nlohmann::ordered_json a = nlohmann::ordered_json::array();
    for (world::Texture t : ts) a.push_back(world::textureName(t));
    out[key] = a;
  }
};

// Reads the fields present in `in`; throws UserError naming the field on a bad value.
struct Reader {
  const json& in;
  std::string where;

  [[noreturn]] void fail(const char* key, const std::string& expected) const {
    throw UserError(where + ": field '" + key + "': expected " + expected + ", got " + in[key].dump());
  }
  void operator()(const char* key, std::string& v) const {
    if (!in.contains(key)) return;
    if (!in[key].is_string()) fail(key, "a string");
    v = in[key].get<std::string>();
  }
  void operator()(const char* key, bool& v) const {
    if (!in.contains(key)) return;
    if (!in[key].is_boolean()) fail(key, "true or false");
    v = in[key].get<bool>();
  }
  void operator()(const char* key, int& v) const {
    if (!in.contains(key)) return;
    if (!in[key].is_number_integer()) fail(key, "an integer");
    v = in[key].get<int>();
  }
  void operator()(const char* key, double& v) const {
    if (!in.contains(key)) return;
    if (!in[key].is_number()) fail(key, "a number");
    v = in[key].get<double>();
  }
  void operator()(const char* key, Range& r) const {
    if (!in.contains(key)) return;
    const json& a = in[key];
    if (a.is_number()) {  // a single number means a fixed value
      r = {a.get<double>(), a.get<double>()};
      return;
    }
    if (!a.is_array() || a.size() != 2 || !a[0].is_number() || !a[1].is_number())
      fail(key, "[min, max] numbers");
    r = {a[0].get<double>(), a[1].get<double>()};
  }
  void operator()(const char* key, IntRange& r) const {
    if (!in.contains(key)) return;
    const json& a = in[key];
    if (!a.is_array() || a.size() != 2 || !a[0].is_number_integer() || !a[1].is_number_integer())
      fail(key, "[min, max] integers");
    r = {a[0].get<int>(), a[1].get<int>()};
  }
  void operator()(const char* key, Colouring& c) const {
    if (!in.contains(key)) return;
    for (Colouring k : kColourings)
      if (in[key].is_string() && in[key].get<std::string>() == colouringName(k)) {
        c = k;
        return;
      }
    fail(key, "one of canonical, permuted, palette, random, neutral");
  }
  void operator()(const char* key, TextureAssignment& t) const {
    if (!in.contains(key)) return;
    for (auto k : {TextureAssignment::PerInstance, TextureAssignment::PerClass})
      if (in[key].is_string() && in[key].get<std::string>() == textureAssignmentName(k)) {
        t = k;
        return;
      }
    fail(key, "per-instance or per-class");
  }
  void operator()(const char* key, std::vector<world::Texture>& ts) const {
    if (!in.contains(key)) return;
    if (!in[key].is_array()) fail(key, "an array of texture names");
    std::vector<world::Texture> out;
    for (const json& e : in[key]) {
      auto t = e.is_string() ? world::textureFromName(e.get<std::string>())
                             : Result<world::Texture>(Status::error("not a string"));
      if (!t) fail(key, "texture names (flat, stripes, checker, noise)");
      out.push_back(*t);
    }
    ts = out;
  }
  void operator()(const char* key, std::array<double, 3>& v) const {
    if (!in.contains(key)) return;
    const json& a = in[key];
    if (!a.is_array() || a.size() != 3) fail(key, "[blue, green, red] gains");
    for (size_t i = 0; i < 3; ++i) {
      if (!a[i].is_number()) fail(key, "[blue, green, red] gains");
      v[i] = a[i].get<double>();
    }
  }
};

}  // namespace

const char* colouringName(Colouring c) {
  switch (c) {
    case Colouring::Canonical: return "canonical";
    case Colouring::Permuted: return "permuted";
    case Colouring::Palette: return "palette";
    case Colouring::Random: return "random";
    case Colouring::Neutral: return "neutral";
  }
  return "?";
}

const char* textureAssignmentName(TextureAssignment t) {
  return t == TextureAssignment::PerClass ? "per-class" : "per-instance";
}

Status validateDomain(const DomainSpec& s) {
  std::ostringstream err;
  const std::string who = "domain '" + s.name + "'";
  auto range = [&](const char* key, const Range& r, double lo, double hi) {
    if (!(r.min >= lo && r.min <= r.max && r.max <= hi) && err.tellp() == 0)
      err << who << ": " << key << " [" << r.min << ", " << r.max << "]: expected " << lo
          << " <= min <= max <= " << hi;
  };
  auto value = [&](const char* key, double v, double lo, double hi) { range(key, {v, v}, lo, hi); };
  auto count = [&](const char* key, const IntRange& r, int lo, int hi) {
    range(key, {double(r.min), double(r.max)}, lo, hi);
  };
  if (s.name.empty()) return Status::error("domain: name is empty, expected a name");
  count("objects", s.objects, 1, 64);
  range("objectScale", s.objectScale, 0.005, 0.5);
  value("separation", s.separation, 0, 2);
  value("minVisibleFraction", s.minVisibleFraction, 0, 1);
  value("minVisibleArea", s.minVisibleArea, 0, 0.5);
  value("colourFidelity", s.colourFidelity, 0, 1);
  value("hueJitter", s.hueJitter, 0, 180);
  range("objectSaturation", s.objectSaturation, 0, 1);
  range("objectValue", s.objectValue, 0, 1);
  value("objectTextureContrast", s.objectTextureContrast, 0, 1);
  range("texturePeriod", s.texturePeriod, 0.001, 1);
  range("backgroundValue", s.backgroundValue, 0, 1);
  value("backgroundSaturation", s.backgroundSaturation, 0, 1);
  value("backgroundTextureContrast", s.backgroundTextureContrast, 0, 1);
  value("minContrast", s.minContrast, 0, 441);
  count("distractors", s.distractors, 0, 64);
  range("distractorScale", s.distractorScale, 0.005, 0.5);
  range("distractorValue", s.distractorValue, 0, 1);
  value("distractorFront", s.distractorFront, 0, 1);
  range("gradient", s.gradient, 0, 0.95);
  range("gamma", s.gamma, 0.1, 5);
  for (double t : s.tint) value("tint", t, 0, 4);
  range("fog", s.fog, 0, 1);
  range("blurSigma", s.blurSigma, 0, 10);
  range("noiseSigma", s.noiseSigma, 0, 100);
  if (err.tellp() != 0) return Status::error(err.str());
  if (s.objectColouring == Colouring::Palette)
    return Status::error(who + ": objectColouring 'palette' is for distractors, expected "
                               "canonical, permuted, random or neutral");
  if (s.objectTextures.empty()) return Status::error(who + ": objectTextures is empty");
  if (s.backgroundTextures.empty()) return Status::error(who + ": backgroundTextures is empty");
  return {};
}

nlohmann::ordered_json domainToJson(const DomainSpec& spec) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  visitFields(const_cast<DomainSpec&>(spec), Writer{out});
  return out;
}

Result<DomainSpec> domainFromJson(const nlohmann::json& j, const DomainSpec& base,
                                  const std::string& where) {
  if (!j.is_object()) return Status::error(where + ": expected a JSON object with domain fields");
  // Unknown keys are typos: name them with the list of known ones.
  const nlohmann::ordered_json known = domainToJson(base);
  for (const auto& item : j.items()) {
    if (known.contains(item.key()) || item.key() == "base") continue;
    std::string names;
    for (const auto& k : known.items()) names += (names.empty() ? "" : ", ") + k.key();
    return Status::error(where + ": unknown field '" + item.key() + "', expected one of base, " +
                         names);
  }
  DomainSpec spec = base;
  try {
    visitFields(spec, Reader{j, where});
  } catch (const UserError& e) {
    return Status::error(e.what());
  }
  if (Status st = validateDomain(spec); !st.ok()) return Status::error(where + ": " + st.message());
  return spec;
}

}  // namespace distillery
