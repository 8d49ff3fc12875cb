import Foundation
import Imaging
import Inference
import Models
import TensorCore
import Testing

/// The accuracy cost of `ComputePrecision.bfloat16` on EfficientNet-Lite0 with the real ImageNet
/// weights, against PyTorch's float32 logits (shared fixture). The measured figures are in
/// Docs/EngineInternals.md ("bf16"); the tolerances below leave 2.5–3.5× headroom over them (other
/// CPUs emulate bf16 and may round differently).
@Suite("EfficientNet-Lite0 in bf16", .enabled(if: TensorEngine.supportsBFloat16, "oneDNN has no bf16 convolutions on this CPU"))
struct BFloat16AccuracyTests {
    /// Indices of the `k` largest values, largest first.
    static func top(_ k: Int, _ values: [Float]) -> [Int] {
        Array(values.indices.sorted { values[$0] > values[$1] }.prefix(k))
    }

    @Test(
        "chelsea logits in bf16: max abs difference to PyTorch f32 < 0.25, same top-5 set, same top-1",
        .enabled(if: ModelFixtures.hasLite0Weights, "EfficientNet-Lite0 weights not installed (albumgenre weights install --variant lite0)"),
        .enabled(if: ModelFixtures.hasEfficientNetFixtures, "shared/fixtures/efficientnet-lite0 not found beside the repository"))
    func chelseaLogits() throws {
        let directory = ModelFixtures.efficientNetDirectory
        let input = try NumpyFileValues(directory.appendingPathComponent("chelsea_input_nchw_f32.npy"))
        let reference = try NumpyFileValues(directory.appendingPathComponent("chelsea_logits_f32.npy")).values
        let model = try ModelFixtures.pretrainedLite0().model
        let image = Tensor(shape: input.shape, scalars: input.values)
        let logits = TensorEngine.withComputePrecision(.bfloat16) { model(image, mode: .inference) }.scalars()
        let single = model(image, mode: .inference).scalars()
        let float32Activations = TensorEngine.$bfloat16ActivationPrecision.withValue(.float32) {
            TensorEngine.withComputePrecision(.bfloat16) { model(image, mode: .inference) }
        }.scalars()

        let difference = maxAbsDifference(logits, reference)
        let spread = (reference.max() ?? 0) - (reference.min() ?? 0)
        let ours = Self.top(5, logits), theirs = Self.top(5, reference)
        print(
            "Lite0 chelsea bf16: max abs logit difference \(difference) (f32 engine \(maxAbsDifference(single, reference)), "
                + "logit range \(spread)); top-5 bf16 \(ours), PyTorch f32 \(theirs)")
        print(
            "Lite0 chelsea bf16 convolutions with f32 activations: max abs logit difference "
                + "\(maxAbsDifference(float32Activations, reference)), top-5 \(Self.top(5, float32Activations))")
        #expect(difference < 0.25)
        #expect(maxAbsDifference(float32Activations, reference) < 0.25)
        #expect(Set(ours) == Set(theirs))
        #expect(ours.first == theirs.first)
        // float32 inference afterwards is untouched by the bf16 run.
        #expect(maxAbsDifference(single, reference) < 1e-3)
    }

    struct Reference: Decodable {
        struct Entry: Decodable {
            var index: Int
            var prob: Double
        }
        var file: String
        var top5: [Entry]
    }

    @Test(
        "five reference photos in bf16: top-1 as PyTorch f32, top-5 sets share at least 4, probabilities within 0.05",
        .enabled(if: ModelFixtures.hasLite0Weights, "EfficientNet-Lite0 weights not installed (albumgenre weights install --variant lite0)"),
        .enabled(if: ModelFixtures.hasEfficientNetFixtures, "shared/fixtures/efficientnet-lite0 not found beside the repository"))
    func referencePhotos() throws {
        let directory = ModelFixtures.efficientNetDirectory
        let references = try JSONDecoder().decode(
            [String: Reference].self, from: Data(contentsOf: directory.appendingPathComponent("top5.json")))
        let classifier = try ImageNetClassifier(checkpointURL: #require(ModelFixtures.lite0WeightsURL))
        let decoder = ImageDecoder()
        for (photo, reference) in references.sorted(by: { $0.key < $1.key }) {
            let image = try decoder.decode(contentsOf: directory.appendingPathComponent(reference.file))
            let ours = TensorEngine.withComputePrecision(.bfloat16) { classifier.top(5, of: image) }
            let shared = Set(ours.map(\.index)).intersection(reference.top5.map(\.index)).count
            let worst =
                reference.top5.map { entry in
                    abs((ours.first { $0.index == entry.index }?.probability ?? 0) - entry.prob)
                }.max() ?? 0
            print(
                "\(photo) bf16: top-5 \(ours.map(\.index)) vs PyTorch f32 \(reference.top5.map(\.index)), "
                    + "\(shared)/5 shared, max probability difference \(worst)")
            #expect(ours.first?.index == reference.top5.first?.index, "\(photo)")
            #expect(shared >= 4, "\(photo)")
            #expect(worst < 0.05, "\(photo)")
        }
    }
}
