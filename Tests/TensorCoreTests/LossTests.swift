import Testing

@testable import TensorCore

/// softmaxCrossEntropy against PyTorch `F.cross_entropy(weight:, label_smoothing:)`; dropout and mean by maths.
struct LossTests {
    @Test(
        "cross-entropy value and logit gradient match PyTorch",
        arguments: ["ce_plain", "ce_weighted_smoothed", "ce_weighted_b1"])
    func crossEntropyMatchesPyTorch(_ name: String) {
        let f = OpFixtures.shared.fixture(name)
        let logits = f.tensor("logits", requiresGradient: true)
        let loss = softmaxCrossEntropy(
            logits: logits, labels: f.ints("labels"),
            classWeights: f.has("weights") ? f.values("weights") : nil,
            labelSmoothing: f.float("smoothing"))
        #expect(loss.shape == [])
        expectClose([loss.item()], f.values("loss"), tolerance: 1e-5, "\(name) loss")
        expectClose(loss.backward()[logits]!.scalars(), f.values("dlogits"), "\(name) dlogits")
    }

    @Test("dropout: inference is the identity; training zeroes about p and scales survivors by 1/(1-p)")
    func dropoutStatistics() {
        var generator = SplitMix64(seed: 42)
        let x = Tensor(shape: [40, 100], repeating: 1, requiresGradient: true)
        #expect(dropout(x, probability: 0.3, mode: .inference, generator: &generator) === x)
        let y = dropout(x, probability: 0.3, mode: .training, generator: &generator)
        let values = y.scalars()
        let zeros = values.filter { $0 == 0 }.count
        #expect(abs(Double(zeros) / 4000 - 0.3) < 0.03, "dropped fraction \(Double(zeros) / 4000)")
        #expect(values.allSatisfy { $0 == 0 || abs($0 - 1 / 0.7) < 1e-6 })
        // The gradient uses the same mask.
        let dx = y.backward(seed: Tensor(shape: [40, 100], repeating: 2))[x]!.scalars()
        #expect(zip(dx, values).allSatisfy { $0 == 2 * $1 })
        // Same seed, same mask.
        var first = SplitMix64(seed: 7), second = SplitMix64(seed: 7)
        #expect(
            dropout(x, probability: 0.5, mode: .training, generator: &first).scalars()
                == dropout(x, probability: 0.5, mode: .training, generator: &second).scalars())
    }

    @Test("mean and its gradient")
    func meanByHand() {
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 9], requiresGradient: true)
        let m = mean(x)
        #expect(m.item() == 4)
        #expect(m.backward()[x]!.scalars() == [Float](repeating: 1.0 / 6, count: 6))
    }
}

/// A small deterministic generator for the tests (SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
