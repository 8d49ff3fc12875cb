#!/usr/bin/python3
"""Reference fixtures for the Imaging tests, computed with Pillow (Debian python3-pil 9.4).

Run by hand from the repository root:  /usr/bin/python3 scripts/reference/make_imaging_fixtures.py

Writes into Tests/ImagingTests/Fixtures/:
  covers_digests.json  small digests of ~40 real covers from ../shared/datasets/covers-dev (never
                       pixels of whole images: per-channel sums plus values at a few seeded
                       positions), for the decode and for three Pillow resizes.
  odd/*                tiny synthetic files (not copyrighted): CMYK, progressive, grayscale and
                       EXIF-rotated JPEGs; 16-bit, palette+tRNS, grey+alpha PNGs; files to refuse.
  odd_expected.json    the full expected RGB pixels of each synthetic file (hex), or the error kind.

Sample positions come from SplitMix64 so the Swift test regenerates them without storing them:
for each image a fresh generator seeded with SAMPLE_SEED yields x = next % width, y = next % height.
"""
import hashlib
import io
import json
import os
import random
import struct
import sys
import zlib

import numpy as np
from PIL import Image, ImageOps

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "ImagingTests", "Fixtures")
COVERS = os.path.join(ROOT, "..", "shared", "datasets", "covers-dev")
SAMPLE_SEED = 1234
MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


def digest(array, samples):
    """Per-channel sums and `samples` pixel values at SplitMix64 positions (flat [r,g,b,...])."""
    h, w, _ = array.shape
    gen = SplitMix64(SAMPLE_SEED)
    values = []
    for _ in range(samples):
        x = gen.next() % w
        y = gen.next() % h
        values.extend(int(v) for v in array[y, x])
    return {
        "width": w,
        "height": h,
        "sums": [int(array[..., c].astype(np.int64).sum()) for c in range(3)],
        "samples": values,
    }


def pretrained_preprocess(image):
    """torchvision Resize(256, bicubic) + CenterCrop(224) on a PIL image."""
    w, h = image.size
    if w <= h:
        nw, nh = 256, int(256 * h / w)
    else:
        nw, nh = int(256 * w / h), 256
    resized = image.resize((nw, nh), Image.BICUBIC)
    top = int(round((nh - 224) / 2.0))
    left = int(round((nw - 224) / 2.0))
    return resized.crop((left, top, left + 224, top + 224))


def make_cover_digests():
    manifest = os.path.join(COVERS, "manifest.csv")
    if not os.path.exists(manifest):
        print("covers-dev absent: skipping cover digests", file=sys.stderr)
        return
    with open(manifest) as f:
        rows = [line.strip().split(",") for line in f.readlines()[1:]]
    rows.sort()
    chosen = random.Random(20261126).sample(rows, 40)
    entries = []
    for row in chosen:
        path, sha = row[0], row[2]
        data = open(os.path.join(COVERS, path), "rb").read()
        assert hashlib.sha256(data).hexdigest() == sha
        image = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
        entries.append({
            "path": path,
            "sha256": sha,
            "decoded": digest(np.asarray(image), 96),
            "pretrained_224": digest(np.asarray(pretrained_preprocess(image)), 48),
            "bilinear_131x97": digest(np.asarray(image.resize((131, 97), Image.BILINEAR)), 48),
            "box_64x64": digest(np.asarray(image.resize((64, 64), Image.BOX)), 48),
            # A fractional source box, as a random resized crop uses (Pillow's resize(box=)).
            "bilinear_region_224": digest(np.asarray(
                image.resize((224, 224), Image.BILINEAR, box=(10.5, 20.25, 200.75, 260.0))), 48),
        })
    write_json("covers_digests.json", {
        "generator": "scripts/reference/make_imaging_fixtures.py (Pillow %s)" % Image.__version__,
        "sample_seed": SAMPLE_SEED,
        "images": entries,
    })


# MARK: synthetic odd files

def synthetic_rgb(width=20, height=12):
    y, x = np.mgrid[0:height, 0:width]
    r = (x * 255 // (width - 1)).astype(np.uint8)
    g = (y * 255 // (height - 1)).astype(np.uint8)
    b = ((x * 7 + y * 13) % 256).astype(np.uint8)
    return np.stack([r, g, b], axis=-1)


def png_chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def raw_png(array, color_type, interlaced=False):
    """A PNG written by hand: 16-bit (Pillow cannot write 16-bit RGB) or Adam7-interlaced."""
    h, w = array.shape[:2]
    depth = 16 if array.dtype == np.uint16 else 8
    stored = array.astype(">u2") if depth == 16 else array.astype(np.uint8)
    passes = ADAM7 if interlaced else [(0, 0, 1, 1)]
    data = b""
    for x0, y0, dx, dy in passes:
        sub = stored[y0::dy, x0::dx]
        if sub.size == 0:
            continue
        data += b"".join(b"\x00" + sub[row].tobytes() for row in range(sub.shape[0]))
    header = struct.pack(">IIBBBBB", w, h, depth, color_type, 0, 0, 1 if interlaced else 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", zlib.compress(data))
            + png_chunk(b"IEND", b""))


def composite_on_white(rgba):
    rgba = rgba.astype(np.int64)
    a = rgba[..., 3:4]
    return ((rgba[..., :3] * a + 255 * (255 - a) + 127) // 255).astype(np.uint8)


def save(image, fmt, **options):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def pillow_rgb(data):
    return np.asarray(ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB"))


def make_odd_files():
    base = synthetic_rgb()
    rgb = Image.fromarray(base, "RGB")
    files = {}  # name -> (bytes, expected array or error kind)

    for name, options in [("baseline.jpg", {"quality": 90}),
                          ("progressive.jpg", {"quality": 85, "progressive": True}),
                          ("subsampling444.jpg", {"quality": 95, "subsampling": 0})]:
        data = save(rgb, "JPEG", **options)
        files[name] = (data, pillow_rgb(data))
    data = save(rgb.convert("L"), "JPEG", quality=90)
    files["gray.jpg"] = (data, pillow_rgb(data))
    data = save(rgb.convert("CMYK"), "JPEG", quality=90)
    files["cmyk.jpg"] = (data, pillow_rgb(data))
    for orientation in range(2, 9):
        exif = Image.Exif()
        exif[0x0112] = orientation
        data = save(rgb, "JPEG", quality=90, exif=exif.tobytes())
        files["exif-orientation-%d.jpg" % orientation] = (data, pillow_rgb(data))
    exif = Image.Exif()
    exif[0x0112] = 6
    data = save(rgb, "PNG", exif=exif.tobytes())
    files["exif-orientation-6.png"] = (data, pillow_rgb(data))
    one = Image.new("RGB", (1, 1), (200, 30, 90))
    files["placeholder-1x1.jpg"] = (save(one, "JPEG"), pillow_rgb(save(one, "JPEG")))
    files["placeholder-1x1.png"] = (save(one, "PNG"), np.asarray(one))

    files["rgb.png"] = (save(rgb, "PNG"), base)
    files["gray.png"] = (save(rgb.convert("L"), "PNG"), pillow_rgb(save(rgb.convert("L"), "PNG")))
    bilevel = rgb.convert("1")
    files["bilevel.png"] = (save(bilevel, "PNG"), np.asarray(bilevel.convert("RGB")))

    alpha = ((np.arange(20)[None, :] * 13 + np.arange(12)[:, None] * 29) % 256).astype(np.uint8)
    rgba = np.dstack([base, alpha])
    files["rgba.png"] = (save(Image.fromarray(rgba, "RGBA"), "PNG"), composite_on_white(rgba))
    la = np.dstack([np.asarray(rgb.convert("L")), alpha])
    files["gray-alpha.png"] = (save(Image.fromarray(la, "LA"), "PNG"),
                               composite_on_white(np.dstack([la[..., 0]] * 3 + [alpha])))
    palette = rgb.quantize(colors=16)
    transparency = bytes((index * 17) % 256 for index in range(16))
    data = save(palette, "PNG", transparency=transparency)
    indices = np.asarray(palette)
    colors = np.asarray(palette.getpalette()[:48], dtype=np.uint8).reshape(16, 3)
    palette_rgba = np.dstack([colors[indices], np.frombuffer(transparency, np.uint8)[indices]])
    files["palette-trns.png"] = (data, composite_on_white(palette_rgba))
    key = tuple(int(v) for v in base[0, 0])
    data = save(rgb, "PNG", transparency=key)
    keyed = np.dstack([base, np.where((base == key).all(axis=-1), 0, 255).astype(np.uint8)])
    files["rgb-trns.png"] = (data, composite_on_white(keyed))

    wide = base.astype(np.uint16) * 257 + (np.arange(20)[None, :, None] * 3).astype(np.uint16)
    files["rgb16.png"] = (raw_png(wide, 2), np.round(wide / 257.0).astype(np.uint8))
    gray16 = (np.arange(240).reshape(12, 20) * 273).astype(np.uint16)
    files["gray16.png"] = (raw_png(gray16, 0), np.repeat(np.round(gray16 / 257.0).astype(np.uint8)[..., None], 3, -1))

    files["interlaced.png"] = (raw_png(base, 2, interlaced=True), base)
    files["interlaced-rgb16.png"] = (raw_png(wide, 2, interlaced=True), np.round(wide / 257.0).astype(np.uint8))
    alpha16 = (alpha.astype(np.uint16) * 257)
    rgba16 = np.dstack([wide, alpha16])
    a = alpha16[..., None].astype(np.float64) / 65535
    over_white = np.round((wide * a + 65535 * (1 - a)) / 257.0).astype(np.uint8)
    files["interlaced-rgba16.png"] = (raw_png(rgba16, 6, interlaced=True), over_white)
    files["rgba16.png"] = (raw_png(rgba16, 6), over_white)

    baseline = files["baseline.jpg"][0]
    files["truncated.jpg"] = (baseline[: len(baseline) * 2 // 3], "truncated")
    png = files["rgb.png"][0]
    files["truncated.png"] = (png[: len(png) - 30], "truncated")
    files["empty.jpg"] = (b"", "emptyFile")
    files["error-page.jpg"] = (b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>"
                               b"<body>Not Found</body></html>\n", "notAnImage")
    files["animated.gif"] = (save(rgb, "GIF"), "unsupportedFormat")
    files["cover.webp"] = (save(rgb, "WEBP"), "unsupportedFormat")
    files["cover.bmp"] = (save(rgb, "BMP"), "unsupportedFormat")
    files["garbage.jpg"] = (bytes(random.Random(7).getrandbits(8) for _ in range(300)), "notAnImage")

    expected = {}
    for name, (data, result) in sorted(files.items()):
        with open(os.path.join(OUT, "odd", name), "wb") as f:
            f.write(data)
        if isinstance(result, str):
            expected[name] = {"error": result}
        else:
            h, w, _ = result.shape
            expected[name] = {"width": w, "height": h, "rgb_hex": result.astype(np.uint8).tobytes().hex()}
    write_json("odd_expected.json", {"files": expected})


def write_json(name, value):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(value, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", name, os.path.getsize(os.path.join(OUT, name)), "bytes")


if __name__ == "__main__":
    os.makedirs(os.path.join(OUT, "odd"), exist_ok=True)
    make_odd_files()
    make_cover_digests()
