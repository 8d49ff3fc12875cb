import Checkpoints
import Foundation
import Models
import NeuralNetwork
import TensorCore
import Testing

/// Strict loading: a state dict that does not fit the model is refused with an error naming the
/// key, and the model keeps every value it had (no half-loaded model).
@Suite("Strict state-dict loading")
struct StrictLoadingTests {
    /// The MobileNetV2 fixture's 314 tensors and a fresh model of the same shape (seeded init,
    /// so its values differ from the fixture's everywhere).
    static func fixture() throws -> (model: MobileNetV2, tensors: [String: (shape: [Int], values: [Float])]) {
        let checkpoint = try PyTorchCheckpoint(contentsOf: ModelFixtures.url("mobilenetv2_small/state_dict.pth"))
        return (MobileNetV2(widthMultiplier: 0.5, resolution: 96, classCount: 10, seed: 5), plainStateDict(checkpoint))
    }

    /// Every value of the model, in state-dict order, to compare before and after a failed load.
    static func snapshot(_ model: any Layer) -> [[Float]] {
        model.namedParameters().map { $0.parameter.value.scalars() }
    }

    @Test("a missing key throws .missing naming it and changes nothing")
    func missingKey() throws {
        var (model, tensors) = try Self.fixture()
        tensors["features.5.conv.1.0.weight"] = nil
        let before = Self.snapshot(model)
        let error = #expect(throws: ParameterLoadError.self) { try loadStateDict(model, tensors) }
        #expect(error == .missing(keys: ["features.5.conv.1.0.weight"]))
        #expect(String(describing: error!).contains("features.5.conv.1.0.weight"))
        #expect(Self.snapshot(model) == before)
    }

    @Test("an unexpected key throws .unexpected naming it and changes nothing")
    func unexpectedKey() throws {
        var (model, tensors) = try Self.fixture()
        tensors["features.5.conv.0.1.extra"] = ([2], [1, 2])
        let before = Self.snapshot(model)
        let error = #expect(throws: ParameterLoadError.self) { try loadStateDict(model, tensors) }
        #expect(error == .unexpected(keys: ["features.5.conv.0.1.extra"]))
        #expect(String(describing: error!).contains("features.5.conv.0.1.extra"))
        #expect(Self.snapshot(model) == before)
    }

    /// The mis-shaped tensor is the last one in state-dict order, so a loader that applied values as
    /// it went would already have overwritten all the others when it noticed.
    @Test("a shape mismatch throws .shapeMismatch with both shapes and changes nothing")
    func shapeMismatch() throws {
        var (model, tensors) = try Self.fixture()
        let bias = try #require(tensors["classifier.1.bias"])
        tensors["classifier.1.bias"] = ([11], bias.values + [0])
        let before = Self.snapshot(model)
        let error = #expect(throws: ParameterLoadError.self) { try loadStateDict(model, tensors) }
        #expect(error == .shapeMismatch(key: "classifier.1.bias", expected: [10], actual: [11]))
        let message = String(describing: error!)
        #expect(message.contains("classifier.1.bias") && message.contains("[11]") && message.contains("[10]"))
        #expect(Self.snapshot(model) == before)
    }

    /// A checkpoint of another architecture (Lite0 names into MobileNetV2) is refused as a whole.
    @Test("loadPretrained refuses a checkpoint of another architecture and changes nothing")
    func wrongArchitecture() throws {
        let checkpoint = try PyTorchCheckpoint(contentsOf: ModelFixtures.url("mobilenetv2_small/state_dict.pth"))
        let model = EfficientNetLite(.lite0, classCount: 10)
        let before = Self.snapshot(model)
        #expect(throws: ParameterLoadError.self) { try model.loadPretrained(checkpoint) }
        #expect(Self.snapshot(model) == before)
    }

    /// A width mismatch (width-0.5 weights into a width-1.0 model) is a shape error, not a crash.
    @Test("loadPretrained refuses weights of another width with a shape mismatch")
    func wrongWidth() throws {
        let checkpoint = try PyTorchCheckpoint(contentsOf: ModelFixtures.url("mobilenetv2_small/state_dict.pth"))
        let model = MobileNetV2(widthMultiplier: 1.0, resolution: 96, classCount: 10)
        let before = Self.snapshot(model)
        let error = #expect(throws: ParameterLoadError.self) { try model.loadPretrained(checkpoint) }
        if case .shapeMismatch(let key, let expected, let actual)? = error {
            #expect(key == "features.0.0.weight")
            #expect(expected == [32, 3, 3, 3] && actual == [16, 3, 3, 3])
        } else {
            Issue.record("expected a shape mismatch, got \(String(describing: error))")
        }
        #expect(Self.snapshot(model) == before)
    }
}
