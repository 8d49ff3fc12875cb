import Checkpoints
import Foundation
import Models
import NeuralNetwork
import TensorCore
import TestSupport

/// Locations of the committed fixtures, the shared reference data beside the repository and the
/// installed pretrained weights, plus small helpers the model tests share.
enum ModelFixtures {
    static func url(_ relativePath: String) -> URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(relativePath)
    }

    static func floats(_ relativePath: String) throws -> (shape: [Int], values: [Float]) {
        let file = try NumpyFile(contentsOf: url(relativePath))
        return (file.shape, file.float32)
    }

    static func json(_ relativePath: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url(relativePath)))
    }

    /// `<repo root>/../shared/fixtures/efficientnet-lite0` (CI clones `shared/` beside the repository).
    static let efficientNetDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // ModelsTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repo root
        .deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures/efficientnet-lite0")

    static var hasEfficientNetFixtures: Bool {
        FileManager.default.fileExists(atPath: efficientNetDirectory.appendingPathComponent("chelsea_logits_f32.npy").path)
    }

    /// The installed `efficientnet-lite0-57934424.pth`, or nil (`albumgenre weights install --variant lite0`).
    static let lite0WeightsURL: URL? = try? PretrainedWeights().locate(.efficientNetLite0)
    static var hasLite0Weights: Bool { lite0WeightsURL != nil }

    static let lite0Absent = "EfficientNet-Lite0 weights not installed (run `albumgenre weights install --variant lite0`)"
    static let sharedAbsent = "shared/fixtures/efficientnet-lite0 not found beside the repository"

    /// Lite0 with the real ImageNet weights, loaded strictly (head included).
    static func pretrainedLite0() throws -> EfficientNetLiteLoaded {
        guard let url = lite0WeightsURL else { throw FixtureError.absent(lite0Absent) }
        return try EfficientNetLiteLoaded(url: url)
    }

    enum FixtureError: Error { case absent(String) }
}

/// Lite0 plus the checkpoint it came from (the checkpoint is memory-mapped; loading takes ~1 s).
struct EfficientNetLiteLoaded {
    let model: EfficientNetLite
    let checkpoint: PyTorchCheckpoint
    init(url: URL) throws {
        checkpoint = try PyTorchCheckpoint(contentsOf: url)
        model = EfficientNetLite(.lite0, classCount: 1000)
        try model.loadPretrained(checkpoint, keepHead: true)
    }
}

/// Largest absolute element-wise difference.
func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "length \(a.count) vs \(b.count)")
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// Number of learnable values (BN running statistics and counters excluded).
func learnableParameterCount(_ layer: any Layer) -> Int {
    layer.namedParameters().filter { !$0.parameter.isBuffer }.reduce(0) { $0 + $1.parameter.shape.reduce(1, *) }
}

/// A state dict read from a `.pth` as the `loadStateDict` input (num_batches_tracked included).
func plainStateDict(_ checkpoint: PyTorchCheckpoint) -> [String: (shape: [Int], values: [Float])] {
    var result: [String: (shape: [Int], values: [Float])] = [:]
    for (name, tensor) in checkpoint.tensors { result[name] = (tensor.shape, tensor.floats()) }
    return result
}
