#!/usr/bin/python3
"""Reference trajectories for the Optimizers tests, computed with torch.optim (PyTorch 1.13, float32).

Each optimizer case starts from the same 5-element weight vector and applies 4 steps with given
gradients (independent of the weights, so the Swift test can feed them without a model). Also records
learning-rate schedule values and clip_grad_norm_ results.
Writes Tests/OptimizersTests/Fixtures/optimizer_fixtures.json. Run by hand from the repository root:
    /usr/bin/python3 scripts/reference/make_optimizer_fixtures.py
"""
import json
import math
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "OptimizersTests", "Fixtures")
generator = torch.Generator().manual_seed(11)
initial = torch.randn(5, generator=generator)
gradients = [torch.randn(5, generator=generator) for _ in range(4)]
learning_rate = 0.05

configs = {
    "sgd": (torch.optim.SGD, {}),
    "sgd_momentum": (torch.optim.SGD, {"momentum": 0.9}),
    "sgd_nesterov_decay": (torch.optim.SGD, {"momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    "sgd_dampening": (torch.optim.SGD, {"momentum": 0.8, "dampening": 0.3}),
    "adam": (torch.optim.Adam, {}),
    "adam_decay": (torch.optim.Adam, {"weight_decay": 0.1, "betas": (0.8, 0.99)}),
    "adamw": (torch.optim.AdamW, {}),
    "adamw_decay": (torch.optim.AdamW, {"weight_decay": 0.2}),
    "rmsprop": (torch.optim.RMSprop, {}),
    "rmsprop_momentum_decay": (torch.optim.RMSprop, {"momentum": 0.9, "weight_decay": 0.01, "alpha": 0.9}),
}
cases = {}
for name, (cls, kwargs) in configs.items():
    w = initial.clone().requires_grad_()
    optimizer = cls([w], lr=learning_rate, **kwargs)
    trajectory = []
    for g in gradients:
        w.grad = g.clone()
        optimizer.step()
        trajectory.append(w.detach().tolist())
    cases[name] = {"options": {k: (list(v) if isinstance(v, tuple) else v) for k, v in kwargs.items()},
                   "trajectory": trajectory}

w = torch.zeros(1, requires_grad=True)
schedules = {}
opt = torch.optim.SGD([w], lr=0.1)
scheduler = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
values = []
for _ in range(10):
    values.append(opt.param_groups[0]["lr"])
    opt.step()
    scheduler.step()
schedules["step"] = {"initial": 0.1, "stepSize": 3, "gamma": 0.5, "values": values}
opt = torch.optim.SGD([w], lr=0.1)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=8, eta_min=0.001)
values = []
for _ in range(9):
    values.append(opt.param_groups[0]["lr"])
    opt.step()
    scheduler.step()
schedules["cosine"] = {"initial": 0.1, "totalSteps": 8, "minimum": 0.001, "values": values}

a = torch.tensor([3.0, -4.0], requires_grad=True)
b = torch.tensor([[12.0]], requires_grad=True)
a.grad = torch.tensor([3.0, -4.0])
b.grad = torch.tensor([[12.0]])
norm = torch.nn.utils.clip_grad_norm_([a, b], max_norm=6.5)
clipping = {"norm": norm.item(), "a": a.grad.tolist(), "b": b.grad.flatten().tolist(), "maxNorm": 6.5}

os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "optimizer_fixtures.json"), "w") as f:
    json.dump({"generator": "scripts/reference/make_optimizer_fixtures.py", "torch": torch.__version__,
               "learningRate": learning_rate, "initial": initial.tolist(),
               "gradients": [g.tolist() for g in gradients], "optimizers": cases, "schedules": schedules,
               "clipping": clipping}, f, indent=1, sort_keys=True)
print(len(cases), "optimizer cases")
