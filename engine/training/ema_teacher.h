// EMA teacher (Guided Distillation, METHODS.md §2): after burn-in the teacher is an
// exponential moving average of the student. Floating-point parameters and buffers
// are averaged; other buffers (counters) are copied. Also used by the EMA hook.
#pragma once

#include <torch/torch.h>

namespace distillery {

// teacher <- decay * teacher + (1 - decay) * student, matched by parameter name.
// Both modules must have the same structure (checked).
void emaUpdate(torch::nn::Module& teacher, const torch::nn::Module& student, double decay);

// teacher <- student (the burn-in switch).
void copyWeights(torch::nn::Module& target, const torch::nn::Module& source);

}  // namespace distillery
