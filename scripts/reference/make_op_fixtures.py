#!/usr/bin/python3
"""Reference numbers for TensorCore's op tests, computed with PyTorch (1.13, CPU, float32).

Writes Tests/TensorCoreTests/Fixtures/op_fixtures.bin (little-endian float32, all tensors back to back)
and op_fixtures.json (per case: parameters and, per tensor, its shape and offset in floats).
Every case seeds its own generator, so re-running reproduces the files byte for byte.

Run by hand from the repository root:  /usr/bin/python3 scripts/reference/make_op_fixtures.py
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "TensorCoreTests", "Fixtures")
cases = {}
chunks = []
offset = 0


def put(case, name, tensor):
    global offset
    array = tensor.detach().to(torch.float32).contiguous().numpy().astype("<f4")
    cases[case]["tensors"][name] = {"shape": list(array.shape), "offset": offset}
    chunks.append(array.tobytes())
    offset += array.size


def new_case(name, **params):
    cases[name] = {"params": params, "tensors": {}}
    return torch.Generator().manual_seed(len(cases) * 7919)


def randn(generator, *shape, scale=1.0):
    return torch.randn(*shape, generator=generator) * scale


def tf_same(size, kernel, stride):
    output = math.ceil(size / stride)
    total = max((output - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def conv_case(name, batch, channels, out_channels, height, width, kernel, stride, groups, bias, padding):
    """padding: int (symmetric) or "same" (TF SAME, asymmetric)."""
    if padding == "same":
        top, bottom = tf_same(height, kernel, stride)
        left, right = tf_same(width, kernel, stride)
    else:
        top = bottom = left = right = padding
    g = new_case(name, batch=batch, channels=channels, outChannels=out_channels, height=height, width=width,
                 kernel=kernel, stride=stride, groups=groups, bias=bias, padding=[top, left, bottom, right])
    x = randn(g, batch, channels, height, width).requires_grad_()
    w = randn(g, out_channels, channels // groups, kernel, kernel, scale=0.3).requires_grad_()
    b = randn(g, out_channels).requires_grad_() if bias else None
    y = F.conv2d(F.pad(x, (left, right, top, bottom)), w, b, stride=stride, groups=groups)
    dy = randn(g, *y.shape)
    y.backward(dy)
    for key, value in [("x", x), ("w", w), ("y", y), ("dy", dy), ("dx", x.grad), ("dw", w.grad)]:
        put(name, key, value)
    if bias:
        put(name, "b", b)
        put(name, "db", b.grad)


conv_case("conv_3x3_s1_p1_bias", 3, 24, 40, 9, 11, 3, 1, 1, True, 1)
conv_case("conv_stem_3x3_s2", 1, 3, 24, 13, 12, 3, 2, 1, False, 1)
conv_case("conv_1x1_bias", 3, 40, 24, 7, 5, 1, 1, 1, True, 0)
conv_case("conv_grouped_3x3", 1, 24, 48, 6, 7, 3, 1, 4, False, 1)
conv_case("conv_dw3x3_s1", 3, 24, 24, 9, 11, 3, 1, 24, False, 1)
conv_case("conv_dw3x3_s2", 1, 40, 40, 10, 9, 3, 2, 40, False, 1)
conv_case("conv_dw5x5_s1_bias", 3, 24, 24, 11, 11, 5, 1, 24, True, 2)
conv_case("conv_dw5x5_s2_tfsame", 3, 40, 40, 10, 9, 5, 2, 40, False, "same")
conv_case("conv_dw5x5_s2_tfsame_b1", 1, 24, 24, 7, 8, 5, 2, 24, False, "same")


def bn_case(name, batch, channels, height, width, training, momentum=0.1, eps=1e-5):
    g = new_case(name, batch=batch, channels=channels, height=height, width=width, training=training,
                 momentum=momentum, eps=eps)
    x = (randn(g, batch, channels, height, width) * 2 + 0.5).requires_grad_()
    scale = (1 + randn(g, channels, scale=0.2)).requires_grad_()
    shift = randn(g, channels, scale=0.2).requires_grad_()
    running_mean = randn(g, channels, scale=0.1)
    running_var = 1 + torch.rand(channels, generator=g)
    put(name, "runningMean", running_mean)
    put(name, "runningVar", running_var)
    rm, rv = running_mean.clone(), running_var.clone()
    y = F.batch_norm(x, rm, rv, scale, shift, training=training, momentum=momentum, eps=eps)
    dy = randn(g, *y.shape)
    y.backward(dy)
    for key, value in [("x", x), ("scale", scale), ("shift", shift), ("y", y), ("dy", dy), ("dx", x.grad),
                       ("dscale", scale.grad), ("dshift", shift.grad), ("newRunningMean", rm), ("newRunningVar", rv)]:
        put(name, key, value)


bn_case("bn_train", 3, 24, 9, 11, True)
bn_case("bn_train_b1_c40", 1, 40, 5, 7, True, momentum=0.3)
bn_case("bn_inference", 3, 24, 6, 5, False)


def unary_case(name, function, shape, **params):
    g = new_case(name, shape=list(shape), **params)
    x = (randn(g, *shape) * 4 + 2).requires_grad_()
    y = function(x)
    dy = randn(g, *y.shape)
    y.backward(dy)
    for key, value in [("x", x), ("y", y), ("dy", dy), ("dx", x.grad)]:
        put(name, key, value)


unary_case("relu", F.relu, (3, 24, 5, 7))
unary_case("relu6", F.relu6, (3, 40, 4, 3))
unary_case("maxpool_k3_s2", lambda x: F.max_pool2d(x, 3, 2), (3, 24, 9, 11), kernel=3, stride=2)
unary_case("maxpool_k2_s2", lambda x: F.max_pool2d(x, 2, 2), (1, 40, 8, 6), kernel=2, stride=2)
unary_case("global_average_pool", lambda x: F.adaptive_avg_pool2d(x, 1).flatten(1), (3, 40, 5, 7))
unary_case("softmax", lambda x: F.softmax(x, dim=1), (3, 5))

g = new_case("linear", batch=3, inFeatures=40, outFeatures=5)
x = randn(g, 3, 40).requires_grad_()
w = randn(g, 5, 40, scale=0.2).requires_grad_()
b = randn(g, 5).requires_grad_()
y = F.linear(x, w, b)
dy = randn(g, 3, 5)
y.backward(dy)
for key, value in [("x", x), ("w", w), ("b", b), ("y", y), ("dy", dy), ("dx", x.grad), ("dw", w.grad), ("db", b.grad)]:
    put("linear", key, value)


def ce_case(name, batch, classes, weighted, smoothing):
    g = new_case(name, batch=batch, classes=classes, smoothing=smoothing)
    logits = (randn(g, batch, classes) * 2).requires_grad_()
    labels = torch.randint(0, classes, (batch,), generator=g)
    weights = (0.5 + torch.rand(classes, generator=g)) if weighted else None
    loss = F.cross_entropy(logits, labels, weight=weights, label_smoothing=smoothing)
    loss.backward()
    cases[name]["params"]["labels"] = labels.tolist()
    put(name, "logits", logits)
    put(name, "loss", loss.reshape(1))
    put(name, "dlogits", logits.grad)
    if weighted:
        put(name, "weights", weights)


ce_case("ce_plain", 3, 5, False, 0.0)
ce_case("ce_weighted_smoothed", 7, 5, True, 0.1)
ce_case("ce_weighted_b1", 1, 4, True, 0.0)


def network_case(name, steps=5, learning_rate=0.1):
    """conv3x3 s2 → BN → ReLU6 → depthwise 5x5 s2 (TF SAME) → BN → ReLU6 → GAP → linear; plain SGD."""
    g = new_case(name, steps=steps, learningRate=learning_rate, smoothing=0.1, momentum=0.1, eps=1e-5)
    torch.manual_seed(1234)
    conv = torch.nn.Conv2d(3, 24, 3, stride=2, padding=1, bias=False)
    bn1 = torch.nn.BatchNorm2d(24)
    dw = torch.nn.Conv2d(24, 24, 5, stride=2, groups=24, bias=False)
    bn2 = torch.nn.BatchNorm2d(24)
    fc = torch.nn.Linear(24, 5)
    x = randn(g, 3, 3, 17, 15)
    labels = torch.randint(0, 5, (3,), generator=g)
    cases[name]["params"]["labels"] = labels.tolist()
    params = [("conv.weight", conv.weight), ("bn1.weight", bn1.weight), ("bn1.bias", bn1.bias),
              ("dw.weight", dw.weight), ("bn2.weight", bn2.weight), ("bn2.bias", bn2.bias),
              ("fc.weight", fc.weight), ("fc.bias", fc.bias)]
    put(name, "x", x)
    for key, p in params:
        put(name, "initial." + key, p)
    top, bottom = tf_same(9, 5, 2)
    left, right = tf_same(8, 5, 2)
    cases[name]["params"]["dwPadding"] = [top, left, bottom, right]
    losses = []
    optimizer = torch.optim.SGD([p for _, p in params], lr=learning_rate)
    for _ in range(steps):
        optimizer.zero_grad()
        h = F.relu6(bn1(conv(x)))
        h = F.relu6(bn2(dw(F.pad(h, (left, right, top, bottom)))))
        logits = fc(F.adaptive_avg_pool2d(h, 1).flatten(1))
        loss = F.cross_entropy(logits, labels, label_smoothing=0.1)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    put(name, "losses", torch.tensor(losses))
    for key, p in params:
        put(name, "final." + key, p)
    put(name, "final.bn1.running_mean", bn1.running_mean)
    put(name, "final.bn1.running_var", bn1.running_var)


network_case("network_sgd")
# Appended last so that the seeds (derived from the case count) of the cases above do not change.
unary_case("maxpool_k3_s2_p1", lambda x: F.max_pool2d(x, 3, 2, padding=1), (3, 40, 7, 8), kernel=3, stride=2, padding=1)

os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "op_fixtures.bin"), "wb") as f:
    for chunk in chunks:
        f.write(chunk)
with open(os.path.join(OUT, "op_fixtures.json"), "w") as f:
    json.dump({"generator": "scripts/reference/make_op_fixtures.py", "torch": torch.__version__, "cases": cases},
              f, indent=1, sort_keys=True)
print(f"{len(cases)} cases, {offset} floats ({offset * 4 / 1024:.1f} KiB)")
