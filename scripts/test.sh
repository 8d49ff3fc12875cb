#!/usr/bin/env bash
# The second README command: set up, then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "test: swift test"
swift test 2>&1 | tee /tmp/albumgenre-test.log | grep -vE '^\[[0-9]+/[0-9]+\] (Compiling|Write|Emitting)' 
exit "${PIPESTATUS[0]}"
