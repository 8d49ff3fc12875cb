#!/usr/bin/env bash
# The second README command: set up (Debian packages, build, ImageNet weights), then run the whole
# test suite, then the collector's process-level checks (SIGKILL + resume under injected 429s and
# 5xx, offline and no-credential runs). CI runs this through .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIGURATION=debug bash scripts/setup.sh
echo "test: swift test"
set +e
swift test 2>&1 | tee /tmp/albumgenre-test.log | grep -vE '^\[[0-9]+/[0-9]+\] (Compiling|Write|Emitting|Wrapping|Linking|Applying)'
status=${PIPESTATUS[0]}
echo "test: scripts/collect-kill-resume.sh"
bash scripts/collect-kill-resume.sh
resume_status=$?
set -e
[ "$status" -ne 0 ] && exit "$status"
exit "$resume_status"
