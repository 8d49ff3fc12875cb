"""PyTorch side of the engine benchmark: training and inference images/s at batch 32, 224x224.

Channels-last, float32, the same thread count as ours. Prints one JSON object per line:
{"model": "lite0", "phase": "train", "images_per_second": ..., "peak_rss_mib": ...}.
images_per_second is batch / median step time after one warm-up step; best_images_per_second uses the
fastest step. peak_rss_mib is the process's peak resident set (ru_maxrss), so it is per model and
phase only when one process runs one model and phase (as compare-pytorch.sh does).
Usage: python3 pytorch_throughput.py --threads 2 --steps 5 [--models lite0,mnv2]
"""
import argparse
import json
import os
import resource
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "Scripts", "reference"))
from torch_models import EfficientNetLite0, mobilenet_v2  # noqa: E402


def measure(model, batch, steps, train):
    x = torch.randn(batch, 3, 224, 224).contiguous(memory_format=torch.channels_last)
    y = torch.randint(0, 1000, (batch,))
    model = model.to(memory_format=torch.channels_last)
    if train:
        model.train()
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        loss_fn = torch.nn.CrossEntropyLoss()

        def step():
            opt.zero_grad(set_to_none=True)
            loss_fn(model(x), y).backward()
            opt.step()
    else:
        model.eval()

        def step():
            with torch.no_grad():
                model(x)
    step()  # warm-up: allocations, oneDNN primitive creation
    times = []
    for _ in range(steps):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    return times


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--models", default="lite0,mnv2")
    p.add_argument("--phases", default="train,infer")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    makers = {"lite0": EfficientNetLite0, "mnv2": mobilenet_v2}
    for name in a.models.split(","):
        for phase in a.phases.split(","):
            load = os.getloadavg()[0]
            times = measure(makers[name](), a.batch, a.steps, phase == "train")
            median = sorted(times)[len(times) // 2]
            print(json.dumps({"model": name, "phase": phase, "images_per_second": round(a.batch / median, 3),
                              "best_images_per_second": round(a.batch / min(times), 3),
                              "step_s": [round(t, 4) for t in times],
                              "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                              "threads": a.threads, "load_average": max(load, os.getloadavg()[0]),
                              "peer": "pytorch " + torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
