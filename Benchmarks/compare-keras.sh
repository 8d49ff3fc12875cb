#!/usr/bin/env bash
# Ours vs Keras 3 on TensorFlow CPU (PyPI `tensorflow-cpu`, in a private virtual environment), and by
# default PyTorch too, so the three engines are measured side by side in one run: EfficientNet-Lite0
# and MobileNetV2, training (forward + backward + SGD step) and inference images/s at batch 32,
# 224x224, float32, channels-last, the same thread count. Each measurement is its own process (so
# peak memory is per model and phase); the sides alternate (ours, pytorch, keras, ours, ...) so that
# all see the same machine load. Same structure and measurement as compare-pytorch.sh, whose output
# it does not change.
#
# Usage: Benchmarks/compare-keras.sh            (from anywhere)
# Environment: PEERS ("pytorch keras"; "keras" for Keras alone), THREADS (2; Keras intra-op threads),
#              INTER_OP_THREADS (1; Keras inter-op threads), ROUNDS (3), STEPS (5 timed steps after
#              1 warm-up), MODELS ("lite0 mnv2"), PHASES ("train infer"), VENV (.build/keras-venv),
#              TENSORFLOW ("tensorflow-cpu==2.21.0", the pip requirement installed when VENV is
#              missing), RESULTS (JSON lines file, default .build/compare-keras.jsonl).
# Ends with lines "mnv2 train ours/keras = 4.10" (and "... ours/pytorch = ..."): the median over
# rounds of the per-round ratio of images/s (each side's median step). Machines shared with other
# jobs skew single runs: read the load averages printed with every run.
set -euo pipefail
cd "$(dirname "$0")"

PEERS=${PEERS:-"pytorch keras"}
THREADS=${THREADS:-2}
INTER_OP_THREADS=${INTER_OP_THREADS:-1}
ROUNDS=${ROUNDS:-3}
STEPS=${STEPS:-5}
MODELS=${MODELS:-"lite0 mnv2"}
PHASES=${PHASES:-"train infer"}
VENV=${VENV:-.build/keras-venv}
TENSORFLOW=${TENSORFLOW:-"tensorflow-cpu==2.21.0"}
RESULTS=${RESULTS:-.build/compare-keras.jsonl}
PYTHON=/usr/bin/python3

has_peer() { [[ " $PEERS " == *" $1 "* ]]; }

if has_peer pytorch && ! "$PYTHON" -c "import torch, torchvision" 2>/dev/null; then
    # PyTorch and torchvision from Debian (python3-torch links the same oneDNN 2.6 as our engine).
    echo "installing python3-torch and python3-torchvision (apt)" >&2
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
    $SUDO apt-get update
    $SUDO apt-get install -y python3-torch python3-torchvision
fi

if has_peer keras && ! "$VENV/bin/python" -c "import tensorflow" 2>/dev/null; then
    echo "installing $TENSORFLOW (pip) into $VENV (about 1.6 GB installed)" >&2
    if ! { "$PYTHON" -m venv "$VENV" && "$VENV/bin/pip" install --quiet "$TENSORFLOW"; }; then
        echo "compare-keras.sh: could not install $TENSORFLOW; measuring without Keras" >&2
        PEERS=$(echo " $PEERS " | sed 's/ keras / /' | xargs)
    fi
fi
if [ -z "$PEERS" ]; then
    echo "compare-keras.sh: no peer left to compare with (PEERS was empty or nothing installed)" >&2
    exit 1
fi

swift build -c release --product throughput >&2
OURS=$(swift build -c release --show-bin-path)/throughput

# Drops TensorFlow's start-up banner (oneDNN notice, absl pre-init warning) and keeps real errors.
quiet_tensorflow() { grep -v -e 'oneDNN custom operations are on' -e 'absl::InitializeLog' >&2 || true; }

run_side() {
    local side=$1 model=$2 phase=$3
    case $side in
        ours) "$OURS" --model "$model" --phase "$phase" --steps "$STEPS" --threads "$THREADS" ;;
        pytorch) "$PYTHON" pytorch_throughput.py --models "$model" --phases "$phase" --steps "$STEPS" --threads "$THREADS" ;;
        keras) "$VENV/bin/python" keras_throughput.py --models "$model" --phases "$phase" --steps "$STEPS" \
                   --threads "$THREADS" --inter-op-threads "$INTER_OP_THREADS" 2> >(quiet_tensorflow) ;;
        *) echo "compare-keras.sh: unknown peer $side (pytorch, keras)" >&2; return 1 ;;
    esac
}

CORES=$(OMP_NUM_THREADS= OMP_THREAD_LIMIT= nproc)  # nproc would report OMP_NUM_THREADS instead of the cores
export OMP_NUM_THREADS=$THREADS
mkdir -p "$(dirname "$RESULTS")"
: > "$RESULTS"
echo "threads $THREADS, peers: $PEERS, rounds $ROUNDS, $STEPS timed steps per run, $CORES cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for round in $(seq 1 "$ROUNDS"); do
    for model in $MODELS; do
        for phase in $PHASES; do
            for side in ours $PEERS; do
                line=$(run_side "$side" "$model" "$phase")
                echo "{\"round\": $round, ${line:1}" | tee -a "$RESULTS"
            done
        done
    done
done

"$PYTHON" - "$RESULTS" $PEERS <<'PYTHON'
import json
import statistics
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
peers = sys.argv[2:]
sides = ["ours"] + peers
def side(row):
    return row["peer"].split()[0]
versions = {side(r): r["peer"] for r in rows}
print()
print("versions: " + ", ".join("%s = %s" % (s, versions[s]) for s in peers if s in versions))
keys = []
for row in rows:
    if (row["model"], row["phase"]) not in keys:
        keys.append((row["model"], row["phase"]))
print()
print("model phase  side     median img/s  best img/s  peak RSS MiB  load avg (runs)")
for model, phase in keys:
    for s in sides:
        runs = [r for r in rows if (r["model"], r["phase"]) == (model, phase) and side(r) == s]
        if not runs:
            continue
        print("%-5s %-6s %-8s %12.1f %11.1f %13.0f  %s" % (
            model, phase, s, statistics.median(r["images_per_second"] for r in runs),
            max(r["best_images_per_second"] for r in runs), statistics.median(r["peak_rss_mib"] for r in runs),
            " ".join("%.1f" % r["load_average"] for r in runs)))
print()
print("best-step ratio (fastest step of each side over all rounds, the uncontended estimate):")
for peer in peers:
    for model, phase in keys:
        best = {s: max((r["best_images_per_second"] for r in rows
                        if (r["model"], r["phase"]) == (model, phase) and side(r) == s), default=None)
                for s in ("ours", peer)}
        if None not in best.values():
            print("  %s %s best ours/%s = %.2f" % (model, phase, peer, best["ours"] / best[peer]))
print()
for peer in peers:
    for model, phase in keys:
        ratios = []
        for round_ in sorted({r["round"] for r in rows}):
            pair = {side(r): r for r in rows if (r["model"], r["phase"], r["round"]) == (model, phase, round_)}
            if "ours" in pair and peer in pair:
                ratios.append(pair["ours"]["images_per_second"] / pair[peer]["images_per_second"])
        if ratios:
            print("%s %s ours/%s = %.2f" % (model, phase, peer, statistics.median(ratios)))
PYTHON
