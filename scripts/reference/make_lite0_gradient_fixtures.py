#!/usr/bin/python3
"""Step-0 gradient summaries of EfficientNet-Lite0 under the training-parity protocol.

    /usr/bin/python3 scripts/reference/make_lite0_gradient_fixtures.py WEIGHTS.pth

Same model, head, batch and labels as make_training_parity_fixtures.py (BN in training mode, dropout
off, mean cross-entropy), computed in float64. For every learnable parameter it records the sum, the
sum of squares and the dot product with the fixed probe vector p_i = cos(1.7 i + 0.5) over the
flattened (row-major) gradient, so that a per-element error cannot hide behind a right sum.

Ill-conditioning this exposes: at block 11's _bn0 output (flattened NCHW index 25038, sample 0, channel 23)
the pre-activation is -6.1e-6 in float64, -1.1e-5 in PyTorch float32 and +4e-7 in our engine: inside
float32 rounding of ReLU6's kink at 0. Whether its gradient passes flips every gradient of blocks 0-11
by ~1 %. So the script also records "gradients_flipped": the float64 gradients with that one ReLU6
decision reversed (the element's bn0-output gradient set to what passing it gives). Written to Tests/ModelsTests/Fixtures/training_parity/lite0_step0_gradients.json (small).
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_training_parity_fixtures as parity  # noqa: E402


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    head_weight = torch.from_numpy(np.load(os.path.join(parity.OUT, "lite0_head_weight_f32.npy")))
    head_bias = torch.from_numpy(np.load(os.path.join(parity.OUT, "lite0_head_bias_f32.npy")))
    x = torch.from_numpy(np.load(os.path.join(parity.OUT, "batch_nchw_f32.npy"))).double()
    model = parity.lite0_model(sys.argv[1], head_weight, head_bias).double()
    model.train()
    result = {"torch": torch.__version__, "probe": "cos(1.7 i + 0.5), i = 0..<count",
              "flipped_element": "_blocks.11 _bn0 output, flat NCHW index 25038"}
    result["loss"], result["gradients"] = summarise(model, x, flip=False)
    _, result["gradients_flipped"] = summarise(model, x, flip=True)
    with open(os.path.join(parity.OUT, "lite0_step0_gradients.json"), "w") as f:
        json.dump(result, f, indent=0)
    print("loss", result["loss"], len(result["gradients"]), "parameters")


def summarise(model, x, flip):
    model.zero_grad()
    block = model._blocks[11]

    def forward(y):
        a = block._bn0(block._expand_conv(y))
        r = F.relu6(a)
        if flip:
            # Let the gradient through at the one kink element, as if its pre-activation were > 0.
            r.register_hook(lambda g: remember.__setitem__("dr", g.flatten()[25038]))
            a.register_hook(lambda g: g.flatten().index_put((torch.tensor([25038]),), remember["dr"]).view_as(g))
        y = F.relu6(block._bn1(block._depthwise_conv(r)))
        return block._bn2(block._project_conv(y))

    remember = {}
    original = block.forward
    block.forward = forward
    loss = F.cross_entropy(model(x), torch.tensor(parity.LITE0_LABELS))
    loss.backward()
    block.forward = original
    summaries = {}
    for name, parameter in model.named_parameters():
        g = parameter.grad.numpy().astype(np.float64).ravel()
        probe = np.cos(1.7 * np.arange(g.size) + 0.5)
        summaries[name] = {"count": int(g.size), "sum": float(g.sum()), "sum_squares": float((g * g).sum()),
                           "probe_dot": float(g @ probe)}
    return float(loss), summaries


if __name__ == "__main__":
    main()
