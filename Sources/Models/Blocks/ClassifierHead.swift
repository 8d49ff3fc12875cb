import NeuralNetwork
import TensorCore

/// Dropout (training only) followed by a linear layer: `[N, F]` → `[N, classCount]`.
///
/// The output is raw logits. (The original study put a ReLU here, which clips every negative logit
/// to zero before the softmax; we do not repeat that mistake.)
public final class ClassifierHead: CompositeLayer {
    public private(set) var linear: Linear
    public private(set) var dropout: Dropout
    /// State-dict name of the linear layer (`_fc` for EfficientNet, `classifier.1` for torchvision).
    let linearName: String
    var generator: SplitMix64

    public init(featureCount: Int, classCount: Int, dropout: Float, linearName: String, seed: UInt64 = 0) {
        var initGenerator = SplitMix64(seed: seed)
        self.linear = Linear(inputFeatures: featureCount, outputFeatures: classCount, bias: true, generator: &initGenerator)
        self.dropout = Dropout(probability: dropout)
        self.linearName = linearName
        self.generator = SplitMix64(seed: seed &+ 1)
    }

    public var classCount: Int { linear.outputFeatures }

    /// Probability of zeroing a feature in `.training` (0 turns dropout off, e.g. to replay a
    /// PyTorch run step for step). Must be in [0, 1).
    public var dropoutProbability: Float {
        get { dropout.probability }
        set { dropout = Dropout(probability: newValue) }
    }

    public func callAsFunction(_ features: Tensor, mode: ForwardMode) -> Tensor {
        linear(dropout(features, mode: mode, generator: &generator))
    }

    /// A fresh, randomly initialised linear layer for a new label set.
    public func reset(classCount: Int, seed: UInt64) {
        var initGenerator = SplitMix64(seed: seed)
        linear = Linear(
            inputFeatures: linear.inputFeatures, outputFeatures: classCount, bias: true, generator: &initGenerator)
        generator = SplitMix64(seed: seed &+ 1)
    }

    public func reseed(_ seed: UInt64) { generator = SplitMix64(seed: seed) }

    public var children: [(name: String, layer: any Layer)] { [(linearName, linear)] }
}
