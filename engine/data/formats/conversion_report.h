// What an import or export read, wrote and skipped, and why.
//
// Importers skip a bad record (and say so here) when the rest of the file is still
// usable; a file that cannot be used at all is a Status error instead.
#pragma once

#include <string>
#include <vector>

namespace distillery {

struct ConversionReport {
  int imagesRead = 0, instancesRead = 0, imagesWritten = 0, instancesWritten = 0;
  std::vector<std::string> skipped;  // each "file: record: reason"
  std::vector<std::string> notes;    // lossy but deliberate choices, e.g. "crowd kept as RLE"

  void skip(const std::string& file, const std::string& record, const std::string& reason) {
    skipped.push_back(file + ": " + record + ": " + reason);
  }
  std::string summary() const;  // multi-line human text
};

}  // namespace distillery
