#!/usr/bin/env bash
# Ours vs PyTorch (Debian python3-torch 1.13, channels-last) on EfficientNet-Lite0 and MobileNetV2:
# training (forward + backward + SGD step) and inference images/s at batch 32, 224x224, with the same
# thread count, in one run, in float32 and in bf16 (ours: `throughput --precision bf16`, convolutions
# and activations in bf16; PyTorch: CPU autocast to bf16). Each measurement is its own process (so peak
# memory is per model, phase and precision); ours and PyTorch alternate (A B A B ...) so that both see
# the same machine load.
#
# Usage: Benchmarks/compare-pytorch.sh            (from anywhere)
#        CONFIGS="onednn2.6 onednn3.2 avx2" PRECISIONS=f32 Benchmarks/compare-pytorch.sh   (every configuration)
# Environment: CONFIGS (default "default"): the engine configurations to compare in this one run, each
#              against PyTorch under the same CPU restriction:
#                default    our build with the distribution's oneDNN (scripts/setup.sh's choice)
#                onednn2.6  the same (a name that says which oneDNN that is on Debian 12)
#                onednn3.2  our build against oneDNN 3.2 from PyPI (scripts/onednn.sh; build folder
#                           .build-onednn3)
#                avx2       the default build with ONEDNN_MAX_CPU_ISA=AVX2, PyTorch with the same and
#                           ATEN_CPU_CAPABILITY=avx2: oneDNN (both sides) as on a CPU without AVX-512
#              Rows of a configuration other than "default" name it after the model (lite0@avx2).
#              BATCH (32; a smaller one only for smoke tests), BUILD_CONFIGURATION (release), THREADS (2), ROUNDS (3), STEPS (5 timed steps after 1 warm-up), MODELS ("lite0 mnv2"),
#              PHASES ("train infer"), PRECISIONS ("f32 bf16"), PYTORCH_BF16_PHASES (phases PyTorch's bf16
#              autocast runs for, default "infer": 1.13 has no CPU bf16 backward for ReLU6, so it cannot
#              train these models; "" skips it), RESULTS (JSON lines file, default
#              .build/compare-pytorch.jsonl).
# Ends with lines "lite0 train ours/pytorch = R" (float32 both sides), "lite0 infer bf16 ours/pytorch = R"
# (ours bf16 over PyTorch float32), "lite0 infer bf16 ours/pytorch-bf16 = R" (both bf16) and
# "lite0 infer ours bf16/f32 = R": each the median over rounds of the per-round ratio of images/s (each
# side's median step). Machines shared with other jobs skew single runs: read the load averages printed
# with every run, and on a busy machine prefer THREADS=1 and the "CPU-time ratio" lines (images per
# second of process CPU time).
set -euo pipefail
cd "$(dirname "$0")"

THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-3}
STEPS=${STEPS:-5}
MODELS=${MODELS:-"lite0 mnv2"}
PHASES=${PHASES:-"train infer"}
PRECISIONS=${PRECISIONS:-"f32 bf16"}
PYTORCH_BF16_PHASES=${PYTORCH_BF16_PHASES-infer}
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

CONFIGS=${CONFIGS:-default}
# The default build uses setup's oneDNN: the wheel's when ALBUMGENRE_ONEDNN=pypi came in with the
# environment (a machine without a distribution oneDNN), which needs the wheel's flags too.
DEFAULT_ONEDNN=${ALBUMGENRE_ONEDNN:-}
BUILD_CONFIGURATION=${BUILD_CONFIGURATION:-release}   # debug only for the CI smoke test (Benchmarks/smoke.sh)
# One release build of `throughput` per oneDNN the configurations need.
source ../scripts/onednn.sh
ONEDNN_FLAGS_3=()
DEFAULT_FLAGS=()
if [ "$DEFAULT_ONEDNN" = pypi ]; then onednn_install_pypi >&2; DEFAULT_FLAGS=("${ONEDNN_SWIFT_FLAGS[@]}"); fi
unset ALBUMGENRE_ONEDNN
for config in $CONFIGS; do
    case "$config" in
        default|onednn2.6|avx2) ;;
        onednn3.2) onednn_install_pypi >&2; ONEDNN_FLAGS_3=("${ONEDNN_SWIFT_FLAGS[@]}"); unset ALBUMGENRE_ONEDNN ;;
        *) echo "compare-pytorch: unknown configuration $config (default, onednn2.6, onednn3.2, avx2)" >&2; exit 2 ;;
    esac
done
# OURS_DEFAULT / OURS_ONEDNN3: prebuilt `throughput` binaries to use instead of building (e.g. copies
# taken before further edits, or a build of an older commit for a before/after run).
if [ -z "${OURS_DEFAULT:-}" ]; then
    ALBUMGENRE_ONEDNN=$DEFAULT_ONEDNN swift build -c "$BUILD_CONFIGURATION" --product throughput "${DEFAULT_FLAGS[@]}" >&2
    OURS_DEFAULT=$(ALBUMGENRE_ONEDNN=$DEFAULT_ONEDNN swift build -c "$BUILD_CONFIGURATION" --show-bin-path "${DEFAULT_FLAGS[@]}")/throughput
fi
if ((${#ONEDNN_FLAGS_3[@]})) && [ -z "${OURS_ONEDNN3:-}" ]; then
    # ALBUMGENRE_ONEDNN=pypi makes the package link the wheel's oneDNN (Package.swift).
    ALBUMGENRE_ONEDNN=pypi swift build -c "$BUILD_CONFIGURATION" --product throughput --scratch-path .build-onednn3 "${ONEDNN_FLAGS_3[@]}" >&2
    OURS_ONEDNN3=$(ALBUMGENRE_ONEDNN=pypi swift build -c "$BUILD_CONFIGURATION" --show-bin-path --scratch-path .build-onednn3 "${ONEDNN_FLAGS_3[@]}")/throughput
fi

# Runs "$@" under configuration $1's CPU restriction (both sides).
in_config() {
    local config=$1; shift
    if [ "$config" = avx2 ]; then
        ONEDNN_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2 "$@"
    else
        "$@"
    fi
}
ours_binary() { if [ "$1" = onednn3.2 ]; then echo "$OURS_ONEDNN3"; else echo "$OURS_DEFAULT"; fi; }

export OMP_NUM_THREADS=$THREADS
mkdir -p "$(dirname "$RESULTS")"
: > "$RESULTS"
echo "threads $THREADS, rounds $ROUNDS, $STEPS timed steps per run, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for round in $(seq 1 "$ROUNDS"); do
  for config in $CONFIGS; do
    for model in $MODELS; do
        for phase in $PHASES; do
            for precision in $PRECISIONS; do
                line=$(in_config "$config" "$(ours_binary "$config")" --model "$model" --phase "$phase" --steps "$STEPS" \
                    --threads "$THREADS" --precision "$precision" ${BATCH:+--batch "$BATCH"})
                echo "{\"round\": $round, \"config\": \"$config\", ${line:1}" | tee -a "$RESULTS"
                if [ "$precision" = f32 ] || [[ " $PYTORCH_BF16_PHASES " == *" $phase "* ]]; then
                    # A failing PyTorch run (e.g. bf16 training: no CPU bf16 backward for ReLU6 in
                    # 1.13) is reported and skipped.
                    if line=$(in_config "$config" "$PYTHON" pytorch_throughput.py --models "$model" --phases "$phase" \
                        --steps "$STEPS" --threads "$THREADS" --precision "$precision" ${BATCH:+--batch "$BATCH"}); then
                        echo "{\"round\": $round, \"config\": \"$config\", ${line:1}" | tee -a "$RESULTS"
                    else
                        echo "PyTorch $model $phase $precision ($config) failed (error above); no ratio for it" >&2
                    fi
                fi
            done
        done
    done
  done
done

"$PYTHON" - "$RESULTS" <<'PYTHON'
import json
import statistics
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
for row in rows:
    row.setdefault("precision", "f32")
    # A configuration other than the default is named after the model, so every table and ratio line
    # below keeps the configurations apart: lite0@avx2.
    if row.get("config", "default") != "default":
        row["model"] = row["model"] + "@" + row["config"]
def side(row):
    return "ours" if row["peer"] == "ours" else "pytorch"
def runs(model, phase, peer, precision, round_=None):
    return [r for r in rows if (r["model"], r["phase"], side(r), r["precision"]) == (model, phase, peer, precision)
            and (round_ is None or r["round"] == round_)]
keys = []
for row in rows:
    if (row["model"], row["phase"]) not in keys:
        keys.append((row["model"], row["phase"]))
precisions = [p for p in ("f32", "bf16") if any(r["precision"] == p for r in rows)]
rounds = sorted({r["round"] for r in rows})
print()
print("model phase  prec side     median img/s  best img/s  CPU img/s  peak RSS MiB  load avg (runs)")
for model, phase in keys:
    for precision in precisions:
        for peer in ("ours", "pytorch"):
            group = runs(model, phase, peer, precision)
            if not group:
                continue
            cpu = [r["cpu_images_per_second"] for r in group if "cpu_images_per_second" in r]
            print("%-5s %-6s %-4s %-8s %12.1f %11.1f %10.1f %13.0f  %s" % (
                model, phase, precision, peer, statistics.median(r["images_per_second"] for r in group),
                max(r["best_images_per_second"] for r in group), statistics.median(cpu) if cpu else float("nan"),
                statistics.median(r["peak_rss_mib"] for r in group),
                " ".join("%.1f" % r["load_average"] for r in group)))

def ratio(model, phase, numerator, denominator):
    """Median over rounds of images/s(numerator) / images/s(denominator); each is (side, precision)."""
    values = []
    for round_ in rounds:
        top, bottom = runs(model, phase, *numerator, round_), runs(model, phase, *denominator, round_)
        if top and bottom:
            values.append(top[0]["images_per_second"] / bottom[0]["images_per_second"])
    return statistics.median(values) if values else None

def best(model, phase, peer, precision):
    group = runs(model, phase, peer, precision)
    return max(r["best_images_per_second"] for r in group) if group else None

print()
print("best-step ratio (fastest step of each side over all rounds, the uncontended estimate):")
for model, phase in keys:
    for label, numerator, denominator in (("", ("ours", "f32"), ("pytorch", "f32")),
                                          (" bf16", ("ours", "bf16"), ("pytorch", "f32")),
                                          (" bf16", ("ours", "bf16"), ("pytorch", "bf16"))):
        top, bottom = best(model, phase, *numerator), best(model, phase, *denominator)
        if top and bottom:
            name = "ours/pytorch" if denominator[1] == "f32" else "ours/pytorch-bf16"
            print("  %s %s%s best %s = %.2f" % (model, phase, label, name, top / bottom))
print()
print("CPU-time ratio (images per second of process CPU time, median over runs; with THREADS=1 the")
print("estimate least distorted by other load):")
for model, phase in keys:
    for label, numerator, denominator in (("ours/pytorch", ("ours", "f32"), ("pytorch", "f32")),
                                          ("bf16 ours/pytorch", ("ours", "bf16"), ("pytorch", "f32")),
                                          ("bf16 ours/pytorch-bf16", ("ours", "bf16"), ("pytorch", "bf16")),
                                          ("ours bf16/f32", ("ours", "bf16"), ("ours", "f32"))):
        top = [r["cpu_images_per_second"] for r in runs(model, phase, *numerator) if "cpu_images_per_second" in r]
        bottom = [r["cpu_images_per_second"] for r in runs(model, phase, *denominator) if "cpu_images_per_second" in r]
        if top and bottom:
            print("  %s %s cpu %s = %.2f" % (model, phase, label, statistics.median(top) / statistics.median(bottom)))
print()
for model, phase in keys:
    lines = (("%s %s ours/pytorch", ("ours", "f32"), ("pytorch", "f32")),
             ("%s %s bf16 ours/pytorch", ("ours", "bf16"), ("pytorch", "f32")),
             ("%s %s bf16 ours/pytorch-bf16", ("ours", "bf16"), ("pytorch", "bf16")),
             ("%s %s ours bf16/f32", ("ours", "bf16"), ("ours", "f32")),
             ("%s %s pytorch bf16/f32", ("pytorch", "bf16"), ("pytorch", "f32")))
    for text, numerator, denominator in lines:
        value = ratio(model, phase, numerator, denominator)
        if value is not None:
            print((text + " = %.2f") % (model, phase, value))
PYTHON
