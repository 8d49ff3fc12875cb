import TensorCore

/// Fully connected layer, checkpoint-compatible with `torch.nn.Linear`: weight [O, F], bias [O].
/// Input [N, F] → [N, O].
public final class Linear: SequentialLayer {
    public let weight: Parameter
    public let bias: Parameter?
    public let inputFeatures: Int
    public let outputFeatures: Int

    /// Weight and bias ~ U(−1/√F, 1/√F), as PyTorch initialises them.
    public init(inputFeatures: Int, outputFeatures: Int, bias: Bool = true, generator: inout some RandomNumberGenerator) {
        self.inputFeatures = inputFeatures
        self.outputFeatures = outputFeatures
        weight = Parameter(Initializers.uniformFanIn([outputFeatures, inputFeatures], fanIn: inputFeatures, generator: &generator))
        self.bias = bias ? Parameter(Initializers.uniformFanIn([outputFeatures], fanIn: inputFeatures, generator: &generator)) : nil
    }

    /// Same, with a system random generator (not reproducible).
    public convenience init(inputFeatures: Int, outputFeatures: Int, bias: Bool = true) {
        var generator = SystemRandomNumberGenerator()
        self.init(inputFeatures: inputFeatures, outputFeatures: outputFeatures, bias: bias, generator: &generator)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor { linear(input, weight: weight.value, bias: bias?.value) }

    public func forward(_ input: Tensor, mode: ForwardMode) -> Tensor { self(input) }

    public func namedParameters() -> [(path: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }
}
