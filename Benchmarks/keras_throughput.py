"""Keras (TensorFlow CPU) side of the engine benchmark: training and inference images/s, batch 32, 224x224.

Same measurement as pytorch_throughput.py: float32, channels-last (NHWC, Keras's own layout), one
warm-up step (graph tracing, oneDNN primitive creation), then `--steps` timed steps. Prints one JSON
object per line:
{"model": "mnv2", "phase": "train", "images_per_second": ..., "peak_rss_mib": ..., "peer": "keras 3.x (tensorflow 2.x)"}.
images_per_second is batch / median step time; best_images_per_second uses the fastest step.
peak_rss_mib is the process's ru_maxrss (includes the TensorFlow runtime itself), so it is per model
and phase only when one process runs one model and phase (as compare-keras.sh does).

Models:
- mnv2: `keras.applications.MobileNetV2(weights=None, input_shape=(224, 224, 3), classes=1000)` with
  logits out (classifier_activation=None), so the loss matches PyTorch's CrossEntropyLoss on logits.
- lite0: EfficientNet-Lite0 written out below in Keras layers after scripts/reference/torch_models.py
  (Keras has EfficientNetB0 only, which has squeeze-excite and swish): stem 32, the seven MBConv
  stages, ReLU6, no squeeze-excite, head 1280, dropout 0.2. Keras "same" padding is TensorFlow's
  asymmetric SAME padding, which the PyTorch reference reproduces by hand.

Training step: a `tf.function` (graph mode) with GradientTape, sparse softmax cross-entropy on logits,
SGD (lr 0.01, momentum 0.9). XLA is off by default, as Keras itself leaves it off on CPU-only machines
(`jit_compile="auto"`); `--jit-compile` turns it on. Inference: a `tf.function` calling the model
with `training=False` (BN on moving statistics, dropout off), no tape.

Threads: TF_NUM_INTRAOP_THREADS / intra-op = --threads, inter-op = --inter-op-threads (default 1, so
no two ops run at once and the op-level parallelism is --threads, as with torch.set_num_threads);
OMP_NUM_THREADS is set too. The environment variables are set before TensorFlow is imported.
Usage: python keras_throughput.py --threads 2 --steps 5 [--models lite0,mnv2] [--phases train,infer]
"""
import argparse
import json
import math
import os
import resource
import sys
import time


def parse_arguments():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--inter-op-threads", type=int, default=1)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--models", default="lite0,mnv2")
    p.add_argument("--phases", default="train,infer")
    p.add_argument("--jit-compile", action="store_true", help="compile the steps with XLA")
    a = p.parse_args()
    for name in a.models.split(","):
        if name not in ("lite0", "mnv2"):
            p.error("unknown model %s (lite0, mnv2)" % name)
    for phase in a.phases.split(","):
        if phase not in ("train", "infer"):
            p.error("phases are train and infer, got %s" % phase)
    if a.threads < 1 or a.inter_op_threads < 1 or a.steps < 1 or a.batch < 1:
        p.error("--threads, --inter-op-threads, --steps and --batch need positive integers")
    return a


# (expansion t, kernel k, first stride s, output channels, repeats n): the EfficientNet-B0 stages,
# which Lite0 keeps unchanged (same table as STAGES in scripts/reference/torch_models.py).
LITE0_STAGES = [(1, 3, 1, 16, 1), (6, 3, 2, 24, 2), (6, 5, 2, 40, 2), (6, 3, 2, 80, 3),
                (6, 5, 1, 112, 3), (6, 5, 2, 192, 4), (6, 3, 1, 320, 1)]


def efficientnet_lite0(keras, classes=1000):
    """EfficientNet-Lite0, NHWC input [N, 224, 224, 3] -> logits [N, classes]; 4,652,008 trainable parameters
    for 1000 classes, as the PyTorch reference."""
    layers = keras.layers

    def bn(x):
        # PyTorch momentum 0.01 (weight of the new batch) is Keras momentum 0.99 (weight of the old).
        return layers.BatchNormalization(epsilon=1e-3, momentum=0.99)(x)

    def relu6(x):
        return layers.ReLU(max_value=6.0)(x)

    def mbconv(x, cin, cout, t, k, s):
        y = x
        if t != 1:
            y = relu6(bn(layers.Conv2D(cin * t, 1, use_bias=False)(y)))
        y = relu6(bn(layers.DepthwiseConv2D(k, strides=s, padding="same", use_bias=False)(y)))
        y = bn(layers.Conv2D(cout, 1, use_bias=False)(y))
        return layers.Add()([x, y]) if s == 1 and cin == cout else y

    inputs = keras.Input(shape=(224, 224, 3))
    x = relu6(bn(layers.Conv2D(32, 3, strides=2, padding="same", use_bias=False)(inputs)))
    c = 32
    for t, k, s, cout, n in LITE0_STAGES:
        for i in range(n):
            x = mbconv(x, c, cout, t, k, s if i == 0 else 1)
            c = cout
    x = relu6(bn(layers.Conv2D(1280, 1, use_bias=False)(x)))
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.2)(x)
    outputs = layers.Dense(classes)(x)
    return keras.Model(inputs, outputs, name="efficientnet_lite0")


def trainable_parameters(model):
    """Trainable scalars (BN moving statistics excluded), comparable to PyTorch's parameters():
    4,652,008 for lite0 and 3,504,872 for mnv2 on both sides."""
    return sum(math.prod(int(d) for d in w.shape) for w in model.trainable_weights)


def make_model(keras, name):
    if name == "lite0":
        return efficientnet_lite0(keras)
    return keras.applications.MobileNetV2(weights=None, input_shape=(224, 224, 3), classes=1000,
                                          classifier_activation=None)


def measure(tf, keras, model, batch, steps, train, jit_compile):
    """Step times in seconds of `steps` timed steps after one warm-up step, and the process CPU time
    (all threads, user + system) those steps took: cpu / sum(times) shows how many cores were busy."""
    rng = tf.random.Generator.from_seed(0)
    x = rng.normal((batch, 224, 224, 3))
    y = rng.uniform((batch,), maxval=1000, dtype=tf.int64)
    if train:
        optimizer = keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)
        optimizer.build(model.trainable_variables)  # momentum slots outside the traced function
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

        @tf.function(jit_compile=jit_compile)
        def step_fn():
            with tf.GradientTape() as tape:
                loss = loss_fn(y, model(x, training=True))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss
    else:
        @tf.function(jit_compile=jit_compile)
        def step_fn():
            return model(x, training=False)

    def step():
        # .numpy() waits for the result; the variable updates are ordered before the return by
        # tf.function's automatic control dependencies.
        step_fn().numpy()

    step()  # warm-up: tracing, graph optimisation, oneDNN primitive creation, allocations
    times = []
    cpu = time.process_time()
    for _ in range(steps):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    return times, time.process_time() - cpu


def main():
    a = parse_arguments()
    os.environ["TF_NUM_INTRAOP_THREADS"] = str(a.threads)
    os.environ["TF_NUM_INTEROP_THREADS"] = str(a.inter_op_threads)
    os.environ["OMP_NUM_THREADS"] = str(a.threads)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep the CPU-feature banner off stderr
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(a.threads)
    tf.config.threading.set_inter_op_parallelism_threads(a.inter_op_threads)
    keras = tf.keras
    keras.utils.set_random_seed(0)
    peer = "keras %s (tensorflow %s)" % (keras.__version__, tf.__version__)
    if a.jit_compile:
        peer += " xla"
    for name in a.models.split(","):
        for phase in a.phases.split(","):
            load = os.getloadavg()[0]
            model = make_model(keras, name)
            times, cpu = measure(tf, keras, model, a.batch, a.steps, phase == "train", a.jit_compile)
            median = sorted(times)[len(times) // 2]
            print(json.dumps({"model": name, "phase": phase, "images_per_second": round(a.batch / median, 3),
                              "best_images_per_second": round(a.batch / min(times), 3),
                              "step_s": [round(t, 4) for t in times],
                              "cores_busy": round(cpu / sum(times), 2),
                              "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                              "threads": a.threads, "inter_op_threads": a.inter_op_threads,
                              "parameters": trainable_parameters(model),
                              "load_average": max(load, os.getloadavg()[0]),
                              "peer": peer}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
