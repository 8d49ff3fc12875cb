import NeuralNetwork
import TensorCore

/// MobileNetV2's inverted residual block (Sandler et al. 2018, Table 1), torchvision layout.
///
/// [1×1 expand → BN → ReLU6] (when `expansion ≠ 1`) → 3×3 depthwise, stride s, padding 1 → BN → ReLU6
/// → 1×1 linear projection → BN → (+ input when `stride == 1` and `in == out`).
///
/// Keys: `conv.0.{0,1}` expansion (when present), then `conv.{first}.{0,1}` depthwise,
/// `conv.{first+1}` projection and `conv.{first+2}` its BN, where `first` is 0 without expansion.
public final class InvertedResidual: CompositeLayer {
    public let expand: ConvNormActivation?
    public let depthwise: ConvNormActivation
    public let project: Conv2d
    public let projectNorm: BatchNorm2d
    public let usesResidual: Bool
    /// Set by `foldBatchNorms()`: the projection and its norm as one convolution at inference.
    private var foldedProjection: FoldedConvolution?

    public init(inputChannels: Int, outputChannels: Int, stride: Int, expansion: Int, generator: inout SplitMix64) {
        let hidden = Int((Double(inputChannels) * Double(expansion)).rounded())
        let bn = BatchNormSettings.torchvision
        expand =
            expansion == 1
            ? nil : ConvNormActivation(inputChannels, hidden, kernelSize: 1, padding: .symmetric(0), norm: bn, generator: &generator)
        depthwise = ConvNormActivation(
            hidden, hidden, kernelSize: 3, stride: stride, groups: hidden, padding: .symmetric(1), norm: bn, generator: &generator)
        project = Conv2d(
            inputChannels: hidden, outputChannels: outputChannels, kernelSize: 1, stride: 1,
            padding: .symmetric(0), groups: 1, bias: false, generator: &generator)
        projectNorm = BatchNorm2d(channels: outputChannels, eps: bn.eps, momentum: bn.momentum)
        usesResidual = stride == 1 && inputChannels == outputChannels
    }

    public func callAsFunction(_ x: Tensor, mode: ForwardMode) -> Tensor {
        var y = x
        if let expand { y = expand(y, mode: mode) }
        y = depthwise(y, mode: mode)
        y = if mode == .inference, let foldedProjection { project(y, folded: foldedProjection) } else { projectNorm(project(y), mode: mode) }
        return usesResidual ? add(y, x) : y
    }

    public func foldBatchNorms() {
        expand?.foldBatchNorms()
        depthwise.foldBatchNorms()
        foldedProjection = FoldedConvolution(project, projectNorm)
    }

    /// torchvision's `conv.<i>` numbering, which starts at the depthwise layer when there is no expansion.
    public var children: [(name: String, layer: any Layer)] {
        let first = expand == nil ? 0 : 1
        return (expand.map { [("conv.0", $0)] } ?? [])
            + [("conv.\(first)", depthwise), ("conv.\(first + 1)", project), ("conv.\(first + 2)", projectNorm)]
    }
}
