#include "engine/api/negatives_explanation.h"

#include <cmath>
#include <cstdio>

namespace distillery {
namespace {

std::string format(const char* fmt, double a, double b = 0) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, a, b);
  return buf;
}

std::string formula(const std::string& sampling) {
  if (sampling == "mask-only")
    return "Mask-only sampling: w(a, n) = max(0, 1 - <P_m[a], P_m[n]>), P_m the softmax over "
           "queries "
           "of the mask logits (which query claims each pixel).";
  if (sampling == "class-only")
    return "Class-only sampling: w(a, n) = max(0, 1 - <P_c[a], P_c[n]>), P_c the class softmax of "
           "each pixel's dominant query.";
  if (sampling == "uniform") return "Uniform sampling: every candidate weighs the same.";
  return "Fused sampling (the paper): w(a, n) = max(0, 1 - <F_c[a], F_c[n]>), F_c the per-pixel "
         "class "
         "distribution fusing every query's mask and class probabilities.";
}

}  // namespace

std::string explainNegatives(const ExplanationFacts& f) {
  std::string text = formula(f.sampling);
  text += f.predictions.empty()
              ? " Predictions: the labels, as a perfect model would make them."
              : " Predictions of " + f.predictions + " at " + std::to_string(f.inputSize) + " px.";
  text += " The heat is w normalised to sum 1 over " + std::to_string(f.candidates) +
          " candidate cells (" + format("%.0fx%.0f", f.cellWidth, f.cellHeight) +
          " image pixels each, the model's 1/4 resolution) of the " +
          (f.otherImages == 1 ? std::string("other image")
                              : std::to_string(f.otherImages) + " other images") +
          (f.includeAnchorImage ? " and of the anchor's own image." : ".");
  text += " The dots are R = " + std::to_string(f.requested) +
          " negatives drawn without replacement by Gumbel top-k on log w; cells with w = 0 are "
          "never drawn";
  text += f.drawn < f.requested ? " (only " + std::to_string(f.drawn) + " have w > 0)." : ".";

  const std::string by = f.own.source == "labels" ? "the labels" : "the model";
  if (f.own.background) {
    text += " The anchor lies on background per " + by +
            "; the outlines are the edge of that background region.";
  } else {
    text += " The outline is the anchor's own instance: '" + f.own.className + "' per " + by;
    text += f.own.probability >= 0 ? format(" (fused probability %.2f).", f.own.probability) : ".";
  }
  if (f.includeAnchorImage && f.ownInstanceShare <= 0) {
    text += " It has no candidate cell besides the anchor.";
  } else if (f.includeAnchorImage) {
    // Compared with what uniform sampling would give it: its share of the candidates.
    const double ratio = f.ownInstanceWeight / f.ownInstanceShare;
    text += format(" It holds %.2g%% of the weight", 100.0 * f.ownInstanceWeight) +
            format(" (%.2g%% under uniform sampling)", 100.0 * f.ownInstanceShare) + " and " +
            std::to_string(f.negativesInOwnInstance) + " of the negatives: " +
            (ratio < 0.1   ? "suppressed, as the loss intends."
             : ratio < 0.9 ? "partly suppressed."
                           : "not suppressed; the predictions do not tell it apart from the rest.");
  } else {
    text +=
        " The anchor's own image holds no candidates (as in training with two or more images "
        "a batch), so its own instance is never drawn.";
  }
  return text;
}

}  // namespace distillery
