// The negatives inspector's explanation: what a query result shows, in words (the
// sampling formula, the candidates, the draw, the anchor's own instance). Torch-free.
#pragma once

#include <string>

#include "engine/api/negatives_inspection.h"

namespace distillery {

struct ExplanationFacts {
  std::string sampling;     // fused | mask-only | class-only | uniform
  std::string predictions;  // the model's file name; empty = the labels stand in
  int inputSize = 0;        // px fed to the model
  double cellWidth = 1;     // image pixels per weight cell
  double cellHeight = 1;
  int otherImages = 0;
  bool includeAnchorImage = false;
  int candidates = 0;  // cells with w > 0
  int requested = 0;   // R
  int drawn = 0;
  OwnInstance own;               // the mask is not read
  double ownInstanceWeight = 0;  // its weight mass (with includeAnchorImage)
  double ownInstanceShare = 0;   // its share of the candidate cells (ditto)
  int negativesInOwnInstance = 0;
};

std::string explainNegatives(const ExplanationFacts& facts);

}  // namespace distillery
