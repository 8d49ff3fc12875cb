import TensorCore

/// Batch normalisation layer, checkpoint-compatible with `torch.nn.BatchNorm2d`: "weight" (scale, ones),
/// "bias" (shift, zeros), buffers "running_mean" (zeros), "running_var" (ones), "num_batches_tracked".
/// `.training` normalises with batch statistics and updates the running ones (PyTorch momentum
/// semantics); `.inference` uses the running statistics and changes nothing.
public final class BatchNorm2d: SequentialLayer {
    public let weight: Parameter
    public let bias: Parameter
    public let runningMean: Parameter
    public let runningVariance: Parameter
    public let batchesTracked: Parameter
    public let channels: Int
    public var eps: Float
    public var momentum: Float

    public init(channels: Int, eps: Float = 1e-5, momentum: Float = 0.1) {
        self.channels = channels
        self.eps = eps
        self.momentum = momentum
        weight = Parameter(Tensor(shape: [channels], repeating: 1))
        bias = Parameter(.zeros([channels]))
        runningMean = .buffer(.zeros([channels]))
        runningVariance = .buffer(Tensor(shape: [channels], repeating: 1))
        batchesTracked = .buffer(.zeros([]))
    }

    public func callAsFunction(_ input: Tensor, mode: ForwardMode) -> Tensor {
        let statistics = RunningStatistics(mean: runningMean.value, variance: runningVariance.value)
        let output = batchNorm2d(
            input, scale: weight.value, shift: bias.value, statistics: statistics, mode: mode,
            momentum: momentum, eps: eps)
        if mode == .training {
            runningMean.value = statistics.mean
            runningVariance.value = statistics.variance
            batchesTracked.value = Tensor(shape: [], scalars: [batchesTracked.value.item() + 1])
        }
        return output
    }

    public func forward(_ input: Tensor, mode: ForwardMode) -> Tensor { self(input, mode: mode) }

    public func namedParameters() -> [(path: String, parameter: Parameter)] {
        [
            ("weight", weight), ("bias", bias), ("running_mean", runningMean), ("running_var", runningVariance),
            ("num_batches_tracked", batchesTracked),
        ]
    }
}
