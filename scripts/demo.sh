#!/usr/bin/env bash
# The first README command: set up, build in release mode, run the demo on embedded synthetic data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "demo: swift build -c release"
swift build -c release --product albumgenre
exec .build/release/albumgenre --help
