import Checkpoints

/// The architectures `albumgenre train` can build, by their command-line names.
public enum ModelKind: String, CaseIterable, Codable, Sendable {
    /// The original study's scratch CNN (3 × conv 32 + dense 128), 300 px.
    case studyCNN = "study-cnn"
    /// Our scratch CNN with batch norm and global pooling, 160 px.
    case coverNet = "cover-net"
    /// MobileNetV2 1.0, torchvision layout, 224 px.
    case mobileNetV2 = "mobilenetv2"
    /// EfficientNet-Lite0 with ImageNet weights, 224 px.
    case efficientNetLite0 = "efficientnet-lite0"
    /// The same up to its last block, with statistics pooling (each channel's mean and standard
    /// deviation: 640 features) instead of the 1280-channel head convolution.
    case efficientNetLite0Statistics = "efficientnet-lite0-stats"
    /// EfficientNet-Lite1 (240 px) and Lite2 (260 px), when their weights are installed.
    case efficientNetLite1 = "efficientnet-lite1"
    case efficientNetLite2 = "efficientnet-lite2"

    /// Whether the model is meant to start from ImageNet weights.
    public var isPretrained: Bool {
        switch self {
        case .studyCNN, .coverNet: false
        case .mobileNetV2, .efficientNetLite0, .efficientNetLite0Statistics, .efficientNetLite1, .efficientNetLite2: true
        }
    }

    /// The installable ImageNet checkpoint the model starts from (nil: none, or torchvision's).
    public var pretrainedVariant: PretrainedVariant? {
        switch self {
        case .efficientNetLite0, .efficientNetLite0Statistics: .efficientNetLite0
        case .efficientNetLite1: .efficientNetLite1
        case .efficientNetLite2: .efficientNetLite2
        case .studyCNN, .coverNet, .mobileNetV2: nil
        }
    }

    /// Builds the architecture with a `classCount`-way head and seeded initialisation.
    public func make(classCount: Int, seed: UInt64 = 0, resolution: Int? = nil) -> any ImageClassifier {
        switch self {
        case .studyCNN: StudyCNN(resolution: resolution ?? 300, classCount: classCount, seed: seed)
        case .coverNet: CoverNet(resolution: resolution ?? 160, classCount: classCount, seed: seed)
        case .mobileNetV2: MobileNetV2(resolution: resolution ?? 224, classCount: classCount, seed: seed)
        case .efficientNetLite0: EfficientNetLite(.lite0.at(resolution), classCount: classCount, seed: seed)
        case .efficientNetLite0Statistics: EfficientNetLite(.lite0.at(resolution), pooling: .meanAndStd, classCount: classCount, seed: seed)
        case .efficientNetLite1: EfficientNetLite(.lite1.at(resolution), classCount: classCount, seed: seed)
        case .efficientNetLite2: EfficientNetLite(.lite2.at(resolution), classCount: classCount, seed: seed)
        }
    }
}
