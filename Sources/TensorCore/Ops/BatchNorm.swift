import CDNNL

/// Whether an op runs as in training (batch statistics, dropout active) or inference.
public enum ForwardMode: Sendable, Hashable {
    case training
    case inference
}

/// Running mean and (unbiased) variance of a batch-norm layer, each [C]; updated only in `.training`
/// (PyTorch `running_mean` / `running_var`).
public final class RunningStatistics: @unchecked Sendable {
    public var mean: Tensor
    public var variance: Tensor

    /// Mean 0 and variance 1, as PyTorch initialises them.
    public init(channels: Int) {
        mean = .zeros([channels])
        variance = Tensor(shape: [channels], repeating: 1)
    }

    public init(mean: Tensor, variance: Tensor) {
        require(
            mean.shape.count == 1 && mean.shape == variance.shape,
            "RunningStatistics: mean \(mean.shape) and variance \(variance.shape) must both be [C]")
        self.mean = mean.detached()
        self.variance = variance.detached()
    }
}

/// Batch normalisation over N, H, W per channel (PyTorch `BatchNorm2d`).
///
/// y = (x − μ) / √(σ² + eps) · scale + shift, with μ, σ² the batch mean and biased variance in
/// `.training` and the running statistics in `.inference`. In `.training` the running statistics
/// become (1 − momentum)·running + momentum·batch, using the unbiased batch variance σ²·m/(m − 1),
/// m = N·H·W, as PyTorch does. input [N, C, H, W]; scale, shift [C].
public func batchNorm2d(
    _ input: Tensor, scale: Tensor, shift: Tensor, statistics: RunningStatistics,
    mode: ForwardMode, momentum: Float, eps: Float
) -> Tensor {
    let (n, c, h, w) = input.nchw("batchNorm2d")
    require(
        scale.shape == [c] && shift.shape == [c],
        "batchNorm2d: scale \(scale.shape) and shift \(shift.shape) must be [\(c)] for input \(input.shape)")
    require(
        statistics.mean.shape == [c] && statistics.variance.shape == [c],
        "batchNorm2d: running statistics \(statistics.mean.shape) must be [\(c)] for input \(input.shape)")
    // oneDNN's plain-NCHW batch norm is a slow reference kernel; blocked data (in the block this CPU's
    // convolutions use) takes bnorm_jit. bf16 input (ComputePrecision.bfloat16) stays bf16: statistics,
    // scale and shift are f32 either way.
    let layout =
        input.layout.isPlain
        ? Layout.channelBlocked(input.shape, block: TensorEngine.activationChannelBlock ?? 16, dataType: input.layout.dataType)
        : input.layout
    let tracked = recordsGradient([input, scale, shift])
    let configuration = BatchNormConfiguration(
        layout: layout, eps: eps, usesGlobalStatistics: mode == .inference,
        training: mode == .training || tracked)
    let forward = configuration.forwardPrimitive()
    let source = input.buffer(in: layout)
    let scaleBuffer = scale.plainBuffer(), shiftBuffer = shift.plainBuffer()
    let channelLayout = Layout.plain([c])
    let mean: Buffer, variance: Buffer
    if mode == .inference {
        mean = statistics.mean.plainBuffer()
        variance = statistics.variance.plainBuffer()
    } else {
        mean = CachingAllocator.current.allocate(byteCount: channelLayout.byteCount)
        variance = CachingAllocator.current.allocate(byteCount: channelLayout.byteCount)
    }
    let output = CachingAllocator.current.allocate(byteCount: layout.byteCount)
    DNNLContext.shared.execute(
        forward,
        [
            DNNLArgument(index: DNNL_ARG_SRC, layout: layout, buffer: source),
            DNNLArgument(index: DNNL_ARG_SCALE, layout: channelLayout, buffer: scaleBuffer),
            DNNLArgument(index: DNNL_ARG_SHIFT, layout: channelLayout, buffer: shiftBuffer),
            DNNLArgument(index: DNNL_ARG_MEAN, layout: channelLayout, buffer: mean),
            DNNLArgument(index: DNNL_ARG_VARIANCE, layout: channelLayout, buffer: variance),
            DNNLArgument(index: DNNL_ARG_DST, layout: layout, buffer: output),
        ])

    if mode == .training {
        let count = Float(n * h * w)
        let correction = count > 1 ? count / (count - 1) : 1
        let oldMean = statistics.mean.scalars(), oldVariance = statistics.variance.scalars()
        let batchMean = UnsafeBufferPointer(start: mean.floats, count: c)
        let batchVariance = UnsafeBufferPointer(start: variance.floats, count: c)
        statistics.mean = Tensor(
            shape: [c],
            scalars: (0..<c).map {
                (1 - momentum) * oldMean[$0] + momentum * batchMean[$0]
            })
        statistics.variance = Tensor(
            shape: [c],
            scalars: (0..<c).map {
                (1 - momentum) * oldVariance[$0] + momentum * batchVariance[$0] * correction
            })
    }

    return .result("batchNorm2d", shape: input.shape, layout: layout, buffer: output, inputs: [input, scale, shift]) { gradient in
        let backward = configuration.backwardPrimitive(hint: forward)
        let outputGradient = gradient.buffer(in: layout)
        let inputGradient = CachingAllocator.current.allocate(byteCount: layout.byteCount)
        let scaleGradient = CachingAllocator.current.allocate(byteCount: channelLayout.byteCount)
        let shiftGradient = CachingAllocator.current.allocate(byteCount: channelLayout.byteCount)
        var arguments = [
            DNNLArgument(index: DNNL_ARG_SRC, layout: layout, buffer: source),
            DNNLArgument(index: DNNL_ARG_MEAN, layout: channelLayout, buffer: mean),
            DNNLArgument(index: DNNL_ARG_VARIANCE, layout: channelLayout, buffer: variance),
            DNNLArgument(index: DNNL_ARG_SCALE, layout: channelLayout, buffer: scaleBuffer),
            DNNLArgument(index: DNNL_ARG_DIFF_DST, layout: layout, buffer: outputGradient),
            DNNLArgument(index: DNNL_ARG_DIFF_SRC, layout: layout, buffer: inputGradient),
            DNNLArgument(index: DNNL_ARG_DIFF_SCALE, layout: channelLayout, buffer: scaleGradient),
            DNNLArgument(index: DNNL_ARG_DIFF_SHIFT, layout: channelLayout, buffer: shiftGradient),
        ]
        // oneDNN 2.6 demands SHIFT as an input of the backward pass although the gradient does not
        // depend on it (invalid_arguments otherwise); 3.x refuses it for the same reason.
        if agdnnl_batch_normalization_backward_takes_shift() != 0 {
            arguments.append(DNNLArgument(index: DNNL_ARG_SHIFT, layout: channelLayout, buffer: shiftBuffer))
        }
        DNNLContext.shared.execute(backward, arguments)
        return [
            input.requiresGradient ? Tensor(shape: input.shape, layout: layout, buffer: inputGradient) : nil,
            scale.requiresGradient ? Tensor(shape: [c], layout: channelLayout, buffer: scaleGradient) : nil,
            shift.requiresGradient ? Tensor(shape: [c], layout: channelLayout, buffer: shiftGradient) : nil,
        ]
    }
}

/// The oneDNN descriptors of one batch-norm configuration.
private struct BatchNormConfiguration {
    let layout: Layout
    let eps: Float
    /// Normalise with the given (running) statistics instead of the batch's.
    let usesGlobalStatistics: Bool
    /// forward_training (needed for batch statistics and for a backward pass) vs forward_inference.
    let training: Bool

    var flags: UInt32 {
        dnnl_use_scale.rawValue | dnnl_use_shift.rawValue | (usesGlobalStatistics ? dnnl_use_global_stats.rawValue : 0)
    }
    var key: String { "eps\(eps)|flags\(flags)|\(layout.key)" }

    func forwardPrimitive() -> Primitive {
        let propagation = training ? dnnl_forward_training : dnnl_forward_inference
        return PrimitiveCache.shared.primitive("bnorm.fwd|\(propagation.rawValue)|\(key)") {
            Primitive(name: "batchNorm2d forward \(layout.dimensions)") { descriptor, engine, _, attributes in
                agdnnl_batch_normalization_forward_pd_create(
                    &descriptor, engine, propagation, layout.handle, eps, flags,
                    attributes)
            }
        }
    }

    func backwardPrimitive(hint: Primitive) -> Primitive {
        PrimitiveCache.shared.primitive("bnorm.bwd|\(key)") {
            Primitive(name: "batchNorm2d backward \(layout.dimensions)", hint: hint) { descriptor, engine, hint, attributes in
                agdnnl_batch_normalization_backward_pd_create(&descriptor, engine, layout.handle, eps, flags, hint, attributes)
            }
        }
    }
}
