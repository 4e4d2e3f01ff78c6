#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (ctest's summary is the last line).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
ctest --test-dir build --output-on-failure --parallel "$(nproc)" "$@"
