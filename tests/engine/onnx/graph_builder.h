// Builds small ONNX graphs in tests, node by node, and saves them to a temp file.
#pragma once

#include <onnx/onnx_pb.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/onnx/onnx_tensor_proto.h"

namespace distillery::test {

struct GraphBuilder {
  onnx::ModelProto model;
  onnx::GraphProto* graph;
  explicit GraphBuilder(int opset = 17) {
    model.set_ir_version(8);
    auto* o = model.add_opset_import();
    o->set_domain("");
    o->set_version(opset);
    graph = model.mutable_graph();
    graph->set_name("g");
  }
  onnx::NodeProto* node(const std::string& op, std::vector<std::string> in,
                        std::vector<std::string> out, const std::string& name = "") {
    auto* n = graph->add_node();
    n->set_op_type(op);
    n->set_name(name);
    for (auto& i : in) n->add_input(i);
    for (auto& o : out) n->add_output(o);
    return n;
  }
  void value(google::protobuf::RepeatedPtrField<onnx::ValueInfoProto>* list,
             const std::string& name, int type, std::vector<std::string> dims) {
    auto* v = list->Add();
    v->set_name(name);
    auto* tt = v->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(type);
    auto* shape = tt->mutable_shape();
    for (auto& d : dims) {
      auto* dim = shape->add_dim();
      if (!d.empty() && std::isdigit(static_cast<unsigned char>(d[0])))
        dim->set_dim_value(std::stoll(d));
      else
        dim->set_dim_param(d);
    }
  }
  void input(const std::string& name, std::vector<std::string> dims, int type = 1) {
    value(graph->mutable_input(), name, type, dims);
  }
  void output(const std::string& name, std::vector<std::string> dims, int type = 1) {
    value(graph->mutable_output(), name, type, dims);
  }
  void initializer(const std::string& name, const torch::Tensor& t) {
    *graph->add_initializer() = tensorToProto(t, name);
  }
  std::filesystem::path save(const std::string& file) {
    auto path = std::filesystem::temp_directory_path() / ("distillery_onnx_" + file);
    std::ofstream out(path, std::ios::binary);
    model.SerializeToOstream(&out);
    return path;
  }
};

}  // namespace distillery::test
