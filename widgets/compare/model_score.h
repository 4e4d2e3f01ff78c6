// One row of the compare view: a model's accuracy and cost on the project's test
// images. AP values are in percent (0-100), as in METHODS.md's tables.
#pragma once

#include <QString>
#include <vector>

namespace distillery {

struct ModelScore {
  QString name;  // "zero-shot teacher", "adapted teacher", "student", ...
  double ap = 0;
  double ap50 = 0;
  double params = 0;               // parameter count
  double msPerImage = 0;           // mean inference latency on this machine
  std::vector<double> perClassAp;  // one per class of the compare view, NaN = no instances
};

}  // namespace distillery
