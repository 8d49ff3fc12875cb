#!/usr/bin/env bash
# The second README command (CI runs it through .ci/run). In order:
#   1. setup with the distribution's oneDNN (2.6 on Debian 12): packages, debug build, ImageNet weights;
#   2. the collector's process-level checks (SIGKILL + resume under injected 429s and 5xx, offline and
#      no-credential runs);
#   3. the C kernels compiled for arm64 (syntax only: a break there shows without an arm64 machine);
#   4. a second build against oneDNN 3.2 from PyPI (scripts/engine-stage.sh) running the engine, model
#      and checkpoint-parity tests (skip with ALBUMGENRE_SKIP_ONEDNN3=1);
#   5. the engine and model tests again with oneDNN restricted to AVX2 (ONEDNN_MAX_CPU_ISA=AVX2), as on
#      a laptop CPU without AVX-512 (PyTorch parity, JIT kernels only);
#   6. one tiny step of each side of the PyTorch comparison scripts (Benchmarks/smoke.sh; skip with
#      ALBUMGENRE_SKIP_BENCH_SMOKE=1), so that they cannot rot unnoticed;
#   7. the whole test suite on the first build, whose summary line ends the output.
# Before all of them, the formatting check (scripts/check-format.sh, seconds): a failure is reported
# at the end with the others.
set -euo pipefail
cd "$(dirname "$0")/.."
# A full disk otherwise shows up minutes later as a linker error: say it first (the packages, two debug
# builds and the test binaries take about 3 GiB, the tests' temporary files up to a few hundred MiB).
available_mib=$(( $(df -Pk . | awk 'NR == 2 { print $4 }') / 1024 ))
if [ "$available_mib" -lt 4096 ]; then
    echo "test: warning: only $available_mib MiB free on the disk of $(pwd); the builds and the tests need about 3 GiB, and a full disk fails them" >&2
fi
CONFIGURATION=debug
source scripts/setup.sh   # sets BIN and SWIFT_FLAGS
# The tests' temporary folders live in one folder of this run's, removed at the end, so that whatever a
# failed or crashed test leaves behind does not pile up from run to run.
TMPDIR="$(mktemp -d -t albumgenre-tests.XXXXXX)"
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT
format_status=0
bash scripts/check-format.sh || format_status=1
filter_build_lines() { grep -vE '^\[[0-9]+/[0-9]+\] (Compiling|Write|Emitting|Wrapping|Linking|Applying)' || true; }
failures=()
[ "$format_status" -eq 0 ] || failures+=("formatting (scripts/check-format.sh)")

echo "test: scripts/collect-kill-resume.sh"
set +e
ALBUMGENRE_BIN="$BIN" bash scripts/collect-kill-resume.sh || failures+=("collect-kill-resume.sh")

echo "test: the C kernels compiled for aarch64 (syntax only)"
bash scripts/check-kernels-aarch64.sh || failures+=("aarch64 kernel syntax check")

if [ "${ALBUMGENRE_SKIP_ONEDNN3:-0}" != 1 ]; then
    echo "test: engine stage with oneDNN 3.2 from PyPI (build folder .build-onednn3)"
    # Explicitly the wheels (and their own build folder), whatever this machine's first stage used.
    ALBUMGENRE_ONEDNN=pypi SWIFT_SCRATCH=.build-onednn3 bash scripts/engine-stage.sh || failures+=("engine tests on oneDNN 3.2")
fi

echo "test: swift build --build-tests (oneDNN: $ONEDNN_DESCRIPTION)"
swift build --build-tests "${SWIFT_FLAGS[@]}" 2>&1 | filter_build_lines
build_status=${PIPESTATUS[0]}
if [ "$build_status" -ne 0 ]; then
    echo "test: the test build failed" >&2
    exit "$build_status"
fi

echo "test: engine and model tests with ONEDNN_MAX_CPU_ISA=AVX2 (oneDNN as on a CPU without AVX-512)"
ONEDNN_MAX_CPU_ISA=AVX2 swift test --skip-build "${SWIFT_FLAGS[@]}" --filter 'TensorCoreTests|ModelsTests' 2>&1 \
    | grep -E '✘|Fatal|oneDNN |Test run' | grep -v '^◇' | tail -30
[ "${PIPESTATUS[0]}" -eq 0 ] || failures+=("engine tests under ONEDNN_MAX_CPU_ISA=AVX2")

if [ "${ALBUMGENRE_SKIP_BENCH_SMOKE:-0}" != 1 ]; then
    echo "test: Benchmarks/smoke.sh (the side-by-side benchmark scripts, one tiny step each side)"
    bash Benchmarks/smoke.sh 2>&1 | tail -3
    [ "${PIPESTATUS[0]}" -eq 0 ] || failures+=("Benchmarks/smoke.sh")
fi

echo "test: swift test (oneDNN: $ONEDNN_DESCRIPTION)"
swift test --skip-build "${SWIFT_FLAGS[@]}" 2>&1 | tee /tmp/albumgenre-test.log | filter_build_lines
status=${PIPESTATUS[0]}
set -e
# What the tests left behind (SwiftPM's own lock files and scratch folders aside) is named, so that a
# test that forgets to clean up is seen here rather than on a full disk later.
leftovers=$(find "$TMPDIR" -mindepth 1 -maxdepth 1 ! -name 'TemporaryDirectory.*' ! -name '*.lock' ! -name 'swift-generated-sources' -printf '%f\n' | head -20 || true)
if [ -n "$leftovers" ]; then
    echo "test: warning: the tests left these in their temporary folder (removed now):" >&2
    echo "$leftovers" | sed 's/^/  /' >&2
fi
for failure in "${failures[@]}"; do echo "test: FAILED: $failure (see its output above)" >&2; done
[ "$status" -ne 0 ] && exit "$status"
[ "${#failures[@]}" -eq 0 ]
