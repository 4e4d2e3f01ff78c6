# Every dependency comes from Debian 12 packages (scripts/setup.sh installs them).
find_package(Torch REQUIRED)
find_package(OpenCV REQUIRED COMPONENTS core imgproc imgcodecs)
find_package(SQLiteCpp REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(OpenSSL REQUIRED)  # libssl-dev: SHA-256 of fetched models (engine/zoo)
find_package(Protobuf REQUIRED)
find_package(ONNX REQUIRED)   # libonnx-dev: ONNX parsing, checker, shape inference
find_package(Threads REQUIRED)
if(DISTILLERY_BUILD_GUI)
  find_package(Qt6 6.2 REQUIRED COMPONENTS Core Gui Widgets PrintSupport Test)
  find_package(QCustomPlotQt6 REQUIRED)
endif()
if(DISTILLERY_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()

