#!/usr/bin/python3
"""Training-parity fixtures: a few SGD steps of EfficientNet-Lite0 and MobileNetV2 in PyTorch.

Usage (Debian's /usr/bin/python3 with torch 1.13, numpy, torchvision):

    /usr/bin/python3 scripts/reference/make_training_parity_fixtures.py \
        ~/.cache/albumgenre/weights/efficientnet-lite0-57934424.pth

The Swift test `TrainingParityTests` replays the same steps with our engine and compares the losses.
Nothing large is committed: Lite0 starts from the real .pth (which CI installs), MobileNetV2 from the
small committed `mobilenetv2_small/state_dict.pth`. Outputs in Tests/ModelsTests/Fixtures/training_parity/:

  batch_nchw_f32.npy       4 images [4, 3, 96, 96] (torch.randn, Generator seed 3); the training
                           batch is these 4 followed by their horizontal mirrors (flip of the W
                           axis): [8, 3, 96, 96], built in the test, so nothing extra is committed
  lite0_head_weight_f32.npy / lite0_head_bias_f32.npy
                           the fresh 5-class head of Lite0 ([5, 1280], [5]; PyTorch's default
                           Linear init bounds, Generator seed 4)
  training_parity.json     per model: labels, learning rate, the 5 losses (float32 run, and the same
                           run in float64), sums of a few tensors after the 5 steps (both runs), and
                           the conditioning numbers below

Protocol (both models): model.train() (BatchNorm uses batch statistics and updates its running ones),
dropout p = 0, loss = mean softmax cross-entropy over the batch of 8, plain torch.optim.SGD (no
momentum) over every learnable parameter (BN scale/shift included), 5 steps; loss k is computed before
update k. Learning rate 1e-4 for Lite0, 5e-5 for MobileNetV2.

Conditioning. The first version (batch 4, lr 0.01, momentum 0.9) was chaotic: a pre-activation within
float32 rounding of a ReLU6 kink flipped gradients by ~1 % and PyTorch's own float32 and float64 runs
parted by 1-5 % after a few steps. Here the weights move little per step, so a kink decision changes
the next loss only to second order, and the mirrored batch of 8 doubles the BN batch-statistics
samples. The script asserts that PyTorch float32 and float64 losses agree to < 1e-4 relative at every
step (that agreement is the certificate that 1e-3 is a fair bound for any correct float32 engine) and
reports, from the float64 run, how many ReLU6 inputs over the 5 forward passes lie within 1e-4 and 1e-6
of 0 or 6 (with millions of activations some always do; what matters is that they no longer change the
losses beyond 1e-4). MobileNetV2 (random init, BN eps 1e-5, width 0.5) is the sensitive one: late BN
channels have tiny batch variances, so its learning rate is lower; at lr 1e-4 float32/float64 differ
by 5e-4, at 5e-5 by < 1e-4.
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
LEARNING_RATES = {"lite0": 1e-4, "mobilenetv2": 5e-5}
LITE0_LABELS = [1, 4, 0, 2, 1, 4, 0, 2]
MOBILENET_LABELS = [3, 7, 1, 9, 3, 7, 1, 9]
MAX_F32_F64_GAP = 1e-4
CHECKSUM_KEYS = {
    "lite0": ["_conv_stem.weight", "_bn0.weight", "_bn0.running_mean", "_bn0.running_var",
              "_blocks.15._project_conv.weight", "_bn1.running_var", "_fc.weight", "_fc.bias"],
    "mobilenetv2": ["features.0.0.weight", "features.0.1.weight", "features.0.1.running_mean",
                    "features.0.1.running_var", "features.17.conv.2.weight", "features.18.1.running_var",
                    "classifier.1.weight", "classifier.1.bias"],
}


def save_npy(name, array):
    np.save(os.path.join(OUT, name), np.ascontiguousarray(array, dtype=np.float32))


class KinkCounter:
    """Counts float64 ReLU6 inputs within 1e-4 / 1e-6 of 0 or 6 (F.relu6 in Lite0, nn.ReLU6 = hardtanh
    in MobileNetV2) while active."""

    def __init__(self):
        self.within_1e4 = 0
        self.within_1e6 = 0
        self.closest = float("inf")
        self._relu6, self._hardtanh = F.relu6, F.hardtanh

    def _count(self, x, low, high):
        if x.dtype == torch.float64:
            distance = torch.minimum((x - low).abs(), (x - high).abs())
            self.within_1e4 += int((distance < 1e-4).sum())
            self.within_1e6 += int((distance < 1e-6).sum())
            self.closest = min(self.closest, float(distance.min()))

    def __enter__(self):
        relu6, hardtanh = self._relu6, self._hardtanh

        def counting_relu6(x, inplace=False):
            self._count(x, 0.0, 6.0)
            return relu6(x)

        def counting_hardtanh(x, min_val=-1.0, max_val=1.0, inplace=False):
            self._count(x, min_val, max_val)
            return hardtanh(x, min_val, max_val)

        F.relu6, F.hardtanh = counting_relu6, counting_hardtanh
        return self

    def __exit__(self, *exc):
        F.relu6, F.hardtanh = self._relu6, self._hardtanh


def train(model, batch, labels, dtype, learning_rate):
    """Runs the protocol above; returns the losses and the state dict after the last step."""
    model = model.to(dtype)
    model.train()
    x = batch.to(dtype)
    y = torch.tensor(labels)
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate, momentum=0)
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
    images = torch.randn(4, 3, 96, 96, generator=torch.Generator().manual_seed(3))
    batch = torch.cat([images, images.flip(3)])
    bound = 1 / np.sqrt(1280)
    g = torch.Generator().manual_seed(4)
    head_weight = (torch.rand(5, 1280, generator=g) * 2 - 1) * bound
    head_bias = (torch.rand(5, generator=g) * 2 - 1) * bound
    save_npy("batch_nchw_f32.npy", images.numpy())
    save_npy("lite0_head_weight_f32.npy", head_weight.numpy())
    save_npy("lite0_head_bias_f32.npy", head_bias.numpy())

    result = {
        "torch": torch.__version__,
        "protocol": "model.train(), dropout p=0, mean cross-entropy, plain SGD (no momentum) over all "
                    "learnable parameters, 5 steps; losses[k] is computed before update k",
        "steps": STEPS, "momentum": 0,
        "batch": "batch_nchw_f32.npy [4, 3, 96, 96] (torch.randn Generator seed 3) followed by its "
                 "horizontal mirrors: [8, 3, 96, 96]",
    }
    for name, build, labels in [
        ("lite0", lambda: lite0_model(pth, head_weight, head_bias), LITE0_LABELS),
        ("mobilenetv2", mobilenet_model, MOBILENET_LABELS),
    ]:
        rate = LEARNING_RATES[name]
        losses, state = train(build(), batch, labels, torch.float32, rate)
        with KinkCounter() as kinks:
            losses64, state64 = train(build(), batch, labels, torch.float64, rate)
        gaps = [abs(a - b) / abs(b) for a, b in zip(losses, losses64)]
        print(f"{name}: lr {rate}, float32 vs float64 max relative gap {max(gaps):.2e} ({gaps}); ReLU6 inputs "
              f"within 1e-4 of a kink: {kinks.within_1e4}, within 1e-6: {kinks.within_1e6}, "
              f"closest {kinks.closest:.2e}")
        assert max(gaps) < MAX_F32_F64_GAP, f"{name}: float32/float64 losses part by {max(gaps):.2e}"
        assert all(a > b for a, b in zip(losses, losses[1:])), f"{name}: loss does not fall: {losses}"
        result[name] = {
            "labels": labels,
            "learning_rate": rate,
            "f32_f64_max_relative_gap": max(gaps),
            "relu6_inputs_within_1e-4_of_kink": kinks.within_1e4,
            "relu6_inputs_within_1e-6_of_kink": kinks.within_1e6,
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
