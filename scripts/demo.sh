#!/usr/bin/env bash
# The first README command: set up (system packages, oneDNN, release build, ImageNet weights), then run
# the main job on embedded synthetic covers. Pass a folder of real covers to use them instead:
#   bash scripts/demo.sh /path/to/ImageFolder
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIGURATION=release
source scripts/setup.sh   # sets BIN
if [ $# -gt 0 ]; then
    exec "$BIN" demo --work demo --data "$1"
fi
exec "$BIN" demo --work demo
