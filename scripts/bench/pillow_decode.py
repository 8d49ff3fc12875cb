#!/usr/bin/python3
"""Pillow baseline for the Imaging throughput measurement: decode + preprocess covers, one thread.

Usage: /usr/bin/python3 scripts/bench/pillow_decode.py [count]   (default 500 covers)
Reads ../shared/datasets/covers-dev (first `count` rows of manifest.csv, sorted) and prints images/s
for: decode only; decode + resize 256 bicubic + centre crop 224 + float CHW normalisation;
decode + torchvision-style RandomResizedCrop(224) + flip (bilinear) + normalisation, by wall clock
and by thread CPU time (steadier on a shared machine).
Compare with `IMAGING_MEASURE=1 swift test --filter ImagingThroughput`.
"""
import io
import os
import random
import sys
import time

import numpy as np
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COVERS = os.path.join(ROOT, "..", "shared", "datasets", "covers-dev")


def to_chw(image):
    array = np.asarray(image, dtype=np.float32) / 255.0
    return ((array - 0.5) / 0.5).transpose(2, 0, 1).copy()


def pretrained(image):
    w, h = image.size
    nw, nh = (256, int(256 * h / w)) if w <= h else (int(256 * w / h), 256)
    resized = image.resize((nw, nh), Image.BICUBIC)
    top, left = int(round((nh - 224) / 2.0)), int(round((nw - 224) / 2.0))
    return to_chw(resized.crop((left, top, left + 224, top + 224)))


def random_resized_crop(image, rng):
    w, h = image.size
    area = w * h
    for _ in range(10):
        target = area * rng.uniform(0.08, 1.0)
        aspect = np.exp(rng.uniform(np.log(3 / 4), np.log(4 / 3)))
        cw, ch = int(round(np.sqrt(target * aspect))), int(round(np.sqrt(target / aspect)))
        if 0 < cw <= w and 0 < ch <= h:
            x, y = rng.randint(0, w - cw), rng.randint(0, h - ch)
            out = image.resize((224, 224), Image.BILINEAR, box=(x, y, x + cw, y + ch))
            if rng.random() < 0.5:
                out = out.transpose(Image.FLIP_LEFT_RIGHT)
            return to_chw(out)
    return pretrained(image)


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    with open(os.path.join(COVERS, "manifest.csv")) as f:
        paths = sorted(line.split(",")[0] for line in f.read().splitlines()[1:])[:count]
    blobs = [open(os.path.join(COVERS, p), "rb").read() for p in paths]  # file reads excluded
    rng = random.Random(0)
    for label, work in [
        ("decode", lambda b: Image.open(io.BytesIO(b)).convert("RGB").load()),
        ("decode+resize256+crop224+normalise", lambda b: pretrained(Image.open(io.BytesIO(b)).convert("RGB"))),
        ("decode+randomResizedCrop224+flip+normalise",
         lambda b: random_resized_crop(Image.open(io.BytesIO(b)).convert("RGB"), rng)),
    ]:
        start = time.perf_counter()
        cpu_start = time.thread_time()
        for blob in blobs:
            work(blob)
        cpu = time.thread_time() - cpu_start
        elapsed = time.perf_counter() - start
        print("pillow %-45s %7.1f images/s wall, %7.1f images/s CPU (%d images)"
              % (label, len(blobs) / elapsed, len(blobs) / cpu, len(blobs)))


if __name__ == "__main__":
    main()
