import Foundation
import Models
import NeuralNetwork
import TensorCore
import Testing

/// Step-0 gradients of the whole EfficientNet-Lite0 (real ImageNet weights, 5-class head, batch 4 at
/// 96 px, BN in training mode) against PyTorch float64: per parameter, the sum of squares, the sum and
/// the dot product with the probe p_i = cos(1.7 i + 0.5) (`scripts/reference/make_lite0_gradient_fixtures.py`).
///
/// The ~1 % "engine bug" below block 12 this was written to find is none: one pre-activation (block 11's
/// `_bn0` output, flat index 25038) lies inside float32 rounding of ReLU6's kink (float64 −6.1e-6,
/// PyTorch float32 −1.1e-5, ours +4e-7), and whether its gradient passes moves every gradient of blocks
/// 0–11 by ~1 %. The fixture therefore holds PyTorch float64 gradients for both decisions
/// (`gradients`, `gradients_flipped`); every parameter must match one of them, the same one for all,
/// to 2e-4 on the sum of squares (the two differ by 1e-3 to 2e-2 below block 12).
@Suite("EfficientNet-Lite0 step-0 gradients equal PyTorch's")
struct Lite0GradientParityTests {
    struct Summary: Decodable {
        var count: Int
        var sum: Double
        var sum_squares: Double
        var probe_dot: Double
    }
    struct Reference: Decodable {
        var loss: Double
        var gradients: [String: Summary]
        var gradients_flipped: [String: Summary]
    }

    @Test(
        "every parameter's gradient matches PyTorch float64 under one ReLU6 decision at the kink element",
        .enabled(if: ModelFixtures.hasLite0Weights, "EfficientNet-Lite0 weights not installed (albumgenre weights install --variant lite0)"))
    func stepZeroGradients() throws {
        let reference = try JSONDecoder().decode(
            Reference.self, from: Data(contentsOf: ModelFixtures.url("training_parity/lite0_step0_gradients.json")))
        let model = try ModelFixtures.pretrainedLite0().model
        model.replaceHead(classCount: 5, seed: 0)
        let weight = try ModelFixtures.floats("training_parity/lite0_head_weight_f32.npy")
        let bias = try ModelFixtures.floats("training_parity/lite0_head_bias_f32.npy")
        try loadStateDict(model.classifier, ["_fc.weight": weight, "_fc.bias": bias])
        model.classifier.dropoutProbability = 0
        let batch = try ModelFixtures.floats("training_parity/batch_nchw_f32.npy")
        let loss = softmaxCrossEntropy(
            logits: model(Tensor(shape: batch.shape, scalars: batch.values), mode: .training),
            labels: [1, 4, 0, 2])
        #expect(abs(Double(loss.item()) - reference.loss) < 1e-5 * reference.loss)
        let gradients = loss.backward()

        var ours: [String: [Double]] = [:]
        for (path, parameter) in model.namedParameters() where !parameter.isBuffer {
            ours[path] = try #require(gradients[parameter.value], "no gradient for \(path)").scalars().map(Double.init)
        }
        #expect(ours.count == reference.gradients.count)
        let plain = Self.mismatches(ours, reference.gradients)
        let flipped = Self.mismatches(ours, reference.gradients_flipped)
        print("Lite0 step-0 gradients: \(plain.count) mismatches against PyTorch, \(flipped.count) against the flipped decision")
        #expect(plain.isEmpty || flipped.isEmpty, "against PyTorch: \(plain.prefix(8)); against the flipped decision: \(flipped.prefix(8))")
    }

    /// Parameters whose gradient summaries differ from `reference` beyond float32 rounding. The absolute
    /// floors cover the `_bn2.bias` gradients, which are exactly zero in float64 (a BN shift feeding only
    /// the next BN's normalisation) and ~1e-8 float32 noise here.
    static func mismatches(_ ours: [String: [Double]], _ reference: [String: Summary]) -> [String] {
        var failures: [String] = []
        for (path, theirs) in reference.sorted(by: { $0.key < $1.key }) {
            guard let g = ours[path], g.count == theirs.count else {
                failures.append("\(path): missing")
                continue
            }
            let sumSquares = g.reduce(0) { $0 + $1 * $1 }
            let sum = g.reduce(0, +)
            let probeDot = g.indices.reduce(0.0) { $0 + g[$1] * cos(1.7 * Double($1) + 0.5) }
            let norm = theirs.sum_squares.squareRoot(), count = Double(theirs.count)
            if abs(sumSquares - theirs.sum_squares) > 2e-4 * theirs.sum_squares + 1e-10
                || abs(sum - theirs.sum) > 2e-4 * norm * count.squareRoot() + 1e-5
                || abs(probeDot - theirs.probe_dot) > 2e-4 * norm * (count / 2).squareRoot() + 1e-5
            {
                failures.append("\(path): sum² \(sumSquares) vs \(theirs.sum_squares), sum \(sum) vs \(theirs.sum)")
            }
        }
        return failures
    }
}
