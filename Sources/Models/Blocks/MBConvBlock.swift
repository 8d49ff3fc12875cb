import NeuralNetwork
import TensorCore

/// EfficientNet-Lite's mobile inverted bottleneck (MBConv) without squeeze-and-excitation.
///
/// [1×1 expand → BN → ReLU6] (only when `expansion ≠ 1`) → k×k depthwise, stride s → BN → ReLU6
/// → 1×1 project → BN → (+ input when `stride == 1` and the channel count is unchanged).
/// Padding is TensorFlow "SAME" (asymmetric on stride-2 layers), computed from the input size.
///
/// State-dict names follow lukemelas' `efficientnet_pytorch`: `_expand_conv`, `_bn0`,
/// `_depthwise_conv`, `_bn1`, `_project_conv`, `_bn2`.
public final class MBConvBlock: CompositeLayer {
    public let expand: ConvNormActivation?
    public let depthwise: ConvNormActivation
    public let project: ConvNormActivation
    public let usesResidual: Bool

    public init(inputChannels: Int, outputChannels: Int, expansion: Int, kernelSize: Int, stride: Int, generator: inout SplitMix64) {
        let middle = inputChannels * expansion
        let bn = BatchNormSettings.efficientNet
        expand =
            expansion == 1
            ? nil
            : ConvNormActivation(
                inputChannels, middle, kernelSize: 1, padding: .tfSame, norm: bn,
                names: ("_expand_conv", "_bn0"), generator: &generator)
        depthwise = ConvNormActivation(
            middle, middle, kernelSize: kernelSize, stride: stride, groups: middle, padding: .tfSame, norm: bn,
            names: ("_depthwise_conv", "_bn1"), generator: &generator)
        project = ConvNormActivation(
            middle, outputChannels, kernelSize: 1, padding: .tfSame, norm: bn, usesActivation: false,
            names: ("_project_conv", "_bn2"), generator: &generator)
        usesResidual = stride == 1 && inputChannels == outputChannels
    }

    public func callAsFunction(_ x: Tensor, mode: ForwardMode) -> Tensor {
        var y = x
        if let expand { y = expand(y, mode: mode) }
        y = project(depthwise(y, mode: mode), mode: mode)
        return usesResidual ? add(y, x) : y
    }

    /// The sublayers carry their own state-dict names (`_expand_conv`, `_bn0`, …).
    public var children: [(name: String, layer: any Layer)] {
        (expand.map { [("", $0)] } ?? []) + [("", depthwise), ("", project)]
    }
}
