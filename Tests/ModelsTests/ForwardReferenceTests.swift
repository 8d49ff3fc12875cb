import Checkpoints
import Foundation
import Models
import NeuralNetwork
import TensorCore
import TestSupport
import Testing

/// Our forward pass against PyTorch's, on exact input tensors (no image decoding involved).
@Suite("Forward pass against PyTorch")
struct ForwardReferenceTests {
    /// `chelsea_input_nchw_f32.npy` through Lite0 with the real weights; reference logits from
    /// PyTorch 1.13 (timm's tf_efficientnet_lite0 layout, see the shared fixture README).
    @Test(
        "EfficientNet-Lite0 logits match PyTorch within 1e-3",
        .enabled(if: ModelFixtures.hasLite0Weights, "EfficientNet-Lite0 weights not installed (albumgenre weights install --variant lite0)"),
        .enabled(if: ModelFixtures.hasEfficientNetFixtures, "shared/fixtures/efficientnet-lite0 not found beside the repository"))
    func lite0ChelseaLogits() throws {
        let directory = ModelFixtures.efficientNetDirectory
        let input = try NumpyFileValues(directory.appendingPathComponent("chelsea_input_nchw_f32.npy"))
        let reference = try NumpyFileValues(directory.appendingPathComponent("chelsea_logits_f32.npy"))
        #expect(input.shape == [1, 3, 224, 224])
        #expect(reference.shape == [1, 1000])

        let model = try ModelFixtures.pretrainedLite0().model
        let logits = model(Tensor(shape: input.shape, scalars: input.values), mode: .inference)
        #expect(logits.shape == [1, 1000])
        let difference = maxAbsDifference(logits.scalars(), reference.values)
        print("Lite0 chelsea logits: max abs difference to PyTorch \(difference)")
        #expect(difference < 1e-3)
        // Same winner as PyTorch (282, tiger cat).
        let ours = logits.scalars()
        #expect(ours.indices.max { ours[$0] < ours[$1] } == reference.values.indices.max { reference.values[$0] < reference.values[$1] })
    }

    /// The committed width-0.5, 10-class torchvision MobileNetV2: every one of its 314 tensors loads
    /// strictly (num_batches_tracked included) and the eval-mode logits match PyTorch's.
    @Test("MobileNetV2 fixture loads strictly and matches PyTorch within 1e-4")
    func mobileNetV2FixtureLogits() throws {
        let checkpoint = try PyTorchCheckpoint(contentsOf: ModelFixtures.url("mobilenetv2_small/state_dict.pth"))
        #expect(checkpoint.tensors.count == 314)
        let model = MobileNetV2(widthMultiplier: 0.5, resolution: 96, classCount: 10)
        let report = try loadStateDict(model, plainStateDict(checkpoint))
        #expect(report.loaded.count == 314)
        #expect(report.skipped.isEmpty)
        #expect(learnableParameterCount(model) == 700_490)

        let input = try ModelFixtures.floats("mobilenetv2_small/input_nchw_f32.npy")
        let reference = try ModelFixtures.floats("mobilenetv2_small/logits_f32.npy")
        let logits = model(Tensor(shape: input.shape, scalars: input.values), mode: .inference)
        #expect(logits.shape == [2, 10])
        let difference = maxAbsDifference(logits.scalars(), reference.values)
        print("MobileNetV2 (0.5, 10 classes) logits: max abs difference to PyTorch \(difference)")
        #expect(difference < 1e-4)
    }

    /// The library's own loading route (`loadPretrained`) must give the same model as the strict
    /// state-dict load: it only skips num_batches_tracked and, for another class count, the head.
    @Test("loadPretrained on the MobileNetV2 fixture keeps the backbone and skips a mismatched head")
    func mobileNetV2LoadPretrainedSkipsHead() throws {
        let checkpoint = try PyTorchCheckpoint(contentsOf: ModelFixtures.url("mobilenetv2_small/state_dict.pth"))
        let model = MobileNetV2(widthMultiplier: 0.5, resolution: 96, classCount: 3)
        let skipped = try model.loadPretrained(checkpoint)
        #expect(Set(skipped.filter { !$0.hasSuffix("num_batches_tracked") }) == ["classifier.1.weight", "classifier.1.bias"])
        let stem = try #require(checkpoint.tensors["features.0.0.weight"])
        #expect(model.stem.conv.weight.value.scalars() == stem.floats())
        #expect(model.classCount == 3)
    }
}

/// A `.npy` file's shape and float values.
struct NumpyFileValues {
    let shape: [Int]
    let values: [Float]
    init(_ url: URL) throws {
        let file = try NumpyFile(contentsOf: url)
        shape = file.shape
        values = file.float32
    }
}
