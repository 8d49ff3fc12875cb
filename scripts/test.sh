#!/usr/bin/env bash
# The second README command: set up (Debian packages, build, ImageNet weights), then run the whole
# test suite. CI runs this through .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIGURATION=debug bash scripts/setup.sh
echo "test: swift test"
set +e
swift test 2>&1 | tee /tmp/albumgenre-test.log | grep -vE '^\[[0-9]+/[0-9]+\] (Compiling|Write|Emitting|Wrapping|Linking|Applying)'
status=${PIPESTATUS[0]}
set -e
exit "$status"
