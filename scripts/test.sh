#!/usr/bin/env bash
# The second README command: set up (Debian packages, build, ImageNet weights), run the collector's
# process-level checks (SIGKILL + resume under injected 429s and 5xx, offline and no-credential runs),
# then the whole test suite, whose summary line ends the output. CI runs this through .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIGURATION=debug bash scripts/setup.sh
echo "test: scripts/collect-kill-resume.sh"
set +e
bash scripts/collect-kill-resume.sh
resume_status=$?
echo "test: swift test"
swift test 2>&1 | tee /tmp/albumgenre-test.log | grep -vE '^\[[0-9]+/[0-9]+\] (Compiling|Write|Emitting|Wrapping|Linking|Applying)'
status=${PIPESTATUS[0]}
set -e
if [ "$resume_status" -ne 0 ]; then
    echo "test: scripts/collect-kill-resume.sh FAILED (exit $resume_status), see its output above" >&2
fi
[ "$status" -ne 0 ] && exit "$status"
exit "$resume_status"
