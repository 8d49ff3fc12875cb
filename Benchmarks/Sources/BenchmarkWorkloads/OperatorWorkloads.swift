import NeuralNetwork
import TensorCore

/// Single-op workloads on the shapes of `engine-notes.md` §8, with activations already in the layout
/// oneDNN picks (nChw16c), so that the timed op does no layout conversion of its input.
public enum OperatorWorkloads {
    /// `x` converted to the convolution's blocked activation layout by a 1×1 depthwise identity
    /// convolution (a convolution output is laid out the way the next convolution wants it).
    public static func blocked(_ x: Tensor) -> Tensor {
        let channels = x.shape[1]
        let identity = Tensor(shape: [channels, 1, 1, 1], repeating: 1)
        return TensorEngine.withoutGradients { conv2d(x, weight: identity, groups: channels) }.detached()
    }

    /// A random activation [n, c, h, w] in blocked layout.
    public static func activation(_ n: Int, _ c: Int, _ h: Int, _ w: Int, seed: UInt64 = 1) -> Tensor {
        var generator = SplitMix64(seed: seed)
        return blocked(randomTensor([n, c, h, w], generator: &generator))
    }

    /// Depthwise weights [c, 1, k, k], small values.
    public static func depthwiseWeights(channels: Int, kernelSize: Int, requiresGradient: Bool = false, seed: UInt64 = 2) -> Tensor {
        var generator = SplitMix64(seed: seed)
        let values = randomTensor([channels, 1, kernelSize, kernelSize], generator: &generator).scalars().map { $0 * 0.1 }
        return Tensor(shape: [channels, 1, kernelSize, kernelSize], scalars: values, requiresGradient: requiresGradient)
    }

    /// 1×1 weights [outputs, inputs, 1, 1].
    public static func pointwiseWeights(inputs: Int, outputs: Int, requiresGradient: Bool = false, seed: UInt64 = 3) -> Tensor {
        var generator = SplitMix64(seed: seed)
        let values = randomTensor([outputs, inputs, 1, 1], generator: &generator).scalars().map { $0 * 0.1 }
        return Tensor(shape: [outputs, inputs, 1, 1], scalars: values, requiresGradient: requiresGradient)
    }
}

/// A recorded forward pass whose backward pass can be run again and again (the graph is kept): the
/// gradient with respect to `seed`-weighted outputs, only for the tensors that require gradients.
public final class RepeatableBackward: @unchecked Sendable {
    public let output: Tensor
    public let seed: Tensor

    public init(_ output: Tensor) {
        self.output = output
        var generator = SplitMix64(seed: 9)
        seed = OperatorWorkloads.blocked(randomTensor(output.shape, generator: &generator))
    }

    /// Runs the backward pass once; returns how many gradients it produced.
    @discardableResult
    public func run() -> Int { output.backward(seed: seed).count }
}
