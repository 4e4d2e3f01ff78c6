// Small helpers for the format tests: files from text, and a tiny dataset.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/data/dataset.h"

namespace distillery::test {

inline std::filesystem::path writeText(const std::filesystem::path& file, const std::string& text) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
  return file;
}

inline std::string readText(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// True when `text` contains `part`; for EXPECT_TRUE with the text in the message.
inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

inline std::string base64(const std::vector<unsigned char>& bytes) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    for (int k = 18; k >= 0; k -= 6) out += kAlphabet[(v >> k) & 63];
  }
  if (i < bytes.size()) {
    const unsigned v = (bytes[i] << 16) | (i + 1 < bytes.size() ? bytes[i + 1] << 8 : 0);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// Two images (40x30 and 20x20), two categories, three instances: a box, a crowd blob, a box.
inline Dataset tinyDataset() {
  Dataset d;
  d.categories = {{1, "cat", "animal"}, {7, "dog", "animal"}};
  d.images = {{10, "a.jpg", 40, 30}, {11, "sub/b.png", 20, 20}};
  Instance a;
  a.id = 1;
  a.imageId = 10;
  a.categoryId = 1;
  a.mask = rle::fromBox({4, 5, 12, 8}, 30, 40);
  Instance crowd = a;
  crowd.id = 2;
  crowd.categoryId = 7;
  crowd.iscrowd = true;
  crowd.area = 123;
  crowd.mask =
      rle::merge({rle::fromBox({20, 2, 6, 6}, 30, 40), rle::fromBox({30, 20, 5, 5}, 30, 40)});
  Instance b = a;
  b.id = 3;
  b.imageId = 11;
  b.categoryId = 7;
  b.mask = rle::fromBox({2, 2, 10, 15}, 20, 20);
  d.instances = {a, crowd, b};
  return d;
}

}  // namespace distillery::test
