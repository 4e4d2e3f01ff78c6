#include "engine/modeling/linear_assignment.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/util/status.h"

namespace distillery {

namespace {

// Shortest augmenting paths with row/column potentials (Kuhn-Munkres as refined by
// Jonker-Volgenant); requires n <= m. a is 1-indexed [n+1][m+1] flattened.
std::vector<int> assignRows(const std::vector<double>& a, int n, int m) {
  const double inf = std::numeric_limits<double>::infinity();
  auto at = [&](int i, int j) { return a[static_cast<size_t>(i) * (m + 1) + j]; };
  std::vector<double> u(n + 1, 0.0), v(m + 1, 0.0);
  std::vector<int> p(m + 1, 0), way(m + 1, 0);
  for (int i = 1; i <= n; ++i) {
    p[0] = i;
    int j0 = 0;
    std::vector<double> minv(m + 1, inf);
    std::vector<char> used(m + 1, 0);
    do {
      used[j0] = 1;
      const int i0 = p[j0];
      double delta = inf;
      int j1 = 0;
      for (int j = 1; j <= m; ++j) {
        if (used[j]) continue;
        const double cur = at(i0, j) - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      DST_CHECK(j1 != 0);
      for (int j = 0; j <= m; ++j) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] != 0);
    do {
      const int j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 != 0);
  }
  std::vector<int> rowToCol(n, -1);
  for (int j = 1; j <= m; ++j)
    if (p[j] != 0) rowToCol[p[j] - 1] = j - 1;
  return rowToCol;
}

}  // namespace

std::vector<std::pair<int, int>> linearSumAssignment(const std::vector<double>& cost, int rows,
                                                     int cols) {
  DST_CHECK(rows >= 0 && cols >= 0 && cost.size() == static_cast<size_t>(rows) * cols);
  if (rows == 0 || cols == 0) return {};
  // Replace non-finite entries by a value beyond any sum of finite ones.
  double maxAbs = 0;
  for (double c : cost)
    if (std::isfinite(c)) maxAbs = std::max(maxAbs, std::abs(c));
  const double big = (maxAbs + 1.0) * (static_cast<double>(std::max(rows, cols)) + 1.0) * 2.0;
  const bool transposed = rows > cols;
  const int n = transposed ? cols : rows;
  const int m = transposed ? rows : cols;
  std::vector<double> a(static_cast<size_t>(n + 1) * (m + 1), 0.0);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      double x = cost[static_cast<size_t>(r) * cols + c];
      if (!std::isfinite(x)) x = big;
      const int i = transposed ? c : r;
      const int j = transposed ? r : c;
      a[static_cast<size_t>(i + 1) * (m + 1) + (j + 1)] = x;
    }
  }
  const std::vector<int> assigned = assignRows(a, n, m);
  std::vector<std::pair<int, int>> pairs;
  pairs.reserve(n);
  for (int i = 0; i < n; ++i) {
    if (transposed)
      pairs.emplace_back(assigned[i], i);
    else
      pairs.emplace_back(i, assigned[i]);
  }
  std::sort(pairs.begin(), pairs.end());
  return pairs;
}

}  // namespace distillery
