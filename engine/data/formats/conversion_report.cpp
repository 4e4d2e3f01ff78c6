#include "engine/data/formats/conversion_report.h"

#include <sstream>

namespace distillery {

std::string ConversionReport::summary() const {
  std::ostringstream s;
  s << "read:    " << imagesRead << " images, " << instancesRead << " instances\n";
  s << "written: " << imagesWritten << " images, " << instancesWritten << " instances\n";
  s << "skipped: " << skipped.size() << (skipped.size() == 1 ? " record" : " records") << "\n";
  for (const std::string& line : skipped) s << "  " << line << "\n";
  for (const std::string& line : notes) s << "note: " << line << "\n";
  return s.str();
}

}  // namespace distillery
