import NeuralNetwork
import TensorCore

/// Our scratch CNN for covers: a small all-convolutional network with batch norm and global pooling.
///
/// Why not the study's CNN: its 39,200 → 128 dense layer holds 99.6 % of its 5 M parameters and
/// memorises the training covers (train 0.98, validation 0.38 in the study). CoverNet keeps spatial
/// weight sharing all the way and pools globally, so it has ~0.4 M parameters and sees colour layout,
/// texture and typography at several scales:
///
///     stem 3×3/2 (32) → 4 × [3×3/2 conv → BN → ReLU6 → 3×3 conv → BN → ReLU6] (48, 96, 160, 256)
///     → global average pool → dropout 0.3 → linear
///
/// Input: [-1, 1] RGB at `resolution` (default 160).
public final class CoverNet: ImageClassifier {
    public static let widths = [48, 96, 160, 256]

    public let stem: ConvNormActivation
    public let stages: [(down: ConvNormActivation, refine: ConvNormActivation)]
    public let classifier: ClassifierHead
    public let resolution: Int

    public init(resolution: Int = 160, classCount: Int, seed: UInt64 = 0) {
        self.resolution = resolution
        let bn = BatchNormSettings.torchvision
        var generator = SplitMix64(seed: seed)
        stem = ConvNormActivation(3, 32, kernelSize: 3, stride: 2, padding: .symmetric(1), norm: bn, generator: &generator)
        var channels = 32
        var stages: [(ConvNormActivation, ConvNormActivation)] = []
        for width in Self.widths {
            stages.append(
                (
                    ConvNormActivation(channels, width, kernelSize: 3, stride: 2, padding: .symmetric(1), norm: bn, generator: &generator),
                    ConvNormActivation(width, width, kernelSize: 3, stride: 1, padding: .symmetric(1), norm: bn, generator: &generator)
                ))
            channels = width
        }
        self.stages = stages
        classifier = ClassifierHead(featureCount: channels, classCount: classCount, dropout: 0.3, linearName: "classifier", seed: seed &+ 17)
    }

    public var featureCount: Int { Self.widths.last! }
    public var inputSpecification: InputSpecification { .tensorFlowInception(size: resolution) }
    public var headPrefix: String { "classifier." }
    public var backboneStages: [String] { ["stem."] + stages.indices.map { "stages.\($0)." } }

    public func featureMap(_ images: Tensor, mode: ForwardMode) -> Tensor {
        var x = stem(images, mode: mode)
        for stage in stages { x = stage.refine(stage.down(x, mode: mode), mode: mode) }
        return x
    }

    public func pool(_ featureMap: Tensor, mode: ForwardMode) -> Tensor { globalAveragePool2d(featureMap) }

    public var children: [(name: String, layer: any Layer)] {
        [("stem", stem)]
            + stages.enumerated().flatMap { [("stages.\($0.offset).0", $0.element.down), ("stages.\($0.offset).1", $0.element.refine)] }
            + [("", classifier)]
    }
}
