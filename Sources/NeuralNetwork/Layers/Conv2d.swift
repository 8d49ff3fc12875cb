import TensorCore

/// How `Conv2d` pads its input.
public enum ConvPadding: Hashable, Sendable {
    /// `p` on every side (PyTorch `padding=p`).
    case symmetric(Int)
    /// TensorFlow "SAME", computed from the input size at call time (asymmetric when the total is odd).
    case tfSame
}

/// 2-D convolution layer, checkpoint-compatible with `torch.nn.Conv2d`: weight [O, C/groups, K, K]
/// ("weight"), optional bias [O] ("bias"). Input [N, C, H, W] → [N, O, OH, OW].
public final class Conv2d: SequentialLayer {
    public let weight: Parameter
    public let bias: Parameter?
    public let inputChannels: Int
    public let outputChannels: Int
    public let kernelSize: Int
    public let stride: Int
    public let padding: ConvPadding
    public let groups: Int

    /// Weights and bias ~ U(−1/√fanIn, 1/√fanIn), fanIn = C/groups · K², as PyTorch initialises them.
    public init(
        inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1,
        padding: ConvPadding = .symmetric(0), groups: Int = 1, bias: Bool = true,
        generator: inout some RandomNumberGenerator
    ) {
        require(
            inputChannels % groups == 0 && outputChannels % groups == 0,
            "Conv2d: groups \(groups) must divide \(inputChannels) and \(outputChannels)")
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.groups = groups
        let fanIn = inputChannels / groups * kernelSize * kernelSize
        weight = Parameter(
            Initializers.uniformFanIn(
                [outputChannels, inputChannels / groups, kernelSize, kernelSize],
                fanIn: fanIn, generator: &generator))
        self.bias = bias ? Parameter(Initializers.uniformFanIn([outputChannels], fanIn: fanIn, generator: &generator)) : nil
    }

    /// Same, with a system random generator (not reproducible; pass a `SplitMix64` for that).
    public convenience init(
        inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1,
        padding: ConvPadding = .symmetric(0), groups: Int = 1, bias: Bool = true
    ) {
        var generator = SystemRandomNumberGenerator()
        self.init(
            inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize, stride: stride,
            padding: padding, groups: groups, bias: bias, generator: &generator)
    }

    /// The explicit padding for an input of the given size.
    public func padding(inputHeight: Int, inputWidth: Int) -> Padding2D {
        switch padding {
        case .symmetric(let p): return .symmetric(p)
        case .tfSame: return .tfSame(inputHeight: inputHeight, inputWidth: inputWidth, kernelSize: kernelSize, stride: stride)
        }
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        require(input.shape.count == 4, "Conv2d: expected [N, C, H, W], got \(input.shape)")
        return conv2d(
            input, weight: weight.value, bias: bias?.value, stride: stride,
            padding: padding(inputHeight: input.shape[2], inputWidth: input.shape[3]), groups: groups)
    }

    public func forward(_ input: Tensor, mode: ForwardMode) -> Tensor { self(input) }

    public func namedParameters() -> [(path: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }
}
