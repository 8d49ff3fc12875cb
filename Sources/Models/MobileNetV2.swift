import NeuralNetwork
import TensorCore

/// MobileNetV2 (Sandler et al. 2018, "MobileNetV2: Inverted Residuals and Linear Bottlenecks"),
/// torchvision layout: `features.0` stem, `features.1…17` inverted residuals, `features.18` 1×1 head,
/// `classifier.1` linear. 3,504,872 parameters at width 1.0 with 1000 classes.
///
/// Padding is symmetric (PyTorch), BN eps 1e-5, ReLU6. Input: ImageNet mean/std on [0, 1].
public final class MobileNetV2: ImageClassifier {
    /// Table 2 of the paper: expansion t, output channels c, repeats n, first stride s.
    public static let invertedResidualSettings: [(t: Int, c: Int, n: Int, s: Int)] = [
        (1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1),
    ]

    public let widthMultiplier: Double
    public let resolution: Int
    public let stem: ConvNormActivation
    public let blocks: [InvertedResidual]
    public let head: ConvNormActivation
    public let classifier: ClassifierHead
    public let featureCount: Int

    public init(widthMultiplier: Double = 1.0, resolution: Int = 224, classCount: Int = 1000, seed: UInt64 = 0) {
        self.widthMultiplier = widthMultiplier
        self.resolution = resolution
        let bn = BatchNormSettings.torchvision
        var generator = SplitMix64(seed: seed)
        var channels = makeDivisible(32 * widthMultiplier)
        featureCount = makeDivisible(1280 * max(1.0, widthMultiplier))
        stem = ConvNormActivation(3, channels, kernelSize: 3, stride: 2, padding: .symmetric(1), norm: bn, generator: &generator)
        var blocks: [InvertedResidual] = []
        for setting in Self.invertedResidualSettings {
            let output = makeDivisible(Double(setting.c) * widthMultiplier)
            for index in 0..<setting.n {
                blocks.append(
                    InvertedResidual(
                        inputChannels: channels, outputChannels: output, stride: index == 0 ? setting.s : 1,
                        expansion: setting.t, generator: &generator))
                channels = output
            }
        }
        self.blocks = blocks
        head = ConvNormActivation(channels, featureCount, kernelSize: 1, padding: .symmetric(0), norm: bn, generator: &generator)
        classifier = ClassifierHead(
            featureCount: featureCount, classCount: classCount, dropout: 0.2, linearName: "classifier.1", seed: seed)
    }

    public var inputSpecification: InputSpecification { .imageNet(size: resolution) }
    public var headPrefix: String { "classifier." }
    public var backboneStages: [String] { (0...(blocks.count + 1)).map { "features.\($0)." } }

    public func featureMap(_ images: Tensor, mode: ForwardMode) -> Tensor {
        var x = stem(images, mode: mode)
        for block in blocks { x = block(x, mode: mode) }
        return head(x, mode: mode)
    }

    public func pool(_ featureMap: Tensor, mode: ForwardMode) -> Tensor { globalAveragePool2d(featureMap) }

    /// torchvision's `features.<i>` numbering: the stem, the blocks, the last 1×1 convolution.
    public var children: [(name: String, layer: any Layer)] {
        [("features.0", stem)] + blocks.enumerated().map { ("features.\($0.offset + 1)", $0.element) }
            + [("features.\(blocks.count + 1)", head), ("", classifier)]
    }
}
