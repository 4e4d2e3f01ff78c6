// Exact minimum-cost linear assignment on a rectangular matrix (the Hungarian
// method with potentials, O(n^2 m)), as scipy's linear_sum_assignment: every row
// of the smaller side is assigned to a distinct element of the larger side.
// Torch-free.
#pragma once

#include <utility>
#include <vector>

namespace distillery {

// cost is row-major [rows x cols]. Returns (row, col) pairs in ascending row order,
// min(rows, cols) of them, minimising the summed cost. Non-finite costs are treated
// as larger than every finite one (a pair is only used when it must be).
std::vector<std::pair<int, int>> linearSumAssignment(const std::vector<double>& cost, int rows,
                                                     int cols);

}  // namespace distillery
