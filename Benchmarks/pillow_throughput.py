"""Pillow side of the imaging benchmark: decode + resize to 224x224 images/s on one core.

The work is `pretrained()` of scripts/bench/pillow_decode.py (decode, shorter side 256 bicubic, centre
crop 224, normalise to CHW float32 with numpy), the same as ours (`throughput --imaging`). Reads the
first COUNT covers of ../shared/datasets/covers-dev (sorted manifest paths; file reads not timed).
Prints one JSON line like `throughput --imaging`. Usage: python pillow_throughput.py [COUNT]
"""
import io
import json
import os
import sys
import time

import PIL
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Scripts", "bench"))
from pillow_decode import COVERS, pretrained  # noqa: E402


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    with open(os.path.join(COVERS, "manifest.csv")) as f:
        paths = sorted(line.split(",")[0] for line in f.read().splitlines()[1:])[:count]
    blobs = [open(os.path.join(COVERS, p), "rb").read() for p in paths]
    pretrained(Image.open(io.BytesIO(blobs[0])).convert("RGB"))  # warm-up
    load = os.getloadavg()[0]
    start, cpu_start = time.perf_counter(), time.thread_time()
    for blob in blobs:
        pretrained(Image.open(io.BytesIO(blob)).convert("RGB"))
    cpu, wall = time.thread_time() - cpu_start, time.perf_counter() - start
    print(json.dumps({"model": "covers", "phase": "decode+resize224", "images_per_second": round(len(blobs) / wall, 1),
                      "cpu_images_per_second": round(len(blobs) / cpu, 1), "images": len(blobs),
                      "source": "covers-dev", "load_average": max(load, os.getloadavg()[0]),
                      "peer": "pillow " + PIL.__version__}), flush=True)


if __name__ == "__main__":
    main()
