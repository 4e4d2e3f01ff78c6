#include "engine/onnx/onnx_tensor_proto.h"

#include <fstream>
#include <sstream>

#include "engine/onnx/onnx_node_context.h"

namespace distillery {

namespace {

using onnx::TensorProto;

// Copies a repeated proto field into a tensor of `type`, element by element.
template <class Field>
torch::Tensor fromField(const Field& field, torch::ScalarType type, at::IntArrayRef shape) {
  std::vector<double> values(field.begin(), field.end());
  auto t = torch::tensor(values, torch::kDouble);
  return t.to(type).reshape(shape);
}

std::vector<char> readExternal(const TensorProto& proto, const std::filesystem::path& baseDir) {
  std::string location;
  int64_t offset = 0, length = -1;
  for (const auto& kv : proto.external_data()) {
    if (kv.key() == "location") location = kv.value();
    if (kv.key() == "offset") offset = std::stoll(kv.value());
    if (kv.key() == "length") length = std::stoll(kv.value());
  }
  const auto file = baseDir / location;
  if (location.empty() || std::filesystem::path(location).is_absolute() ||
      location.find("..") != std::string::npos)
    throw OnnxError("tensor '" + proto.name() + "': external data location '" + location +
                    "' must be a relative path inside the model's folder");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw OnnxError("tensor '" + proto.name() + "': cannot open external data " + file.string());
  in.seekg(0, std::ios::end);
  const int64_t size = in.tellg();
  if (length < 0) length = size - offset;
  if (offset < 0 || offset + length > size)
    throw OnnxError("tensor '" + proto.name() + "': external data " + file.string() +
                    " is shorter than offset + length");
  std::vector<char> bytes(length);
  in.seekg(offset);
  in.read(bytes.data(), length);
  return bytes;
}

}  // namespace

std::optional<torch::ScalarType> torchTypeOf(int t) {
  switch (t) {
    case TensorProto::FLOAT: return torch::kFloat;
    case TensorProto::DOUBLE: return torch::kDouble;
    case TensorProto::FLOAT16: return torch::kHalf;
    case TensorProto::BFLOAT16: return torch::kBFloat16;
    case TensorProto::INT8: return torch::kChar;
    case TensorProto::UINT8: return torch::kByte;
    case TensorProto::INT16: return torch::kShort;
    case TensorProto::INT32: return torch::kInt;
    case TensorProto::INT64: return torch::kLong;
    case TensorProto::BOOL: return torch::kBool;
    default: return std::nullopt;
  }
}

int onnxTypeOf(torch::ScalarType type) {
  switch (type) {
    case torch::kFloat: return TensorProto::FLOAT;
    case torch::kDouble: return TensorProto::DOUBLE;
    case torch::kHalf: return TensorProto::FLOAT16;
    case torch::kBFloat16: return TensorProto::BFLOAT16;
    case torch::kChar: return TensorProto::INT8;
    case torch::kByte: return TensorProto::UINT8;
    case torch::kShort: return TensorProto::INT16;
    case torch::kInt: return TensorProto::INT32;
    case torch::kLong: return TensorProto::INT64;
    case torch::kBool: return TensorProto::BOOL;
    default: throw OnnxError(std::string("no ONNX type for torch type ") + c10::toString(type));
  }
}

std::string onnxTypeName(int t) {
  switch (t) {
    case TensorProto::FLOAT: return "float32";
    case TensorProto::DOUBLE: return "float64";
    case TensorProto::FLOAT16: return "float16";
    case TensorProto::BFLOAT16: return "bfloat16";
    case TensorProto::INT8: return "int8";
    case TensorProto::UINT8: return "uint8";
    case TensorProto::INT16: return "int16";
    case TensorProto::UINT16: return "uint16";
    case TensorProto::INT32: return "int32";
    case TensorProto::UINT32: return "uint32";
    case TensorProto::INT64: return "int64";
    case TensorProto::UINT64: return "uint64";
    case TensorProto::BOOL: return "bool";
    case TensorProto::STRING: return "string";
    case TensorProto::COMPLEX64: return "complex64";
    case TensorProto::COMPLEX128: return "complex128";
    default: return "type " + std::to_string(t);
  }
}

torch::Tensor tensorFromProto(const TensorProto& proto, const std::filesystem::path& baseDir) {
  const auto type = torchTypeOf(proto.data_type());
  if (!type)
    throw OnnxError("tensor '" + proto.name() + "': element type " +
                    onnxTypeName(proto.data_type()) + " is not supported");
  std::vector<int64_t> shape(proto.dims().begin(), proto.dims().end());
  int64_t numel = 1;
  for (auto d : shape) {
    if (d < 0) throw OnnxError("tensor '" + proto.name() + "': negative dimension");
    numel *= d;
  }
  const auto options = torch::TensorOptions().dtype(*type);
  const int64_t itemSize = c10::elementSize(*type);

  auto fromBytes = [&](const char* data, size_t size) {
    if (static_cast<int64_t>(size) != numel * itemSize)
      throw OnnxError("tensor '" + proto.name() + "': " + std::to_string(size) +
                      " bytes of data for " + std::to_string(numel) + " elements of " +
                      onnxTypeName(proto.data_type()));
    auto t = torch::empty(shape, options);
    if (size) std::memcpy(t.data_ptr(), data, size);  // ONNX raw data is little-endian, as x86/ARM
    return t;
  };
  if (proto.data_location() == TensorProto::EXTERNAL) {
    auto bytes = readExternal(proto, baseDir);
    return fromBytes(bytes.data(), bytes.size());
  }
  if (proto.has_raw_data()) return fromBytes(proto.raw_data().data(), proto.raw_data().size());

  auto checkCount = [&](int64_t n) {
    if (n != numel)
      throw OnnxError("tensor '" + proto.name() + "': " + std::to_string(n) + " values for " +
                      std::to_string(numel) + " elements");
  };
  switch (proto.data_type()) {
    case TensorProto::FLOAT: {
      checkCount(proto.float_data_size());
      auto t = torch::empty(shape, options);
      std::copy(proto.float_data().begin(), proto.float_data().end(), t.data_ptr<float>());
      return t;
    }
    case TensorProto::DOUBLE:
      checkCount(proto.double_data_size());
      return fromField(proto.double_data(), *type, shape);
    case TensorProto::INT64: {
      checkCount(proto.int64_data_size());
      auto t = torch::empty(shape, options);
      std::copy(proto.int64_data().begin(), proto.int64_data().end(), t.data_ptr<int64_t>());
      return t;
    }
    case TensorProto::FLOAT16:
    case TensorProto::BFLOAT16: {
      // int32_data holds the 16-bit patterns.
      checkCount(proto.int32_data_size());
      std::vector<int16_t> bits(proto.int32_data().begin(), proto.int32_data().end());
      return fromBytes(reinterpret_cast<const char*>(bits.data()), bits.size() * 2);
    }
    default:
      checkCount(proto.int32_data_size());
      return fromField(proto.int32_data(), *type, shape);
  }
}

TensorProto tensorToProto(const torch::Tensor& tensor, const std::string& name) {
  TensorProto proto;
  proto.set_name(name);
  proto.set_data_type(onnxTypeOf(tensor.scalar_type()));
  for (auto d : tensor.sizes()) proto.add_dims(d);
  auto c = tensor.to(torch::kCPU).contiguous();
  proto.set_raw_data(std::string(static_cast<const char*>(c.data_ptr()), c.nbytes()));
  return proto;
}

Result<torch::Tensor> readTensorFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::error(file.string() + ": cannot open (expected an ONNX TensorProto file)");
  std::stringstream buffer;
  buffer << in.rdbuf();
  TensorProto proto;
  if (!proto.ParseFromString(buffer.str()))
    return Status::error(file.string() + ": not an ONNX TensorProto (protobuf parse failed)");
  try {
    return tensorFromProto(proto, file.parent_path());
  } catch (const OnnxError& e) {
    return Status::error(file.string() + ": " + e.what());
  }
}

Status writeTensorFile(const std::filesystem::path& file, const torch::Tensor& tensor,
                       const std::string& name) {
  TensorProto proto;
  try {
    proto = tensorToProto(tensor, name);
  } catch (const OnnxError& e) {
    return Status::error(file.string() + ": " + e.what());
  }
  const auto tmp = file.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out || !proto.SerializeToOstream(&out) || !out.flush()) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      return Status::error(file.string() + ": cannot write");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return Status::error(file.string() + ": cannot write: " + ec.message());
  }
  return {};
}

}  // namespace distillery
