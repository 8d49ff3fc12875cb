import Foundation
import NeuralNetwork
import TensorCore
import Testing

@testable import Training

/// Mixup's sampling and blending.
struct MixupTests {
    @Test("Beta(α, α) samples have mean 1/2 and variance 1 / (4(2α + 1)); Beta(a, b) has mean a / (a + b)", arguments: [0.2, 0.4, 1.0, 3.0])
    func betaMoments(alpha: Double) {
        var generator = SplitMix64(seed: 2018)
        let samples = (0..<40_000).map { _ in BetaSampler.sample(alpha: alpha, beta: alpha, using: &generator) }
        #expect(samples.allSatisfy { (0...1).contains($0) })
        let mean = samples.reduce(0, +) / Double(samples.count)
        let variance = samples.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(samples.count)
        #expect(abs(mean - 0.5) < 0.01)
        #expect(abs(variance - 1 / (4 * (2 * alpha + 1))) < 0.006, "variance \(variance)")
        let skewed = (0..<40_000).map { _ in BetaSampler.sample(alpha: 2, beta: 6, using: &generator) }
        #expect(abs(skewed.reduce(0, +) / Double(skewed.count) - 0.25) < 0.01)
    }

    @Test("each mixed row is λ·own + (1 − λ)·partner, partners a permutation of the batch")
    func blendsPairs() {
        let n = 6, rowLength = 3 * 2 * 2
        let values = (0..<(n * rowLength)).map { Float($0 % 17) - 8 + Float($0 / rowLength) * 0.5 }
        let input = Tensor(shape: [n, 3, 2, 2], scalars: values)
        var generator = SplitMix64(seed: 7)
        let (mixed, lambda, partners) = Mixup(alpha: 0.4).mix(input, generator: &generator)
        #expect(mixed.shape == input.shape)
        #expect((0...1).contains(lambda))
        #expect(partners.sorted() == Array(0..<n))
        let out = mixed.scalars()
        for row in 0..<n {
            for offset in 0..<rowLength {
                let expected = lambda * values[row * rowLength + offset] + (1 - lambda) * values[partners[row] * rowLength + offset]
                #expect(abs(out[row * rowLength + offset] - expected) < 1e-5)
            }
        }
        // The same generator state gives the same mix (a resumed epoch mixes alike).
        var again = SplitMix64(seed: 7)
        let repeated = Mixup(alpha: 0.4).mix(input, generator: &again)
        #expect(repeated.lambda == lambda && repeated.partners == partners)
    }
}
