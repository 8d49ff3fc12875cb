#!/usr/bin/env bash
# Keeps the side-by-side benchmark scripts from rotting (scripts/test.sh runs it in CI): one tiny step of
# each side of compare-pytorch.sh (debug build of ours, batch 2, one round, EfficientNet-Lite0 training
# and inference, float32), checked for its ratio lines, and the other PyTorch-side scripts imported.
# Measures nothing: the figures of a debug build at batch 2 mean nothing.
set -euo pipefail
cd "$(dirname "$0")"
log="$(mktemp)"
results="$(mktemp)"
trap 'rm -f "$log" "$results"' EXIT
BUILD_CONFIGURATION=debug ROUNDS=1 STEPS=1 BATCH=2 MODELS=lite0 PRECISIONS=f32 CONFIGS=default \
    RESULTS="$results" bash compare-pytorch.sh > "$log"
for phase in train infer; do
    grep -q "^lite0 $phase ours/pytorch = " "$log" || { cat "$log"; echo "smoke: no 'lite0 $phase ours/pytorch' line" >&2; exit 1; }
done
# The study-schedule comparison's PyTorch side loads the shared reference models at import time.
/usr/bin/python3 study_schedule_pytorch.py --help > /dev/null
echo "smoke: compare-pytorch.sh ran both sides (lite0 train and infer ratio lines present); study_schedule_pytorch.py imports"
