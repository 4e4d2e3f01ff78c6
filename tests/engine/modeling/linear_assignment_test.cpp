#include "engine/modeling/linear_assignment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <numeric>
#include <random>
#include <set>

namespace distillery {
namespace {

double total(const std::vector<double>& cost, int cols,
             const std::vector<std::pair<int, int>>& pairs) {
  double s = 0;
  for (auto [r, c] : pairs) s += cost[static_cast<size_t>(r) * cols + c];
  return s;
}

// Minimum over every injective map from the smaller side into the larger one.
double bruteForce(const std::vector<double>& cost, int rows, int cols) {
  const bool transposed = rows > cols;
  const int n = transposed ? cols : rows;
  const int m = transposed ? rows : cols;
  std::vector<int> perm(m);
  std::iota(perm.begin(), perm.end(), 0);
  double best = std::numeric_limits<double>::infinity();
  do {
    double s = 0;
    for (int i = 0; i < n; ++i) {
      const int r = transposed ? perm[i] : i;
      const int c = transposed ? i : perm[i];
      s += cost[static_cast<size_t>(r) * cols + c];
    }
    best = std::min(best, s);
  } while (std::next_permutation(perm.begin(), perm.end()));
  return best;
}

TEST(LinearAssignmentTest, MatchesBruteForceOnRandomRectangularMatrices) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> dim(1, 6);
  std::uniform_real_distribution<double> value(-3.0, 5.0);
  std::uniform_int_distribution<int> small(0, 3);
  for (int trial = 0; trial < 300; ++trial) {
    const int rows = dim(rng), cols = dim(rng);
    std::vector<double> cost(static_cast<size_t>(rows) * cols);
    // Half the trials use few distinct integer values, so ties are common.
    for (double& c : cost) c = trial % 2 == 0 ? value(rng) : static_cast<double>(small(rng));
    const auto pairs = linearSumAssignment(cost, rows, cols);
    ASSERT_EQ(pairs.size(), static_cast<size_t>(std::min(rows, cols)));
    std::set<int> usedRows, usedCols;
    for (auto [r, c] : pairs) {
      ASSERT_GE(r, 0);
      ASSERT_LT(r, rows);
      ASSERT_GE(c, 0);
      ASSERT_LT(c, cols);
      usedRows.insert(r);
      usedCols.insert(c);
    }
    EXPECT_EQ(usedRows.size(), pairs.size());
    EXPECT_EQ(usedCols.size(), pairs.size());
    EXPECT_TRUE(std::is_sorted(pairs.begin(), pairs.end()));
    EXPECT_NEAR(total(cost, cols, pairs), bruteForce(cost, rows, cols), 1e-9)
        << "trial " << trial << " (" << rows << "x" << cols << ")";
  }
}

TEST(LinearAssignmentTest, KnownSquareCase) {
  // scipy.optimize.linear_sum_assignment example: rows 0,1,2 -> cols 1,0,2, cost 5.
  const std::vector<double> cost{4, 1, 3, 2, 0, 5, 3, 2, 2};
  const auto pairs = linearSumAssignment(cost, 3, 3);
  const std::vector<std::pair<int, int>> expected{{0, 1}, {1, 0}, {2, 2}};
  EXPECT_EQ(pairs, expected);
}

TEST(LinearAssignmentTest, AvoidsNonFiniteCostsWhenPossible) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> cost{inf, 1, 2, std::nan("")};
  const auto pairs = linearSumAssignment(cost, 2, 2);
  const std::vector<std::pair<int, int>> expected{{0, 1}, {1, 0}};
  EXPECT_EQ(pairs, expected);
}

TEST(LinearAssignmentTest, EmptySidesGiveNoPairs) {
  EXPECT_TRUE(linearSumAssignment({}, 0, 5).empty());
  EXPECT_TRUE(linearSumAssignment({}, 4, 0).empty());
}

}  // namespace
}  // namespace distillery
