#!/usr/bin/env bash
# Builds the package a second time against another oneDNN (default: 3.2 from the PyPI wheels, in the
# build folder .build-onednn3) and runs the tests that exercise the engine through oneDNN: tensors and
# ops, layers, optimisers, models and checkpoints, including the PyTorch-parity fixtures of
# EfficientNet-Lite0. scripts/test.sh runs it as its second stage; run it alone to check a oneDNN:
#   bash scripts/engine-stage.sh                       oneDNN 3.2 from PyPI
#   ALBUMGENRE_ONEDNN=apt SWIFT_SCRATCH=.build bash scripts/engine-stage.sh   the distribution's
set -euo pipefail
cd "$(dirname "$0")/.."
export ALBUMGENRE_ONEDNN="${ALBUMGENRE_ONEDNN:-pypi}"
export SWIFT_SCRATCH="${SWIFT_SCRATCH:-.build-onednn3}"
CONFIGURATION=debug
ALBUMGENRE_SKIP_WEIGHTS=1   # the first stage installed them; they do not depend on oneDNN
source scripts/setup.sh
echo "engine-stage: swift build --build-tests ($ONEDNN_DESCRIPTION)"
set +e
swift build --build-tests "${SWIFT_FLAGS[@]}" 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\] (Compiling|Write|Emitting|Wrapping|Linking|Applying)'
build_status=${PIPESTATUS[0]}
set -e
if [ "$build_status" -ne 0 ]; then
    echo "engine-stage: the test build failed ($ONEDNN_DESCRIPTION)" >&2
    exit "$build_status"
fi
echo "engine-stage: swift test --filter engine, layers, optimisers, models, checkpoints ($ONEDNN_DESCRIPTION)"
log="$(mktemp)"
set +e
swift test --skip-build "${SWIFT_FLAGS[@]}" \
    --filter 'TensorCoreTests|NeuralNetworkTests|OptimizersTests|ModelsTests|CheckpointsTests' > "$log" 2>&1
status=$?
set -e
# Failures, skips, the oneDNN the tests ran on, and the summary (the full log has every test's line).
grep -E '✘|Fatal|error:|oneDNN |skipped|Test run' "$log" | grep -v '^◇' | tail -60 || true
rm -f "$log"
exit "$status"
