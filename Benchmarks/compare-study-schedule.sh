#!/usr/bin/env bash
# The original study's transfer-learning schedule, end to end, AlbumGenre against PyTorch in one run:
# 20 epochs with the ImageNet EfficientNet-Lite0 base frozen, then 10 epochs with the top of the base
# unfrozen, on the same covers, the same split and the same weights; each side's best validation
# epoch is scored once on the test split.
#
# AlbumGenre computes the frozen base's features once per cached view (a fresh, empty feature cache
# here, so that cost is counted); PyTorch runs the base forward over every image in every frozen epoch,
# as the study's Keras code did. Wall time of each side includes reading and decoding the covers.
#
# Usage: Benchmarks/compare-study-schedule.sh [DATASET]   (default ../shared/datasets/covers-dev)
# Environment: THREADS (2), FROZEN (20), FINETUNE (10), WORK (Benchmarks/.build/study-schedule).
# Ends with "schedule pytorch/ours = 5.3" (how many times faster AlbumGenre ran the schedule) and
# both sides' test accuracy and macro-F1.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
DATA=$(cd "${1:-$ROOT/../shared/datasets/covers-dev}" && pwd)
THREADS=${THREADS:-2}
FROZEN=${FROZEN:-20}
FINETUNE=${FINETUNE:-10}
WORK=${WORK:-$HERE/.build/study-schedule}
PYTHON=/usr/bin/python3

if ! "$PYTHON" -c "import torch, torchvision" 2>/dev/null; then
    echo "installing python3-torch and python3-torchvision (apt)" >&2
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
    $SUDO apt-get update
    $SUDO apt-get install -y python3-torch python3-torchvision
fi

cd "$ROOT"
swift build -c release --product albumgenre >&2
BIN=$(swift build -c release --show-bin-path)/albumgenre
WEIGHTS=$("$BIN" weights path 2>/dev/null || "$BIN" weights install | tail -1)

rm -rf "$WORK"
mkdir -p "$WORK"
CATALOG="$WORK/covers.sqlite"
"$BIN" import --catalog "$CATALOG" "$DATA" >&2
"$BIN" split --catalog "$CATALOG" --seed 42 --quiet >&2
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# Ours: a fresh feature cache, so feature extraction is part of the time.
start=$(date +%s%N)
ALBUMGENRE_CACHE="$WORK/cache" "$BIN" train --catalog "$CATALOG" --runs "$WORK/runs" --name ours \
    --model efficientnet-lite0 --weights "$WEIGHTS" --frozen-epochs "$FROZEN" --finetune-epochs "$FINETUNE" \
    --patience 0 --threads "$THREADS" --quiet >&2
"$BIN" evaluate --catalog "$CATALOG" --runs "$WORK/runs" ours --split test --json > "$WORK/ours-test.json"
ours_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "load average after ours: $(cut -d' ' -f1-3 /proc/loadavg)"

"$PYTHON" "$HERE/study_schedule_pytorch.py" --split "$WORK/runs/ours/split.json" --root "$DATA" --weights "$WEIGHTS" \
    --frozen-epochs "$FROZEN" --finetune-epochs "$FINETUNE" --threads "$THREADS" > "$WORK/pytorch.json"
echo "load average after pytorch: $(cut -d' ' -f1-3 /proc/loadavg)"

"$PYTHON" - "$WORK/ours-test.json" "$WORK/pytorch.json" "$ours_ms" <<'PYTHON'
import json
import sys

ours = json.load(open(sys.argv[1]))
metrics = ours.get("metrics", ours)
theirs = json.loads(open(sys.argv[2]).read().strip().splitlines()[-1])
ours_seconds = int(sys.argv[3]) / 1000
print(f"ours    {ours_seconds:8.0f} s  test accuracy {metrics['accuracy']:.3f}  macro-F1 {metrics['macroF1']:.3f}")
print(f"pytorch {theirs['seconds']:8.0f} s  test accuracy {theirs['test_accuracy']:.3f}  macro-F1 {theirs['test_macro_f1']:.3f}")
print(f"schedule pytorch/ours = {theirs['seconds'] / ours_seconds:.2f}")
print(f"test accuracy ours - pytorch = {metrics['accuracy'] - theirs['test_accuracy']:+.3f}")
PYTHON
