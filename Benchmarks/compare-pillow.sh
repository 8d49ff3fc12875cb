#!/usr/bin/env bash
# Ours vs Pillow (from pip, in a private virtual environment) on the same covers: decode + resize to
# 224x224 (shorter side 256 bicubic, centre crop 224, normalise to CHW floats) on one core, in one
# run, alternating ours and Pillow (A B A B ...).
#
# Usage: Benchmarks/compare-pillow.sh      Needs ../shared/datasets/covers-dev next to the repository.
# Environment: ROUNDS (5), COUNT (500 covers), VENV (.build/pillow-venv).
# Ends with "covers decode+resize224 ours/pillow = 2.10": the median over rounds of the per-round ratio
# of images per second of thread CPU time (per core; steady on a shared machine), after the same ratio
# by wall clock.
set -euo pipefail
cd "$(dirname "$0")"

ROUNDS=${ROUNDS:-5}
COUNT=${COUNT:-500}
VENV=${VENV:-.build/pillow-venv}
RESULTS=${RESULTS:-.build/compare-pillow.jsonl}

if [ ! -d ../../shared/datasets/covers-dev ]; then
    echo "compare-pillow.sh: ../shared/datasets/covers-dev is missing (the Pillow side reads real covers)" >&2
    exit 1
fi
if [ ! -x "$VENV/bin/python" ]; then
    /usr/bin/python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet pillow numpy
fi

swift build -c release --product throughput >&2
OURS=$(swift build -c release --show-bin-path)/throughput

mkdir -p "$(dirname "$RESULTS")"
: > "$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
    line=$("$OURS" --imaging "$COUNT")
    echo "{\"round\": $round, ${line:1}" | tee -a "$RESULTS"
    line=$("$VENV/bin/python" pillow_throughput.py "$COUNT")
    echo "{\"round\": $round, ${line:1}" | tee -a "$RESULTS"
done

"$VENV/bin/python" - "$RESULTS" <<'PYTHON'
import json
import statistics
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
ours = {r["round"]: r for r in rows if r["peer"] == "ours"}
pillow = {r["round"]: r for r in rows if r["peer"] != "ours"}
rounds = sorted(set(ours) & set(pillow))
print()
print("side              median img/s wall  median img/s CPU  load avg (runs)")
for name, side in (("ours", ours), (pillow[rounds[0]]["peer"], pillow)):
    print("%-17s %17.0f %17.0f  %s" % (name, statistics.median(side[r]["images_per_second"] for r in rounds),
                                       statistics.median(side[r]["cpu_images_per_second"] for r in rounds),
                                       " ".join("%.1f" % side[r]["load_average"] for r in rounds)))
print()
wall = statistics.median(ours[r]["images_per_second"] / pillow[r]["images_per_second"] for r in rounds)
cpu = statistics.median(ours[r]["cpu_images_per_second"] / pillow[r]["cpu_images_per_second"] for r in rounds)
print("covers decode+resize224 wall-clock ours/pillow = %.2f" % wall)
print("covers decode+resize224 ours/pillow = %.2f" % cpu)
PYTHON
