#!/usr/bin/python3
"""State-dict key and shape lists of the reference networks (no weights), for the Swift `ModelsTests`.

Usage (Debian's /usr/bin/python3 with torch 1.13 and torchvision):

    /usr/bin/python3 scripts/reference/make_model_key_fixtures.py \
        ~/.cache/albumgenre/weights/efficientnet-lite0-57934424.pth

Writes Tests/ModelsTests/Fixtures/keys/:
  mobilenetv2_w1.0_c1000.json   torchvision.models.mobilenet_v2() (width 1.0, 1000 classes): 314 keys
  efficientnet_lite0.json       the real Lite0 checkpoint's 296 keys, in file order
Each file: {"source": ..., "parameter_count": learnable parameters (no BN running statistics),
"keys": [[name, shape], ...]} in state-dict order.
"""
import json
import os
import sys

import torch
import torchvision

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(REPO, "Tests", "ModelsTests", "Fixtures", "keys")


def write(name, source, state, parameter_count):
    document = {
        "source": source,
        "tensor_count": len(state),
        "parameter_count": parameter_count,
        "keys": [[k, list(v.shape)] for k, v in state.items()],
    }
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(document, f, indent=0)
    print(name, len(state), parameter_count)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    os.makedirs(OUT, exist_ok=True)
    model = torchvision.models.mobilenet_v2()
    write("mobilenetv2_w1.0_c1000.json", "torchvision %s mobilenet_v2()" % torchvision.__version__,
          model.state_dict(), sum(p.numel() for p in model.parameters()))
    state = torch.load(sys.argv[1], map_location="cpu")
    learnable = sum(v.numel() for k, v in state.items()
                    if not k.endswith(("running_mean", "running_var", "num_batches_tracked")))
    write("efficientnet_lite0.json", os.path.basename(sys.argv[1]), state, learnable)


if __name__ == "__main__":
    main()
