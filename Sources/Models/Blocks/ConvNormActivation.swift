import NeuralNetwork
import TensorCore

/// Convolution (no bias) → batch norm → optional ReLU6: the unit every mobile CNN is built from.
///
/// Input `[N, inputChannels, H, W]`, output `[N, outputChannels, H', W']` with
/// `H' = ceil(H / stride)` under TF-"SAME" padding or `floor((H + 2p - k) / stride) + 1` otherwise.
public final class ConvNormActivation: CompositeLayer {
    public let conv: Conv2d
    public let norm: BatchNorm2d
    public let usesActivation: Bool
    /// Set by `foldBatchNorms()`: the inference pass is then one convolution with bias.
    private var folded: FoldedConvolution?
    /// State-dict names of the two children (torchvision: "0" and "1"; EfficientNet: "_conv_stem", "_bn0").
    let convName: String
    let normName: String

    public init(
        _ inputChannels: Int, _ outputChannels: Int, kernelSize: Int, stride: Int = 1, groups: Int = 1,
        padding: ConvPadding, norm: BatchNormSettings, usesActivation: Bool = true,
        names: (conv: String, norm: String) = ("0", "1"), generator: inout SplitMix64
    ) {
        self.conv = Conv2d(
            inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize,
            stride: stride, padding: padding, groups: groups, bias: false, generator: &generator)
        self.norm = BatchNorm2d(channels: outputChannels, eps: norm.eps, momentum: norm.momentum)
        self.usesActivation = usesActivation
        self.convName = names.conv
        self.normName = names.norm
    }

    public func callAsFunction(_ x: Tensor, mode: ForwardMode) -> Tensor {
        let y = if mode == .inference, let folded { conv(x, folded: folded) } else { norm(conv(x), mode: mode) }
        return usesActivation ? relu6(y) : y
    }

    public func foldBatchNorms() { folded = FoldedConvolution(conv, norm) }

    public var children: [(name: String, layer: any Layer)] { [(convName, conv), (normName, norm)] }
}

/// Batch-norm hyperparameters of a model family (PyTorch momentum convention:
/// `running = (1 - momentum) · running + momentum · batch`).
public struct BatchNormSettings: Sendable {
    public var eps: Float
    public var momentum: Float
    public init(eps: Float, momentum: Float) {
        self.eps = eps
        self.momentum = momentum
    }
    /// EfficientNet-Lite (TensorFlow): eps 1e-3, decay 0.99.
    public static let efficientNet = BatchNormSettings(eps: 1e-3, momentum: 0.01)
    /// torchvision defaults.
    public static let torchvision = BatchNormSettings(eps: 1e-5, momentum: 0.1)
}
