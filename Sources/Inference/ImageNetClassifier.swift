import Checkpoints
import Foundation
import Imaging
import Models
import TensorCore

/// One ImageNet class and its probability.
public struct ImageNetScore: Codable, Sendable, Equatable {
    public var index: Int
    public var name: String
    public var probability: Double
}

/// The pretrained backbone with its original 1000-class head: lets a user check that the ImageNet
/// weights work on their machine (`albumgenre imagenet photo.jpg`).
public final class ImageNetClassifier: @unchecked Sendable {
    let model: EfficientNetLite
    let preprocessing: PretrainedPreprocessing
    public let classNames: [String]
    private let lock = NSLock()

    /// Loads EfficientNet-Lite0 (or Lite1/Lite2) from a `.pth` file, strictly, head included.
    public init(checkpointURL: URL, configuration: EfficientNetLite.Configuration = .lite0) throws {
        model = EfficientNetLite(configuration, classCount: 1000)
        try model.loadPretrained(PyTorchCheckpoint(contentsOf: checkpointURL), keepHead: true)
        let size = configuration.resolution
        let input = InputSpecification.tensorFlowInception(size: size)
        preprocessing = PretrainedPreprocessing(
            resizeShorterSide: input.resizeShorterSide, cropSize: ImageSize(width: size, height: size), filter: .bicubic,
            normalization: .symmetric)
        classNames = Self.loadClassNames()
    }

    static func loadClassNames() -> [String] {
        guard let url = Bundle.module.url(forResource: "imagenet-classes", withExtension: "txt"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return (0..<1000).map { "class \($0)" } }
        return text.split(separator: "\n", omittingEmptySubsequences: false).prefix(1000).map(String.init)
    }

    /// Logits `[1000]` for an already normalised `[3, S, S]` input (the fixture path).
    public func logits(input: [Float]) -> [Float] {
        let side = preprocessing.cropSize.width
        return lock.withLock { model(Tensor(shape: [1, 3, side, side], scalars: input), mode: .inference).scalars() }
    }

    /// The `k` most probable classes of a decoded photo.
    public func top(_ k: Int, of image: RGBImage) -> [ImageNetScore] {
        let logits = logits(input: preprocessing(image))
        let peak = logits.max() ?? 0
        let exps = logits.map { Foundation.exp(Double($0 - peak)) }
        let total = exps.reduce(0, +)
        return logits.indices.sorted { logits[$0] > logits[$1] }.prefix(k).map {
            ImageNetScore(index: $0, name: classNames[$0], probability: exps[$0] / total)
        }
    }
}
