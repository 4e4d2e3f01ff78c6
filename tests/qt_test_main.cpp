// GoogleTest main for Qt widget tests: one QApplication for the whole binary,
// settings isolated from the user's own (QStandardPaths test mode).
#include <gtest/gtest.h>

#include <QApplication>
#include <QStandardPaths>

int main(int argc, char** argv) {
  // Widget tests never need a screen; gtest discovery runs without ctest's environment.
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QStandardPaths::setTestModeEnabled(true);
  QApplication app(argc, argv);
  QApplication::setOrganizationName("DistilleryTests");
  QApplication::setApplicationName("DistilleryTests");
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
