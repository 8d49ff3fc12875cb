#!/usr/bin/python3
"""Training-parity fixtures: a few SGD steps of EfficientNet-Lite0 and MobileNetV2 in PyTorch.

Usage (Debian's /usr/bin/python3 with torch 1.13, numpy, torchvision):

    /usr/bin/python3 Scripts/reference/make_training_parity_fixtures.py \
        ~/.cache/albumgenre/weights/efficientnet-lite0-57934424.pth

The Swift test `TrainingParityTests` replays the same steps with our engine and compares the losses.
Nothing large is committed: Lite0 starts from the real .pth (which CI installs), MobileNetV2 from the
small committed `mobilenetv2_small/state_dict.pth`. Outputs in Tests/ModelsTests/Fixtures/training_parity/:

  batch_nchw_f32.npy       the fixed batch [4, 3, 96, 96] (torch.randn, Generator seed 3)
  lite0_head_weight_f32.npy / lite0_head_bias_f32.npy
                           the fresh 5-class head of Lite0 ([5, 1280], [5]; PyTorch's default
                           Linear init bounds, Generator seed 4)
  training_parity.json     per model: labels, the 5 losses (float32 run, and the same run in float64
                           to show how much float32 rounding alone moves them), and sums of a few
                           tensors after the 5 steps (both runs)

Protocol (both models): model.train() (BatchNorm uses batch statistics and updates its running ones),
dropout p = 0, loss = mean softmax cross-entropy, torch.optim.SGD(lr=0.01, momentum=0.9) over every
learnable parameter (BN scale/shift included), 5 steps; loss k is computed before update k.

Conditioning: the float64 run is a certificate of how far float32 rounding alone moves the losses.
Lite0 (pretrained, BN eps 1e-3) at this batch is well conditioned: float32 and float64 agree to
~4e-5 relative, so any correct float32 implementation should match to 1e-3. The MobileNetV2 fixture
(random init, BN eps 1e-5, width 0.5) is not: some late BN channels have batch variances of ~3e-5,
gradients reach norm ~30 and float32 rounding already changes them by ~0.3 %, so PyTorch's own float32
and float64 trajectories part by a few per cent after two updates. The Swift test therefore holds
MobileNetV2 to 1e-3 only where PyTorch itself is that stable and to a multiple of the float32/float64
gap elsewhere. (Smaller learning rates, 64 px or 128 px batches and batch 8 were tried: no better.)
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_models import EfficientNetLite0, mobilenet_v2  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(REPO, "Tests", "ModelsTests", "Fixtures")
OUT = os.path.join(FIXTURES, "training_parity")

STEPS = 5
LEARNING_RATE = 0.01
MOMENTUM = 0.9
LITE0_LABELS = [1, 4, 0, 2]
MOBILENET_LABELS = [3, 7, 1, 9]
CHECKSUM_KEYS = {
    "lite0": ["_conv_stem.weight", "_bn0.weight", "_bn0.running_mean", "_bn0.running_var",
              "_blocks.15._project_conv.weight", "_bn1.running_var", "_fc.weight", "_fc.bias"],
    "mobilenetv2": ["features.0.0.weight", "features.0.1.weight", "features.0.1.running_mean",
                    "features.0.1.running_var", "features.17.conv.2.weight", "features.18.1.running_var",
                    "classifier.1.weight", "classifier.1.bias"],
}


def save_npy(name, array):
    np.save(os.path.join(OUT, name), np.ascontiguousarray(array, dtype=np.float32))


def train(model, batch, labels, dtype):
    """Runs the protocol above; returns the losses and the state dict after the last step."""
    model = model.to(dtype)
    model.train()
    x = batch.to(dtype)
    y = torch.tensor(labels)
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM)
    losses = []
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        losses.append(float(loss))
        loss.backward()
        optimizer.step()
    return losses, model.state_dict()


def checksums(state, keys):
    return {k: {"sum": float(state[k].double().sum()), "abs_sum": float(state[k].double().abs().sum())}
            for k in keys}


def lite0_model(pth, head_weight, head_bias):
    model = EfficientNetLite0(num_classes=1000)
    model.load_state_dict(torch.load(pth, map_location="cpu"), strict=True)
    model._fc = nn.Linear(1280, 5)
    with torch.no_grad():
        model._fc.weight.copy_(head_weight)
        model._fc.bias.copy_(head_bias)
    model._dropout.p = 0.0
    return model


def mobilenet_model():
    model = mobilenet_v2(num_classes=10, width_mult=0.5)
    state = torch.load(os.path.join(FIXTURES, "mobilenetv2_small", "state_dict.pth"), map_location="cpu")
    model.load_state_dict(state, strict=True)
    model.classifier[0].p = 0.0
    return model


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    pth = sys.argv[1]
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(1)
    batch = torch.randn(4, 3, 96, 96, generator=torch.Generator().manual_seed(3))
    bound = 1 / np.sqrt(1280)
    g = torch.Generator().manual_seed(4)
    head_weight = (torch.rand(5, 1280, generator=g) * 2 - 1) * bound
    head_bias = (torch.rand(5, generator=g) * 2 - 1) * bound
    save_npy("batch_nchw_f32.npy", batch.numpy())
    save_npy("lite0_head_weight_f32.npy", head_weight.numpy())
    save_npy("lite0_head_bias_f32.npy", head_bias.numpy())

    result = {
        "torch": torch.__version__,
        "protocol": "model.train(), dropout p=0, mean cross-entropy, SGD lr 0.01 momentum 0.9 over all "
                    "learnable parameters, 5 steps; losses[k] is computed before update k",
        "steps": STEPS, "learning_rate": LEARNING_RATE, "momentum": MOMENTUM,
        "batch": "batch_nchw_f32.npy [4, 3, 96, 96], torch.randn Generator seed 3",
    }
    for name, build, labels in [
        ("lite0", lambda: lite0_model(pth, head_weight, head_bias), LITE0_LABELS),
        ("mobilenetv2", mobilenet_model, MOBILENET_LABELS),
    ]:
        losses, state = train(build(), batch, labels, torch.float32)
        losses64, state64 = train(build(), batch, labels, torch.float64)
        result[name] = {
            "labels": labels,
            "losses": losses,
            "losses_f64": losses64,
            "checksums_after": checksums(state, CHECKSUM_KEYS[name]),
            "checksums_after_f64": checksums(state64, CHECKSUM_KEYS[name]),
        }
        print(name, "losses", losses, "f64", losses64)
    result["lite0"]["start"] = "real efficientnet-lite0-57934424.pth, _fc replaced by the committed 5-class head"
    result["mobilenetv2"]["start"] = "mobilenetv2_small/state_dict.pth (width 0.5, 10 classes)"
    with open(os.path.join(OUT, "training_parity.json"), "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
