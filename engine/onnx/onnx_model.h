// An ONNX file, parsed with libonnx (protobuf), checked by ONNX's checker and
// shape-inferred, with what the executor needs to decide before running anything:
// the graph's inputs and outputs, the imported opsets, and every node the
// executor cannot run. Internal (torch-free itself, but paired with the executor).
#pragma once

#include <onnx/onnx_pb.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/util/status.h"

namespace distillery {

class OnnxOpRegistry;

struct OnnxValueInfo {
  std::string name;
  int elemType = 0;                // onnx::TensorProto::DataType; 0 = not a tensor
  std::vector<int64_t> dims;       // -1 where the dimension is symbolic or unknown
  std::vector<std::string> names;  // the symbolic names ("batch_size"), empty where static
  std::string describe() const;    // "float32 [batch_size,3,1024,1024]"
};

struct OnnxUnsupportedNode {
  std::string opType;
  std::string domain;  // "" is ai.onnx
  int opset = 0;       // the model's opset for that domain
  std::string name;    // the node's name, or "#<index>" when it has none
  std::string reason;
  std::string describe() const;
};

class OnnxModel {
 public:
  // Parses, checks and infers shapes. A file that is missing, truncated, not
  // ONNX, or fails the checker is an error naming the file and the cause.
  static Result<std::shared_ptr<OnnxModel>> load(const std::filesystem::path& file);

  const std::filesystem::path& file() const { return file_; }
  const onnx::ModelProto& proto() const { return model_; }
  const onnx::GraphProto& graph() const { return model_.graph(); }
  // Imported opsets by domain ("" for ai.onnx).
  const std::map<std::string, int>& opsets() const { return opsets_; }
  int opsetOf(const std::string& domain) const;  // 0 when not imported

  // Graph inputs that are not initializers, in order, and the graph outputs.
  const std::vector<OnnxValueInfo>& inputs() const { return inputs_; }
  const std::vector<OnnxValueInfo>& outputs() const { return outputs_; }

  // Every node the registry cannot run, in graph order.
  std::vector<OnnxUnsupportedNode> unsupportedNodes(const OnnxOpRegistry& registry) const;
  // An error listing every unsupported node, or ok.
  Status checkSupported(const OnnxOpRegistry& registry) const;

 private:
  std::filesystem::path file_;
  onnx::ModelProto model_;
  std::map<std::string, int> opsets_;
  std::vector<OnnxValueInfo> inputs_;
  std::vector<OnnxValueInfo> outputs_;
};

OnnxValueInfo valueInfoOf(const onnx::ValueInfoProto& info);

}  // namespace distillery
