import Checkpoints
import Foundation
import Models
import NeuralNetwork
import TensorCore
import Testing

/// Parameter counts and state-dict layouts against the published numbers and the reference key lists
/// (`scripts/reference/make_model_key_fixtures.py`: torchvision for MobileNetV2, the real .pth for Lite0).
@Suite("Architecture: parameter counts and state-dict keys")
struct ArchitectureTests {
    /// `[[name, shape], …]` of a key fixture, in state-dict order, and its recorded parameter count.
    static func referenceKeys(_ name: String) throws -> (keys: [String], shapes: [String: [Int]], parameterCount: Int) {
        let document = try #require(ModelFixtures.json("keys/\(name)") as? [String: Any])
        let rows = try #require(document["keys"] as? [[Any]])
        var keys: [String] = []
        var shapes: [String: [Int]] = [:]
        for row in rows {
            let key = try #require(row.first as? String)
            keys.append(key)
            shapes[key] = try #require(row.last as? [Int])
        }
        return (keys, shapes, try #require(document["parameter_count"] as? Int))
    }

    static func ourKeys(_ model: any Layer) -> (keys: [String], shapes: [String: [Int]]) {
        let named = model.namedParameters()
        return (named.map(\.path), Dictionary(uniqueKeysWithValues: named.map { ($0.path, $0.parameter.shape) }))
    }

    @Test("EfficientNet-Lite0 has 4,652,008 learnable parameters and the checkpoint's 296 keys in file order")
    func lite0Layout() throws {
        let model = EfficientNetLite(.lite0, classCount: 1000)
        #expect(learnableParameterCount(model) == 4_652_008)
        let reference = try Self.referenceKeys("efficientnet_lite0.json")
        #expect(reference.parameterCount == 4_652_008)
        let ours = Self.ourKeys(model)
        #expect(ours.keys.count == 296)
        #expect(ours.keys == reference.keys)
        #expect(ours.shapes == reference.shapes)
        #expect(ours.keys.filter { $0.hasSuffix("num_batches_tracked") }.count == 49)
    }

    @Test(
        "our Lite0 keys equal the installed checkpoint's",
        .enabled(if: ModelFixtures.hasLite0Weights, "EfficientNet-Lite0 weights not installed (albumgenre weights install --variant lite0)"))
    func lite0KeysMatchInstalledCheckpoint() throws {
        let checkpoint = try PyTorchCheckpoint(contentsOf: #require(ModelFixtures.lite0WeightsURL))
        let ours = Self.ourKeys(EfficientNetLite(.lite0))
        #expect(ours.keys == checkpoint.tensors.names)
        for (name, tensor) in checkpoint.tensors { #expect(ours.shapes[name] == tensor.shape, "\(name)") }
    }

    @Test("Lite0 with statistics pooling: the checkpoint's keys without the head convolution, 640 features")
    func lite0StatisticsLayout() throws {
        let model = try #require(ModelKind.efficientNetLite0Statistics.make(classCount: 5) as? EfficientNetLite)
        let reference = try Self.referenceKeys("efficientnet_lite0.json")
        let ours = Self.ourKeys(model)
        let headKeys = reference.keys.filter { $0.hasPrefix("_conv_head.") || $0.hasPrefix("_bn1.") }
        #expect(headKeys.count == 6)
        #expect(ours.keys == reference.keys.filter { !headKeys.contains($0) })
        #expect(model.featureCount == 640 && ours.shapes["_fc.weight"] == [5, 640])
        #expect(model.backboneStages.last == "_blocks.15.")
        #expect(model.unusedPretrainedPrefixes == ["_conv_head.", "_bn1."])
        let images = Tensor(shape: [2, 3, 224, 224], repeating: 0.25)
        #expect(model.featureMap(images, mode: .inference).shape == [2, 320, 7, 7])
        #expect(model.features(images, mode: .inference).shape == [2, 640])
    }

    @Test(
        "Lite0 with statistics pooling loads the installed checkpoint, leaving only the head convolution and the ImageNet classifier",
        .enabled(if: ModelFixtures.hasLite0Weights, "EfficientNet-Lite0 weights not installed (albumgenre weights install --variant lite0)"))
    func lite0StatisticsLoadsPretrainedWeights() throws {
        let checkpoint = try PyTorchCheckpoint(contentsOf: #require(ModelFixtures.lite0WeightsURL))
        let model = ModelKind.efficientNetLite0Statistics.make(classCount: 5)
        let skipped = try model.loadPretrained(checkpoint)
        #expect(
            skipped.allSatisfy { $0.hasPrefix("_conv_head.") || $0.hasPrefix("_bn1.") || $0.hasPrefix("_fc.") || $0.hasSuffix("num_batches_tracked") }
        )
        #expect(skipped.contains("_conv_head.weight") && skipped.contains("_fc.weight"))
        // The last block's output is the average-pooling model's, so the means are its pre-head features.
        let plain = EfficientNetLite(.lite0)
        try plain.loadPretrained(checkpoint)
        let images = Tensor(shape: [1, 3, 224, 224], scalars: (0..<(3 * 224 * 224)).map { Float($0 % 97) / 48 - 1 })
        var x = plain.stem(images, mode: .inference)
        for block in plain.blocks { x = block(x, mode: .inference) }
        let expected = globalAveragePool2d(x).scalars()
        let means = Array(model.features(images, mode: .inference).scalars().prefix(320))
        #expect(zip(means, expected).allSatisfy { abs($0 - $1) < 1e-4 })
    }

    @Test("MobileNetV2 1.0 with 1000 classes has 3,504,872 parameters and torchvision's 314 keys in order")
    func mobileNetV2Layout() throws {
        let model = MobileNetV2()
        #expect(learnableParameterCount(model) == 3_504_872)
        let reference = try Self.referenceKeys("mobilenetv2_w1.0_c1000.json")
        #expect(reference.parameterCount == 3_504_872)
        let ours = Self.ourKeys(model)
        #expect(ours.keys.count == 314)
        #expect(ours.keys == reference.keys)
        #expect(ours.shapes == reference.shapes)
    }

    @Test("StudyCNN at 300 px with 6 classes has the study's 5,037,894 parameters")
    func studyCNNCount() {
        let model = StudyCNN(resolution: 300, classCount: 6)
        #expect(learnableParameterCount(model) == 5_037_894)
        // 3 × (conv 3×3 valid → pool 2): 300 → 149 → 73 → 35; the dense layer reads 32·35·35.
        #expect(model.hidden.inputFeatures == 39_200)
    }

    /// Larger Lite members: the stem and head stay at 32 and 1280 channels ("fix_head_stem"), the first
    /// and last stages keep one block, the others deepen by ceil(repeats · depth). Parameter counts are
    /// the published ones of the TensorFlow EfficientNet-Lite README (millions, one decimal).
    @Test(
        "Lite1-Lite4: block counts and published parameter counts",
        arguments: [
            (EfficientNetLite.Configuration.lite1, 21, 5.4), (.lite2, 21, 6.1), (.lite3, 24, 8.2), (.lite4, 30, 13.0),
        ])
    func liteFamilyShapes(configuration: EfficientNetLite.Configuration, blockCount: Int, millions: Double) {
        let model = EfficientNetLite(configuration)
        #expect(model.stem.conv.outputChannels == 32)
        #expect(model.head?.conv.outputChannels == 1280)
        #expect(model.blocks.count == blockCount)
        let count = Double(learnableParameterCount(model)) / 1e6
        #expect(abs(count - millions) < 0.051, "\(configuration.name): \(count) M")
    }

    /// `train --resolution` must reach the network: the EfficientNets once ignored it and trained at
    /// their own side while `config.json` recorded the requested one.
    @Test("An EfficientNet built at a requested resolution expects that side, keeps its weights' shapes, and runs")
    func efficientNetHonoursResolution() {
        let native = ModelKind.efficientNetLite2.make(classCount: 5)
        let resized = ModelKind.efficientNetLite2.make(classCount: 5, resolution: 300)
        #expect(native.inputSpecification.size == 260)
        #expect(resized.inputSpecification.size == 300)
        #expect(resized.inputSpecification.resizeShorterSide == 343)  // 300 / 0.875, rounded
        #expect(Self.ourKeys(resized).shapes == Self.ourKeys(native).shapes)

        let small = ModelKind.efficientNetLite0.make(classCount: 3, resolution: 64)
        #expect(small.inputSpecification.size == 64)
        let logits = small(.zeros([1, 3, 64, 64]), mode: .inference)
        #expect(logits.shape == [1, 3])
    }
}
