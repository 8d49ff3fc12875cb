#!/usr/bin/env bash
# Ours vs PyTorch (Debian python3-torch 1.13, channels-last, float32) on EfficientNet-Lite0 and
# MobileNetV2: training (forward + backward + SGD step) and inference images/s at batch 32, 224x224,
# with the same thread count, in one run. Each measurement is its own process (so peak memory is per
# model and phase); ours and PyTorch alternate (A B A B ...) so that both see the same machine load.
#
# Usage: Benchmarks/compare-pytorch.sh            (from anywhere)
# Environment: THREADS (2), ROUNDS (3), STEPS (5 timed steps after 1 warm-up), MODELS ("lite0 mnv2"),
#              PHASES ("train infer"), RESULTS (JSON lines file, default .build/compare-pytorch.jsonl).
# Ends with lines "lite0 train ours/pytorch = 2.13": the median over rounds of the per-round ratio of
# images/s (each side's median step). Machines shared with other jobs skew single runs: read the
# load averages printed with every run.
set -euo pipefail
cd "$(dirname "$0")"

THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-3}
STEPS=${STEPS:-5}
MODELS=${MODELS:-"lite0 mnv2"}
PHASES=${PHASES:-"train infer"}
RESULTS=${RESULTS:-.build/compare-pytorch.jsonl}
PYTHON=/usr/bin/python3

# PyTorch and torchvision from Debian (python3-torch links the same oneDNN 2.6 as our engine).
if ! "$PYTHON" -c "import torch, torchvision" 2>/dev/null; then
    echo "installing python3-torch and python3-torchvision (apt)" >&2
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
    $SUDO apt-get update
    $SUDO apt-get install -y python3-torch python3-torchvision
fi

swift build -c release --product throughput >&2
OURS=$(swift build -c release --show-bin-path)/throughput

export OMP_NUM_THREADS=$THREADS
mkdir -p "$(dirname "$RESULTS")"
: > "$RESULTS"
echo "threads $THREADS, rounds $ROUNDS, $STEPS timed steps per run, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for round in $(seq 1 "$ROUNDS"); do
    for model in $MODELS; do
        for phase in $PHASES; do
            line=$("$OURS" --model "$model" --phase "$phase" --steps "$STEPS" --threads "$THREADS")
            echo "{\"round\": $round, ${line:1}" | tee -a "$RESULTS"
            line=$("$PYTHON" pytorch_throughput.py --models "$model" --phases "$phase" --steps "$STEPS" --threads "$THREADS")
            echo "{\"round\": $round, ${line:1}" | tee -a "$RESULTS"
        done
    done
done

"$PYTHON" - "$RESULTS" <<'PYTHON'
import json
import statistics
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
def side(row):
    return "ours" if row["peer"] == "ours" else "pytorch"
keys = []
for row in rows:
    if (row["model"], row["phase"]) not in keys:
        keys.append((row["model"], row["phase"]))
print()
print("model phase  side     median img/s  best img/s  peak RSS MiB  load avg (runs)")
for model, phase in keys:
    for peer in ("ours", "pytorch"):
        runs = [r for r in rows if (r["model"], r["phase"]) == (model, phase) and side(r) == peer]
        print("%-5s %-6s %-8s %12.1f %11.1f %13.0f  %s" % (
            model, phase, peer, statistics.median(r["images_per_second"] for r in runs),
            max(r["best_images_per_second"] for r in runs), statistics.median(r["peak_rss_mib"] for r in runs),
            " ".join("%.1f" % r["load_average"] for r in runs)))
print()
print("best-step ratio (fastest step of each side over all rounds, the uncontended estimate):")
for model, phase in keys:
    best = {peer: max(r["best_images_per_second"] for r in rows
                      if (r["model"], r["phase"]) == (model, phase) and side(r) == peer) for peer in ("ours", "pytorch")}
    print("  %s %s best ours/pytorch = %.2f" % (model, phase, best["ours"] / best["pytorch"]))
print()
for model, phase in keys:
    ratios = []
    for round_ in sorted({r["round"] for r in rows}):
        pair = {side(r): r for r in rows if (r["model"], r["phase"], r["round"]) == (model, phase, round_)}
        if len(pair) == 2:
            ratios.append(pair["ours"]["images_per_second"] / pair["pytorch"]["images_per_second"])
    print("%s %s ours/pytorch = %.2f" % (model, phase, statistics.median(ratios)))
PYTHON
