import TensorCore

/// A convolution with the batch norm that follows it folded in, for inference.
///
/// At inference batch norm is a fixed affine map per output channel o:
/// `BN(z)_o = γ_o · (z_o − μ_o) / √(σ²_o + ε) + β_o = a_o · z_o + b_o`, with `a_o = γ_o / √(σ²_o + ε)`
/// and `b_o = β_o − μ_o · a_o`. A convolution is linear in its weights, so
/// `BN(W ∗ x + c) = (a ⊙ W) ∗ x + (a ⊙ c + b)`: one convolution with scaled weights `[O, C/g, K, K]`
/// and a bias `[O]` replaces the convolution and the normalisation pass over its output. TensorFlow
/// Lite and Keras do the same when they export for inference.
public struct FoldedConvolution: @unchecked Sendable {
    /// `a ⊙ W`, `[O, C/g, K, K]`.
    public let weight: Tensor
    /// `a ⊙ c + b`, `[O]` (`c` = 0 for a convolution without bias).
    public let bias: Tensor

    /// Folds `norm`'s running statistics into `conv`'s current weights. The result is a snapshot:
    /// training the layers afterwards does not change it.
    public init(_ conv: Conv2d, _ norm: BatchNorm2d) {
        let scale = norm.weight.value.scalars(), shift = norm.bias.value.scalars()
        let mean = norm.runningMean.value.scalars(), variance = norm.runningVariance.value.scalars()
        let channels = norm.channels
        require(conv.weight.value.shape[0] == channels, "FoldedConvolution: \(conv.weight.value.shape[0]) filters, \(channels) norm channels")
        let factor = (0..<channels).map { scale[$0] / (variance[$0] + norm.eps).squareRoot() }
        var weights = conv.weight.value.scalars()
        let perFilter = weights.count / channels
        for o in 0..<channels {
            for i in (o * perFilter)..<((o + 1) * perFilter) { weights[i] *= factor[o] }
        }
        let convBias = conv.bias?.value.scalars() ?? Array(repeating: 0, count: channels)
        weight = Tensor(shape: conv.weight.value.shape, scalars: weights)
        bias = Tensor(shape: [channels], scalars: (0..<channels).map { factor[$0] * (convBias[$0] - mean[$0]) + shift[$0] })
    }
}

extension Conv2d {
    /// This convolution's geometry (stride, padding, groups) with `folded`'s weights and bias.
    public func callAsFunction(_ input: Tensor, folded: FoldedConvolution) -> Tensor {
        require(input.shape.count == 4, "Conv2d: expected [N, C, H, W], got \(input.shape)")
        return conv2d(
            input, weight: folded.weight, bias: folded.bias, stride: stride,
            padding: padding(inputHeight: input.shape[2], inputWidth: input.shape[3]), groups: groups)
    }
}

/// A layer whose batch norms can be folded into their convolutions for inference
/// (`FoldedConvolution`). Folding is for models whose weights are final: the inference loaders
/// fold; training never does, and a folded layer still trains and runs `.training` unfolded.
public protocol BatchNormFoldable: AnyObject {
    /// Replaces every conv → batch norm pair's inference pass with one folded convolution.
    func foldBatchNorms()
}
