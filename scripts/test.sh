#!/usr/bin/env bash
# The second README command: set up (Debian packages, build, ImageNet weights), run the collector's
# process-level checks (SIGKILL + resume under injected 429s and 5xx, offline and no-credential runs),
# then the whole test suite, whose summary line ends the output. CI runs this through .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
# A full disk otherwise shows up minutes later as a linker error: say it first (the packages, the debug
# build and the test binary take about 1.3 GiB, the tests' temporary files up to a few hundred MiB).
available_mib=$(( $(df -Pk . | awk 'NR == 2 { print $4 }') / 1024 ))
if [ "$available_mib" -lt 3072 ]; then
    echo "test: warning: only $available_mib MiB free on the disk of $(pwd); the build and the tests need about 2 GiB, and a full disk fails them" >&2
fi
CONFIGURATION=debug bash scripts/setup.sh
echo "test: scripts/collect-kill-resume.sh"
set +e
bash scripts/collect-kill-resume.sh
resume_status=$?
echo "test: swift test"
# The tests' temporary folders live in one folder of this run's, removed at the end, so that whatever a
# failed or crashed test leaves behind does not pile up from run to run.
TMPDIR="$(mktemp -d -t albumgenre-tests.XXXXXX)"
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT
swift test 2>&1 | tee /tmp/albumgenre-test.log | grep -vE '^\[[0-9]+/[0-9]+\] (Compiling|Write|Emitting|Wrapping|Linking|Applying)'
status=${PIPESTATUS[0]}
set -e
# What the tests left behind (SwiftPM's own lock files and scratch folders aside) is named, so that a
# test that forgets to clean up is seen here rather than on a full disk later.
leftovers=$(find "$TMPDIR" -mindepth 1 -maxdepth 1 ! -name 'TemporaryDirectory.*' ! -name '*.lock' ! -name 'swift-generated-sources' -printf '%f\n' | head -20 || true)
if [ -n "$leftovers" ]; then
    echo "test: warning: the tests left these in their temporary folder (removed now):" >&2
    echo "$leftovers" | sed 's/^/  /' >&2
fi
if [ "$resume_status" -ne 0 ]; then
    echo "test: scripts/collect-kill-resume.sh FAILED (exit $resume_status), see its output above" >&2
fi
[ "$status" -ne 0 ] && exit "$status"
exit "$resume_status"
