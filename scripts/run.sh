#!/usr/bin/env bash
# Installs what is missing, builds, and opens the workbench on the built-in demo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec build/bin/distillery --demo "$@"
