import NeuralNetwork
import TensorCore

/// The original study's CNN from scratch, exactly (Keras, `deep_learning_model.ipynb`):
///
///     Rescaling(1/255) → 3 × [Conv2D(32, 3×3, "valid", ReLU) → MaxPool2D(2)] → Flatten
///     → [Dropout(0.8)] → Dense(128, ReLU) → Dense(k)
///
/// At 300×300 input the feature map is 32×35×35 = 39,200 values and the model has 5,037,894
/// parameters for k = 6, as in the study. The study's logits were plain (this model has no ReLU on
/// the output either).
public final class StudyCNN: ImageClassifier {
    public let convolutions: [Conv2d]
    public let hidden: Linear
    public let classifier: ClassifierHead
    public let resolution: Int
    public let featureCount: Int = 128
    let dropout: Dropout
    var generator: SplitMix64

    public init(resolution: Int = 300, classCount: Int, usesDropout: Bool = true, seed: UInt64 = 0) {
        self.resolution = resolution
        var initGenerator = SplitMix64(seed: seed)
        convolutions = [3, 32, 32].map {
            Conv2d(
                inputChannels: $0, outputChannels: 32, kernelSize: 3, stride: 1, padding: .symmetric(0), groups: 1,
                bias: true, generator: &initGenerator)
        }
        var side = resolution
        for _ in 0..<3 { side = (side - 2) / 2 }
        hidden = Linear(inputFeatures: 32 * side * side, outputFeatures: 128, bias: true, generator: &initGenerator)
        dropout = Dropout(probability: usesDropout ? 0.8 : 0)
        classifier = ClassifierHead(featureCount: 128, classCount: classCount, dropout: 0, linearName: "classifier", seed: seed &+ 7)
        generator = SplitMix64(seed: seed &+ 13)
    }

    public var inputSpecification: InputSpecification { .unitRange(size: resolution) }
    public var headPrefix: String { "classifier." }
    public var backboneStages: [String] { ["conv.0.", "conv.1.", "conv.2.", "hidden."] }

    /// The third convolution block's output, `[N, 32, s, s]`.
    public func featureMap(_ images: Tensor, mode: ForwardMode) -> Tensor {
        var x = images
        for conv in convolutions { x = maxPool2d(relu(conv(x)), kernelSize: 2, stride: 2) }
        return x
    }

    /// Flatten → dropout 0.8 → dense 128 → ReLU: the 128-wide hidden layer is the study's "features".
    public func pool(_ featureMap: Tensor, mode: ForwardMode) -> Tensor {
        relu(hidden(dropout(flattened(featureMap), mode: mode, generator: &generator)))
    }

    /// The study's CNN has no batch norm: nothing to fold.
    public func foldBatchNorms() {}

    public func reseed(_ seed: UInt64) {
        generator = SplitMix64(seed: seed)
        classifier.reseed(seed &+ 1)
    }

    public var children: [(name: String, layer: any Layer)] {
        convolutions.enumerated().map { ("conv.\($0.offset)", $0.element) } + [("hidden", hidden), ("", classifier)]
    }
}
