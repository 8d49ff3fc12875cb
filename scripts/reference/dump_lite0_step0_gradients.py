#!/usr/bin/python3
"""Diagnostic (not a fixture): PyTorch float64 gradients of every Lite0 parameter at step 0 of the
training-parity protocol, one .npy per parameter in OUTDIR, to compare with the engine's gradients.

    /usr/bin/python3 scripts/reference/dump_lite0_step0_gradients.py WEIGHTS.pth OUTDIR

Found with it (2026-11-26): blocks 12-15 and the head agree with the engine to ~1e-5 relative, the
parameters of blocks 0-11 differ by ~1 % (block 11's _bn0/_expand_conv first, while its depthwise,
_bn1, _project_conv and _bn2 agree), although block 11 alone fed the same activations agrees to 1e-6.
Explained the same day: not an engine bug but one block-11 _bn0 pre-activation within float32
rounding of ReLU6's kink (see make_lite0_gradient_fixtures.py and Lite0GradientParityTests).
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_training_parity_fixtures as parity  # noqa: E402

FIXTURES = os.path.join(parity.OUT)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    pth, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    head_weight = torch.from_numpy(np.load(os.path.join(FIXTURES, "lite0_head_weight_f32.npy")))
    head_bias = torch.from_numpy(np.load(os.path.join(FIXTURES, "lite0_head_bias_f32.npy")))
    x = torch.from_numpy(np.load(os.path.join(FIXTURES, "batch_nchw_f32.npy"))).double()
    model = parity.lite0_model(pth, head_weight, head_bias).double()
    model.train()
    loss = F.cross_entropy(model(x), torch.tensor(parity.LITE0_LABELS))
    loss.backward()
    for name, parameter in model.named_parameters():
        np.save(os.path.join(out, name + ".npy"), parameter.grad.numpy().astype(np.float32))
    print("loss", float(loss), "->", out)


if __name__ == "__main__":
    main()
