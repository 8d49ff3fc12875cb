import TensorCore

/// Inverted dropout (`torch.nn.Dropout`); active only in `.training`.
public final class Dropout: SequentialLayer {
    public let probability: Float
    /// The generator used when the layer runs inside `Sequential`.
    public var generator: SplitMix64

    public init(probability: Float, seed: UInt64 = 0) {
        require(probability >= 0 && probability < 1, "Dropout: probability must be in [0, 1), got \(probability)")
        self.probability = probability
        generator = SplitMix64(seed: seed)
    }

    public func callAsFunction(_ input: Tensor, mode: ForwardMode, generator: inout SplitMix64) -> Tensor {
        dropout(input, probability: probability, mode: mode, generator: &generator)
    }

    public func forward(_ input: Tensor, mode: ForwardMode) -> Tensor {
        dropout(input, probability: probability, mode: mode, generator: &generator)
    }

    public func namedParameters() -> [(path: String, parameter: Parameter)] { [] }
}
