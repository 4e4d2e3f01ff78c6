// ONNX TensorProto <-> torch::Tensor: initializers, Constant values, and the .pb
// files of ONNX's test data (`input_0.pb`, `output_0.pb`). Internal (torch).
#pragma once

#include <onnx/onnx_pb.h>
#include <torch/torch.h>

#include <filesystem>
#include <optional>
#include <string>

#include "engine/util/status.h"

namespace distillery {

// The torch dtype for an ONNX element type, or nullopt when torch has none
// (string, uint16/32/64, complex).
std::optional<torch::ScalarType> torchTypeOf(int onnxElemType);
int onnxTypeOf(torch::ScalarType type);  // throws OnnxError for a type ONNX lacks
std::string onnxTypeName(int onnxElemType);  // "float32", "int64", ...

// baseDir resolves external data (`location` relative to the model's folder).
// Throws OnnxError naming the tensor when its type or data is unusable.
torch::Tensor tensorFromProto(const onnx::TensorProto& proto,
                              const std::filesystem::path& baseDir = {});
onnx::TensorProto tensorToProto(const torch::Tensor& tensor, const std::string& name = {});

Result<torch::Tensor> readTensorFile(const std::filesystem::path& file);
// Written through a temporary file and renamed, so a failure leaves nothing half.
Status writeTensorFile(const std::filesystem::path& file, const torch::Tensor& tensor,
                       const std::string& name = {});

}  // namespace distillery
