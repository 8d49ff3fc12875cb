"""PyTorch side of the engine benchmark: training and inference images/s at batch 32, 224x224.

Channels-last, float32 (or --precision bf16: torch.cpu.amp.autocast(dtype=torch.bfloat16), PyTorch's
CPU mixed precision, where convolutions run in bf16), the same thread count as ours. Prints one JSON
object per line: {"model": "lite0", "phase": "train", "precision": "f32", "images_per_second": ...}.
images_per_second is batch / median step time after one warm-up step; best_images_per_second uses the
fastest step; cpu_images_per_second uses the process CPU time of the median step (with one thread, an
estimate of single-core speed that a busy machine does not distort as much as wall time). peak_rss_mib is the process's peak resident set (ru_maxrss), so it is per model and
phase only when one process runs one model and phase (as compare-pytorch.sh does).
Usage: python3 pytorch_throughput.py --threads 2 --steps 5 [--models lite0,mnv2] [--precision f32|bf16]
"""
import argparse
import contextlib
import json
import os
import resource
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "scripts", "reference"))
from torch_models import EfficientNetLite0, mobilenet_v2  # noqa: E402


def measure(model, batch, steps, train, bf16=False):
    x = torch.randn(batch, 3, 224, 224).contiguous(memory_format=torch.channels_last)
    y = torch.randint(0, 1000, (batch,))
    model = model.to(memory_format=torch.channels_last)
    # Autocast keeps float32 master weights and runs convolutions and linear layers in bf16.
    precision = torch.cpu.amp.autocast(dtype=torch.bfloat16) if bf16 else contextlib.nullcontext()
    if train:
        model.train()
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        loss_fn = torch.nn.CrossEntropyLoss()

        def step():
            opt.zero_grad(set_to_none=True)
            with precision:
                loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
    else:
        model.eval()

        def step():
            with torch.no_grad(), precision:
                model(x)
    step()  # warm-up: allocations, oneDNN primitive creation
    times, cpu_times = [], []
    for _ in range(steps):
        t, c = time.perf_counter(), time.process_time()
        step()
        times.append(time.perf_counter() - t)
        cpu_times.append(time.process_time() - c)
    return times, cpu_times


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--models", default="lite0,mnv2")
    p.add_argument("--phases", default="train,infer")
    p.add_argument("--precision", choices=["f32", "bf16"], default="f32")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    makers = {"lite0": EfficientNetLite0, "mnv2": mobilenet_v2}
    for name in a.models.split(","):
        for phase in a.phases.split(","):
            load = os.getloadavg()[0]
            times, cpu_times = measure(makers[name](), a.batch, a.steps, phase == "train", bf16=a.precision == "bf16")
            median = sorted(times)[len(times) // 2]
            print(json.dumps({"model": name, "phase": phase, "precision": a.precision, "images_per_second": round(a.batch / median, 3),
                              "best_images_per_second": round(a.batch / min(times), 3),
                              "step_s": [round(t, 4) for t in times],
                              "cpu_images_per_second": round(a.batch / sorted(cpu_times)[len(cpu_times) // 2], 3),
                              "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                              "threads": a.threads, "load_average": max(load, os.getloadavg()[0]),
                              "peer": "pytorch " + torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
